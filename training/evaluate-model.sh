#!/usr/bin/env bash
# Scores a model folder the way the app runs it (`stratum evaluate`, ONNX through the app engine) on the
# DeepEye validation block NORMAL150-169, against the reviewed corrected labels and the raw labels, plus the
# two human annotators' agreement, and ILM/BM against the device lines of the Spectralis .vol files, and records them in the model card (training/stratum_train/card.py).
#   bash training/evaluate-model.sh [model-id]        (default: stratum-unet-light; run `npm ci` first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL_ID="${1:-stratum-unet-light}"
MODEL_DIR="$ROOT/resources/models/$MODEL_ID"
DATA="${STRATUM_DATA:-$ROOT/../shared/data/octid-deepeye}"
PY="${STRATUM_PYTHON:-/usr/bin/python3}"
VAL='^NORMAL1(5[0-9]|6[0-9])\.'
# score the model's own file: on CPU the engine would otherwise run a float model's int8 variant in its place
export STRATUM_PRECISION="${STRATUM_PRECISION:-float32}"
cd "$ROOT"
run() { node bin/stratum.cjs evaluate --images "$DATA/images" --vgg "$DATA/labels-vgg.json" "$@"; }
run --model "$MODEL_ID" --include "$VAL" --corrections training/label-corrections/octid-deepeye.json --out "$MODEL_DIR/evaluation-validation.json"
run --model "$MODEL_ID" --include "$VAL" --out "$MODEL_DIR/evaluation-validation-raw-labels.json"
run --against-vgg "$DATA/second-annotator/labels-vgg.json" --out "$MODEL_DIR/evaluation-second-annotator.json"
# ILM / BM against the device's own lines in the Spectralis .vol files (never trained on)
VOLS="${STRATUM_DEVICE_FILES:-$(ls "$DATA"/../formats/spectralis-vol/*.vol)}"
# shellcheck disable=SC2086
node bin/stratum.cjs evaluate --model "$MODEL_ID" --against-device $VOLS --out "$MODEL_DIR/evaluation-device-lines.json"
cd training
"$PY" -m stratum_train.card --model "$MODEL_DIR" \
  --eval validationThroughEngine="$MODEL_DIR/evaluation-validation.json" \
  --eval validationRawLabels="$MODEL_DIR/evaluation-validation-raw-labels.json" \
  --eval humanInterRater="$MODEL_DIR/evaluation-second-annotator.json" \
  --device-lines "$MODEL_DIR/evaluation-device-lines.json"
