"""UNet with configurable widths, BatchNorm, dropout and transposed-conv upsampling.

Input: N x 1 x H x W float (pixel / 255), H and W multiples of 2**(len(widths)-1).
Output: N x num_classes x H x W logits (no softmax; the app applies argmax/softmax).
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


class UNet(nn.Module):
    def __init__(
        self,
        in_channels: int = 1,
        num_classes: int = 9,
        widths: Sequence[int] = (8, 16, 32, 64, 128),
        dropout: float = 0.05,
        batchnorm: bool = True,
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

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for i, block in enumerate(self.down):
            x = block(x)
            if i < len(self.down) - 1:
                skips.append(x)
                x = self.pool(x)
        for up, block in zip(self.up, self.up_blocks):
            x = up(x)
            x = block(torch.cat([x, skips.pop()], dim=1))
        return self.head(x)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def build_model(cfg: dict) -> UNet:
    return UNet(
        in_channels=1,
        num_classes=int(cfg.get("num_classes", 9)),
        widths=tuple(cfg.get("widths", (8, 16, 32, 64, 128))),
        dropout=float(cfg.get("dropout", 0.05)),
        batchnorm=bool(cfg.get("batchnorm", True)),
    )


def load_checkpoint(path, map_location="cpu") -> dict:
    """torch.load for our own checkpoints (PyTorch >= 2.6 defaults to weights_only=True)."""
    import inspect

    if "weights_only" in inspect.signature(torch.load).parameters:
        return torch.load(path, map_location=map_location, weights_only=False)
    return torch.load(path, map_location=map_location)
