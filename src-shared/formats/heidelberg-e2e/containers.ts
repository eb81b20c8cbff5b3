import { FieldReader, hasMagic, readFields, readRange } from '../binary';
import { FormatError } from '../errors';
import type { ByteSource } from '../types';

/**
 * Heidelberg E2E container index. The file is a version header ("CMDb"), a main directory header
 * ("MDbMDir") whose `current` points at the last directory chunk, chunks linked backwards by `prev`,
 * each listing up to 512 entries (44 bytes) that point at data containers ("MDbData": a 60-byte header,
 * then the item). Layout after the uocte wiki and eyepy's e2e_format.py.
 *
 * A file whose directory does not lead to valid chunks (a cut-down copy keeps its containers but not
 * its directory) is indexed by finding the containers' own headers in order, and says so.
 */

const VERSION_BYTES = 36;
const DIRECTORY_HEADER_BYTES = 52;
const ENTRY_BYTES = 44;
export const CONTAINER_HEADER_BYTES = 60;
const MAX_ENTRIES_PER_CHUNK = 100_000;

export interface E2eEntry {
  /** File offset of the container header. */
  start: number;
  /** The item's size, clipped to what the file holds (`clipped` then says so). */
  size: number;
  clipped: boolean;
  patientId: number;
  studyId: number;
  seriesId: number;
  sliceId: number;
  ind: number;
  type: number;
}

export interface E2eIndex {
  version: number;
  entries: E2eEntry[];
}

/** Multi-volume exports prefix the usual layout with a 64-byte block. */
export function e2eBase(head: Uint8Array): number | null {
  if (hasMagic(head, 'CMDb')) return 0;
  if (hasMagic(head, 'E2EMultipleVolumeFile') && hasMagic(head, 'CMDb', 64)) return 64;
  return null;
}

export async function indexE2e(source: ByteSource, head: Uint8Array, notes: string[]): Promise<E2eIndex> {
  const base = e2eBase(head);
  if (base === null) throw new FormatError(source.name, 'version header', 'does not start with CMDb', 'unknown-format');
  const version = (await readFields(source, base, VERSION_BYTES, 'version header')).u32(12, 'version');
  const main = await readFields(source, base + VERSION_BYTES, DIRECTORY_HEADER_BYTES, 'main directory header');
  if (!hasMagic(main.bytes, 'MDbMDir')) throw new FormatError(source.name, 'main directory header', 'does not start with MDbMDir');
  let entries: E2eEntry[];
  try {
    entries = await fromDirectory(source, base, main.u32(40, 'current'));
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    notes.push(`The directory does not lead to valid chunks (${error.field}): containers found by their own headers instead.`);
    entries = await byScanning(source, base + VERSION_BYTES + DIRECTORY_HEADER_BYTES);
  }
  return { version, entries };
}

async function fromDirectory(source: ByteSource, base: number, current: number): Promise<E2eEntry[]> {
  const entries: E2eEntry[] = [];
  const visited = new Set<number>();
  let pos = current;
  const maxChunks = Math.floor(source.size / DIRECTORY_HEADER_BYTES) + 1;
  while (pos !== 0) {
    if (visited.has(pos) || visited.size > maxChunks) throw new FormatError(source.name, 'directory chunk', `chain loops back to offset ${pos}`);
    visited.add(pos);
    const chunk = await readFields(source, base + pos, DIRECTORY_HEADER_BYTES, 'directory chunk');
    if (!hasMagic(chunk.bytes, 'MDbMDir')) throw new FormatError(source.name, 'directory chunk', `at offset ${base + pos} does not start with MDbMDir`);
    const count = chunk.expectRange(chunk.u32(36, 'num_entries'), 0, MAX_ENTRIES_PER_CHUNK, 'num_entries');
    const list = await readFields(source, base + pos + DIRECTORY_HEADER_BYTES, count * ENTRY_BYTES, 'directory entries');
    for (let i = 0; i < count; i++) {
      const at = i * ENTRY_BYTES;
      const type = list.u32(at + 36, 'type');
      const start = list.u32(at + 4, 'start');
      if (type === 0 || start <= list.u32(at, 'pos')) continue; // empty slot (last chunk is padded to 512)
      entries.push(await containerAt(source, base + start, type));
    }
    pos = chunk.u32(44, 'prev');
  }
  if (entries.length === 0) throw new FormatError(source.name, 'directory', 'lists no containers');
  return entries.sort((a, b) => a.start - b.start);
}

