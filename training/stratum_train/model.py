"""UNet with configurable widths, BatchNorm, dropout and transposed-conv upsampling.

Input: N x 1 x H x W float (pixel / 255), H and W multiples of 2**(len(widths)-1).
Output: N x num_classes x H x W logits (no softmax; the app applies argmax/softmax), and with the
surface head (`surfaces=True`) also N x 9 x W boundary rows (see SurfaceHead).
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn


def _conv_block(cin: int, cout: int, dropout: float, bn: bool) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Conv2d(cin, cout, 3, padding=1, bias=not bn)]
    if bn:
        layers.append(nn.BatchNorm2d(cout))
    layers.append(nn.ReLU(inplace=True))
    if dropout > 0:
        layers.append(nn.Dropout2d(dropout))
    layers.append(nn.Conv2d(cout, cout, 3, padding=1, bias=not bn))
    if bn:
        layers.append(nn.BatchNorm2d(cout))
    layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


def _dropout_for_level(level: int, depth: int, base: float) -> float:
    # Keras original used 0.1 at the shallow levels and 0.2-0.3 deeper; scale from `base`.
    if base <= 0:
        return 0.0
    return base * (1.0 + 2.0 * level / max(1, depth - 1))


class SurfaceHead(nn.Module):
    """Boundary regression beside the pixel head (after He et al., MICCAI 2019 / MedIA 68:101856, 2021).

    A 3x1 (vertical) convolution over the last decoder features and the pixel logits gives, for each of
    the 9 boundaries, a score per pixel; a softmax over depth turns each column into a distribution and
    its expectation (soft-argmax) is a sub-pixel row. Ordering holds by construction: boundary k is
    boundary k-1 plus a non-negative increment, relu(raw_k - boundary_{k-1}). Rows are pixel-centre
    coordinates of the (padded) input, so a boundary at r lies between pixel rows floor(r) and ceil(r).
    """

    def __init__(self, features: int, num_classes: int, num_boundaries: int = 9) -> None:
        super().__init__()
        self.score = nn.Conv2d(features + num_classes, num_boundaries, (3, 1), padding=(1, 0))

    def forward(self, feats: torch.Tensor, logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        score = self.score(torch.cat([feats, logits], dim=1))  # N x K x H x W
        prob = torch.softmax(score, dim=2)
        rows = torch.arange(score.shape[2], dtype=score.dtype, device=score.device).view(1, 1, -1, 1)
        raw = (prob * rows).sum(dim=2)  # N x K x W, unordered soft-argmax
        ordered = [raw[:, 0]]
        for k in range(1, raw.shape[1]):
            ordered.append(ordered[-1] + torch.relu(raw[:, k] - ordered[-1]))
        return torch.stack(ordered, dim=1), score


class UNet(nn.Module):
    def __init__(
        self,
        in_channels: int = 1,
        num_classes: int = 9,
        widths: Sequence[int] = (8, 16, 32, 64, 128),
        dropout: float = 0.05,
        batchnorm: bool = True,
        surfaces: bool = False,
    ) -> None:
        super().__init__()
        widths = list(widths)
        depth = len(widths)
        self.widths = widths
        self.multiple = 2 ** (depth - 1)
        self.down = nn.ModuleList()
        cin = in_channels
        for i, w in enumerate(widths):
            self.down.append(_conv_block(cin, w, _dropout_for_level(i, depth, dropout), batchnorm))
            cin = w
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ModuleList()
        self.up_blocks = nn.ModuleList()
        for i in range(depth - 2, -1, -1):
            self.up.append(nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2))
            self.up_blocks.append(
                _conv_block(2 * widths[i], widths[i], _dropout_for_level(i, depth, dropout), batchnorm)
            )
        self.head = nn.Conv2d(widths[0], num_classes, 1)
        self.surface_head = SurfaceHead(widths[0], num_classes) if surfaces else None
        # training reads the per-pixel boundary scores too (for the distribution loss); export does not
        self.return_scores = False

    def forward(self, x: torch.Tensor):
        skips = []
        for i, block in enumerate(self.down):
            x = block(x)
            if i < len(self.down) - 1:
                skips.append(x)
                x = self.pool(x)
        for up, block in zip(self.up, self.up_blocks):
            x = up(x)
            x = block(torch.cat([x, skips.pop()], dim=1))
        logits = self.head(x)
        if self.surface_head is None:
            return logits
        surfaces, score = self.surface_head(x, logits)
        return (logits, surfaces, score) if self.return_scores else (logits, surfaces)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def build_model(cfg: dict) -> UNet:
    return UNet(
        in_channels=1,
        num_classes=int(cfg.get("num_classes", 9)),
        widths=tuple(cfg.get("widths", (8, 16, 32, 64, 128))),
        dropout=float(cfg.get("dropout", 0.05)),
        batchnorm=bool(cfg.get("batchnorm", True)),
        surfaces=bool(cfg.get("surfaces", False)),
    )


def load_checkpoint(path, map_location="cpu") -> dict:
    """torch.load for our own checkpoints (PyTorch >= 2.6 defaults to weights_only=True)."""
    import inspect

    if "weights_only" in inspect.signature(torch.load).parameters:
        return torch.load(path, map_location=map_location, weights_only=False)
    return torch.load(path, map_location=map_location)
