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
import sys
from pathlib import Path

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--float', dest='float_dir', type=Path, required=True)
    ap.add_argument('--int8', dest='int8_dir', type=Path, required=True)
    ap.add_argument('--report', default='evaluation-validation.json')
    a = ap.parse_args(argv)
    result = compare(json.loads((a.float_dir / a.report).read_text()), json.loads((a.int8_dir / a.report).read_text()))
    card_path = a.int8_dir / 'model.json'
    card = json.loads(card_path.read_text())
    card.setdefault('metrics', {})['int8VsFloat'] = result
    card_path.write_text(json.dumps(card, indent=2) + '\n')
    print('layer     float32   int8    delta')
    for k, v in result['float32']['perLayerIoU'].items():
        print(f"{k:8}  {v:.4f}   {result['int8']['perLayerIoU'][k]:.4f}  {result['deltaPerLayerIoU'][k]:+.4f}")
    print(f"mean      {result['float32']['meanIoU']:.4f}   {result['int8']['meanIoU']:.4f}  {result['deltaMeanIoU']:+.4f}")
    print(f"int8 accuracy {'holds' if result['holds'] else 'DOES NOT HOLD'} ({result['rule']})")
    return 0 if result['holds'] else 1


if __name__ == '__main__':
    sys.exit(main())
