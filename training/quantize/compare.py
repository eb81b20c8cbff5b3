"""Int8 against float, through the app engine: records both validation tables and the differences in the
int8 card (metrics.int8VsFloat) and fails when accuracy does not hold.

    cd training && /usr/bin/python3 -m quantize.compare \\
        --float ../resources/models/stratum-unet-light --int8 ../resources/models/stratum-unet-light-int8

Reads the `stratum evaluate --out` reports that training/evaluate-model.sh wrote into each folder
(evaluation-validation.json: the validation block NORMAL150-169, corrected labels). Holds when the mean IoU
is within MAX_MEAN_DROP of the float model's and no layer's IoU drops by more than MAX_LAYER_DROP.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from .build import REPO, VALIDATION

MAX_MEAN_DROP = 0.005
MAX_LAYER_DROP = 0.01


def table(report: dict) -> dict:
    return {
        'predictor': report['predictor'],
        'images': report['images'],
        'meanIoU': round(report['meanIoU'], 4),
        'perLayerIoU': {lay['layer']: round(lay['iou'], 4) for lay in report['layers'] if lay.get('iou') is not None},
    }


def compare(float_report: dict, int8_report: dict) -> dict:
    f, q = table(float_report), table(int8_report)
    deltas = {k: round(q['perLayerIoU'][k] - v, 4) for k, v in f['perLayerIoU'].items()}
    mean_delta = round(q['meanIoU'] - f['meanIoU'], 4)
    worst = min(deltas.values())
    holds = -mean_delta <= MAX_MEAN_DROP and -worst <= MAX_LAYER_DROP
    return {
        'rule': f'mean IoU within {MAX_MEAN_DROP} of float, no layer more than {MAX_LAYER_DROP} below float',
        'holds': holds,
        'float32': f,
        'int8': q,
        'deltaMeanIoU': mean_delta,
        'deltaPerLayerIoU': deltas,
        'worstLayerDelta': worst,
    }


def agreement(float_dir: Path, int8_dir: Path, images_dir: Path) -> dict:
    """Pixel argmax agreement and the largest logit difference on the validation block (agreement.mjs)."""
    card = json.loads((float_dir / 'model.json').read_text())
    images = sorted(str(p) for p in images_dir.iterdir() if VALIDATION.match(p.name))
    out = subprocess.run(['node', str(Path(__file__).with_name('agreement.mjs')), str(float_dir / card['file']),
                          str(int8_dir / 'model.onnx'), str(float_dir / 'model.json'), *images],
                         check=True, cwd=REPO, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def kernels(int8_dir: Path, float_dir: Path, image: Path) -> dict:
    """The kernels ONNX Runtime runs for the int8 file (a profiled session: kernels.mjs), by op type."""
    out = subprocess.run(['node', str(Path(__file__).with_name('kernels.mjs')), str(int8_dir / 'model.onnx'), str(float_dir / 'model.json'),
                          str(image), '1', '1', '--json'], check=True, cwd=REPO, capture_output=True, text=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    return {'source': 'onnxruntime-node CPU, graph optimisation all (training/quantize/kernels.mjs)',
            'ops': {k['op']: k['kernels'] for k in report['kernels']}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--float', dest='float_dir', type=Path, required=True)
    ap.add_argument('--int8', dest='int8_dir', type=Path, required=True)
    ap.add_argument('--report', default='evaluation-validation.json')
    ap.add_argument('--images', type=Path, default=REPO.parent / 'shared' / 'data' / 'octid-deepeye' / 'images')
    a = ap.parse_args(argv)
    a.float_dir, a.int8_dir, a.images = a.float_dir.resolve(), a.int8_dir.resolve(), a.images.resolve()
    result = compare(json.loads((a.float_dir / a.report).read_text()), json.loads((a.int8_dir / a.report).read_text()))
    raw = 'evaluation-validation-raw-labels.json'
    if (a.float_dir / raw).exists() and (a.int8_dir / raw).exists():
        r = compare(json.loads((a.float_dir / raw).read_text()), json.loads((a.int8_dir / raw).read_text()))
        result['rawLabels'] = {k: r[k] for k in ('holds', 'float32', 'int8', 'deltaMeanIoU', 'deltaPerLayerIoU', 'worstLayerDelta')}
        result['holds'] = result['holds'] and r['holds']
    result['kernels'] = kernels(a.int8_dir, a.float_dir, a.images / 'NORMAL150.jpeg')
    result['agreement'] = {'images': 'validation block NORMAL150-169', **agreement(a.float_dir, a.int8_dir, a.images)}
    card_path = a.int8_dir / 'model.json'
    card = json.loads(card_path.read_text())
    card.setdefault('metrics', {})['int8VsFloat'] = result
    card_path.write_text(json.dumps(card, indent=2) + '\n')
    print('layer     float32   int8    delta')
    for k, v in result['float32']['perLayerIoU'].items():
        print(f"{k:8}  {v:.4f}   {result['int8']['perLayerIoU'][k]:.4f}  {result['deltaPerLayerIoU'][k]:+.4f}")
    print(f"mean      {result['float32']['meanIoU']:.4f}   {result['int8']['meanIoU']:.4f}  {result['deltaMeanIoU']:+.4f}")
    if 'rawLabels' in result:
        print(f"raw labels: mean {result['rawLabels']['float32']['meanIoU']:.4f} vs {result['rawLabels']['int8']['meanIoU']:.4f}, worst layer {result['rawLabels']['worstLayerDelta']:+.4f}")
    print(f"kernels: {result['kernels']['ops']}")
    print(f"argmax agreement with float: {result['agreement']['argmaxAgreement']} (worst image {result['agreement']['minImageAgreement']})")
    print(f"int8 accuracy {'holds' if result['holds'] else 'DOES NOT HOLD'} ({result['rule']})")
    return 0 if result['holds'] else 1


if __name__ == '__main__':
    sys.exit(main())
