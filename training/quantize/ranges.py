"""Activation ranges from calibrate.mjs's statistics: min-max, a percentile, or KL-divergence (entropy).

The statistics hold, per tensor, the exact min and max over the calibration images and a histogram of
`bins` equal bins over [min, max] (calibrate.mjs runs twice: ranges first, then histograms).
"""
from __future__ import annotations

import numpy as np


def _edges(s: dict) -> np.ndarray:
    return np.linspace(s['min'], s['max'], len(s['hist']) + 1)


def minmax(s: dict) -> tuple[float, float]:
    return float(s['min']), float(s['max'])


def percentile(s: dict, p: float) -> tuple[float, float]:
    """Symmetric tails: the (100-p)th and pth percentiles, never narrower than 0 on either side."""
    h = np.asarray(s['hist'], np.float64)
    c = np.cumsum(h) / h.sum()
    e = _edges(s)
    tail = (100.0 - p) / 100.0
    lo = e[int(np.searchsorted(c, tail, side='left'))] if s['min'] < 0 else 0.0
    hi = e[int(np.searchsorted(c, 1.0 - tail, side='left')) + 1]
    return float(min(0.0, lo)), float(max(0.0, hi))


def entropy(s: dict, levels: int = 256) -> tuple[float, float]:
    """The clip threshold minimising KL(P || Q) of the quantised distribution (TensorRT's method), for the
    positive side; a tensor with negatives keeps its min-max low end (those are the few skip tensors)."""
    h = np.asarray(s['hist'], np.float64)
    e = _edges(s)
    zero = int(np.searchsorted(e, 0.0, side='right')) - 1 if s['min'] < 0 else 0
    pos = h[zero:].copy()
    # the bin holding exact zeros (ReLU outputs, zero padding) is exact in any range: it only skews the
    # comparison of the spread-out levels, so it is left out
    pos[0] = 0
    best, best_i = np.inf, len(pos)
    for i in range(levels, len(pos) + 1, max(1, (len(pos) - levels) // 256 or 1)):
        # P: the clipped distribution with the outliers folded into its last bin; Q: the `levels`
        # quantised version of the in-range bins only (TensorRT's construction: Q never sees the tail)
        raw = pos[:i]
        p = raw.copy()
        p[-1] += pos[i:].sum()
        nz = p > 0
        chunks = np.array_split(np.arange(i), levels)
        q = np.zeros(i)
        for ch in chunks:
            m = raw[ch] > 0
            if m.any():
                q[ch[m]] = raw[ch].sum() / m.sum()
        pn, qn = p / p.sum(), q / max(q.sum(), 1e-30)
        kl = float(np.sum(pn[nz] * np.log(pn[nz] / np.maximum(qn[nz], 1e-12))))
        if kl < best:
            best, best_i = kl, i
    hi = e[zero + best_i] if zero + best_i < len(e) else e[-1]
    return float(min(0.0, s['min'])), float(max(0.0, hi))


def ranges_for(stats: dict, method: str, input_range: tuple[float, float], pct: float = 99.99) -> dict[str, tuple[float, float]]:
    out = {}
    for name, s in stats['tensors'].items():
        if method == 'minmax':
            out[name] = minmax(s)
        elif method == 'percentile':
            out[name] = percentile(s, pct)
        elif method == 'entropy':
            out[name] = entropy(s)
        else:
            raise ValueError(f'unknown calibration method {method!r}')
    # the input's range is exact from the card's normalisation (0-255 grey, zero padding), whatever the
    # calibration images held
    out[stats['input']] = input_range
    return out
