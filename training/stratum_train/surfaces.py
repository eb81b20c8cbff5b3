"""Boundary rows per column derived from class-index masks, and the surface decode.

Boundary k (k = 0..7) is the upper edge of class k+1, boundary 8 the lower edge of class 8 (the
choroid). Rows are pixel-centre coordinates: an edge between pixel rows y-1 and y lies at y - 0.5.
A layer absent from a column (the NFL and GCL+IPL at the foveal pit) has zero thickness there: its
upper edge is the upper edge of the next layer that is present, a real target (were it left out, the
head would learn no thickness at all for absent layers and draw a false NFL across the pit). A
boundary is undefined in a column (valid = False) only when no layer at or below it is there, or the
edge is the image border (a crop cut the layer). The decode is the inverse: a pixel at row r lies in class
#{k : boundary_k < r} when that count is 1..8, else in the background.
"""
from __future__ import annotations

import numpy as np

from . import NUM_BOUNDARIES, NUM_CLASSES


def boundaries_from_mask(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mask H x W class indices -> (rows K x W float32, valid K x W bool)."""
    h, w = mask.shape
    rows = np.zeros((NUM_BOUNDARIES, w), dtype=np.float32)
    valid = np.zeros((NUM_BOUNDARIES, w), dtype=bool)
    idx = np.arange(h)[:, None]
    for k in range(NUM_BOUNDARIES - 1):
        cls = k + 1
        below = mask >= cls  # classes are ordered top to bottom, so "cls or deeper" starts at the edge
        present = below.any(0)
        first = np.where(present, np.argmax(below, axis=0), h)
        rows[k] = first - 0.5
        valid[k] = present & (first > 0)
    last_cls = NUM_CLASSES - 1
    inside = mask == last_cls
    last = np.where(inside.any(0), h - 1 - np.argmax(inside[::-1], axis=0), -1)
    rows[-1] = last + 0.5
    below_ok = np.zeros(w, dtype=bool)
    ok = (last >= 0) & (last < h - 1)
    below_ok[ok] = mask[last[ok] + 1, np.nonzero(ok)[0]] == 0
    valid[-1] = ok & below_ok
    del idx
    return rows, valid


def decode_surfaces(rows: np.ndarray, height: int) -> np.ndarray:
    """rows K x W (ordered) -> H x W class indices from the surfaces alone."""
    r = np.arange(height, dtype=np.float32)[None, :, None]
    count = (rows[:, None, :] < r).sum(0)
    return np.where((count >= 1) & (count <= NUM_CLASSES - 1), count, 0).astype(np.uint8)


def combine(pixel_classes: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The app's decode: layers from the surfaces where the pixel head sees tissue; where it says
    background (a hole, fluid, a detachment inside the band) the pixel stays unlabelled (0)."""
    layers = decode_surfaces(rows, pixel_classes.shape[0])
    return np.where(pixel_classes == 0, 0, layers).astype(np.uint8)
