"""Run-folder I/O for train.py: hardware string, checkpoints, the curves plot."""
from __future__ import annotations

import json
import os
import platform
from pathlib import Path

import torch


def hardware_string(device: str, threads: int) -> str:
    if device.startswith("cuda"):
        return f"{torch.cuda.get_device_name(0)} (CUDA), torch {torch.__version__}"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"CPU {cpu}, {threads} threads, torch {torch.__version__}"


def save_checkpoint(path: Path, model, opt, epoch: int, state: dict) -> None:
    """Atomic write (tmp + rename), so an interrupted run always leaves a loadable checkpoint."""
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch, "state": state,
                "torch_rng": torch.get_rng_state()}, tmp)
    os.replace(tmp, path)


def plot_curves(log_path: Path, png_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(l) for l in log_path.read_text().splitlines() if l.strip()]
    if not rows:
        return
    ep = [r["epoch"] for r in rows]
    fig, ax1 = plt.subplots(figsize=(8, 4.5), dpi=100)
    ax1.plot(ep, [r["train_loss"] for r in rows], color="tab:blue", label="train loss")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("train loss", color="tab:blue")
    ax2 = ax1.twinx()
    v = [(r["epoch"], r["val"]) for r in rows if r.get("val")]
    if v:
        ax2.plot([e for e, _ in v], [m["meanIoU8"] for _, m in v], color="tab:red", label="val mean IoU (shown decode)")
        if all("heads" in m for _, m in v):
            ax2.plot([e for e, _ in v], [m["heads"]["pixel"] for _, m in v], color="tab:orange", ls="--",
                     label="val mean IoU (pixel head alone)")
        ax2.set_ylim(0, 1)
        ax2.legend(loc="lower right")
    ax2.set_ylabel("validation mean IoU (NORMAL150-169)", color="tab:red")
    ax1.set_title("Stratum UNet training")
    ax1.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(png_path)
    plt.close(fig)
