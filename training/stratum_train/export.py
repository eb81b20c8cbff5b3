"""ONNX export, ONNX Runtime parity check (via Node onnxruntime-node) and the app's model card.

CLI:
  python -m stratum_train.export --run <run_dir> --out resources/models/stratum-unet-light
  python -m stratum_train.export --placeholder --out resources/models/stratum-placeholder
"""
from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from . import BOUNDARY_NAMES, CLASS_ORDER
from .data import load_samples, pad_to_multiple, split_samples, to_input
from .model import build_model, count_parameters, load_checkpoint

TRAINING_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = TRAINING_DIR.parent
PARITY_SCRIPT = TRAINING_DIR / "parity.mjs"
OPSET = 13
PARITY_TOL = 1e-3  # logits
# boundary rows (px): a soft-argmax sums ~500 rows x probability in float32, so ORT and PyTorch differ in
# the 4th decimal of a row; 0.01 px is still far below any clinically visible difference
SURFACE_PARITY_TOL_PX = 1e-2


def parity_ok(parity: dict) -> bool:
    per = parity.get("perOutput")
    if not per:
        return parity["maxAbsDiff"] <= PARITY_TOL
    return per["logits"] <= PARITY_TOL and per.get("surfaces", 0.0) <= SURFACE_PARITY_TOL_PX
# How the app decodes the second output (src-main/services/segmentation/surface-decode.ts reads this).
SURFACES_CARD = {
    "name": "surfaces",
    "kind": "boundaryRows",
    "layout": "NKW",
    "boundaries": list(BOUNDARY_NAMES),
    "ordered": True,
    "decode": ("surfaces[n, k, x] is the row (pixel-centre coordinates of the padded input, sub-pixel) of "
               "boundary k in column x, non-decreasing in k. A pixel at row r lies in class "
               "#{k : surfaces[k] < r} when that count is 1..8 (the classOrder index), else background. "
               "Where the logits' argmax is background (a hole, fluid, a detachment inside the band) the "
               "pixel stays background: layers come from the surfaces only where the pixel head sees tissue."),
}


def output_names(model: torch.nn.Module) -> list[str]:
    return ["logits", "surfaces"] if getattr(model, "surface_head", None) is not None else ["logits"]


def export_onnx(model: torch.nn.Module, path: str | Path, multiple: int = 16, opset: int = OPSET) -> None:
    model.eval()
    model.return_scores = False
    names = output_names(model)
    axes = {"image": {0: "batch", 2: "height", 3: "width"}, "logits": {0: "batch", 2: "height", 3: "width"}}
    if "surfaces" in names:
        axes["surfaces"] = {0: "batch", 2: "width"}
    dummy = torch.rand(1, 1, 8 * multiple, 10 * multiple)
    extra = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        extra["dynamo"] = False  # PyTorch >= 2.9 defaults to the dynamo exporter; keep the TorchScript one
    torch.onnx.export(
        model,
        dummy,
        str(path),
        input_names=["image"],
        output_names=names,
        dynamic_axes=axes,
        opset_version=opset,
        do_constant_folding=True,
        **extra,
    )
    import onnx

    m = onnx.load(str(path))
    onnx.checker.check_model(m)


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parity_check(model: torch.nn.Module, onnx_path: str | Path, images: list[np.ndarray], multiple: int = 16) -> dict:
    """Run each image (uint8 H x W) through PyTorch and ONNX Runtime (Node); return the max abs
    difference over all outputs (logits, and boundary rows for a surface model) and per output."""
    model.eval()
    model.return_scores = False
    names = output_names(model)
    worst = 0.0
    per_output = {n: 0.0 for n in names}
    agree = []
    with tempfile.TemporaryDirectory(prefix="stratum-parity-") as tmp:
        for i, img in enumerate(images):
            x, _ = pad_to_multiple(to_input(img), multiple)
            x = np.ascontiguousarray(x[None, None], dtype=np.float32)
            with torch.no_grad():
                outs = model(torch.from_numpy(x))
            outs = outs if isinstance(outs, tuple) else (outs,)
            inp = Path(tmp) / f"in{i}.f32"
            x.astype("<f4").tofile(inp)
            refs = []
            for name, ref in zip(names, outs):
                path = Path(tmp) / f"ref{i}-{name}.f32"
                ref.numpy().astype("<f4").tofile(path)
                refs.append(f"{name}={path}")
            cmd = ["node", str(PARITY_SCRIPT), str(Path(onnx_path).resolve()), str(inp), *map(str, x.shape), *refs]
            res = subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO_ROOT))
            if res.returncode != 0:
                raise RuntimeError(f"parity script failed: {res.stderr.strip() or res.stdout.strip()}")
            r = json.loads(res.stdout.strip().splitlines()[-1])
            worst = max(worst, float(r["maxAbsDiff"]))
            for name in names:
                per_output[name] = max(per_output[name], float(r["outputs"][name]["maxAbsDiff"]))
            agree.append(float(r["argmaxAgreement"]))
            print(f"parity image {i}: shape {list(x.shape)} maxAbsDiff {r['maxAbsDiff']:.3g} "
                  + " ".join(f"{n} {r['outputs'][n]['maxAbsDiff']:.3g}" for n in names)
                  + f" argmax agreement {r['argmaxAgreement']:.6f} ort {r['ms']} ms", flush=True)
    # maxAbsDiff stays the logits' difference (as for single-output models); perOutput has each output
    res = {"maxAbsDiff": float(f"{per_output['logits']:.3g}"), "images": len(images),
           "argmaxAgreement": round(min(agree), 6)}
    if len(names) > 1:
        res["perOutput"] = {n: float(f"{v:.3g}") for n, v in per_output.items()}
    return res


