"""Validation metrics on full-resolution images (padded to a multiple of 16, cropped back)."""
from __future__ import annotations

import numpy as np
import torch

from . import CLASS_ORDER, LAYER_NAMES, NUM_CLASSES
from .data import Sample, pad_to_multiple, to_input


def confusion(pred: np.ndarray, target: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    idx = target.astype(np.int64).ravel() * num_classes + pred.astype(np.int64).ravel()
    return np.bincount(idx, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def summarise(cm: np.ndarray) -> dict:
    """cm[target, pred]. IoU per class; meanIoU8 = mean over the 8 layers (background excluded)."""
    tp = np.diag(cm).astype(np.float64)
    fp = cm.sum(0) - tp
    fn = cm.sum(1) - tp
    denom = tp + fp + fn
    iou = np.where(denom > 0, tp / np.maximum(denom, 1), np.nan)
    per_layer = {name: round(float(iou[i + 1]), 4) for i, name in enumerate(LAYER_NAMES)}
    return {
        "meanIoU8": round(float(np.nanmean(iou[1:])), 4),
        "perLayerIoU": per_layer,
        "backgroundIoU": round(float(iou[0]), 4),
        "pixelAccuracy": round(float(tp.sum() / max(cm.sum(), 1)), 4),
    }


@torch.no_grad()
def predict(model: torch.nn.Module, img_u8: np.ndarray, multiple: int = 16, device: str = "cpu") -> np.ndarray:
    x, (h, w) = pad_to_multiple(to_input(img_u8), multiple)
    logits = model(torch.from_numpy(x)[None, None].to(device))
    return logits[0, :, :h, :w].argmax(0).cpu().numpy().astype(np.uint8)


@torch.no_grad()
def evaluate(model: torch.nn.Module, samples: list[Sample], multiple: int = 16, device: str = "cpu") -> dict:
    was_training = model.training
    model.eval()
    cm = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    for s in samples:
        cm += confusion(predict(model, s.image, multiple, device), s.mask)
    if was_training:
        model.train()
    out = summarise(cm)
    out["images"] = len(samples)
    return out


__all__ = ["confusion", "summarise", "predict", "evaluate", "CLASS_ORDER"]
