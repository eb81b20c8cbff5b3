import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { ImportFailure } from '../../../src-shared/domain/catalog';
import type { Laterality } from '../../../src-shared/domain/laterality';
import { parseEye, recognise } from './recognise';

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.bmp']);

/** One file to import, with everything known about it before its bytes are read. */
export interface Candidate {
  path: string;
  /** Path relative to the import root (for display and recognisers). */
  relativePath: string;
  patientExternalId: string | null;
  patientName: string | null;
  birthDate: string | null;
  eye: Laterality;
  acquiredAt: string | null;
  device: string | null;
  tags: string[];
  octidLayout: boolean;
  /** Spacing supplied by a manifest ('user' provenance). */
  axialUmPerPx: number | null;
  lateralUmPerPx: number | null;
  scaleSource: string | null;
}

export interface ScanResult {
  candidates: Candidate[];
  failures: ImportFailure[];
}

/** Finds what to import under a folder tree, or in a CSV manifest. BAD_INPUT when the source itself is unusable. */
export function scanSource(source: string): ScanResult {
  const { path, kind } = checkSource(source);
  return kind === 'folder' ? scanFolder(path) : scanManifest(path);
}

/** Resolves an import source; BAD_INPUT unless it is a folder or a .csv file. */
export function checkSource(source: string): { path: string; kind: 'folder' | 'manifest' } {
  const path = resolve(source);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new AppError('BAD_INPUT', `Nothing to import at ${path}: no such file or folder`, { path });
  }
  if (stat.isDirectory()) return { path, kind: 'folder' };
  if (stat.isFile() && extname(path).toLowerCase() === '.csv') return { path, kind: 'manifest' };
  throw new AppError('BAD_INPUT', `Import needs a folder or a .csv manifest: ${path}`, { path });
}

export function scanFolder(root: string): ScanResult {
  const candidates: Candidate[] = [];
  const failures: ImportFailure[] = [];
  const rootName = basename(root);
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      failures.push({ path: dir, code: 'UNREADABLE_FOLDER', message: `Folder cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        const rel = relative(root, full);
        const r = recognise(rel, rootName);
        candidates.push({
          path: full,
          relativePath: rel,
          patientExternalId: r.patientExternalId,
          patientName: null,
          birthDate: null,
          eye: r.eye,
          acquiredAt: null,
          device: r.device,
          tags: r.tags,
          octidLayout: r.octidLayout,
          axialUmPerPx: null,
          lateralUmPerPx: null,
          scaleSource: null,
        });
      }
    }
  };
  walk(root);
  return { candidates, failures };
}

/**
 * A clinic's CSV manifest: a header row naming columns (file required; patient_id, name, birth_date,
 * eye, date, device, axial_um, lateral_um, tags optional), then one row per image, `file` relative to
 * the manifest's folder. A malformed row is a BAD_MANIFEST_ROW failure; the other rows carry on.
 */
export function scanManifest(manifestPath: string): ScanResult {
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    throw new AppError('BAD_INPUT', `The manifest ${manifestPath} cannot be read: ${(error as Error).message}`, { path: manifestPath });
  }
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift();
  const columns = header?.cells.map((c) => c.trim().toLowerCase().replace(/[\s-]+/g, '_')) ?? [];
  if (!columns.includes('file')) {
    throw new AppError('BAD_INPUT', `The manifest ${manifestPath} has no "file" column in its header row`, { path: manifestPath });
  }
  const base = dirname(manifestPath);
  const candidates: Candidate[] = [];
  const failures: ImportFailure[] = [];
  for (const row of rows) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const where = `${manifestPath}:${row.line}`;
    const bad = (message: string) => failures.push({ path: where, code: 'BAD_MANIFEST_ROW', message });
    if (row.cells.length !== columns.length) {
      bad(`Row has ${row.cells.length} fields, the header has ${columns.length}`);
      continue;
    }
    const get = (name: string) => {
      const i = columns.indexOf(name);
      return i < 0 ? '' : (row.cells[i] as string).trim();
    };
    const file = get('file');
    if (!file) { bad('The "file" field is empty'); continue; }
    const eye = parseEye(get('eye'));
    if (eye === null) { bad(`Eye "${get('eye')}" is not OD, OS, R, L, right, left or empty`); continue; }
    const date = get('date');
    if (date && !isIsoDate(date)) { bad(`Date "${date}" is not YYYY-MM-DD`); continue; }
    const birth = get('birth_date');
    if (birth && !isIsoDate(birth)) { bad(`Birth date "${birth}" is not YYYY-MM-DD`); continue; }
    const axial = parseSpacing(get('axial_um'));
    const lateral = parseSpacing(get('lateral_um'));
    if (axial === undefined || lateral === undefined) { bad('axial_um/lateral_um must be positive numbers (micrometres per pixel) or empty'); continue; }
    const path = isAbsolute(file) ? file : resolve(base, file);
    if (!existsSync(path)) {
      failures.push({ path, code: 'MISSING_FILE', message: `File listed on line ${row.line} of the manifest does not exist` });
      continue;
    }
    if (!IMAGE_EXTENSIONS.has(extname(path).toLowerCase())) {
      failures.push({ path, code: 'UNSUPPORTED_TYPE', message: 'Not a JPEG, PNG, TIFF or BMP file name' });
      continue;
    }
    const rel = relative(base, path);
    const r = recognise(rel, basename(base));
    const extraTags = get('tags').split(/[;|]/).map((t) => t.trim()).filter(Boolean);
    const patient = get('patient_id');
    candidates.push({
      path,
      relativePath: rel,
      patientExternalId: patient || r.patientExternalId,
      patientName: get('name') || null,
      birthDate: birth || null,
      eye: eye === 'unknown' ? r.eye : eye,
      acquiredAt: date || null,
      device: get('device') || r.device,
      tags: [...new Set([...r.tags, ...extraTags])],
      octidLayout: r.octidLayout,
      axialUmPerPx: axial,
      lateralUmPerPx: lateral,
      scaleSource: axial !== null || lateral !== null ? `manifest ${basename(manifestPath)}` : null,
    });
  }
  return { candidates, failures };
}

function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** null = empty, undefined = invalid. */
function parseSpacing(value: string): number | null | undefined {
  if (value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 && n < 1000 ? n : undefined;
}

/** RFC 4180-ish: commas, double quotes with "" escapes, CRLF or LF; keeps each row's first line number. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; cell += c; }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') { cells.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) { cells.push(cell); rows.push({ line: rowLine, cells }); }
  return rows;
}
