"""Cheap CPU augmentations that imitate other devices and pathology, applied to a 2-D crop.

Geometric ones (elastic deformation, drusen-like RPE elevations) move image and mask with the same
sampling grid, so labels deform consistently. Cyst-like dark blobs inside the retina are labelled
background in the pixel mask (fluid is not tissue), while the boundary targets are taken from the mask
before the blobs, so the surfaces learn to run through them. Each function takes a numpy Generator.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage

RPE, CHOROID = 7, 8

DEFAULTS = {
    "elastic_prob": 0.3, "elastic_alpha": [2.0, 8.0], "elastic_grid": 6,
    "drusen_prob": 0.25, "drusen_height": [3.0, 14.0], "drusen_width": [8.0, 30.0],
    "cyst_prob": 0.25, "cyst_count": [1, 4], "cyst_radius": [3.0, 16.0],
    "display_prob": 0.3, "blur_prob": 0.25, "blur_sigma": [0.4, 1.5], "resolution_prob": 0.2,
    "resolution": [0.4, 0.8],
}


def _warp(x: np.ndarray, y: np.ndarray, dy: np.ndarray, dx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample image (bilinear) and mask (nearest) at (row + dy, col + dx)."""
    h, w = x.shape
    rr, cc = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32), indexing="ij")
    coords = np.stack([rr + dy, cc + dx])
    xw = ndimage.map_coordinates(x, coords, order=1, mode="constant", cval=0.0)
    yw = ndimage.map_coordinates(y.astype(np.float32), coords, order=0, mode="constant", cval=0.0)
    return xw.astype(np.float32), yw.astype(np.int64)


def elastic_field(shape, rng: np.random.Generator, alpha: float, grid: int) -> tuple[np.ndarray, np.ndarray]:
    """Smooth random displacement (px): a coarse random grid upsampled with cubic interpolation."""
    h, w = shape
    coarse = rng.standard_normal((2, grid, grid)).astype(np.float32) * alpha
    up = [np.asarray(Image.fromarray(c, mode="F").resize((w, h), Image.BICUBIC), dtype=np.float32) for c in coarse]
    return up[0], up[1]


def drusen_field(y: np.ndarray, rng: np.random.Generator, height, width) -> tuple[np.ndarray, np.ndarray] | None:
    """Vertical displacement that lifts everything above the RPE by a dome A(x) and stretches the RPE
    band over it (Bruch's membrane and below stay put): a drusen-like RPE elevation. Returns
    (dy, stretched band mask) or None when the crop shows no RPE."""
    h, w = y.shape
    has_rpe = (y == RPE).any(0)
    if has_rpe.sum() < 10:
        return None
    cols = np.nonzero(has_rpe)[0]
    top = np.argmax(y == RPE, axis=0).astype(np.float32)  # first RPE row
    bottom = (h - np.argmax((y == RPE)[::-1], axis=0)).astype(np.float32)  # one past the last RPE row
    a = np.zeros(w, dtype=np.float32)
    xs = np.arange(w, dtype=np.float32)
    for _ in range(int(rng.integers(1, 4))):
        x0 = float(cols[int(rng.integers(len(cols)))])
        sigma = rng.uniform(*width) / 2
        a = np.maximum(a, rng.uniform(*height) * np.exp(-0.5 * ((xs - x0) / sigma) ** 2))
    a[~has_rpe] = 0
    rr = np.arange(h, dtype=np.float32)[:, None]
    lifted_top = top[None, :] - a[None, :]
    src = np.where(rr < lifted_top, rr + a[None, :], rr)
    band = (rr >= lifted_top) & (rr < bottom[None, :])
    span = np.maximum(bottom[None, :] - lifted_top, 1.0)
    # rows [top - A, bottom) sample input rows [top, bottom): the RPE stretches over the elevation
    src = np.where(band, top[None, :] + (rr - lifted_top) * (bottom - top)[None, :] / span, src)
    return (src - rr).astype(np.float32), band & (a[None, :] > 0.5)


