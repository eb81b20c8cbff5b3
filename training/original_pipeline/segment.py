"""The original pipeline, as the seed project ran it, on PyTorch CPU: the speed reference of
`npm run bench compare` (scripts/bench/compare.bench.ts).

    cd training && /usr/bin/python3 -m original_pipeline.segment --out DIR IMAGE...

Per image, as the seed's notebook did: decode to grey, squash to 640x640 (bilinear, aspect not kept),
divide each column by its L2 norm, run the UNet with widths 16-32-64-128-256 (Conv-ReLU pairs,
transposed-conv upsampling: stratum_train.model.UNet without BatchNorm), argmax, resize the labels back
to the image size (nearest) and write them as an 8-bit PNG. The weights are RANDOMLY INITIALISED (seeded):
the seed's trained Keras weights are not available here, and the figure is a timing, not an accuracy -
the operations and tensor sizes are the same whatever the weights hold.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from stratum_train.model import UNet, count_parameters

SIZE = 640
WIDTHS = (16, 32, 64, 128, 256)


def prepare(path: Path) -> tuple[np.ndarray, tuple[int, int]]:
    """Grey, squashed to SIZE x SIZE, each column divided by its L2 norm; and the original (w, h)."""
    im = Image.open(path).convert('L')
    size = im.size
    x = np.asarray(im.resize((SIZE, SIZE), Image.BILINEAR), np.float32)
    x = x / (np.sqrt((x * x).sum(axis=0, keepdims=True)) + 1e-6)
    return x, size


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description='The original pipeline on PyTorch CPU (timing reference).')
    ap.add_argument('images', nargs='+', type=Path)
    ap.add_argument('--out', type=Path, required=True)
    ap.add_argument('--batch', type=int, default=4, help='images per forward pass (4: faster than 1 here, no slower than 8)')
    ap.add_argument('--threads', type=int, default=os.cpu_count() or 1)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = UNet(widths=WIDTHS, dropout=0.0, batchnorm=False).eval()
    a.out.mkdir(parents=True, exist_ok=True)
    done = 0
    with torch.inference_mode():
        for i in range(0, len(a.images), a.batch):
            chunk = a.images[i:i + a.batch]
            prepared = [prepare(p) for p in chunk]
            x = torch.from_numpy(np.stack([p[0] for p in prepared]))[:, None]
            labels = model(x).argmax(dim=1).to(torch.uint8).numpy()
            for path, (_, size), lab in zip(chunk, prepared, labels):
                Image.fromarray(lab).resize(size, Image.NEAREST).save(a.out / f'{path.stem}.png')
                done += 1
    print(json.dumps({
        'pipeline': 'original (seed) UNet 16-32-64-128-256, 640x640 squash, column L2, PyTorch CPU',
        'weights': 'random (seeded), timing only', 'parameters': count_parameters(model),
        'torch': torch.__version__, 'threads': torch.get_num_threads(), 'batch': a.batch,
        'images': done, 'seconds': round(time.perf_counter() - t0, 3),
    }))


if __name__ == '__main__':
    sys.exit(main())
