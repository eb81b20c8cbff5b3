"""Class names and label aliases: one source of truth shared with the app.

The app's layer table (src-shared/domain/layers.ts) is exported to `layers.generated.json` beside this
file (schema: {"classes": [{"index": 0, "name": "background"}, ...], "aliases": {"<lower alias>": index}}).
When that file exists it is the table; until it has been generated the fallback below (the table this
pipeline has always used) applies, and `LABEL_SOURCE` says which one was read.
"""
from __future__ import annotations

import json
from pathlib import Path

GENERATED = Path(__file__).resolve().parent / "layers.generated.json"

_FALLBACK_CLASSES = ["background", "NFL", "GCL+IPL", "INL", "OPL", "ONL", "EZ", "RPE", "Choroid"]
_FALLBACK_ALIASES = {
    "background": 0, "nfl": 1, "gcl+ipl": 2, "gcl_ipl": 2, "gclipl": 2, "inl": 3, "opl": 4, "onl": 5,
    "ez": 6, "elipsoid zone": 6, "ellipsoidzone": 6, "ellipsoid zone": 6, "ellipsoid_zone": 6,
    "rpe": 7, "chr": 8, "choroid": 8,
}


def read_table(path: Path = GENERATED) -> tuple[list[str], dict[str, int], str]:
    """(class names by index, alias -> index, source description)."""
    if not path.exists():
        return list(_FALLBACK_CLASSES), dict(_FALLBACK_ALIASES), "fallback table in training/stratum_train/labels.py"
    doc = json.loads(path.read_text())
    classes = sorted(doc["classes"], key=lambda c: int(c["index"]))
    names = [str(c["name"]) for c in classes]
    if [int(c["index"]) for c in classes] != list(range(len(names))):
        raise ValueError(f"{path}: class indices must be 0..{len(names) - 1} without gaps")
    aliases = {str(k).strip().lower(): int(v) for k, v in doc.get("aliases", {}).items()}
    for n, name in enumerate(names):  # a class's own name is always an alias of itself
        aliases.setdefault(name.strip().lower(), n)
    bad = {k: v for k, v in aliases.items() if not 0 <= v < len(names)}
    if bad:
        raise ValueError(f"{path}: aliases point at unknown class indices: {bad}")
    return names, aliases, path.name


CLASS_ORDER, LABEL_ALIASES, LABEL_SOURCE = read_table()
