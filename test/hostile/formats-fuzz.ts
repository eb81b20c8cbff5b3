/**
 * Bounded, deterministic fuzzing of the vendor readers: truncations and bit flips of a real fixture,
 * each opened and read (first and last B-scan, localizer, device boundaries) through the real registry.
 * Every case must end either in a series or in a FormatError the reader threw on purpose (not one
 * wrapped from an unexpected exception), within a time limit, without reading outside the file and
 * without an image beyond the pixel limit.
 */
import { LIMITS, memorySource } from '../../src-shared/formats/binary';
import { FormatError } from '../../src-shared/formats/errors';
import { openSeries } from '../../src-shared/formats/registry';
import type { ByteSource, OctSeries, SeriesInput } from '../../src-shared/formats/types';
import { seededRandom } from '../../test-support/seeded-random';

export interface FuzzPlan {
  truncations: number;
  flips: number;
  seed: number;
  /** Wall-clock limit per case. */
  caseLimitMs?: number;
}

export interface FuzzReport {
  cases: number;
  opened: number;
  refused: Record<string, number>;
  failures: string[];
  slowestMs: number;
}

/** Offsets where structure lives: the first 4 KB, and anchors such as chunk names, magics and tags. */
function structuralOffsets(bytes: Uint8Array): number[] {
  const anchors: number[] = [];
  for (let i = 0; i + 3 < bytes.length && anchors.length < 4000; i++) {
    const a = bytes[i]!;
    const b = bytes[i + 1]!;
    if ((a === 0x40 && b >= 0x41 && b <= 0x5a) || (a === 0x4d && b === 0x44 && bytes[i + 2] === 0x62) || (a === 0x48 && b === 0x53 && bytes[i + 2] === 0x46) || (a === 0x3c && b >= 0x41 && b <= 0x5a)) {
      anchors.push(i);
    }
  }
  return anchors;
}

/** The mutated copies, made one at a time (a 2 MB fixture x 300 flips must not sit in memory at once). */
export function* mutations(bytes: Uint8Array, plan: FuzzPlan): Generator<{ label: string; bytes: Uint8Array }> {
  const random = seededRandom(plan.seed);
  const size = bytes.length;
  for (let i = 0; i < plan.truncations; i++) {
    // A third in the first 4 KB (headers), the rest spread over the file.
    const cut = i % 3 === 0 ? Math.floor(random() * Math.min(size, 4096)) : Math.floor(((i + random()) / plan.truncations) * size);
    yield { label: `truncate to ${cut}`, bytes: bytes.subarray(0, Math.min(cut, size - 1)) };
  }
  const anchors = structuralOffsets(bytes);
  for (let i = 0; i < plan.flips; i++) {
    const mode = i % 3;
    const anchor = anchors.length ? anchors[Math.floor(random() * anchors.length)]! : 0;
    const at =
      mode === 0 ? Math.floor(random() * Math.min(size, 4096)) : mode === 1 ? Math.min(size - 1, anchor + Math.floor(random() * 96)) : Math.floor(random() * size);
    const bit = Math.floor(random() * 8);
    const copy = Uint8Array.from(bytes);
    copy[at] = copy[at]! ^ (1 << bit);
    yield { label: `flip bit ${bit} of byte ${at}`, bytes: copy };
  }
}

/** A source that fails the test (not the reader) if a read ever leaves the file. */
function watchedSource(name: string, bytes: Uint8Array, problems: string[]): ByteSource {
  const inner = memorySource(name, bytes);
  return {
    name,
    size: inner.size,
    read: (offset, length) => {
      if (offset < 0 || length < 0 || offset + length > inner.size) problems.push(`read ${offset}+${length} outside ${inner.size} bytes`);
      return inner.read(offset, length);
    },
  };
}

async function exercise(series: OctSeries, problems: string[]): Promise<void> {
  const check = (what: string, image: { width: number; height: number; pixels: Uint8Array }) => {
    if (image.width * image.height > LIMITS.maxBscanPixels || image.pixels.length !== image.width * image.height) {
      problems.push(`${what}: ${image.width} x ${image.height} with ${image.pixels.length} pixels`);
    }
  };
  const last = series.bscanCount - 1;
  for (const i of last > 0 ? [0, last] : [0]) check(`B-scan ${i}`, await series.bscan(i));
  if (series.localizer && !series.localizer.missing) check('localizer', await series.localizer.read());
  if (series.deviceBoundaries) await series.deviceBoundaries.read(0);
}

/**
 * Runs every mutation. `input` builds the rest of the SeriesInput (siblings, decoders) for a source.
 */
export async function fuzzReader(name: string, bytes: Uint8Array, plan: FuzzPlan, input: (source: ByteSource) => SeriesInput): Promise<FuzzReport> {
  const report: FuzzReport = { cases: 0, opened: 0, refused: {}, failures: [], slowestMs: 0 };
  const limit = plan.caseLimitMs ?? 2000;
  for (const m of mutations(bytes, plan)) {
    report.cases++;
    const problems: string[] = [];
    const started = performance.now();
    try {
      const series = await openSeries(input(watchedSource(name, m.bytes, problems)));
      await exercise(series, problems);
      report.opened++;
    } catch (error) {
      if (error instanceof FormatError && !error.reason.startsWith('unexpected')) {
        report.refused[error.problem] = (report.refused[error.problem] ?? 0) + 1;
      } else {
        problems.push(`threw ${error instanceof FormatError ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
    }
    const ms = performance.now() - started;
    report.slowestMs = Math.max(report.slowestMs, Math.round(ms));
    if (ms > limit) problems.push(`took ${Math.round(ms)} ms`);
    if (problems.length) report.failures.push(`${m.label}: ${problems.join('; ')}`);
  }
  return report;
}
