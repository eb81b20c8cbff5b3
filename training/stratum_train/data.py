"""Data: VGG/VIA JSON -> class-index masks, image+PNG-mask folders, and the augmented crop dataset.

Masks use the canonical class order (0 background, 1 NFL, 2 GCL+IPL, 3 INL, 4 OPL, 5 ONL, 6 EZ, 7 RPE,
8 Choroid). Polygons are painted with PIL ImageDraw.polygon (fill = outline = class index) in file
order, later over earlier.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import torch
from PIL import Image, ImageDraw

from . import CLASS_ORDER, LABEL_ALIASES
from .augment import DEFAULTS as AUG_DEFAULTS
from .augment import pathology_and_device
from .surfaces import boundaries_from_mask

IMAGE_EXTS = (".jpeg", ".jpg", ".png", ".tif", ".tiff", ".bmp")



def label_to_class(label: str) -> int | None:
    return LABEL_ALIASES.get(str(label).strip().lower())


@dataclass
class Sample:
    stem: str
    image: np.ndarray  # uint8 H x W grey
    mask: np.ndarray  # uint8 H x W class indices


def load_grey(path: str | Path) -> np.ndarray:
    """Load an image as uint8 H x W grey (3-channel grey JPEGs -> luminance)."""
    with Image.open(path) as im:
        return np.asarray(im.convert("L"), dtype=np.uint8).copy()


def _regions(entry: dict) -> list[dict]:
    regions = entry.get("regions") or []
    if isinstance(regions, dict):
        # VIA 1.x: object keyed "0", "1", ... -> keep numeric order (= file order)
        keys = sorted(regions.keys(), key=lambda k: (0, int(k)) if str(k).isdigit() else (1, str(k)))
        return [regions[k] for k in keys]
    return list(regions)


Corrections = dict[tuple[str, int], tuple[int, int]]  # (filename, region index) -> (from class, to class)


def parse_vgg(
    json_path: str | Path, corrections: Corrections | None = None
) -> dict[str, list[tuple[int, list[float], list[float]]]]:
    """Return {filename: [(class_index, xs, ys), ...]} in file order. Unknown labels raise.

    `corrections` relabels single regions (index = position in the file's region list); each one
    must find the label it expects, so a corrections file never silently applies to other data.
    """
    data = json.loads(Path(json_path).read_text())
    pending = dict(corrections or {})
    if "_via_img_metadata" in data:  # VIA 2.x project file
        data = data["_via_img_metadata"]
    out: dict[str, list[tuple[int, list[float], list[float]]]] = {}
    for key, entry in data.items():
        name = entry.get("filename") or key
        polys = []
        for index, region in enumerate(_regions(entry)):
            shape = region.get("shape_attributes", {})
            attrs = region.get("region_attributes", {})
            label = attrs.get("label", attrs.get("name", ""))
            cls = label_to_class(label)
            if cls is None:
                raise ValueError(f"{name}: unknown label {label!r}")
            fix = pending.pop((name, index), None)
            if fix is not None:
                if fix[0] != cls:
                    raise ValueError(f"{name} region {index}: correction expects class {fix[0]}, file has {label!r}")
                cls = fix[1]
            xs, ys = shape.get("all_points_x"), shape.get("all_points_y")
            if shape.get("name", "polygon") not in ("polygon", "polyline") or not xs or len(xs) < 3:
                continue
            polys.append((cls, list(xs), list(ys)))
        out[name] = polys
    if pending:
        raise ValueError(f"corrections name regions that are not in {json_path}: {sorted(pending)}")
    return out


def load_corrections(path: str | Path) -> tuple[str, Corrections]:
    """Read a label-corrections file (written by `stratum convert audit`): (labels sha256, corrections)."""
    doc = json.loads(Path(path).read_text())
    out: Corrections = {}
    for c in doc["corrections"]:
        src, dst = label_to_class(c["from"]), label_to_class(c["to"])
        if src is None or dst is None:
            raise ValueError(f"{path}: unknown label in correction {c}")
        out[(c["file"], int(c["region"]))] = (src, dst)
    return doc["source"]["sha256"], out


def corrections_for(labels_path: Path, corrections_dir: Path) -> tuple[Path | None, Corrections]:
    """The corrections file in `corrections_dir` whose source hash matches `labels_path`, if any."""
    digest = hashlib.sha256(labels_path.read_bytes()).hexdigest()
    for f in sorted(corrections_dir.glob("*.json")) if corrections_dir.is_dir() else []:
        sha, corr = load_corrections(f)
        if sha == digest:
            return f, corr
    return None, {}


def rasterise(polys: Iterable[tuple[int, Sequence[float], Sequence[float]]], width: int, height: int) -> np.ndarray:
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    for cls, xs, ys in polys:
        draw.polygon(list(zip(xs, ys)), fill=cls, outline=cls)
    return np.asarray(canvas, dtype=np.uint8).copy()


def _find_image_dir(root: Path) -> Path:
    for cand in (root / "images", root):
        if cand.is_dir() and any(p.suffix.lower() in IMAGE_EXTS for p in cand.iterdir()):
            return cand
    raise FileNotFoundError(f"no images found under {root}")


def load_vgg_dataset(
    root: str | Path, labels: str = "labels-vgg.json", corrections: Corrections | None = None
) -> list[Sample]:
    """Load `<root>/labels-vgg.json` + images from `<root>/images/` (or `<root>/`)."""
    root = Path(root)
    polys = parse_vgg(root / labels, corrections)
    img_dir = _find_image_dir(root)
    samples = []
    for name in sorted(polys):
        path = img_dir / name
        if not path.exists():
            raise FileNotFoundError(path)
        img = load_grey(path)
        mask = rasterise(polys[name], img.shape[1], img.shape[0])
        samples.append(Sample(Path(name).stem, img, mask))
    return samples


def load_png_mask_dataset(images_dir: str | Path, masks_dir: str | Path | None = None) -> list[Sample]:
    """Folder of images + class-index PNG masks named `<stem>.png` (as `stratum convert vgg` writes).

    `masks_dir` defaults to `images_dir`; image files that have no mask are skipped.
    """
    images_dir = Path(images_dir)
    masks_dir = Path(masks_dir) if masks_dir else images_dir
    samples = []
    for p in sorted(images_dir.iterdir()):
        if p.suffix.lower() not in IMAGE_EXTS:
            continue
        m = masks_dir / f"{p.stem}.png"
        if not m.exists() or m.resolve() == p.resolve():
            continue
        img = load_grey(p)
        with Image.open(m) as mi:
            mask = np.asarray(mi.convert("L") if mi.mode not in ("L", "P") else mi, dtype=np.uint8).copy()
        if mask.shape != img.shape:
            raise ValueError(f"{p.name}: mask {mask.shape} != image {img.shape}")
        if mask.max() >= len(CLASS_ORDER):
            raise ValueError(f"{m.name}: pixel value {mask.max()} is not a class index")
        samples.append(Sample(p.stem, img, mask))
    if not samples:
        raise FileNotFoundError(f"no image/mask pairs in {images_dir} / {masks_dir}")
    return samples


CORRECTIONS_DIR = Path(__file__).resolve().parents[1] / "label-corrections"


def load_samples(cfg: dict) -> list[Sample]:
    """Samples for a run config. VGG labels get the reviewed corrections file that matches their hash
    (training/label-corrections/), unless `no_corrections`; cfg["corrections"] records which one."""
    if cfg.get("images_dir"):
        return load_png_mask_dataset(cfg["images_dir"], cfg.get("masks_dir"))
    corrections: Corrections = {}
    if not cfg.get("no_corrections"):
        found, corrections = corrections_for(Path(cfg["data"]) / "labels-vgg.json", CORRECTIONS_DIR)
        cfg["corrections"] = {"file": found.name, "regions": len(corrections)} if found else None
        if found:
            print(f"label corrections: {found.name} ({len(corrections)} regions relabelled)", flush=True)
    return load_vgg_dataset(cfg["data"], corrections=corrections)


def _stem_number(stem: str) -> int | None:
    m = re.search(r"(\d+)$", stem)
    return int(m.group(1)) if m else None


def split_samples(samples: list[Sample], val_prefix: str, val_lo: int, val_hi: int) -> tuple[list[Sample], list[Sample]]:
    """Validation = stems `<val_prefix><n>` with val_lo <= n <= val_hi (default NORMAL150-169)."""
    train, val = [], []
    for s in samples:
        n = _stem_number(s.stem)
        is_val = s.stem.startswith(val_prefix) and n is not None and val_lo <= n <= val_hi
        (val if is_val else train).append(s)
    return train, val


def pad_to_multiple(img: np.ndarray, multiple: int, value: float = 0.0) -> tuple[np.ndarray, tuple[int, int]]:
    """Pad bottom/right with `value` so H and W are multiples of `multiple` (the app's `pad` policy)."""
    h, w = img.shape[-2:]
    ph = (-h) % multiple
    pw = (-w) % multiple
    if ph or pw:
        pad = [(0, 0)] * (img.ndim - 2) + [(0, ph), (0, pw)]
        img = np.pad(img, pad, mode="constant", constant_values=value)
    return img, (h, w)


def to_input(img_u8: np.ndarray) -> np.ndarray:
    """uint8 H x W -> float32 H x W in [0, 1] (pixel / 255, the only normalisation)."""
    return img_u8.astype(np.float32) / 255.0


# ----------------------------------------------------------------------------------------- augmentation


class CropDataset(torch.utils.data.Dataset):
    """Random augmented crops; `length` crops per epoch. Deterministic given (seed, epoch, index).

    Items are (image 1 x c x c, mask c x c) or, with `surfaces`, also the boundary targets
    (rows 9 x c, valid 9 x c) and the device/pathology augmentations of augment.py."""

    def __init__(self, samples: list[Sample], crop: int, length: int, seed: int, aug: dict | None = None,
                 surfaces: bool = False) -> None:
        self.samples = samples
        self.crop = int(crop)
        self.length = int(length)
        self.seed = int(seed)
        self.epoch = 0
        a = {
            "flip": 0.5,
            "scale": [0.8, 1.25],
            "aspect": [0.9, 1.1],
            "retina_prob": 0.85,
            "gamma": [0.7, 1.5],
            "contrast": [0.75, 1.3],
            "brightness": [-0.1, 0.1],
            "speckle": [0.0, 0.25],
            "gauss": [0.0, 0.03],
            "aug_prob": 0.9,
        }
        self.surfaces = bool(surfaces)
        if self.surfaces:  # Model 2: other devices' aspect ratios and resolutions, pathology
            a.update({"scale": [0.7, 1.4], "aspect": [0.7, 1.45], **AUG_DEFAULTS})
        a.update(aug or {})
        self.aug = a
        # rows/cols covered by retina (non-background) per sample, to bias crop centres
        self.retina_px = [np.argwhere(s.mask > 0) for s in samples]

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: int):
        rng = np.random.default_rng([self.seed, self.epoch, index])
        a = self.aug
        k = int(rng.integers(len(self.samples)))
        s = self.samples[k]
        h, w = s.image.shape
        scale = math.exp(rng.uniform(math.log(a["scale"][0]), math.log(a["scale"][1])))
        aspect = math.exp(rng.uniform(math.log(a["aspect"][0]), math.log(a["aspect"][1])))
        # source window size (in original pixels) that maps to crop x crop after resizing
        sw = self.crop / (scale * math.sqrt(aspect))
        sh = self.crop / (scale / math.sqrt(aspect))
        pts = self.retina_px[k]
        if len(pts) and rng.random() < a["retina_prob"]:
            cy, cx = pts[int(rng.integers(len(pts)))]
            cy += rng.uniform(-0.25, 0.25) * sh
            cx += rng.uniform(-0.25, 0.25) * sw
        else:
            cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        x0 = float(np.clip(cx - sw / 2, -0.1 * sw, w - 0.9 * sw))
        y0 = float(np.clip(cy - sh / 2, -0.1 * sh, h - 0.9 * sh))
        box = (x0, y0, x0 + sw, y0 + sh)
        size = (self.crop, self.crop)
        img = Image.fromarray(s.image).transform(size, Image.EXTENT, box, resample=Image.BILINEAR, fillcolor=0)
        msk = Image.fromarray(s.mask).transform(size, Image.EXTENT, box, resample=Image.NEAREST, fillcolor=0)
        x = np.asarray(img, dtype=np.float32) / 255.0
        y = np.asarray(msk, dtype=np.int64)
        if rng.random() < a["flip"]:
            x = x[:, ::-1]
            y = y[:, ::-1]
        y_surf = y
        if self.surfaces:
            x, y, y_surf = pathology_and_device(np.ascontiguousarray(x), np.ascontiguousarray(y), rng, a)
        if rng.random() < a["aug_prob"]:
            g = math.exp(rng.uniform(math.log(a["gamma"][0]), math.log(a["gamma"][1])))
            x = np.power(np.clip(x, 0, 1), g)
            c = rng.uniform(*a["contrast"])
            m = float(x.mean())
            x = (x - m) * c + m + rng.uniform(*a["brightness"])
            sp = rng.uniform(*a["speckle"])
            if sp > 0:
                x = x * (1.0 + sp * rng.standard_normal(x.shape).astype(np.float32))
            gs = rng.uniform(*a["gauss"])
            if gs > 0:
                x = x + gs * rng.standard_normal(x.shape).astype(np.float32)
            x = np.clip(x, 0.0, 1.0)
        x = np.ascontiguousarray(x, dtype=np.float32)[None]
        y = np.ascontiguousarray(y)
        if not self.surfaces:
            return torch.from_numpy(x), torch.from_numpy(y)
        rows, valid = boundaries_from_mask(np.ascontiguousarray(y_surf))
        return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(rows), torch.from_numpy(valid)
