import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { ImportFailure } from '../../../src-shared/domain/catalog';
import { TEXT_LIMITS } from '../../../src-shared/domain/limits';
import { parseEye, recognise } from './recognise';
import { IMAGE_EXTENSIONS, type Candidate, type ScanResult } from './candidate';

/**
 * A clinic's CSV manifest: a header row naming columns (file required; patient_id, name, birth_date,
 * eye, date, device, axial_um, lateral_um, tags optional), then one row per image, `file` relative to
 * the manifest's folder. UTF-8, with or without a BOM; anything else is refused (see decodeManifest).
 * A malformed row is a BAD_MANIFEST_ROW failure naming its line; the other rows carry on.
 */
export function scanManifest(manifestPath: string): ScanResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(manifestPath);
  } catch (error) {
    throw new AppError('BAD_INPUT', `The manifest ${manifestPath} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { path: manifestPath });
  }
  const rows = parseCsv(decodeManifest(bytes, manifestPath));
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
    const bad = (message: string) => failures.push({ path: where, code: 'BAD_MANIFEST_ROW', message, line: row.line });
    if (row.cells.length !== columns.length) {
      bad(`Row has ${row.cells.length} fields, the header has ${columns.length}`);
      continue;
    }
    const get = (name: string) => {
      const i = columns.indexOf(name);
      return i < 0 ? '' : (row.cells[i] as string).trim();
    };
    const tooLong = fieldTooLong(get);
    if (tooLong) { bad(tooLong); continue; }
    const file = get('file');
    if (!file) { bad('The "file" field is empty'); continue; }
    const eye = parseEye(get('eye'));
    if (eye === null) { bad(`Eye "${get('eye')}" is not OD, OS, R, L, right, left or empty`); continue; }
    const date = get('date');
    if (date && !isIsoDate(date)) { bad(`Date "${date}" is not YYYY-MM-DD`); continue; }
    const birth = get('birth_date');
    if (birth && !isIsoDate(birth)) { bad('The birth_date field is not a YYYY-MM-DD date'); continue; }
    const axial = parseSpacing(get('axial_um'));
    const lateral = parseSpacing(get('lateral_um'));
    if (axial === undefined || lateral === undefined) { bad('axial_um/lateral_um must be positive numbers (micrometres per pixel) or empty'); continue; }
    const extraTags = get('tags').split(/[;|]/).map((t) => t.trim()).filter(Boolean);
    if (extraTags.length > TEXT_LIMITS.tagsPerRow) { bad(`The tags field has ${extraTags.length} tags; at most ${TEXT_LIMITS.tagsPerRow} are accepted`); continue; }
    if (extraTags.some((t) => t.length > TEXT_LIMITS.tag)) { bad(`A tag in the tags field is longer than ${TEXT_LIMITS.tag} characters`); continue; }
    const path = isAbsolute(file) ? file : resolve(base, file);
    if (!existsSync(path)) {
      failures.push({ path, code: 'MISSING_FILE', message: `File listed on line ${row.line} of the manifest does not exist`, line: row.line });
      continue;
    }
    if (!IMAGE_EXTENSIONS.has(extname(path).toLowerCase())) {
      failures.push({ path, code: 'UNSUPPORTED_TYPE', message: 'Not a JPEG, PNG, TIFF or BMP file name', line: row.line });
      continue;
    }
    const rel = relative(base, path);
    const r = recognise(rel, basename(base));
    const patient = get('patient_id');
    candidates.push({
      path,
      relativePath: rel,
      line: row.line,
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
  return { candidates, failures, skipped: [] };
}

/** The row's first field beyond its length limit, said without its content (it may be a name). */
function fieldTooLong(get: (name: string) => string): string | null {
  const limits: [string, number][] = [
    ['file', TEXT_LIMITS.filePath],
    ['patient_id', TEXT_LIMITS.patientId],
    ['name', TEXT_LIMITS.patientName],
    ['device', TEXT_LIMITS.device],
  ];
  for (const [field, max] of limits) {
    const value = get(field);
    if (value.length <= max) continue; // UTF-16 units are never fewer than characters
    const length = characterCount(value);
    if (length > max) return `The ${field} field is ${length} characters long; at most ${max} are accepted`;
  }
  return null;
}

/** Unicode characters (code points) in a string, without building an array of them. */
function characterCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0xdc00 || u > 0xdfff) n++; // a low surrogate belongs to the character before it
  }
  return n;
}

/**
 * Manifest bytes -> text. UTF-8 with or without a BOM is accepted. Bytes that are not UTF-8 are refused
 * with where they are, rather than read as some guessed 8-bit code page: a Latin-1 and a Windows-1252
 * reading of the same name can differ, and a patient's name must not be guessed. UTF-16 is named as such.
 */
export function decodeManifest(bytes: Buffer, manifestPath: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new AppError('BAD_INPUT', `The manifest ${manifestPath} is UTF-16 text; save it as UTF-8 (for example "CSV UTF-8" in a spreadsheet) and import again`, { path: manifestPath, encoding: 'utf-16' });
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const offset = firstInvalidUtf8(body);
    const line = body.subarray(0, offset).filter((b) => b === 0x0a).length + 1;
    const byte = body[offset] ?? 0;
    throw new AppError(
      'BAD_INPUT',
      `The manifest ${manifestPath} is not UTF-8 text: line ${line} has the byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}, which is not valid UTF-8 ` +
        '(the file is probably Latin-1 or Windows-1252). Save it as UTF-8 (for example "CSV UTF-8" in a spreadsheet) and import again; nothing was imported.',
      { path: manifestPath, line, byteOffset: offset, encoding: 'not-utf-8' },
    );
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return b.length;
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

/**
 * RFC 4180-ish: commas, double quotes with "" escapes, CRLF or LF; keeps each row's first line number.
 * Runs of ordinary characters are sliced, not appended one by one, so a 50 MB field parses in milliseconds.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  const plain = /[^",\r\n]+/y;
  const quotedRun = /[^"]+/y;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; ) {
    const run = quoted ? quotedRun : plain;
    run.lastIndex = i;
    const m = run.exec(text);
    if (m) {
      if (quoted) line += countNewlines(m[0]);
      cell += m[0];
      i += m[0].length;
      continue;
    }
    const c = text[i] as string;
    if (quoted) {
      if (text[i + 1] === '"') { cell += '"'; i += 2; }
      else { quoted = false; i++; }
    } else if (c === '"' && cell === '') { quoted = true; i++; }
    else if (c === '"') { cell += c; i++; }
    else if (c === ',') { cells.push(cell); cell = ''; i++; }
    else {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    }
  }
  if (cell !== '' || cells.length > 0) { cells.push(cell); rows.push({ line: rowLine, cells }); }
  return rows;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
