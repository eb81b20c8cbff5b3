"""Where does a run's error come from? Train-set vs validation IoU (under- or over-fitting) and, per
layer, the share of wrong pixels that lie within 1 and 2 px of an annotated boundary (boundary
precision, the part annotation noise limits) rather than further away (gross mistakes).

    python -m stratum_train.fit_report --run /tmp/stratum-train/run [--out fit-report.json]

Diagnostic only: it reads the run's config and checkpoint and changes nothing.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import LAYER_NAMES, NUM_CLASSES
from .data import load_samples, split_samples
from .metrics import confusion, predict, summarise
from .model import build_model, load_checkpoint


def _dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    t = torch.from_numpy(mask.astype(np.float32))[None, None]
    return F.max_pool2d(t, 2 * radius + 1, stride=1, padding=radius)[0, 0].numpy() > 0


def boundary_band(mask: np.ndarray, cls: int, radius: int) -> np.ndarray:
    """Pixels within `radius` px (chessboard distance) of an edge of class `cls` in `mask`."""
    inside = mask == cls
    return _dilate(inside, radius) & _dilate(~inside, radius)


def error_near_boundary(samples, preds, radii=(1, 2)) -> dict:
    wrong = np.zeros(NUM_CLASSES, dtype=np.int64)
    near = {r: np.zeros(NUM_CLASSES, dtype=np.int64) for r in radii}
    for s, p in zip(samples, preds):
        for c in range(1, NUM_CLASSES):
            err = (s.mask == c) ^ (p == c)
            wrong[c] += err.sum()
            for r in radii:
                near[r][c] += (err & boundary_band(s.mask, c, r)).sum()
    return {
        name: {f"within{r}px": round(float(near[r][i + 1] / max(wrong[i + 1], 1)), 3) for r in radii}
        for i, name in enumerate(LAYER_NAMES)
    }


def report(samples, model) -> dict:
    preds = [predict(model, s.image) for s in samples]
    cm = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    for s, p in zip(samples, preds):
        cm += confusion(p, s.mask)
    out = summarise(cm)
    out["images"] = len(samples)
    out["errorShareNearBoundary"] = error_near_boundary(samples, preds)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, type=Path, help="training run folder (config.json, checkpoint.pt)")
    ap.add_argument("--checkpoint", default="checkpoint.pt")
    ap.add_argument("--out", type=Path, help="write the report as JSON here too")
    a = ap.parse_args(argv)

    cfg = json.loads((a.run / "config.json").read_text())
    model = build_model(cfg)
    model.load_state_dict(load_checkpoint(a.run / a.checkpoint, "cpu")["model"])
    model.eval()
    train, val = split_samples(load_samples(cfg), cfg["val_prefix"], cfg["val_lo"], cfg["val_hi"])
    if cfg.get("smoke"):  # the smoke run's own subset, as train.py picks it
        train, val = train[:4], val[:2]
    result = {"train": report(train, model), "validation": report(val, model)}
    for split, r in result.items():
        print(f"{split:10s} images {r['images']:3d}  mIoU8 {r['meanIoU8']:.4f}  "
              + "  ".join(f"{k} {v:.3f}" for k, v in r["perLayerIoU"].items()))
    print("share of wrong layer pixels within 1 / 2 px of an annotated boundary (validation):")
    for name, v in result["validation"]["errorShareNearBoundary"].items():
        print(f"  {name:8s} {v['within1px']:.3f} / {v['within2px']:.3f}")
    if a.out:
        a.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
