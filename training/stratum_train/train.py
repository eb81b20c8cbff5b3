"""Train the Stratum UNet on OCT B-scans (CPU or CUDA).

Examples (run from training/):
  /usr/bin/python3 -m stratum_train.train --out /tmp/stratum-train/run --max-minutes 70
  python -m stratum_train.train --out runs/cuda --device cuda --epochs 300 --batch 16
  python -m stratum_train.train --out /tmp/stratum-train/run --resume      # continue a run
  python -m stratum_train.train --smoke --out /tmp/smoke                   # < 60 s self-test
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from . import LAYER_NAMES
from .data import CropDataset, load_samples, split_samples
from .losses import DiceCELoss
from .metrics import evaluate
from .model import build_model, count_parameters, load_checkpoint

DEFAULT_DATA = str(Path(__file__).resolve().parents[3] / "shared" / "data" / "octid-deepeye")


def default_config() -> dict:
    return {
        "data": DEFAULT_DATA,
        "images_dir": None,
        "masks_dir": None,
        "val_prefix": "NORMAL",
        "val_lo": 150,
        "val_hi": 169,
        "widths": [8, 16, 32, 64, 128],
        "dropout": 0.05,
        "batchnorm": True,
        "num_classes": 9,
        "crop": 256,
        "batch": 4,
        "steps_per_epoch": 50,
        "epochs": None,
        "max_minutes": None,
        "lr": 3e-3,
        "min_lr": 3e-5,
        "warmup_steps": 50,
        "weight_decay": 1e-4,
        "dice_weight": 1.0,
        "ce_weight": 1.0,
        "seed": 0,
        "threads": 2,
        "device": "auto",
        "amp": False,
        "val_every": 2,
        "workers": 0,
        "no_corrections": False,
        "aug": {},
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    d = default_config()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="run directory (config, checkpoint, logs)")
    p.add_argument("--data", default=d["data"], help="folder with labels-vgg.json and images/")
    p.add_argument("--images-dir", default=None, help="alternative: folder of images + <stem>.png class masks")
    p.add_argument("--masks-dir", default=None, help="masks folder for --images-dir (default: same folder)")
    p.add_argument("--widths", default=",".join(map(str, d["widths"])))
    p.add_argument("--dropout", type=float, default=d["dropout"])
    p.add_argument("--no-bn", action="store_true")
    p.add_argument("--crop", type=int, default=d["crop"])
    p.add_argument("--batch", type=int, default=d["batch"])
    p.add_argument("--steps-per-epoch", type=int, default=d["steps_per_epoch"])
    p.add_argument("--epochs", type=int, default=None, help="fixed epoch count (default: sized to --max-minutes)")
    p.add_argument("--max-minutes", type=float, default=None, help="wall-clock budget; sizes epochs + LR schedule")
    p.add_argument("--lr", type=float, default=d["lr"])
    p.add_argument("--min-lr", type=float, default=d["min_lr"])
    p.add_argument("--warmup-steps", type=int, default=d["warmup_steps"])
    p.add_argument("--weight-decay", type=float, default=d["weight_decay"])
    p.add_argument("--seed", type=int, default=d["seed"])
    p.add_argument("--threads", type=int, default=d["threads"])
    p.add_argument("--device", default="auto", help="auto | cpu | cuda")
    p.add_argument("--amp", action="store_true", help="mixed precision (CUDA only)")
    p.add_argument("--val-every", type=int, default=d["val_every"])
    p.add_argument("--workers", type=int, default=d["workers"], help="DataLoader worker processes (use 4-8 on CUDA)")
    p.add_argument("--no-corrections", action="store_true",
                   help="train on the labels exactly as annotated (skip training/label-corrections/)")
    p.add_argument("--resume", action="store_true", help="continue from <out>/checkpoint.pt with its config")
    p.add_argument("--smoke", action="store_true", help="tiny run on small crops + export + parity (< 60 s)")
    return p.parse_args(argv)


def config_from_args(a: argparse.Namespace) -> dict:
    cfg = default_config()
    cfg.update({
        "data": a.data, "images_dir": a.images_dir, "masks_dir": a.masks_dir,
        "widths": [int(w) for w in a.widths.split(",")], "dropout": a.dropout, "batchnorm": not a.no_bn,
        "crop": a.crop, "batch": a.batch, "steps_per_epoch": a.steps_per_epoch, "epochs": a.epochs,
        "max_minutes": a.max_minutes, "lr": a.lr, "min_lr": a.min_lr, "warmup_steps": a.warmup_steps,
        "weight_decay": a.weight_decay, "seed": a.seed, "threads": a.threads, "device": a.device,
        "amp": a.amp, "val_every": a.val_every, "workers": a.workers,
        "no_corrections": a.no_corrections,
    })
    if a.smoke:
        cfg.update({"crop": 64, "batch": 2, "steps_per_epoch": 4, "epochs": 2, "max_minutes": None,
                    "warmup_steps": 2, "smoke": True})
    return cfg


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def lr_at(step: int, total_steps: int, cfg: dict) -> float:
    if step < cfg["warmup_steps"]:
        return cfg["lr"] * (step + 1) / cfg["warmup_steps"]
    t = min(1.0, (step - cfg["warmup_steps"]) / max(1, total_steps - cfg["warmup_steps"]))
    return cfg["min_lr"] + 0.5 * (cfg["lr"] - cfg["min_lr"]) * (1 + math.cos(math.pi * t))


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


def plot_curves(log_path: Path, png_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(l) for l in log_path.read_text().splitlines() if l.strip()]
    if not rows:
        return
    ep = [r["epoch"] for r in rows]
    fig, ax1 = plt.subplots(figsize=(8, 4.5), dpi=100)
    ax1.plot(ep, [r["train_loss"] for r in rows], color="tab:blue", label="train loss (CE + Dice)")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("train loss", color="tab:blue")
    ax2 = ax1.twinx()
    v = [(r["epoch"], r["val"]["meanIoU8"]) for r in rows if r.get("val")]
    if v:
        ax2.plot([e for e, _ in v], [m for _, m in v], color="tab:red", label="val mean IoU (8 layers)")
        ax2.set_ylim(0, 1)
    ax2.set_ylabel("validation mean IoU (NORMAL150-169)", color="tab:red")
    ax1.set_title("Stratum UNet training")
    ax1.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(png_path)
    plt.close(fig)


def save_checkpoint(path: Path, model, opt, epoch: int, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch, "state": state,
                "torch_rng": torch.get_rng_state()}, tmp)
    os.replace(tmp, path)


def train(cfg: dict, out: Path, resume: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(int(cfg["threads"]))
    device = cfg["device"]
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    seed_everything(int(cfg["seed"]))
    samples = load_samples(cfg)
    train_s, val_s = split_samples(samples, cfg["val_prefix"], cfg["val_lo"], cfg["val_hi"])
    if cfg.get("smoke"):
        train_s, val_s = train_s[:4], val_s[:2]
    overlap = {s.stem for s in train_s} & {s.stem for s in val_s}
    assert not overlap, f"train/val overlap: {overlap}"
    print(f"train {len(train_s)} images, val {len(val_s)} images "
          f"({', '.join(s.stem for s in val_s[:3])}{', ...' if len(val_s) > 3 else ''})", flush=True)

    model = build_model(cfg).to(device)
    nparams = count_parameters(model)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    loss_fn = DiceCELoss(cfg["dice_weight"], cfg["ce_weight"])
    ds = CropDataset(train_s, cfg["crop"], cfg["steps_per_epoch"] * cfg["batch"], cfg["seed"], cfg.get("aug"))
    loader = torch.utils.data.DataLoader(ds, batch_size=cfg["batch"], shuffle=False,
                                         num_workers=int(cfg.get("workers", 0)), drop_last=True,
                                         pin_memory=device.startswith("cuda"))
    use_amp = bool(cfg.get("amp")) and device.startswith("cuda")
    scaler = torch.cuda.amp.GradScaler(enabled=use_amp) if use_amp else None

    log_path, ckpt_path = out / "train-log.jsonl", out / "checkpoint.pt"
    state = {"step": 0, "elapsed_s": 0.0, "total_epochs": cfg["epochs"], "hardware": hardware_string(device, cfg["threads"]),
             "parameters": nparams}
    start_epoch = 0
    if resume and ckpt_path.exists():
        ck = load_checkpoint(ckpt_path, device)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        state.update(ck["state"])
        start_epoch = int(ck["epoch"])
        if cfg.get("epochs") is not None:
            state["total_epochs"] = int(cfg["epochs"])  # allow extending/shortening a fixed-epoch run
        torch.set_rng_state(ck["torch_rng"].cpu())
        print(f"resumed from epoch {start_epoch} (step {state['step']})", flush=True)
    elif log_path.exists():
        log_path.unlink()
    cfg_to_save = {**cfg, "device_used": device, "parameters": nparams, "hardware": state["hardware"]}
    (out / "config.json").write_text(json.dumps(cfg_to_save, indent=2) + "\n")
    print(f"model widths {cfg['widths']} params {nparams:,} device {device} threads {cfg['threads']}", flush=True)

    budget_s = cfg["max_minutes"] * 60 if cfg.get("max_minutes") else None
    if state["total_epochs"] is None and budget_s is None:
        state["total_epochs"] = 100
    t_session = time.time()
    base_elapsed = float(state["elapsed_s"])
    epoch = start_epoch
    while True:
        total_epochs = state["total_epochs"]
        if total_epochs is not None and epoch >= total_epochs:
            break
        t0 = time.time()
        model.train()
        ds.set_epoch(epoch)
        # total steps for the LR schedule: known epochs, else a provisional estimate (epoch 0 only)
        sched_epochs = total_epochs if total_epochs is not None else max(1, epoch + 1)
        total_steps = sched_epochs * cfg["steps_per_epoch"]
        losses, ces, dices = [], [], []
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            lr = lr_at(state["step"], total_steps, cfg) if total_epochs is not None else (
                cfg["lr"] * min(1.0, (state["step"] + 1) / cfg["warmup_steps"]))
            for g in opt.param_groups:
                g["lr"] = lr
            if use_amp:
                with torch.autocast(device_type="cuda", dtype=torch.float16):
                    logits = model(x)
            else:
                logits = model(x)
            loss, parts = loss_fn(logits, y)
            opt.zero_grad(set_to_none=True)
            if scaler is not None:
                scaler.scale(loss).backward()
                scaler.step(opt)
                scaler.update()
            else:
                loss.backward()
                opt.step()
            losses.append(float(loss.detach()))
            ces.append(parts["ce"])
            dices.append(parts["dice"])
            state["step"] += 1
        train_time = time.time() - t0
        epoch += 1
        val = None
        if val_s and (epoch % cfg["val_every"] == 0 or (total_epochs is not None and epoch == total_epochs)):
            val = evaluate(model, val_s, multiple=model.multiple, device=device)
        state["elapsed_s"] = base_elapsed + (time.time() - t_session)
        epoch_time = time.time() - t0
        if budget_s is not None and cfg.get("epochs") is None:
            # size the run to the wall-clock budget: after each epoch, re-plan the epoch count from the
            # remaining time and a smoothed epoch time (the CPU may be shared), so that the cosine LR
            # schedule reaches its end when the budget does. The final count is logged and saved.
            ema = epoch_time if state.get("epoch_time_ema") is None else 0.7 * state["epoch_time_ema"] + 0.3 * epoch_time
            state["epoch_time_ema"] = ema
            remaining = budget_s - state["elapsed_s"] - 20
            planned = max(epoch, epoch + int(remaining // (ema * 1.02)))
            if planned != state["total_epochs"]:
                print(f"epoch time {epoch_time:.1f}s (ema {ema:.1f}s) -> planning {planned} epochs "
                      f"({planned * cfg['steps_per_epoch']} steps) within {cfg['max_minutes']} min", flush=True)
            state["total_epochs"] = planned
            cfg_to_save["planned_epochs"] = planned
            (out / "config.json").write_text(json.dumps(cfg_to_save, indent=2) + "\n")
        row = {"epoch": epoch, "step": state["step"], "lr": round(lr, 7), "train_loss": round(float(np.mean(losses)), 5),
               "train_ce": round(float(np.mean(ces)), 5), "train_dice": round(float(np.mean(dices)), 5),
               "train_s": round(train_time, 2), "elapsed_s": round(state["elapsed_s"], 1), "val": val}
        with log_path.open("a") as f:
            f.write(json.dumps(row) + "\n")
        msg = (f"epoch {epoch}/{state['total_epochs']} step {state['step']} lr {lr:.2e} loss {row['train_loss']:.4f} "
               f"(ce {row['train_ce']:.4f} dice {row['train_dice']:.4f}) {train_time:.1f}s")
        if val:
            msg += f" | val mIoU8 {val['meanIoU8']:.4f} " + " ".join(f"{k} {v:.3f}" for k, v in val["perLayerIoU"].items())
        print(msg, flush=True)
        save_checkpoint(ckpt_path, model, opt, epoch, state)
        if budget_s is not None and state["elapsed_s"] > budget_s + 60:
            print(f"wall-clock budget of {cfg['max_minutes']} min reached after epoch {epoch}", flush=True)
            break
    plot_curves(log_path, out / "curves.png")
    return {"model": model, "state": state, "epoch": epoch, "params": nparams}


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    if a.resume and (a.out / "config.json").exists():
        cfg = json.loads((a.out / "config.json").read_text())
        cfg = {k: v for k, v in cfg.items() if k in default_config() or k == "smoke"}
        cfg["threads"] = a.threads
        if a.epochs is not None:
            cfg["epochs"] = a.epochs
    else:
        cfg = config_from_args(a)
    t0 = time.time()
    result = train(cfg, a.out, resume=a.resume)
    print(f"training done: {result['epoch']} epochs in {(time.time() - t0) / 60:.1f} min", flush=True)
    if a.smoke:
        from .export import PARITY_TOL, export_run

        card = export_run(a.out, a.out / "export", model_id="stratum-smoke", name="smoke", version="0.0.0")
        ok = card["parity"]["maxAbsDiff"] <= PARITY_TOL
        print(f"smoke: onnx {card['sizeBytes']} bytes, parity maxAbsDiff {card['parity']['maxAbsDiff']} "
              f"({'ok' if ok else 'FAIL'}), total {time.time() - t0:.1f}s", flush=True)
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