def git_commit() -> str | None:
    try:
        res = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=str(REPO_ROOT))
        return res.stdout.strip() if res.returncode == 0 else None
    except OSError:
        return None


def make_card(*, model_id: str, name: str, version: str, trained: bool, onnx_path: Path, parameters: int,
              training: dict | None, metrics: dict | None, parity: dict, surfaces: bool = False) -> dict:
    return {
        "schema": 1,
        "id": model_id,
        "name": name,
        "version": version,
        "trained": trained,
        "format": "onnx",
        "file": onnx_path.name,
        "sha256": sha256(onnx_path),
        "sizeBytes": onnx_path.stat().st_size,
        "parameters": parameters,
        "input": {"name": "image", "layout": "NCHW", "channels": 1, "sizePolicy": {"kind": "pad", "multiple": 16}},
        "normalisation": {"kind": "scale", "scale": 1.0 / 255.0, "offset": 0},
        "output": {"name": "logits", "kind": "logits", "classOrder": list(CLASS_ORDER)},
        **({"surfaces": SURFACES_CARD} if surfaces else {}),
        "training": training,
        "metrics": metrics,
        "parity": parity,
        "license": "BSD-3-Clause (weights); trained on OCTID images (Gholami et al. 2018) with DeepEye annotations (BSD-3-Clause)",
    }


def _parity_images(cfg: dict, n: int) -> list[np.ndarray]:
    samples = load_samples(cfg)
    _, val = split_samples(samples, cfg["val_prefix"], cfg["val_lo"], cfg["val_hi"])
    pool = val or samples
    return [s.image for s in pool[:n]]


