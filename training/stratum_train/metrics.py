"""Validation metrics on full-resolution images (padded to a multiple of 16, cropped back)."""
from __future__ import annotations

import numpy as np
import torch

from . import BOUNDARY_NAMES, CLASS_ORDER, LAYER_NAMES, NUM_BOUNDARIES, NUM_CLASSES
from .data import Sample, pad_to_multiple, to_input
from .surfaces import boundaries_from_mask, combine, decode_surfaces


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
def predict_all(model: torch.nn.Module, img_u8: np.ndarray, multiple: int = 16, device: str = "cpu") -> dict:
    """{"pixel": argmax of the pixel head, and with a surface head "surfaces" (decoded alone),
    "rows" (9 x W) and "combined" (the app's decode: surfaces where the pixel head sees tissue)}."""
    x, (h, w) = pad_to_multiple(to_input(img_u8), multiple)
    out = model(torch.from_numpy(x)[None, None].to(device))
    logits, rows = (out[0], out[1]) if isinstance(out, (tuple, list)) else (out, None)
    res = {"pixel": logits[0, :, :h, :w].argmax(0).cpu().numpy().astype(np.uint8)}
    if rows is not None:
        r = rows[0, :, :w].cpu().numpy()
        res.update(rows=r, surfaces=decode_surfaces(r, h), combined=combine(res["pixel"], r))
    return res


def predict(model: torch.nn.Module, img_u8: np.ndarray, multiple: int = 16, device: str = "cpu") -> np.ndarray:
    """The class map the app shows: the combined decode for a surface model, else the pixel argmax."""
    res = predict_all(model, img_u8, multiple, device)
    return res.get("combined", res["pixel"])


@torch.no_grad()
def evaluate(model: torch.nn.Module, samples: list[Sample], multiple: int = 16, device: str = "cpu") -> dict:
    """Metrics of the shown decode; a surface model also reports the pixel head and the surfaces alone
    (`heads`) and the mean absolute boundary row error over the columns where a boundary is defined."""
    was_training = model.training
    model.eval()
    cms: dict[str, np.ndarray] = {}
    err_sum = np.zeros(NUM_BOUNDARIES)
    err_n = np.zeros(NUM_BOUNDARIES)
    for s in samples:
        res = predict_all(model, s.image, multiple, device)
        for key in ("pixel", "surfaces", "combined"):
            if key in res:
                cms.setdefault(key, np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64))
                cms[key] += confusion(res[key], s.mask)
        if "rows" in res:
            tgt, valid = boundaries_from_mask(s.mask)
            err = np.abs(res["rows"] - tgt)
            err_sum += (err * valid).sum(1)
            err_n += valid.sum(1)
    if was_training:
        model.train()
    out = summarise(cms.get("combined", cms["pixel"]))
    out["images"] = len(samples)
    if "combined" in cms:
        out["heads"] = {k: summarise(cms[k])["meanIoU8"] for k in ("pixel", "surfaces", "combined")}
        out["boundaryMAEpx"] = {BOUNDARY_NAMES[k]: round(float(err_sum[k] / max(err_n[k], 1)), 3)
                                for k in range(NUM_BOUNDARIES)}
    return out


__all__ = ["confusion", "summarise", "predict", "predict_all", "evaluate", "CLASS_ORDER"]
