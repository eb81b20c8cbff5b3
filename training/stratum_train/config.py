"""One run configuration: a dataclass whose fields generate the command-line options.

Each field is written once: its default here, its help in `opt(...)`; `build_parser()` derives the
argparse option (`--field-name`, or the field's `flag`), booleans become switches, lists take
comma-separated values. Fields with `cli=False` are set only in config.json (e.g. augmentation).
"""
from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DATA = str(Path(__file__).resolve().parents[3] / "shared" / "data" / "octid-deepeye")


def opt(default: Any, help: str = "", *, type: Any = None, flag: str | None = None, cli: bool = True) -> Any:
    meta = {"help": help, "type": type, "flag": flag, "cli": cli}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda d=default: type_copy(d), metadata=meta)
    return field(default=default, metadata=meta)


def type_copy(v):
    return list(v) if isinstance(v, list) else dict(v)


@dataclass
class TrainConfig:
    data: str = opt(DEFAULT_DATA, "folder with labels-vgg.json and images/")
    images_dir: str | None = opt(None, "alternative: folder of images + <stem>.png class masks", type=str)
    masks_dir: str | None = opt(None, "masks folder for --images-dir (default: same folder)", type=str)
    val_prefix: str = opt("NORMAL", "validation stems: <prefix><n>, never trained on")
    val_lo: int = opt(150, "first validation number")
    val_hi: int = opt(169, "last validation number")
    widths: list = opt([8, 16, 32, 64, 128], "UNet widths per level, comma-separated", type=int)
    dropout: float = opt(0.05, "spatial dropout at the top level (rises with depth)")
    batchnorm: bool = opt(True, "disable BatchNorm", flag="--no-bn")
    num_classes: int = opt(9, cli=False)
    surfaces: bool = opt(False, "add the surface head (9 ordered boundary rows per column) and its losses, "
                         "plus the device/pathology augmentations")
    crop: int = opt(256, "training crop size (px)")
    batch: int = opt(4, "crops per step")
    steps_per_epoch: int = opt(50, "optimiser steps per epoch")
    epochs: int | None = opt(None, "fixed epoch count (default: sized to --max-minutes)", type=int)
    max_minutes: float | None = opt(None, "wall-clock budget; sizes epochs + LR schedule, stops cleanly", type=float)
    lr: float = opt(3e-3, "peak learning rate (AdamW)")
    min_lr: float = opt(3e-5, "learning rate at the end of the cosine decay")
    warmup_steps: int = opt(50, "linear warm-up steps")
    weight_decay: float = opt(1e-4, "AdamW weight decay")
    dice_weight: float = opt(1.0, "weight of the soft Dice loss")
    ce_weight: float = opt(1.0, "weight of the pixel cross-entropy")
    surface_l1: float = opt(0.05, "weight of the boundary-row smooth L1 loss (per px)")
    surface_dist: float = opt(0.1, "weight of the per-column depth-distribution cross-entropy")
    surface_smooth: float = opt(0.05, "weight of the neighbouring-column smoothness loss (per px)")
    init_onnx: str | None = opt(None, "start from a shipped model.onnx of the same widths (BN folded)", type=str)
    seed: int = opt(0, "random seed")
    threads: int = opt(2, "torch intra-op threads")
    device: str = opt("auto", "auto | cpu | cuda")
    amp: bool = opt(False, "mixed precision (CUDA only)")
    val_every: int = opt(2, "validate every N epochs")
    workers: int = opt(0, "DataLoader worker processes (use 4-8 on CUDA)")
    no_corrections: bool = opt(False, "train on the labels exactly as annotated (skip training/label-corrections/)")
    aug: dict = opt({}, cli=False)
    smoke: bool = opt(False, cli=False)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


# options a resumed run may change (everything else comes from the run's config.json)
RESUME_OVERRIDES = ("threads", "epochs", "max_minutes", "workers", "device")


def add_config_options(p: argparse.ArgumentParser, defaults: TrainConfig | None = None) -> None:
    defaults = defaults or TrainConfig()
    for f in dataclasses.fields(TrainConfig):
        m = f.metadata
        if not m.get("cli", True):
            continue
        default = getattr(defaults, f.name)
        name = m.get("flag") or "--" + f.name.replace("_", "-")
        if isinstance(default, bool):
            p.add_argument(name, dest=f.name, action="store_false" if default else "store_true", help=m["help"])
        elif isinstance(default, list):
            conv = m.get("type") or str
            p.add_argument(name, dest=f.name, type=lambda s, c=conv: [c(v) for v in s.split(",")],
                           default=default, help=f"{m['help']} (default {','.join(map(str, default))})")
        else:
            p.add_argument(name, dest=f.name, type=m.get("type") or type(default), default=default,
                           help=f"{m['help']} (default {default})")


def config_from_namespace(a: argparse.Namespace) -> TrainConfig:
    names = {f.name for f in dataclasses.fields(TrainConfig)}
    return TrainConfig(**{k: v for k, v in vars(a).items() if k in names})


def explicit_options(p: argparse.ArgumentParser, argv: list[str] | None) -> set[str]:
    """Destinations the user actually passed (to let a resumed run override only those)."""
    q = argparse.ArgumentParser(add_help=False)
    for action in p._actions:
        if action.option_strings and action.dest != "help":
            kw = {"dest": action.dest, "default": argparse.SUPPRESS}
            if action.nargs == 0:
                q.add_argument(*action.option_strings, action="store_const", const=True, **kw)
            else:
                q.add_argument(*action.option_strings, **kw)
    return set(vars(q.parse_known_args(argv)[0]).keys())
