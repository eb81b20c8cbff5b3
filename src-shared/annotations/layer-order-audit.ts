/**
 * Anatomical audit of annotation labels. Retinal layers are stacked in a fixed order (NFL on top, choroid
 * at the bottom: the layer table's index order), so a polygon labelled Choroid that lies above GCL+IPL, or
 * two RPE polygons one entirely below the other, is a labelling slip, not anatomy. Such slips are common in
 * hand-made makesense.ai exports (7 of the 80 DeepEye images have one) and they teach a model nonsense.
 *
 * The audit compares every pair of polygons over the image columns they share, then proposes the fewest
 * relabels that leave no pair out of order. It proposes; people decide (a corrections file is reviewed
 * and committed, see docs/ANNOTATIONS.md). Pure: no I/O.
 */
import { CLASS_COUNT, layerByIndex } from '../domain/layers';
import { ANNOTATION_LIMITS, maskSizeProblem } from './limits';
import { createMask, fillPolygon } from './rasterize';
import type { AnnotatedPolygon, ImageAnnotation } from './vgg';

/** Two polygons are compared only where they share at least this many columns. */
const MIN_SHARED_COLUMNS = 20;
/** One lies above the other when its centre row is higher in at least this share of the shared columns. */
const ORDER_AGREEMENT = 0.9;

export interface LabelProposal {
  readonly file: string;
  /** Position in the image's region list, counted from 0. */
  readonly region: number;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

export interface LayerOrderFinding {
  readonly image: string;
  readonly region: number;
  readonly label: string;
  readonly problem: string;
  /** The relabel that restores the order, when one exists. */
  readonly proposal?: LabelProposal;
}

type Relation = 'above' | 'below' | null;

const layerKey = (c: number) => layerByIndex(c)?.key ?? String(c);

/** Per-column centre row of one polygon (NaN where it has no pixel). */
function columnCentres(p: AnnotatedPolygon, width: number, height: number): Float64Array {
  const mask = createMask(width, height);
  fillPolygon(mask, p.xs, p.ys, 1);
  const sum = new Float64Array(width);
  const count = new Uint32Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask.data[row + x]) {
        sum[x]! += y;
        count[x]!++;
      }
    }
  }
  return sum.map((s, x) => (count[x] ? s / count[x]! : Number.NaN));
}

function relation(a: Float64Array, b: Float64Array): Relation {
  let shared = 0;
  let above = 0;
  for (let x = 0; x < a.length; x++) {
    if (Number.isNaN(a[x]!) || Number.isNaN(b[x]!)) continue;
    shared++;
    if (a[x]! < b[x]!) above++;
  }
  if (shared < MIN_SHARED_COLUMNS) return null;
  if (above >= ORDER_AGREEMENT * shared) return 'above';
  if (above <= (1 - ORDER_AGREEMENT) * shared) return 'below';
  return null;
}

/** Out of order: above a layer its label puts higher, below one its label puts deeper, or stacked on its own class. */
function violates(rel: Relation, classA: number, classB: number): boolean {
  if (rel === 'above') return classA >= classB;
  if (rel === 'below') return classA <= classB;
  return false;
}

/** The extent the audit rasterises in: the polygons' own (a point past the image edge still counts). */
function auditExtent(polys: readonly AnnotatedPolygon[]): { width: number; height: number } {
  let maxX = 0;
  let maxY = 0;
  for (const p of polys) {
    for (const x of p.xs) if (x > maxX) maxX = x;
    for (const y of p.ys) if (y > maxY) maxY = y;
  }
  return { width: Math.ceil(maxX) + 1, height: Math.ceil(maxY) + 1 };
}

/**
 * Audits one image's polygons; returns nothing when the layers are in anatomical order.
 * Polygons spanning more than a mask may hold (a 1e308 coordinate), or more layer polygons than the
 * pairwise audit can afford, get one finding that says the image was not audited, instead of an
 * allocation failure or minutes of work.
 */
export function auditLayerOrder(ann: ImageAnnotation): LayerOrderFinding[] {
  const polys = ann.polygons.filter((p) => p.classIndex > 0);
  if (polys.length < 2) return [];
  const notAudited = (why: string): LayerOrderFinding[] => [{ image: ann.filename, region: polys[0]!.region, label: polys[0]!.label, problem: `layer order not audited: ${why}` }];
  if (polys.length > ANNOTATION_LIMITS.maxAuditedPolygons) return notAudited(`${polys.length} layer polygons, more than the ${ANNOTATION_LIMITS.maxAuditedPolygons} the audit compares`);
  const { width, height } = auditExtent(polys);
  const problem = maskSizeProblem(width, height);
  if (problem) return notAudited(`the polygons span ${problem}`);
  const centres = polys.map((p) => columnCentres(p, width, height));
  const rel: Relation[][] = polys.map((_, i) => polys.map((__, j) => (i === j ? null : relation(centres[i]!, centres[j]!))));
  const classes = polys.map((p) => p.classIndex);

  const violationsOf = (i: number, cls: number[]) => polys.reduce((n, _, j) => n + (j !== i && violates(rel[i]![j]!, cls[i]!, cls[j]!) ? 1 : 0), 0);
  const total = (cls: number[]) => polys.reduce((n, _, i) => n + violationsOf(i, cls), 0) / 2;
  const describe = (i: number, cls: number[]) => {
    const above: string[] = [];
    const below: string[] = [];
    polys.forEach((_, j) => {
      if (j === i || !violates(rel[i]![j]!, cls[i]!, cls[j]!)) return;
      (rel[i]![j] === 'above' ? above : below).push(`${layerKey(cls[j]!)} (region ${polys[j]!.region})`);
    });
    return [above.length ? `lies above ${above.join(', ')}` : '', below.length ? `lies below ${below.join(', ')}` : ''].filter(Boolean).join('; ');
  };

  const findings: LayerOrderFinding[] = [];
  const current = [...classes];
  let remaining = total(current);
  // Greedy: take the single relabel that removes the most violations; prefer a class the image lacks.
  while (remaining > 0) {
    const present = new Set(current);
    let best: { i: number; cls: number; score: number; fillsGap: boolean } | null = null;
    for (let i = 0; i < polys.length; i++) {
      if (violationsOf(i, current) === 0) continue;
      for (let cls = 1; cls < CLASS_COUNT; cls++) {
        if (cls === current[i]) continue;
        const trial = [...current];
        trial[i] = cls;
        const score = total(trial);
        const fillsGap = !present.has(cls);
        if (!best || score < best.score || (score === best.score && fillsGap && !best.fillsGap)) best = { i, cls, score, fillsGap };
      }
    }
    if (!best || best.score >= remaining) break;
    const p = polys[best.i]!;
    const reason = `labelled ${layerKey(current[best.i]!)} but ${describe(best.i, current)}${best.fillsGap ? `; ${layerKey(best.cls)} is missing` : ''}`;
    findings.push({
      image: ann.filename,
      region: p.region,
      label: p.label,
      problem: reason,
      proposal: { file: ann.filename, region: p.region, from: layerKey(current[best.i]!), to: layerKey(best.cls), reason },
    });
    current[best.i] = best.cls;
    remaining = best.score;
  }
  // Whatever no single relabel can fix is reported as it stands.
  polys.forEach((p, i) => {
    if (violationsOf(i, current) > 0) findings.push({ image: ann.filename, region: p.region, label: p.label, problem: `out of order, no relabel fixes it: ${describe(i, current)}` });
  });
  return findings.sort((a, b) => a.region - b.region);
}
