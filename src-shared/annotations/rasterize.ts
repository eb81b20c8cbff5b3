/**
 * Polygon rasterisation that reproduces PIL's ImageDraw.polygon(xy, fill=k, outline=k) (Pillow 9.x, as
 * the original notebook used): vertices truncated to int, a scan-line fill between edge crossings with
 * float32 edge slopes, PIL's corner joining, horizontal edges drawn as they are. Pure; paints into a
 * row-major Uint8Array. Verified pixel for pixel against PIL by src-main/services/conversion/pil-agreement.test.ts.
 */
export interface MaskBuffer {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function createMask(width: number, height: number): MaskBuffer {
  return { width, height, data: new Uint8Array(width * height) };
}

const f32 = Math.fround;

function roundUp(f: number): number {
  return f >= 0 ? Math.floor(f + 0.5) : -Math.floor(Math.abs(f) + 0.5);
}
function roundDown(f: number): number {
  return f >= 0 ? Math.ceil(f - 0.5) : -Math.ceil(Math.abs(f) - 0.5);
}

interface Edge {
  x0: number;
  y0: number;
  ymin: number;
  ymax: number;
  dx: number;
}

function hline(m: MaskBuffer, x0: number, y: number, x1: number, value: number): void {
  if (y < 0 || y >= m.height) return;
  if (x0 > x1) [x0, x1] = [x1, x0];
  if (x0 < 0) x0 = 0;
  else if (x0 >= m.width) return;
  if (x1 < 0) return;
  else if (x1 >= m.width) x1 = m.width - 1;
  if (x0 <= x1) m.data.fill(value, y * m.width + x0, y * m.width + x1 + 1);
}

/**
 * Paints one filled polygon with `value`, like PIL's ImageDraw.polygon(xy, fill=k, outline=k): with the
 * outline equal to the fill PIL draws the fill only, whose scan lines already cover the boundary.
 */
export function fillPolygon(m: MaskBuffer, xs: readonly number[], ys: readonly number[], value: number): void {
  const n = Math.min(xs.length, ys.length);
  if (n === 0) return;
  // PIL truncates the vertices to int before drawing.
  const px = new Array<number>(n);
  const py = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    px[i] = Math.trunc(xs[i]!);
    py[i] = Math.trunc(ys[i]!);
  }
  const edges: Edge[] = [];
  let ymin = m.height - 1;
  let ymax = 0;
  const addEdge = (x0: number, y0: number, x1: number, y1: number) => {
    const lo = Math.min(y0, y1);
    const hi = Math.max(y0, y1);
    ymin = Math.min(ymin, lo);
    ymax = Math.max(ymax, hi);
    if (y0 === y1) {
      // Horizontal edges are drawn as they are.
      hline(m, Math.min(x0, x1), y0, Math.max(x0, x1), value);
      return;
    }
    edges.push({ x0, y0, ymin: lo, ymax: hi, dx: f32(f32(x1 - x0) / (y1 - y0)) });
  };
  let i = 0;
  for (; i < n - 1; i++) addEdge(px[i]!, py[i]!, px[i + 1]!, py[i + 1]!);
  if (px[i] !== px[0] || py[i] !== py[0]) addEdge(px[i]!, py[i]!, px[0]!, py[0]!);
  if (ymin < 0) ymin = 0;
  if (ymax > m.height) ymax = m.height;
  const xAt = (e: Edge, y: number) => f32(f32(f32(y - e.y0) * e.dx) + e.x0);
  const xx = new Float64Array(edges.length * 2);
  for (let y = ymin; y <= ymax; y++) {
    let j = 0;
    for (let c = 0; c < edges.length; c++) {
      const current = edges[c]!;
      if (y < current.ymin || y > current.ymax) continue;
      xx[j++] = xAt(current, y);
      if (y === current.ymax && y < ymax) {
        // Needed to draw consistent polygons.
        xx[j] = xx[j - 1]!;
        j++;
      } else if (current.dx !== 0 && Math.round(xx[j - 1]!) === xx[j - 1]) {
        // Connect discontiguous corners (reproduces PIL, including its indexing of xx by edge number).
        for (let k = 0; k < c; k++) {
          const other = edges[k]!;
          if ((current.dx > 0 && other.dx <= 0) || (current.dx < 0 && other.dx >= 0)) continue;
          if (((y === current.ymin && y === other.ymin) || (y === current.ymax && y === other.ymax)) && xx[j - 1] === xAt(other, y)) {
            const offset = y === ymax ? -1 : 1;
            const a = xAt(current, y + offset);
            const b = xAt(other, y + offset);
            if (y === current.ymax) xx[k] = current.dx > 0 ? Math.max(a, b) + 1 : Math.min(a, b) - 1;
            else xx[k] = current.dx > 0 ? Math.min(a, b) : Math.max(a, b) + 1;
            break;
          }
        }
      }
    }
    const row = Array.from(xx.subarray(0, j)).sort((a, b) => a - b);
    for (let t = 1; t < row.length; t += 2) hline(m, roundUp(row[t - 1]!), y, roundDown(row[t]!), value);
  }
}

/** Fraction of pixels equal in two same-sized masks. */
export function agreement(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length === 0 ? 1 : same / a.length;
}
