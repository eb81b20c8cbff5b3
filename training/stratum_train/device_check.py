"""Diagnostic: boundaries of a model against the device's own lines in Heidelberg Spectralis `.vol` files.

    python -m stratum_train.device_check --run ../.train-runs/model2/run \\
        --onnx-baseline ../resources/models/stratum-unet-light/model.onnx --out device-lines.json \\
        ../../shared/data/formats/spectralis-vol/*.vol

The `.vol` B-scan (float reflectivity) is shown to the network as the Spectralis display does,
(log(x + 2.44e-4) + 8.3) / 8.285 scaled to 0..255. The device stores ILM and BM per A-scan (rows,
invalid = huge values). Compared per column where the device line is valid:
- `labels`: from the class map the app shows: ILM = first tissue row - 0.5, BM = last RPE row + 0.5
  (edges in pixel-centre coordinates, the convention of the surface head);
- `surfaces` (surface models only): the surface head's rows directly (top of NFL, top of Choroid).
This is a training-side diagnostic, not the app's `stratum evaluate --against-device` (that needs the
app's vendor readers). Only image size, scale and the lines are read from the file; patient fields
in the header are never read.
"""
from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np
import torch

RPE, CHOROID = 7, 8
INVALID = 1e30


def read_vol(path: Path) -> dict:
    """First B-scan of an HSF-OCT-10x file: image (H x W float), lines {ILM, BM}, axial scale (um/px)."""
    b = path.read_bytes()
    if not b.startswith(b"HSF-OCT-"):
        raise ValueError(f"{path.name}: not a Heidelberg .vol file")
    size_x, n_bscans, size_z = struct.unpack_from("<iii", b, 12)
    scale_x, _, scale_z = struct.unpack_from("<ddd", b, 24)
    slo_x, slo_y = struct.unpack_from("<ii", b, 48)
    scan_pattern, hdr_size = struct.unpack_from("<ii", b, 96)
    o = 2048 + slo_x * slo_y
    if b[o:o + 7] != b"HSF-BS-":
        raise ValueError(f"{path.name}: no B-scan header at byte {o}")
    n_seg, off_seg = struct.unpack_from("<ii", b, o + 48)
    seg = np.frombuffer(b, dtype="<f4", count=n_seg * size_x, offset=o + off_seg).reshape(n_seg, size_x)
    img = np.frombuffer(b, dtype="<f4", count=size_x * size_z, offset=o + hdr_size).reshape(size_z, size_x)
    return {"image": img.astype(np.float32), "lines": {"ILM": seg[0].copy(), "BM": seg[1].copy()},
            "scaleZ_um": scale_z * 1000, "scaleX_um": scale_x * 1000, "bscans": n_bscans,
            "pattern": {1: "line", 2: "circle", 3: "volume"}.get(scan_pattern, str(scan_pattern))}


def display(raw: np.ndarray) -> np.ndarray:
    v = (np.log(np.clip(raw, 0, None) + 2.44e-4) + 8.3) / 8.285
    return np.clip(np.round(v * 255), 0, 255).astype(np.uint8)


def lines_from_labels(labels: np.ndarray) -> dict[str, np.ndarray]:
    h, w = labels.shape
    tissue = labels > 0
    ilm = np.where(tissue.any(0), np.argmax(tissue, axis=0) - 0.5, np.nan)
    rpe = labels == RPE
    bm = np.where(rpe.any(0), h - 1 - np.argmax(rpe[::-1], axis=0) + 0.5, np.nan)
    return {"ILM": ilm, "BM": bm}


def compare(pred: dict[str, np.ndarray], device: dict[str, np.ndarray], scale_um: float) -> dict:
    out = {}
    for name, ref in device.items():
        ok = ref < INVALID
        p = pred[name][ok]
        found = ~np.isnan(p)
        err = p[found] - ref[ok][found]
        out[name] = {"columns": int(ok.sum()), "found": round(float(found.mean()) if ok.any() else 0.0, 4),
                     "maePx": round(float(np.abs(err).mean()), 3) if len(err) else None,
                     "maeUm": round(float(np.abs(err).mean() * scale_um), 2) if len(err) else None,
                     "meanSignedPx": round(float(err.mean()), 3) if len(err) else None}
    return out


def check(model: torch.nn.Module, vols: list[Path]) -> dict:
    from .metrics import predict_all

    res = {}
    for path in vols:
        vol = read_vol(path)
        p = predict_all(model, display(vol["image"]))
        entry = {"pattern": vol["pattern"], "size": list(vol["image"].shape[::-1]), "scaleZ_um": round(vol["scaleZ_um"], 3),
                 "labels": compare(lines_from_labels(p.get("combined", p["pixel"])), vol["lines"], vol["scaleZ_um"])}
        if "rows" in p:
            entry["surfaces"] = compare({"ILM": p["rows"][0].astype(np.float64), "BM": p["rows"][7].astype(np.float64)},
                                        vol["lines"], vol["scaleZ_um"])
        res[path.name] = entry
    return res


def load_run_model(run: Path, checkpoint: str) -> torch.nn.Module:
    from .model import build_model, load_checkpoint

    cfg = json.loads((run / "config.json").read_text())
    model = build_model(cfg)
    model.load_state_dict(load_checkpoint(run / checkpoint, "cpu")["model"])
    return model.eval()


def load_onnx_model(path: Path) -> torch.nn.Module:
    """A shipped pixel-only ONNX model as a PyTorch UNet (exact in eval mode, see warm_start.py)."""
    from .model import build_model
    from .warm_start import init_from_onnx

    model = build_model({"surfaces": False})
    init_from_onnx(model, path, [torch.rand(2, 1, 64, 64)])
    return model.eval()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("vols", nargs="+", type=Path)
    p.add_argument("--run", type=Path, help="training run (config.json + checkpoint)")
    p.add_argument("--checkpoint", default="checkpoint.pt")
    p.add_argument("--onnx-baseline", type=Path, help="also score a shipped pixel-only model.onnx")
    p.add_argument("--out", type=Path)
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    report = {"method": __doc__.split("\n\n")[2].strip()}
    if a.run:
        report["model"] = check(load_run_model(a.run, a.checkpoint), a.vols)
    if a.onnx_baseline:
        report["baseline"] = check(load_onnx_model(a.onnx_baseline), a.vols)
    text = json.dumps(report, indent=2)
    if a.out:
        a.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
