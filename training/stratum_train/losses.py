"""Cross-entropy + soft multi-class Dice."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def soft_dice_loss(logits: torch.Tensor, target: torch.Tensor, eps: float = 1.0) -> torch.Tensor:
    """1 - mean over classes of soft Dice, computed over the whole batch (classes absent from both
    prediction and target contribute ~1 via eps, so they do not blow up)."""
    num_classes = logits.shape[1]
    probs = torch.softmax(logits.float(), dim=1)
    onehot = F.one_hot(target, num_classes).permute(0, 3, 1, 2).to(probs.dtype)
    dims = (0, 2, 3)
    inter = (probs * onehot).sum(dims)
    denom = probs.sum(dims) + onehot.sum(dims)
    dice = (2 * inter + eps) / (denom + eps)
    return 1.0 - dice.mean()


class DiceCELoss(nn.Module):
    def __init__(self, dice_weight: float = 1.0, ce_weight: float = 1.0) -> None:
        super().__init__()
        self.dice_weight = dice_weight
        self.ce_weight = ce_weight

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, dict]:
        ce = F.cross_entropy(logits.float(), target)
        dice = soft_dice_loss(logits, target)
        loss = self.ce_weight * ce + self.dice_weight * dice
        return loss, {"ce": float(ce.detach()), "dice": float(dice.detach())}


class SurfaceLoss(nn.Module):
    """Loss of the surface head against boundary rows derived from the masks (invalid columns masked).

    - `l1`: smooth L1 (beta 1 px) between the ordered soft-argmax rows and the targets;
    - `dist`: cross-entropy of each column's depth distribution against the target edge (half on each
      of the two pixel rows it separates), which gives the softmax a well-conditioned signal early on
      (He et al. train the distributions too);
    - `smooth`: smooth L1 between neighbouring columns' row differences and the labels' differences, so
      surfaces follow the anatomy's slope without column-to-column jitter.
    Losses are in pixels (l1, smooth) and nats (dist); `weights` sets their share of the total.
    """

    def __init__(self, l1: float = 0.05, dist: float = 0.1, smooth: float = 0.05) -> None:
        super().__init__()
        self.w = {"l1": l1, "dist": dist, "smooth": smooth}

    def forward(self, rows: torch.Tensor, score: torch.Tensor, target: torch.Tensor, valid: torch.Tensor
                ) -> tuple[torch.Tensor, dict]:
        vf = valid.to(rows.dtype)
        n = vf.sum().clamp(min=1.0)
        l1 = (F.smooth_l1_loss(rows.float(), target, reduction="none", beta=1.0) * vf).sum() / n
        h = score.shape[2]
        logp = torch.log_softmax(score.float(), dim=2)  # N x K x H x W
        lo = torch.clamp(torch.floor(target), 0, h - 1).long()
        hi = torch.clamp(lo + 1, 0, h - 1)
        frac = (target - torch.floor(target)).clamp(0, 1)
        lp = (1 - frac) * logp.gather(2, lo.unsqueeze(2)).squeeze(2) + frac * logp.gather(2, hi.unsqueeze(2)).squeeze(2)
        dist = -(lp * vf).sum() / n
        pair = vf[..., 1:] * vf[..., :-1]
        dpred = rows[..., 1:] - rows[..., :-1]
        dtgt = target[..., 1:] - target[..., :-1]
        smooth = (F.smooth_l1_loss(dpred.float(), dtgt, reduction="none", beta=1.0) * pair).sum() / pair.sum().clamp(min=1.0)
        loss = self.w["l1"] * l1 + self.w["dist"] * dist + self.w["smooth"] * smooth
        return loss, {"surf_l1": float(l1.detach()), "surf_dist": float(dist.detach()), "surf_smooth": float(smooth.detach())}
