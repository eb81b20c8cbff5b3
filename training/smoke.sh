#!/usr/bin/env bash
# Training pipeline smoke test: a few steps on small crops, ONNX export, ONNX Runtime parity.
# Writes only into a temp dir (never into resources/). Used by `npm run test:training` and CI.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${STRATUM_PYTHON:-}"
if [ -z "$PY" ]; then
  for cand in /usr/bin/python3 python3 python; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c "import torch, onnx" >/dev/null 2>&1; then PY="$cand"; break; fi
  done
fi
if [ -z "$PY" ]; then
  if [ -n "${STRATUM_REQUIRE_TRAINING_SMOKE:-}" ]; then
    echo "smoke.sh: no Python with torch + onnx found (set STRATUM_PYTHON)" >&2
    exit 1
  fi
  echo "smoke.sh: SKIPPED - no Python with torch + onnx (apt-get install python3-torch python3-onnx, or set STRATUM_PYTHON). CI requires it." >&2
  exit 0
fi
DATA="${STRATUM_DATA:-$HERE/../../shared/data/octid-deepeye}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/stratum-smoke.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cd "$HERE"
# The label table: the generated JSON's schema is read (classes by index, lower-case aliases, own names),
# and the table in use covers the 9 classes whichever source it came from.
"$PY" -c '
import json, sys, tempfile, pathlib
from stratum_train import CLASS_ORDER, LABEL_SOURCE
from stratum_train.labels import read_table
assert len(CLASS_ORDER) == 9 and CLASS_ORDER[0] == "background", CLASS_ORDER
doc = {"classes": [{"index": i, "name": n} for i, n in reversed(list(enumerate(CLASS_ORDER)))], "aliases": {"chr": 8, "Elipsoid Zone": 6}}
p = pathlib.Path(tempfile.mkdtemp()) / "layers.generated.json"
p.write_text(json.dumps(doc))
names, aliases, _ = read_table(p)
assert names == CLASS_ORDER and aliases["chr"] == 8 and aliases["elipsoid zone"] == 6 and aliases["gcl+ipl"] == 2, aliases
print("labels:", LABEL_SOURCE)
# surface targets: a layer absent from a column has zero thickness there (its edge is that of the next layer)
import numpy as np
from stratum_train.surfaces import boundaries_from_mask, decode_surfaces
m = np.zeros((15, 2), np.uint8); m[2:4, 0] = 1; m[4:6, :] = 2
for c, (a, b) in zip(range(3, 9), [(6, 7), (7, 8), (8, 9), (9, 10), (10, 11), (11, 13)]): m[a:b, :] = c
rows, valid = boundaries_from_mask(m)
assert valid[0, 1] and rows[0, 1] == rows[1, 1] == 3.5, (rows[:2], valid[:2])  # no NFL in column 1
assert valid.all() and (decode_surfaces(rows, 15) == m).all(), (rows, decode_surfaces(rows, 15))
print("surface targets: absent layers have zero thickness")
'
# Model 2's recipe in miniature: warm start from the shipped pixel model, surface head, two-output export.
"$PY" -m stratum_train.train --smoke --surfaces --init-onnx "$HERE/../resources/models/stratum-unet-light/model.onnx" \
  --data "$DATA" --out "$TMP/run" --threads "${STRATUM_THREADS:-2}"
test -s "$TMP/run/export/model.onnx"
test -s "$TMP/run/export/model.json"
test -s "$TMP/run/curves.png"
# Two-output export: the card describes the surfaces output, parity covered both outputs, and the
# validation reports the pixel head, the surfaces alone and the shown (combined) decode.
"$PY" -c '
import json, sys
card = json.load(open(sys.argv[1]))
assert card["surfaces"]["name"] == "surfaces" and len(card["surfaces"]["boundaries"]) == 9, card.get("surfaces")
assert set(card["parity"]["perOutput"]) == {"logits", "surfaces"}, card["parity"]
assert card["parity"]["perOutput"]["surfaces"] <= 1e-2 and card["parity"]["perOutput"]["logits"] <= 1e-3 and card["parity"]["argmaxAgreement"] > 0.999, card["parity"]
v = card["metrics"]["validation"]
assert set(v["heads"]) == {"pixel", "surfaces", "combined"} and len(v["boundaryMAEpx"]) == 9, v
assert card["training"]["initialisedFrom"]["sha256"], card["training"]
' "$TMP/run/export/model.json"
if [ -z "${STRATUM_DATA:-}" ]; then
  # The reviewed DeepEye label corrections were found by the labels' hash and applied (10 regions).
  "$PY" -c 'import json, sys; c = json.load(open(sys.argv[1])).get("corrections"); assert c and c["regions"] == 10, c' "$TMP/run/config.json"
fi
# The fit diagnostic reads the run and reports both splits; errors within 2 px include those within 1 px.
"$PY" -m stratum_train.fit_report --run "$TMP/run" --out "$TMP/fit.json" >/dev/null
"$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
for split in ("train", "validation"):
    assert r[split]["images"] > 0 and 0 <= r[split]["meanIoU8"] <= 1, r[split]
    for layer, share in r[split]["errorShareNearBoundary"].items():
        assert 0 <= share["within1px"] <= share["within2px"] <= 1, (layer, share)
' "$TMP/fit.json"
# int8 (training/quantize): the shipped float model quantised with 2 calibration images follows it on a
# validation scan, the card names its precision and source, and the builder refuses a validation image.
"$PY" -m quantize.build --float "$HERE/../resources/models/stratum-unet-light" --out "$TMP/stratum-unet-light-int8" \
  --images "$DATA/images" --count 2 --bins 256 >/dev/null
"$PY" -c '
import json, sys
c = json.load(open(sys.argv[1]))
assert c["precision"] == "int8" and c["variantOf"]["id"] == "stratum-unet-light", c
import re
files = c["quantization"]["calibration"]["files"]
assert len(files) == 2 and not any(re.match(r"^NORMAL1(5[0-9]|6[0-9])[.]", f) for f in files), files
' "$TMP/stratum-unet-light-int8/model.json"
node "$HERE/quantize/agreement.mjs" "$HERE/../resources/models/stratum-unet-light/model.onnx" "$TMP/stratum-unet-light-int8/model.onnx" \
  "$HERE/../resources/models/stratum-unet-light/model.json" "$DATA/images/NORMAL150.jpeg" > "$TMP/agreement.json"
"$PY" -c 'import json, sys; a = json.load(open(sys.argv[1])); assert a["argmaxAgreement"] > 0.99, a' "$TMP/agreement.json"
echo "smoke.sh: OK"
