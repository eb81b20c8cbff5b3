"""Record `stratum evaluate` results (JSON from `--out`) in a model card, so the card carries what ships.

    python -m stratum_train.card --model ../resources/models/stratum-unet-light \\
        --eval validationThroughEngine=evaluation-validation.json \\
        --eval validationRawLabels=evaluation-validation-raw.json \\
        --eval humanInterRater=evaluation-second-annotator.json

Each file is copied beside the card (if it is not there already) and summarised under metrics.<key>.
"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path


def summarise_evaluation(report: dict, file_name: str) -> dict:
    layers = report["layers"]
    scored = [lay for lay in layers if lay.get("iou") is not None]
    return {
        "source": f"stratum evaluate: {report['predictor']} vs {report['reference']}",
        "images": report["images"],
        f"meanIoU{len(scored)}": round(report["meanIoU"], 4),
        "perLayerIoU": {lay["layer"]: None if lay.get("iou") is None else round(lay["iou"], 4) for lay in layers},
        "backgroundIoU": None if report.get("backgroundIoU") is None else round(report["backgroundIoU"], 4),
        "pixelAccuracy": round(report["pixelAccuracy"], 4),
        "meanBoundaryErrorPx": {
            lay["layer"]: None if lay.get("boundaryErrorPx") is None else round(lay["boundaryErrorPx"], 2) for lay in layers
        },
        "file": file_name,
    }


def record(model_dir: Path, evaluations: dict[str, Path]) -> dict:
    card_path = model_dir / "model.json"
    card = json.loads(card_path.read_text())
    metrics = card.get("metrics") or {}
    for key, path in evaluations.items():
        target = model_dir / path.name
        if path.resolve() != target.resolve():
            shutil.copyfile(path, target)
        metrics[key] = summarise_evaluation(json.loads(target.read_text()), target.name)
    card["metrics"] = metrics
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    return card


def record_device_lines(model_dir: Path, path: Path) -> dict:
    """Record a `stratum evaluate --against-device --out` report under metrics.deviceLines."""
    card_path = model_dir / "model.json"
    card = json.loads(card_path.read_text())
    target = model_dir / path.name
    if path.resolve() != target.resolve():
        shutil.copyfile(path, target)
    report = json.loads(target.read_text())
    card.setdefault("metrics", {})["deviceLines"] = {
        "source": f"stratum evaluate --against-device: {report['predictor']}",
        "method": report["method"],
        "files": {Path(f["file"]).name: {"kind": f["kind"], **{l["line"]: {k: l[k] for k in ("maePx", "maeUm", "meanSignedPx", "found")}
                                                             for l in f["lines"]}} for f in report["files"]},
        "file": target.name,
    }
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    return card


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True, help="model folder holding model.json")
    p.add_argument("--eval", action="append", default=[], metavar="KEY=FILE", help="metrics key and a `stratum evaluate --out` JSON")
    p.add_argument("--device-lines", type=Path, help="a `stratum evaluate --against-device --out` report to record under metrics.deviceLines")
    a = p.parse_args(argv)
    evaluations = {}
    for item in a.eval:
        key, _, file = item.partition("=")
        if not key or not file:
            p.error(f"--eval expects KEY=FILE, got {item!r}")
        evaluations[key] = Path(file)
    card = record(a.model, evaluations)
    if a.device_lines:
        card = record_device_lines(a.model, a.device_lines)
    for key in evaluations:
        m = card["metrics"][key]
        mean = next(v for k, v in m.items() if k.startswith("meanIoU"))
        print(f"{key}: mean IoU {mean} over {m['images']} images", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
