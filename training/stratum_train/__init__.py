"""Stratum retinal-layer segmentation training pipeline (PyTorch -> ONNX)."""

CLASS_ORDER = ["background", "NFL", "GCL+IPL", "INL", "OPL", "ONL", "EZ", "RPE", "Choroid"]
LAYER_NAMES = CLASS_ORDER[1:]
NUM_CLASSES = len(CLASS_ORDER)

__all__ = ["CLASS_ORDER", "LAYER_NAMES", "NUM_CLASSES"]
