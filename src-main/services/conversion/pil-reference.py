"""Independent reference rasterisation for the conversion tests: PIL's ImageDraw.polygon, painted in file order.

usage: pil-reference.py LABELS_JSON IMAGES_DIR OUT_DIR LABEL_MAP_JSON
Writes OUT_DIR/<stem>.raw (uint8, row-major, image size) and prints {stem: [width, height]} as JSON.
"""
import json
import os
import sys

from PIL import Image, ImageDraw

labels_path, images_dir, out_dir, label_map = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
data = json.load(open(labels_path))
sizes = {}
for key, entry in data.items():
    name = entry.get("filename") or key
    with Image.open(os.path.join(images_dir, name)) as im:
        size = im.size
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    regions = entry["regions"]
    if isinstance(regions, dict):
        regions = [regions[k] for k in sorted(regions, key=int)]
    for region in regions:
        shape = region["shape_attributes"]
        k = label_map[region["region_attributes"]["label"]]
        draw.polygon(list(zip(shape["all_points_x"], shape["all_points_y"])), fill=k, outline=k)
    stem = os.path.splitext(name)[0]
    with open(os.path.join(out_dir, stem + ".raw"), "wb") as f:
        f.write(mask.tobytes())
    sizes[stem] = list(size)
print(json.dumps(sizes))
