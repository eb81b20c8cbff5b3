"""Builds the int8 (QDQ) variant of a shipped float model: calibration on training images through the
app's onnxruntime-node (calibrate.mjs), QDQ rewrite (qdq.py), model card.

    cd training && /usr/bin/python3 -m quantize.build \\
        --float ../resources/models/stratum-unet-light --out ../resources/models/stratum-unet-light-int8

Then score it the way the app runs it: `bash training/evaluate-model.sh stratum-unet-light-int8`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import tempfile
from pathlib import Path

import onnx

from . import qdq, ranges

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# the validation block, never used for training or calibration (the same rule as training/train.py)
VALIDATION = re.compile(r'^NORMAL1(5[0-9]|6[0-9])\.')


def calibration_images(images_dir: Path, count: int) -> list[Path]:
    """`count` training images (OCTID NORMAL outside NORMAL150-169), spread evenly over the sorted list."""
    def number(p: Path) -> int:
        return int(re.sub(r'\D', '', p.stem) or 0)
    train = sorted((p for p in images_dir.iterdir() if p.name.startswith('NORMAL') and not VALIDATION.match(p.name)), key=number)
    if len(train) < count:
        raise SystemExit(f'only {len(train)} training images in {images_dir}, {count} asked for')
    picked = [train[(i * len(train)) // count] for i in range(count)]
    assert not any(VALIDATION.match(p.name) for p in picked), 'a validation image in the calibration set'
    return picked


def input_range(card: dict) -> tuple[float, float]:
    norm = card['normalisation']
    if norm['kind'] != 'scale':
        raise SystemExit(f"quantize: input normalisation {norm['kind']!r} has no fixed range; only 'scale' is supported")
    ends = sorted((norm.get('offset', 0.0), 255 * norm['scale'] + norm.get('offset', 0.0)))
    return ends[0], ends[1]


def collect_stats(float_model: Path, card_path: Path, images: list[Path], bins: int, work: Path) -> dict:
    model = onnx.load(str(float_model))
    names = qdq.calibration_tensors(model)
    augmented = work / 'augmented.onnx'
    onnx.save(qdq.with_outputs(model, names[1:]), str(augmented))
    stats_path = work / 'stats.json'
    subprocess.run(['node', str(HERE / 'calibrate.mjs'), str(augmented), str(card_path), str(stats_path), str(bins), *map(str, images)],
                   check=True, cwd=REPO)
    stats = json.loads(stats_path.read_text())
    return stats


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_card(float_card: dict, float_dir: Path, out: Path, model_id: str, images: list[Path], method: str, pct: float,
               quantize_logits: bool, pad_channels: int, float_first: bool) -> dict:
    onnx_path = out / 'model.onnx'
    keep = ('schema', 'input', 'normalisation', 'output', 'license', 'parameters', 'format')
    card = {k: float_card[k] for k in keep if k in float_card}
    card.update({
        'id': model_id,
        'name': f"{float_card['name']}, int8",
        'version': float_card['version'],
        'trained': float_card['trained'],
        'file': 'model.onnx',
        'sha256': sha256(onnx_path),
        'sizeBytes': onnx_path.stat().st_size,
        'precision': 'int8',
        # the same network as the float model, for the CPU: the engine runs this file in its place there
        'variantOf': {'id': float_card['id'], 'version': float_card['version'], 'sha256': float_card['sha256']},
        'quantization': {
            'format': 'QDQ (QuantizeLinear/DequantizeLinear), opset 13',
            'weights': 'int8, symmetric, per output channel; each 2x2 stride-2 ConvTranspose rewritten as a 1x1 Conv '
                       'to 4x the channels + DepthToSpace (the same numbers, and an int8 kernel)'
                       + ('; the first Conv (1 input channel, reads the image) kept float' if float_first else ''),
            'channelPadding': f'convs with fewer than {pad_channels} output channels padded with zero channels to {pad_channels} '
                              '(the fast MLAS int8 kernels need 16); the same numbers' if pad_channels else 'none',
            'activations': 'uint8, per tensor, asymmetric; Relu folded into the QuantizeLinear (zero point 0)',
            'logits': 'int8 QDQ' if quantize_logits else 'float (the last Conv reads uint8, writes float logits)',
            'calibration': {
                'method': f'percentile {pct}' if method == 'percentile' else method,
                'images': len(images),
                'set': 'OCTID NORMAL training images (DeepEye), validation block NORMAL150-169 excluded',
                'files': [p.name for p in images],
                'runtime': 'onnxruntime-node (the app engine), the app decode and preprocess (training/quantize/calibrate.mjs)',
            },
            'tool': 'training/quantize (python -m quantize.build)',
            'source': f"{float_dir.name}/{float_card['file']} sha256 {float_card['sha256']}",
        },
    })
    (out / 'model.json').write_text(json.dumps(card, indent=2) + '\n')
    return card


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--float', dest='float_dir', type=Path, required=True, help='the float model folder (model.json + model.onnx)')
    ap.add_argument('--out', type=Path, required=True, help='the int8 model folder to write')
    ap.add_argument('--id', help='model id of the variant (default: <float id>-int8; the folder must carry it)')
    ap.add_argument('--images', type=Path, default=REPO.parent / 'shared' / 'data' / 'octid-deepeye' / 'images')
    ap.add_argument('--count', type=int, default=32, help='calibration images')
    ap.add_argument('--method', choices=['minmax', 'percentile', 'entropy'], default='percentile')
    ap.add_argument('--percentile', type=float, default=99.99)
    ap.add_argument('--bins', type=int, default=4096)
    ap.add_argument('--quantize-logits', action='store_true', help='QDQ on the logits Conv output too')
    ap.add_argument('--pad-channels', type=int, default=16, help='pad convs with fewer output channels to this many (0: off)')
    ap.add_argument('--int8-first-conv', action='store_true', help='quantise the first Conv too (default: float, it reads the image)')
    ap.add_argument('--stats', type=Path, help='reuse a statistics file from an earlier run (skips calibration)')
    ap.add_argument('--keep-stats', type=Path, help='copy the statistics file here')
    a = ap.parse_args(argv)
    a.float_dir, a.out, a.images = a.float_dir.resolve(), a.out.resolve(), a.images.resolve()

    float_card = json.loads((a.float_dir / 'model.json').read_text())
    model_id = a.id or f"{float_card['id']}-int8"
    if a.out.name != model_id:
        raise SystemExit(f'the output folder must be named by the model id ({model_id}), not {a.out.name}')
    float_model = a.float_dir / float_card['file']
    if sha256(float_model) != float_card['sha256']:
        raise SystemExit(f'{float_model}: checksum does not match its card')
    images = calibration_images(a.images, a.count)
    with tempfile.TemporaryDirectory() as tmp:
        if a.stats:
            stats = json.loads(a.stats.read_text())
        else:
            stats = collect_stats(float_model, a.float_dir / 'model.json', images, a.bins, Path(tmp))
            if a.keep_stats:
                a.keep_stats.write_text(json.dumps(stats))
    r = ranges.ranges_for(stats, a.method, input_range(float_card), a.percentile)
    source = onnx.load(str(float_model))
    first = next(n.name for n in source.graph.node if n.op_type == 'Conv')
    float_convs = frozenset() if a.int8_first_conv else frozenset([first])
    q = qdq.quantize_model(source, r, quantize_logits=a.quantize_logits, pad_channels=a.pad_channels, float_convs=float_convs)
    a.out.mkdir(parents=True, exist_ok=True)
    onnx.save(q, str(a.out / 'model.onnx'))
    card = write_card(float_card, a.float_dir, a.out, model_id, images, a.method, a.percentile, a.quantize_logits, a.pad_channels, not a.int8_first_conv)
    print(f"wrote {a.out / 'model.onnx'} ({card['sizeBytes']} bytes, sha256 {card['sha256'][:12]}) and model.json; "
          f'{len(r)} activation ranges ({a.method})')


if __name__ == '__main__':
    main()
