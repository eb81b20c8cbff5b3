"""Train the Stratum UNet on OCT B-scans (CPU or CUDA).

Examples (run from training/):
  /usr/bin/python3 -m stratum_train.train --out /tmp/stratum-train/run --max-minutes 70
  python -m stratum_train.train --out runs/cuda --device cuda --epochs 300 --batch 16
  python -m stratum_train.train --out /tmp/stratum-train/run --resume      # continue a run
  python -m stratum_train.train --smoke --surfaces --out /tmp/smoke        # < 2 min self-test

The loop is a Trainer with three hooks: step() (one optimiser step), validate() (full-resolution
metrics on the fixed validation block) and end_epoch() (budget re-planning, log line, checkpoints).
Options come from config.TrainConfig (one field per hyper-parameter).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .config import RESUME_OVERRIDES, TrainConfig, add_config_options, config_from_namespace, explicit_options
from .data import CropDataset, load_samples, split_samples
from .losses import DiceCELoss, SurfaceLoss
from .metrics import evaluate
from .model import build_model, count_parameters, load_checkpoint
from .run_io import hardware_string, plot_curves, save_checkpoint

SMOKE = {"crop": 64, "batch": 2, "steps_per_epoch": 4, "epochs": 2, "max_minutes": None, "warmup_steps": 2,
         "smoke": True}


def default_config() -> dict:
    return TrainConfig().to_dict()


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


class Trainer:
    def __init__(self, cfg: dict, out: Path, resume: bool = False) -> None:
        self.cfg, self.out = cfg, out
        out.mkdir(parents=True, exist_ok=True)
        torch.set_num_threads(int(cfg["threads"]))
        self.device = cfg["device"] if cfg["device"] != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
        seed_everything(int(cfg["seed"]))
        train_s, val_s = split_samples(load_samples(cfg), cfg["val_prefix"], cfg["val_lo"], cfg["val_hi"])
        if cfg.get("smoke"):
            train_s, val_s = train_s[:4], val_s[:2]
        overlap = {s.stem for s in train_s} & {s.stem for s in val_s}
        assert not overlap, f"train/val overlap: {overlap}"
        self.train_s, self.val_s = train_s, val_s
        print(f"train {len(train_s)} images, val {len(val_s)} images "
              f"({', '.join(s.stem for s in val_s[:3])}{', ...' if len(val_s) > 3 else ''})", flush=True)
        self.surfaces = bool(cfg.get("surfaces"))
        self.model = build_model(cfg).to(self.device)
        self.model.return_scores = self.surfaces
        self.params = count_parameters(self.model)
        self.opt = torch.optim.AdamW(self.model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
        self.pixel_loss = DiceCELoss(cfg["dice_weight"], cfg["ce_weight"])
        self.surface_loss = SurfaceLoss(cfg["surface_l1"], cfg["surface_dist"], cfg["surface_smooth"])
        self.ds = CropDataset(train_s, cfg["crop"], cfg["steps_per_epoch"] * cfg["batch"], cfg["seed"], cfg.get("aug"),
                              surfaces=self.surfaces)
        self.loader = torch.utils.data.DataLoader(self.ds, batch_size=cfg["batch"], shuffle=False,
                                                  num_workers=int(cfg.get("workers", 0)), drop_last=True,
                                                  pin_memory=self.device.startswith("cuda"))
        self.use_amp = bool(cfg.get("amp")) and self.device.startswith("cuda")
        self.scaler = torch.cuda.amp.GradScaler(enabled=True) if self.use_amp else None
        self.log_path, self.ckpt_path = out / "train-log.jsonl", out / "checkpoint.pt"
        self.state = {"step": 0, "elapsed_s": 0.0, "total_epochs": cfg["epochs"],
                      "hardware": hardware_string(self.device, cfg["threads"]), "parameters": self.params,
                      "best_val": None}
        self.epoch = 0
        if resume and self.ckpt_path.exists():
            self._resume()
        else:
            if self.log_path.exists():
                self.log_path.unlink()
            if cfg.get("init_onnx"):
                self._init_from_onnx(Path(cfg["init_onnx"]))
        self.saved_cfg = {**cfg, "device_used": self.device, "parameters": self.params, "hardware": self.state["hardware"]}
        self._write_config()
        print(f"model widths {cfg['widths']} surfaces {self.surfaces} params {self.params:,} device {self.device} "
              f"threads {cfg['threads']}", flush=True)
        self.budget_s = cfg["max_minutes"] * 60 if cfg.get("max_minutes") else None
        if self.state["total_epochs"] is None and self.budget_s is None:
            self.state["total_epochs"] = 100

    def _resume(self) -> None:
        ck = load_checkpoint(self.ckpt_path, self.device)
        self.model.load_state_dict(ck["model"])
        self.opt.load_state_dict(ck["optimizer"])
        self.state.update(ck["state"])
        self.epoch = int(ck["epoch"])
        if self.cfg.get("epochs") is not None:
            self.state["total_epochs"] = int(self.cfg["epochs"])  # extend/shorten a fixed-epoch run
        torch.set_rng_state(ck["torch_rng"].cpu())
        print(f"resumed from epoch {self.epoch} (step {self.state['step']})", flush=True)

    def _init_from_onnx(self, path: Path) -> None:
        from .warm_start import init_from_onnx

        calib = CropDataset(self.train_s, self.cfg["crop"], 32, self.cfg["seed"] + 1)
        batches = [torch.stack([calib[i][0] for i in range(j, j + 8)]).to(self.device) for j in range(0, 32, 8)]
        n = init_from_onnx(self.model, path, batches)
        self.cfg["init_onnx_sha256"] = __import__("hashlib").sha256(path.read_bytes()).hexdigest()
        print(f"initialised {n} layers from {path} (BatchNorm calibrated on 32 training crops)", flush=True)

    def _write_config(self) -> None:
        self.saved_cfg.update({k: self.cfg[k] for k in ("corrections", "init_onnx_sha256") if k in self.cfg})
        (self.out / "config.json").write_text(json.dumps(self.saved_cfg, indent=2) + "\n")

    # ------------------------------------------------------------------------------------------ hooks

    def step(self, batch, lr: float) -> dict:
        """One optimiser step on one batch; returns the loss parts."""
        batch = [t.to(self.device, non_blocking=True) for t in batch]
        x, y = batch[0], batch[1]
        for g in self.opt.param_groups:
            g["lr"] = lr
        with torch.autocast(device_type="cuda", dtype=torch.float16, enabled=self.use_amp):
            out = self.model(x)
        logits = out[0] if isinstance(out, tuple) else out
        loss, parts = self.pixel_loss(logits, y)
        if self.surfaces:
            s_loss, s_parts = self.surface_loss(out[1], out[2], batch[2], batch[3])
            loss = loss + s_loss
            parts.update(s_parts)
        self.opt.zero_grad(set_to_none=True)
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.step(self.opt)
            self.scaler.update()
        else:
            loss.backward()
            self.opt.step()
        self.state["step"] += 1
        return {"loss": float(loss.detach()), **parts}

    def validate(self) -> dict | None:
        total = self.state["total_epochs"]
        if not self.val_s or not (self.epoch % self.cfg["val_every"] == 0 or (total is not None and self.epoch == total)):
            return None
        return evaluate(self.model, self.val_s, multiple=self.model.multiple, device=self.device)

    def end_epoch(self, parts: list[dict], lr: float, train_time: float, epoch_time: float, val: dict | None) -> None:
        """Re-plan a time-budgeted run, write the log line and the checkpoints."""
        cfg, state = self.cfg, self.state
        if self.budget_s is not None and cfg.get("epochs") is None:
            # size the run to the wall-clock budget: re-plan the epoch count from the remaining time and a
            # smoothed epoch time (the CPU may be shared), so the cosine LR schedule ends with the budget.
            ema = epoch_time if state.get("epoch_time_ema") is None else 0.7 * state["epoch_time_ema"] + 0.3 * epoch_time
            state["epoch_time_ema"] = ema
            remaining = self.budget_s - state["elapsed_s"] - 20
            planned = max(self.epoch, self.epoch + int(remaining // (ema * 1.02)))
            if planned != state["total_epochs"]:
                print(f"epoch time {epoch_time:.1f}s (ema {ema:.1f}s) -> planning {planned} epochs "
                      f"({planned * cfg['steps_per_epoch']} steps) within {cfg['max_minutes']} min", flush=True)
            state["total_epochs"] = planned
            self.saved_cfg["planned_epochs"] = planned
            self._write_config()
        mean = {k: round(float(np.mean([p[k] for p in parts])), 5) for k in parts[0]}
        row = {"epoch": self.epoch, "step": state["step"], "lr": round(lr, 7), "train_loss": mean.pop("loss"),
               **{f"train_{k}": v for k, v in mean.items()}, "train_s": round(train_time, 2),
               "elapsed_s": round(state["elapsed_s"], 1), "val": val}
        with self.log_path.open("a") as f:
            f.write(json.dumps(row) + "\n")
        msg = (f"epoch {self.epoch}/{state['total_epochs']} step {state['step']} lr {lr:.2e} loss {row['train_loss']:.4f} "
               + " ".join(f"{k[6:]} {v:.4f}" for k, v in row.items() if k.startswith("train_") and k != "train_loss" and k != "train_s")
               + f" {train_time:.1f}s")
        if val:
            msg += f" | val mIoU8 {val['meanIoU8']:.4f} " + " ".join(f"{k} {v:.3f}" for k, v in val["perLayerIoU"].items())
            if "heads" in val:
                msg += " | heads " + " ".join(f"{k} {v:.4f}" for k, v in val["heads"].items())
        print(msg, flush=True)
        if val and (state["best_val"] is None or val["meanIoU8"] > state["best_val"]):
            # kept for inspection only: the export uses the last epoch (no selection on the validation block)
            state["best_val"], state["best_epoch"] = val["meanIoU8"], self.epoch
            save_checkpoint(self.out / "best.pt", self.model, self.opt, self.epoch, state)
        save_checkpoint(self.ckpt_path, self.model, self.opt, self.epoch, state)

    # ------------------------------------------------------------------------------------------- loop

    def fit(self) -> dict:
        cfg, state = self.cfg, self.state
        t_session, base_elapsed = time.time(), float(state["elapsed_s"])
        while state["total_epochs"] is None or self.epoch < state["total_epochs"]:
            t0 = time.time()
            self.model.train()
            self.ds.set_epoch(self.epoch)
            total = state["total_epochs"]
            # total steps for the LR schedule: known epochs, else a provisional estimate (epoch 0 only)
            total_steps = (total if total is not None else self.epoch + 1) * cfg["steps_per_epoch"]
            parts, lr = [], cfg["lr"]
            for batch in self.loader:
                lr = lr_at(state["step"], total_steps, cfg) if total is not None else (
                    cfg["lr"] * min(1.0, (state["step"] + 1) / cfg["warmup_steps"]))
                parts.append(self.step(batch, lr))
            train_time = time.time() - t0
            self.epoch += 1
            val = self.validate()
            state["elapsed_s"] = base_elapsed + (time.time() - t_session)
            self.end_epoch(parts, lr, train_time, time.time() - t0, val)
            if self.budget_s is not None and state["elapsed_s"] > self.budget_s + 60:
                print(f"wall-clock budget of {cfg['max_minutes']} min reached after epoch {self.epoch}", flush=True)
                break
        plot_curves(self.log_path, self.out / "curves.png")
        return {"model": self.model, "state": state, "epoch": self.epoch, "params": self.params}


def train(cfg: dict, out: Path, resume: bool = False) -> dict:
    return Trainer(cfg, out, resume).fit()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="run directory (config, checkpoint, logs)")
    add_config_options(p)
    p.add_argument("--resume", action="store_true", help="continue from <out>/checkpoint.pt with its config")
    p.add_argument("--export-to", type=Path, default=None,
                   help="when training ends (epochs done or budget used), export the last weights here")
    p.add_argument("--export-version", default="2.0.0", help="model card version for --export-to (default 2.0.0)")
    p.add_argument("--aug", type=json.loads, default=None,
                   help='augmentation overrides as JSON, e.g. \'{"cyst_prob": 0.1}\' (recorded in config.json)')
    p.add_argument("--smoke", action="store_true", help="tiny run on small crops + export + parity (< 2 min)")
    return p


def main(argv: list[str] | None = None) -> int:
    p = build_parser()
    a = p.parse_args(argv)
    if a.resume and (a.out / "config.json").exists():
        saved = json.loads((a.out / "config.json").read_text())
        cfg = TrainConfig.from_dict(saved).to_dict()
        # facts the first session recorded about its inputs (kept, not options)
        cfg.update({k: saved[k] for k in ("corrections", "init_onnx_sha256") if k in saved})
        for k in explicit_options(p, argv) & set(RESUME_OVERRIDES):
            cfg[k] = getattr(a, k)
    else:
        cfg = config_from_namespace(a).to_dict()
        if a.aug:
            cfg["aug"] = {**cfg.get("aug", {}), **a.aug}
        if a.smoke:
            cfg.update(SMOKE)
    t0 = time.time()
    result = train(cfg, a.out, resume=a.resume)
    print(f"training done: {result['epoch']} epochs in {(time.time() - t0) / 60:.1f} min", flush=True)
    export_dir = a.out / "export" if a.smoke else a.export_to
    if export_dir is None:
        return 0
    from .export import export_run, parity_ok

    names = ("stratum-smoke", "smoke", "0.0.0") if a.smoke else ("stratum-unet-surface", "Stratum UNet + surface head", a.export_version)
    card = export_run(a.out, export_dir, model_id=names[0], name=names[1], version=names[2])
    ok = parity_ok(card["parity"])
    print(f"export: onnx {card['sizeBytes']} bytes, parity {card['parity']} "
          f"({'ok' if ok else 'FAIL'}), total {time.time() - t0:.1f}s", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