/** Reads and checks one container header; its item must lie inside the file. */
async function containerAt(source: ByteSource, start: number, expectedType: number): Promise<E2eEntry> {
  const r = await readFields(source, start, CONTAINER_HEADER_BYTES, 'data container');
  const entry = parseContainer(r, start);
  if (!entry) throw new FormatError(source.name, 'data container', `at offset ${start} does not start with MDbData`);
  if (entry.type !== expectedType) throw new FormatError(source.name, 'data container', `at offset ${start} has type ${entry.type}, the directory says ${expectedType}`);
  if (start + CONTAINER_HEADER_BYTES + entry.size > source.size) {
    throw new FormatError(source.name, `data container type ${entry.type}`, `${entry.size} bytes at offset ${start} run past the end of the file (${source.size} bytes; truncated?)`, 'truncated');
  }
  return entry;
}

function parseContainer(r: FieldReader, start: number): E2eEntry | null {
  if (!hasMagic(r.bytes, 'MDbData')) return null;
  return {
    start,
    size: r.u32(24, 'size'),
    clipped: false,
    patientId: r.i32(32, 'patient_id'),
    studyId: r.i32(36, 'study_id'),
    seriesId: r.i32(40, 'series_id'),
    sliceId: r.i32(44, 'slice_id'),
    ind: r.u16(48, 'ind'),
    type: r.u32(52, 'type'),
  };
}

const SCAN_BLOCK = 1 << 20;
const MAGIC = 'MDbData';

/** Finds containers in file order by their "MDbData" headers; an item is clipped at the next header. */
async function byScanning(source: ByteSource, from: number): Promise<E2eEntry[]> {
  const entries: E2eEntry[] = [];
  let pos = from;
  while (pos + CONTAINER_HEADER_BYTES <= source.size) {
    const here = hasMagic(await readRange(source, pos, MAGIC.length, 'data container'), MAGIC);
    const found = here ? pos : await findMagic(source, pos);
    if (found < 0 || found + CONTAINER_HEADER_BYTES > source.size) break;
    const entry = parseContainer(await readFields(source, found, CONTAINER_HEADER_BYTES, 'data container'), found);
    if (!entry) break;
    const declaredEnd = found + CONTAINER_HEADER_BYTES + entry.size;
    const next = declaredEnd + CONTAINER_HEADER_BYTES <= source.size && hasMagic(await readRange(source, declaredEnd, MAGIC.length, 'data container'), MAGIC) ? declaredEnd : -1;
    if (next < 0 && declaredEnd !== source.size) {
      // The declared size does not end at a container: the item stops where the next header starts.
      const following = await findMagic(source, found + CONTAINER_HEADER_BYTES);
      const end = following < 0 ? source.size : Math.min(following, declaredEnd);
      entry.clipped = end < declaredEnd;
      entry.size = Math.max(0, end - found - CONTAINER_HEADER_BYTES);
      entries.push(entry);
      pos = following < 0 ? source.size : following;
    } else {
      entries.push(entry);
      pos = declaredEnd;
    }
  }
  if (entries.length === 0) throw new FormatError(source.name, 'data containers', 'none found', 'corrupt');
  return entries;
}

async function findMagic(source: ByteSource, from: number): Promise<number> {
  for (let pos = from; pos < source.size; pos += SCAN_BLOCK - MAGIC.length) {
    const length = Math.min(SCAN_BLOCK, source.size - pos);
    if (length < MAGIC.length) return -1;
    const block = await readRange(source, pos, length, 'data container search');
    for (let i = 0; i + MAGIC.length <= block.length; i++) {
      if (block[i] === 0x4d && hasMagic(block, MAGIC, i)) return pos + i;
    }
  }
  return -1;
}
