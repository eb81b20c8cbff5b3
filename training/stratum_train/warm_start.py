"""Start a run from a shipped ONNX model (BatchNorm folded into its convolutions at export).

The folded convolution weights go into the UNet's convolutions; each BatchNorm is then set so that it
reproduces the folded network in both modes: its running statistics and affine parameters are
calibrated on a few training crops (running mean m and variance v of the conv output z, weight
sqrt(v + eps), bias = folded bias + m), so BN(z) = z + folded bias in eval mode and, with batch
statistics close to (m, v), in train mode too. New parts (the surface head) keep their random init.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


def _onnx_weights(path: Path) -> tuple[list[tuple], list[tuple]]:
    import onnx
    from onnx import numpy_helper

    g = onnx.load(str(path)).graph
    init = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in g.initializer}
    convs, ups = [], []
    for node in g.node:
        if node.op_type in ("Conv", "ConvTranspose"):
            w = init[node.input[1]]
            b = init[node.input[2]] if len(node.input) > 2 else None
            (convs if node.op_type == "Conv" else ups).append((w, b))
    return convs, ups


@torch.no_grad()
def init_from_onnx(model: nn.Module, onnx_path: Path, calibration: list[torch.Tensor]) -> int:
    """Load `onnx_path` into `model` (same widths); returns the number of tensors copied."""
    convs, ups = _onnx_weights(Path(onnx_path))
    skip = set(id(m) for m in model.surface_head.modules()) if getattr(model, "surface_head", None) else set()
    t_convs = [m for m in model.modules() if isinstance(m, nn.Conv2d) and id(m) not in skip]
    t_ups = [m for m in model.modules() if isinstance(m, nn.ConvTranspose2d)]
    if len(t_convs) != len(convs) or len(t_ups) != len(ups):
        raise ValueError(f"{onnx_path}: {len(convs)} conv / {len(ups)} deconv layers, model has "
                         f"{len(t_convs)} / {len(t_ups)} (different widths?)")
    # the BatchNorm following each conv, in module order (Sequential conv -> bn -> relu ...)
    following_bn: dict[int, nn.BatchNorm2d] = {}
    prev = None
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d) and prev is not None:
            following_bn[id(prev)] = m
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            prev = m
    folded_bias: dict[int, torch.Tensor] = {}
    copied = 0
    for mod, (w, b) in list(zip(t_convs, convs)) + list(zip(t_ups, ups)):
        if tuple(mod.weight.shape) != tuple(w.shape):
            raise ValueError(f"{onnx_path}: weight {tuple(w.shape)} does not fit layer {tuple(mod.weight.shape)}")
        mod.weight.copy_(w)
        copied += 1
        bn = following_bn.get(id(mod))
        if mod.bias is not None:
            mod.bias.copy_(b if b is not None else torch.zeros_like(mod.bias))
        elif bn is not None:
            folded_bias[id(bn)] = b if b is not None else torch.zeros(w.shape[0])
            bn.weight.fill_(1.0)
            bn.bias.copy_(folded_bias[id(bn)])
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
    # calibrate: record the conv outputs z (input of each BN) of the folded network in eval mode
    stats: dict[int, list[torch.Tensor]] = {id(bn): [] for bn in following_bn.values() if id(bn) in folded_bias}
    hooks = [bn.register_forward_pre_hook(lambda m, inp: stats[id(m)].append(inp[0].detach()))
             for bn in following_bn.values() if id(bn) in stats]
    was_training = model.training
    model.eval()
    for x in calibration:
        model(x)
    for h in hooks:
        h.remove()
    for bn in following_bn.values():
        if id(bn) not in stats:
            continue
        z = torch.cat([t.transpose(0, 1).reshape(t.shape[1], -1) for t in stats[id(bn)]], dim=1)
        m, v = z.mean(1), z.var(1, unbiased=False)
        bn.running_mean.copy_(m)
        bn.running_var.copy_(v)
        bn.weight.copy_(torch.sqrt(v + bn.eps))
        bn.bias.copy_(folded_bias[id(bn)] + m)
    model.train(was_training)
    return copied
