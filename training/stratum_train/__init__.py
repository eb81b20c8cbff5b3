"""Stratum retinal-layer segmentation training pipeline (PyTorch -> ONNX)."""
from .labels import CLASS_ORDER, LABEL_ALIASES, LABEL_SOURCE

LAYER_NAMES = CLASS_ORDER[1:]
NUM_CLASSES = len(CLASS_ORDER)
# The 9 boundaries the surface head predicts, top to bottom: the upper edge of each of the 8 layers,
# then the lower edge of the last one (choroid / sclera).
BOUNDARY_NAMES = [f"top of {n}" for n in LAYER_NAMES] + [f"bottom of {LAYER_NAMES[-1]}"]
NUM_BOUNDARIES = len(BOUNDARY_NAMES)

__all__ = ["CLASS_ORDER", "LABEL_ALIASES", "LABEL_SOURCE", "LAYER_NAMES", "NUM_CLASSES", "BOUNDARY_NAMES",
           "NUM_BOUNDARIES"]
