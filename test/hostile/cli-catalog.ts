/**
 * A real catalog for the CLI suites, made the way a user makes one: real OCTID B-scans listed in a CSV
 * manifest (patients, eyes, acquisition dates, tags), imported with `stratum import`, then some scans
 * segmented with `stratum segment --scan` by the shipped model. One scan is a JPEG with its entropy-coded
 * data garbled (import accepts it: it decodes whole), whose segmentation the quality rules flag.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedData } from '../../test-support/shared-data';
import { runCli } from './cli-run';

export const NORMAL = sharedData('octid-unannotated', 'NORMAL');

/** The manifest rows, in import order (scan ids 1..7). */
export const ROWS = [
  { patient: 'P-A', eye: 'OD', date: '2024-01-10', tags: 'NORMAL' },
  { patient: 'P-A', eye: 'OS', date: '2024-01-10', tags: 'NORMAL' },
  { patient: 'P-B', eye: 'OD', date: '2024-06-01', tags: 'NORMAL;FOLLOWUP' },
  { patient: 'P-B', eye: 'OS', date: '2024-06-01', tags: 'NORMAL' },
  { patient: 'P-C', eye: 'OD', date: '2025-02-20', tags: 'NORMAL;FOLLOWUP' },
  { patient: 'P-C', eye: 'OS', date: '2025-02-20', tags: 'NORMAL' },
  { patient: 'P-D', eye: 'OD', date: '2025-03-01', tags: 'ODD' },
] as const;

/** Segmented by the fixture: scans 1, 3, 5 (normal) and 7 (the garbled one, flagged). */
export const SEGMENTED = [1, 3, 5, 7];

export interface CliCatalog {
  home: string;
  src: string;
}

/** Builds the catalog in a fresh data folder; throws (with the CLI's stderr) if a step fails. */
export function makeCliCatalog(name: string): CliCatalog {
  const home = mkdtempSync(join(tmpdir(), `stratum-${name}-home-`));
  const src = mkdtempSync(join(tmpdir(), `stratum-${name}-src-`));
  const files = readdirSync(NORMAL).sort().slice(0, 7);
  const names = files.map((f, i) => {
    if (i < 6) {
      copyFileSync(join(NORMAL, f), join(src, f));
      return f;
    }
    // flip bits in the middle of the scan data: still a whole JPEG, but no retina the model can find
    const bytes = readFileSync(join(NORMAL, f));
    for (let j = Math.floor(bytes.length * 0.3); j < bytes.length * 0.7; j += 5) bytes[j] = bytes[j]! ^ 0x5a;
    writeFileSync(join(src, 'garbled.jpeg'), bytes);
    return 'garbled.jpeg';
  });
  const csv = ['file,patient_id,eye,date,tags', ...ROWS.map((r, i) => `${names[i]},${r.patient},${r.eye},${r.date},${r.tags}`)].join('\n');
  writeFileSync(join(src, 'manifest.csv'), `${csv}\n`);
  const imported = runCli(['import', join(src, 'manifest.csv')], { home, timeoutMs: 120_000 });
  if (imported.status !== 0) throw new Error(`import failed (${imported.status}): ${imported.stderr}`);
  const segmented = runCli(['segment', '--scan', ...SEGMENTED.map(String)], { home, timeoutMs: 300_000 });
  if (segmented.status !== 0) throw new Error(`segment failed (${segmented.status}): ${segmented.stderr}`);
  return { home, src };
}