def add_cysts(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, count, radius) -> tuple[np.ndarray, np.ndarray]:
    """Dark, soft-edged ellipses centred in INL/OPL/ONL; inside the retina they become background."""
    pts = np.argwhere((y >= 3) & (y <= 5))
    if not len(pts):
        return x, y
    h, w = x.shape
    rr, cc = np.mgrid[0:h, 0:w].astype(np.float32)
    x, y = x.copy(), y.copy()
    for _ in range(int(rng.integers(count[0], count[1] + 1))):
        cy, cx = pts[int(rng.integers(len(pts)))]
        ry = rng.uniform(radius[0], radius[1]) * rng.uniform(0.5, 1.0)
        rx = rng.uniform(radius[0], radius[1]) * rng.uniform(1.0, 2.0)
        d = np.sqrt(((rr - cy) / ry) ** 2 + ((cc - cx) / rx) ** 2)
        weight = np.clip((1.15 - d) / 0.3, 0.0, 1.0)  # soft rim
        darkness = rng.uniform(0.05, 0.35)
        x = x * (1 - weight) + x * darkness * weight
        y[(d < 1.0) & (y >= 1) & (y <= RPE)] = 0
    return x.astype(np.float32), y


def device_display(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Re-display a log-compressed (Cirrus-like) image as another device would: linearise it with a
    random dynamic range, then apply the Spectralis display transform (log(x + 2.44e-4) + 8.3) / 8.285
    or the x ** 0.25 transform common for raw .vol data."""
    dyn = rng.uniform(4.0, 9.0)  # nepers of dynamic range assumed for the 0..1 display scale
    lin = np.exp((np.clip(x, 0, 1) - 1.0) * dyn)
    if rng.random() < 0.5:
        out = (np.log(lin + 2.44e-4) + 8.3) / 8.285
    else:
        out = lin ** 0.25
    return np.clip(out, 0, 1).astype(np.float32)


def blur(x: np.ndarray, rng: np.random.Generator, sigma) -> np.ndarray:
    im = Image.fromarray(np.clip(x * 255, 0, 255).astype(np.uint8))
    return np.asarray(im.filter(ImageFilter.GaussianBlur(rng.uniform(*sigma))), dtype=np.float32) / 255.0


def lower_resolution(x: np.ndarray, rng: np.random.Generator, factor) -> np.ndarray:
    """Down- then up-sample (a coarser A-scan spacing or axial resolution), independently per axis."""
    h, w = x.shape
    fy, fx = (rng.uniform(*factor), 1.0) if rng.random() < 0.5 else (1.0, rng.uniform(*factor))
    im = Image.fromarray(x.astype(np.float32), mode="F")
    small = im.resize((max(8, int(w * fx)), max(8, int(h * fy))), Image.BILINEAR)
    return np.asarray(small.resize((w, h), Image.BILINEAR), dtype=np.float32)


def pathology_and_device(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, a: dict
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Returns (image, pixel mask, mask for the boundary targets)."""
    dy = np.zeros_like(x)
    dx = np.zeros_like(x)
    moved = False
    if rng.random() < a["elastic_prob"]:
        ey, ex = elastic_field(x.shape, rng, rng.uniform(*a["elastic_alpha"]), int(a["elastic_grid"]))
        dy, dx, moved = dy + ey, dx + ex, True
    band = None
    if rng.random() < a["drusen_prob"]:
        res = drusen_field(y, rng, a["drusen_height"], a["drusen_width"])
        if res is not None:
            # drusen first (on the crop's own RPE), elastic on top: compose by adding (small fields)
            dy, band, moved = dy + res[0], res[1], True
    if moved:
        x, y = _warp(x, y, dy, dx)
        if band is not None:  # drusen material under the lifted RPE is less reflective than the RPE
            x = np.where(band & (y == RPE), x * rng.uniform(0.55, 0.9), x).astype(np.float32)
    y_surfaces = y
    if rng.random() < a["cyst_prob"]:
        x, y = add_cysts(x, y, rng, a["cyst_count"], a["cyst_radius"])
    if rng.random() < a["display_prob"]:
        x = device_display(x, rng)
    if rng.random() < a["resolution_prob"]:
        x = lower_resolution(x, rng, a["resolution"])
    if rng.random() < a["blur_prob"]:
        x = blur(x, rng, a["blur_sigma"])
    return x, y, y_surfaces


__all__ = ["DEFAULTS", "pathology_and_device"]