def export_placeholder(out: Path, cfg: dict, parity_images: int = 2) -> dict:
    torch.manual_seed(0)
    model = build_model(cfg).eval()
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "model.onnx"
    export_onnx(model, onnx_path)
    parity = parity_check(model, onnx_path, _parity_images(cfg, parity_images))
    card = make_card(
        model_id="stratum-placeholder", name="Untrained placeholder UNet", version="0.0.0", trained=False,
        onnx_path=onnx_path, parameters=count_parameters(model), training=None, metrics=None, parity=parity)
    (out / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    (out / "config.json").write_text(json.dumps({**cfg, "seed": 0, "note": "random init, not trained"}, indent=2) + "\n")
    return card


def export_run(run_dir: Path, out: Path, *, model_id: str, name: str, version: str,
               parity_images: int = 2, checkpoint: str = "checkpoint.pt") -> dict:
    from .metrics import evaluate

    cfg = json.loads((run_dir / "config.json").read_text())
    ckpt = load_checkpoint(run_dir / checkpoint, "cpu")
    model = build_model(cfg)
    model.load_state_dict(ckpt["model"])
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / "model.onnx"
    export_onnx(model, onnx_path)
    samples = load_samples(cfg)
    _, val = split_samples(samples, cfg["val_prefix"], cfg["val_lo"], cfg["val_hi"])
    if cfg.get("smoke"):
        val = val[:2]
    metrics = None
    if val:
        m = evaluate(model, val)
        metrics = {"validation": {"images": m["images"], "meanIoU8": m["meanIoU8"], "perLayerIoU": m["perLayerIoU"],
                                  "backgroundIoU": m["backgroundIoU"], "pixelAccuracy": m["pixelAccuracy"],
                                  **{k: m[k] for k in ("heads", "boundaryMAEpx") if k in m},
                                  "source": "pytorch, training/metrics.py"}}
        print("validation:", json.dumps(m), flush=True)
    parity = parity_check(model, onnx_path, [s.image for s in (val or samples)[:parity_images]])
    state = ckpt.get("state", {})
    training = {
        "data": cfg.get("data_description", "OCTID NORMAL (DeepEye annotations), 60 images, validation NORMAL150-169 never trained on")
        + (f"; label corrections {cfg['corrections']['file']} ({cfg['corrections']['regions']} regions relabelled)" if cfg.get("corrections") else ""),
        "epochs": int(ckpt.get("epoch", 0)),
        "hardware": state.get("hardware", cfg.get("hardware", "unknown")),
        "durationMinutes": round(float(state.get("elapsed_s", 0.0)) / 60.0, 1),
        "commit": git_commit(),
        "config": "config.json",
        "seed": int(cfg.get("seed", 0)),
    }
    if cfg.get("init_onnx"):
        # warm start: the pixel network began as the shipped model's weights (BN calibrated, warm_start.py)
        training["initialisedFrom"] = {"file": Path(cfg["init_onnx"]).as_posix().split("resources/")[-1],
                                       "sha256": cfg.get("init_onnx_sha256")}
    card = make_card(model_id=model_id, name=name, version=version, trained=True, onnx_path=onnx_path,
                     parameters=count_parameters(model), training=training, metrics=metrics, parity=parity,
                     surfaces=bool(cfg.get("surfaces")))
    (out / "model.json").write_text(json.dumps(card, indent=2) + "\n")
    shutil.copyfile(run_dir / "config.json", out / "config.json")
    for extra in ("curves.png", "train-log.jsonl"):
        if (run_dir / extra).exists():
            shutil.copyfile(run_dir / extra, out / extra)
    return card


def main(argv: list[str] | None = None) -> int:
    from .train import default_config

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, help="training run dir (config.json + checkpoint.pt)")
    p.add_argument("--checkpoint", default="checkpoint.pt")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--placeholder", action="store_true", help="export an untrained random-init model (seed 0)")
    p.add_argument("--data", default=None, help="data root (for parity images / placeholder)")
    p.add_argument("--id", default="stratum-unet-light")
    p.add_argument("--name", default="Stratum light UNet (8-16-32-64-128, BN)")
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--parity-images", type=int, default=2)
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    if a.placeholder:
        cfg = default_config()
        if a.data:
            cfg["data"] = a.data
        card = export_placeholder(a.out, cfg, a.parity_images)
    else:
        if not a.run:
            p.error("--run is required unless --placeholder")
        card = export_run(a.run, a.out, model_id=a.id, name=a.name, version=a.version,
                          parity_images=a.parity_images, checkpoint=a.checkpoint)
    print(json.dumps({k: card[k] for k in ("id", "sha256", "sizeBytes", "parameters", "parity")}, indent=2))
    if not parity_ok(card["parity"]):
        print(f"FAIL: parity {card['parity']} above {PARITY_TOL} (logits) / {SURFACE_PARITY_TOL_PX} px (surfaces)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
