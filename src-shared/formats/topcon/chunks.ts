import { hasMagic, readFields, readRange } from '../binary';
import { FormatError } from '../errors';
import type { ByteSource } from '../types';

/**
 * Topcon's FOCT container (.fda, .fds): "FOCT" + "FDA"/"FAA"/"FDS", two u32 version words, then named
 * chunks (u8 name length, the name, u32 size, the data) up to a zero name length or the end of file.
 * Layout after the uocte wiki's "Topcon File Format" page, as read by OCT-Converter.
 */

export const FOCT_HEADER_BYTES = 15;
const MAX_CHUNKS = 10_000;

export type FoctKind = 'FDA' | 'FAA' | 'FDS';

export interface TopconChunk {
  name: string;
  /** File offset of the chunk's data. */
  offset: number;
  size: number;
}

export interface FoctFile {
  kind: FoctKind;
  version: string;
  chunks: TopconChunk[];
}

export function foctKind(head: Uint8Array): FoctKind | null {
  if (!hasMagic(head, 'FOCT')) return null;
  for (const kind of ['FDA', 'FAA', 'FDS'] as const) if (hasMagic(head, kind, 4)) return kind;
  return null;
}

export async function readFoct(source: ByteSource): Promise<FoctFile> {
  const file = source.name;
  const header = await readFields(source, 0, FOCT_HEADER_BYTES, 'FOCT header');
  const kind = foctKind(header.bytes);
  if (!kind) throw new FormatError(file, 'FOCT header', 'does not start with FOCT + FDA/FAA/FDS', 'unknown-format');
  const version = `${header.u32(7, 'version 1')}.${header.u32(11, 'version 2')}`;
  const chunks: TopconChunk[] = [];
  let pos = FOCT_HEADER_BYTES;
  while (pos < source.size) {
    if (chunks.length >= MAX_CHUNKS) throw new FormatError(file, 'chunk list', `more than ${MAX_CHUNKS} chunks`);
    const nameLength = (await readRange(source, pos, 1, `chunk ${chunks.length + 1} name length`))[0] ?? 0;
    if (nameLength === 0) break;
    const at = await readFields(source, pos + 1, nameLength + 4, `chunk ${chunks.length + 1} header`);
    const name = at.text(0, nameLength, 'name');
    if (!/^@[A-Z0-9_]+$/.test(name)) {
      throw new FormatError(file, `chunk ${chunks.length + 1} name`, `at offset ${pos + 1} is not a chunk name (expected @NAME)`);
    }
    const size = at.u32(nameLength, 'size');
    const offset = pos + 1 + nameLength + 4;
    if (offset + size > source.size) {
      throw new FormatError(file, `chunk ${name}`, `${size} bytes at offset ${offset} run past the end of the file (${source.size} bytes; truncated?)`, 'truncated');
    }
    chunks.push({ name, offset, size });
    pos = offset + size;
  }
  return { kind, version, chunks };
}

export function findChunk(foct: FoctFile, name: string): TopconChunk | undefined {
  return foct.chunks.find((c) => c.name === name);
}

export function findChunks(foct: FoctFile, name: string): TopconChunk[] {
  return foct.chunks.filter((c) => c.name === name);
}

/** Reads the first `length` bytes of a chunk (its fixed header), checked against the chunk's size. */
export async function chunkFields(source: ByteSource, chunk: TopconChunk, length: number) {
  if (length > chunk.size) {
    throw new FormatError(source.name, `chunk ${chunk.name}`, `is ${chunk.size} bytes, shorter than its ${length}-byte header`, 'truncated');
  }
  return readFields(source, chunk.offset, length, `chunk ${chunk.name}`);
}
