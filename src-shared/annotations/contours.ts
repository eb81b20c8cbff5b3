import { CLASS_COUNT } from '../domain/layers';
import type { MaskBuffer } from './rasterize';

/** A traced region: its class, its pixel count and its outer boundary (pixel coordinates, simplified). */
export interface TracedRegion {
  readonly classIndex: number;
  readonly area: number;
  readonly xs: number[];
  readonly ys: number[];
}

// Clockwise (y down) from west: W, NW, N, NE, E, SE, S, SW.
const DX = [-1, -1, 0, 1, 1, 1, 0, -1];
const DY = [0, -1, -1, -1, 0, 1, 1, 1];

function directionOf(dx: number, dy: number): number {
  for (let d = 0; d < 8; d++) if (DX[d] === dx && DY[d] === dy) return d;
  return 0;
}

/** Moore-neighbour tracing of the outer boundary of the 8-connected component containing `start`. */
function traceBoundary(inside: (x: number, y: number) => boolean, sx: number, sy: number): [number, number][] {
  const points: [number, number][] = [[sx, sy]];
  let cx = sx;
  let cy = sy;
  let back = 0; // the start is the first pixel in raster order, so its west neighbour is outside
  let firstMove = -1;
  for (let guard = 0; guard < 4_000_000; guard++) {
    let found = -1;
    for (let k = 1; k <= 8; k++) {
      const d = (back + k) % 8;
      if (inside(cx + DX[d]!, cy + DY[d]!)) {
        found = d;
        break;
      }
    }
    if (found < 0) break; // a single pixel
    if (cx === sx && cy === sy) {
      if (firstMove === -1) firstMove = found;
      else if (found === firstMove) break;
    }
    const prev = (found + 7) % 8;
    const nx = cx + DX[found]!;
    const ny = cy + DY[found]!;
    back = directionOf(cx + DX[prev]! - nx, cy + DY[prev]! - ny);
    cx = nx;
    cy = ny;
    if (!(cx === sx && cy === sy)) points.push([cx, cy]);
  }
  return points;
}

function perpendicularDistance(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / len;
}

/** Douglas-Peucker on an open polyline (keeps both ends). */
function simplifyOpen(points: [number, number][], epsilon: number): [number, number][] {
  if (points.length < 3) return points.slice();
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [s, e] = stack.pop()!;
    let max = -1;
    let at = -1;
    for (let i = s + 1; i < e; i++) {
      const d = perpendicularDistance(points[i]!, points[s]!, points[e]!);
      if (d > max) {
        max = d;
        at = i;
      }
    }
    if (at >= 0 && max > epsilon) {
      keep[at] = 1;
      stack.push([s, at], [at, e]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/** Douglas-Peucker on a closed ring: split at the point farthest from the first. */
export function simplifyRing(points: [number, number][], epsilon: number): [number, number][] {
  if (points.length < 4 || epsilon <= 0) return points.slice();
  let far = 0;
  let best = -1;
  for (let i = 1; i < points.length; i++) {
    const d = Math.hypot(points[i]![0] - points[0]![0], points[i]![1] - points[0]![1]);
    if (d > best) {
      best = d;
      far = i;
    }
  }
  const a = simplifyOpen(points.slice(0, far + 1), epsilon);
  const b = simplifyOpen([...points.slice(far), points[0]!], epsilon);
  return [...a.slice(0, -1), ...b.slice(0, -1)];
}

/**
 * Traces every 8-connected region of every layer class (1-8) of a class-index mask. Regions come back
 * largest first: painting them in that order puts a region enclosed by another one on top of it.
 * Regions smaller than `minArea` pixels are dropped.
 */
export function traceMask(mask: MaskBuffer, options: { epsilon?: number; minArea?: number } = {}): TracedRegion[] {
  const { width, height, data } = mask;
  const epsilon = options.epsilon ?? 0.75;
  const minArea = options.minArea ?? 3;
  const seen = new Uint8Array(width * height);
  const regions: TracedRegion[] = [];
  const queue = new Int32Array(width * height);
  for (let start = 0; start < data.length; start++) {
    const c = data[start]!;
    if (c === 0 || c >= CLASS_COUNT || seen[start]) continue;
    // Flood the component (8-connected) to mark it and count it.
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    while (head < tail) {
      const p = queue[head++]!;
      const px = p % width;
      const py = (p - px) / width;
      for (let d = 0; d < 8; d++) {
        const nx = px + DX[d]!;
        const ny = py + DY[d]!;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (!seen[q] && data[q] === c) {
          seen[q] = 1;
          queue[tail++] = q;
        }
      }
    }
    if (tail < minArea) continue;
    const sx = start % width;
    const sy = (start - sx) / width;
    const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && data[y * width + x] === c;
    const ring = simplifyRing(traceBoundary(inside, sx, sy), epsilon);
    regions.push({ classIndex: c, area: tail, xs: ring.map((p) => p[0]), ys: ring.map((p) => p[1]) });
  }
  return regions.sort((a, b) => b.area - a.area);
}
