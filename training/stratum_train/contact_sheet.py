"""Contact sheet: a model's output on every `octdl-diseased` scan, beside the shipped baseline, so that a
person can judge plausibility on diseased eyes (these scans have no layer labels; AMD and macular holes).

    python -m stratum_train.contact_sheet --run ../.train-runs/model2/run \\
        --onnx-baseline ../resources/models/stratum-unet-light/model.onnx --out ../docs/model2-diseased.png

Each row: the scan | the baseline's labels | the model's labels (the decode the app shows). Unlabelled
pixels (background, and holes / fluid the pixel head calls no tissue) are left uncoloured; the surface
model's ILM and BM rows are drawn as thin white lines.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

from .data import IMAGE_EXTS, load_grey
from .metrics import predict_all

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "octdl-diseased"
PALETTE = np.array([[0, 0, 0], [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48],
                    [145, 30, 180], [70, 240, 240], [240, 50, 230]], dtype=np.float32)
TILE_W = 360


def load_run_model(run: Path, checkpoint: str) -> torch.nn.Module:
    import json

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


def overlay(grey: np.ndarray, labels: np.ndarray, alpha: float = 0.45) -> np.ndarray:
    rgb = np.repeat(grey[..., None].astype(np.float32), 3, axis=2)
    colour = PALETTE[labels]
    m = (labels > 0)[..., None]
    return np.where(m, rgb * (1 - alpha) + colour * alpha, rgb).clip(0, 255).astype(np.uint8)


def tile(arr: np.ndarray) -> Image.Image:
    im = Image.fromarray(arr)
    return im.resize((TILE_W, max(1, round(im.height * TILE_W / im.width))), Image.BILINEAR)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, required=True)
    p.add_argument("--checkpoint", default="checkpoint.pt")
    p.add_argument("--onnx-baseline", type=Path, required=True)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    model, base = load_run_model(a.run, a.checkpoint), load_onnx_model(a.onnx_baseline)
    files = sorted(f for f in a.data.rglob("*") if f.suffix.lower() in IMAGE_EXTS)
    rows = []
    for f in files:
        grey = load_grey(f)
        ours, theirs = predict_all(model, grey), predict_all(base, grey)
        mine = overlay(grey, ours.get("combined", ours["pixel"]))
        if "rows" in ours:
            img = Image.fromarray(mine)
            d = ImageDraw.Draw(img)
            for k in (0, 7):  # ILM, BM
                r = ours["rows"][k]
                d.line([(x, float(r[x]) + 0.5) for x in range(len(r))], fill=(255, 255, 255), width=1)
            mine = np.asarray(img)
        tiles = [tile(np.repeat(grey[..., None], 3, axis=2)), tile(overlay(grey, theirs["pixel"])), tile(mine)]
        h = max(t.height for t in tiles)
        row = Image.new("RGB", (3 * TILE_W + 8, h + 14), (32, 32, 32))
        for i, t in enumerate(tiles):
            row.paste(t, (i * (TILE_W + 4), 14))
        ImageDraw.Draw(row).text((4, 1), f"{f.parent.name}/{f.name}   |   shipped 1.1.0   |   this model", fill=(230, 230, 230))
        rows.append(row)
    sheet = Image.new("RGB", (rows[0].width, sum(r.height for r in rows)), (32, 32, 32))
    y = 0
    for r in rows:
        sheet.paste(r, (0, y))
        y += r.height
    a.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(a.out, optimize=True)
    print(f"{len(rows)} scans -> {a.out} ({sheet.width}x{sheet.height})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
