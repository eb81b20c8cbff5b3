/**
 * File-backed ByteSources for the pure readers (src-shared/formats): random access through one
 * fs.promises FileHandle, so a reader pulls a header or one B-scan at a time and a whole volume never
 * has to sit in memory. Only regular files are opened (a FIFO or a device would hang or never end), and
 * only files inside the export folder are offered to a multi-file reader.
 */
import { constants } from 'node:fs';
import { open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import type { ByteSource, SiblingFiles } from '../../../src-shared/formats/types';
import { describeFileType } from '../files/regular-file';

export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

function ioError(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new AppError('NOT_FOUND', `${path}: no such file`, { file: path });
  return new AppError('IO', `${path}: cannot read the file (${code ?? 'read error'})`, { file: path });
}

/** Opens a regular file for random access. The caller closes it. */
export async function openFileSource(path: string, name = path): Promise<FileByteSource> {
  let handle: FileHandle;
  try {
    const before = await stat(path);
    if (!before.isFile()) throw new AppError('BAD_INPUT', `${name}: is ${describeFileType(before)}, not a regular file`, { file: name });
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw error instanceof AppError ? error : ioError(name, error);
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new AppError('BAD_INPUT', `${name}: is ${describeFileType(info)}, not a regular file`, { file: name });
  }
  let closed = false;
  return {
    name,
    size: info.size,
    read: async (offset, length) => {
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) break; // the file shrank under us: the reader reports the short read
        filled += bytesRead;
      }
      return filled === length ? buffer : buffer.subarray(0, filled);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

/** A ByteSource that opens the file for each read and closes it at once (siblings read once, whole). */
async function transientFileSource(path: string, name: string): Promise<ByteSource> {
  const probe = await openFileSource(path, name);
  const size = probe.size;
  await probe.close();
  return {
    name,
    size,
    read: async (offset, length) => {
      const source = await openFileSource(path, name);
      try {
        return await source.read(offset, length);
      } finally {
        await source.close();
      }
    },
  };
}

const MAX_SIBLING_DEPTH = 3;
const MAX_SIBLINGS = 20_000;

/**
 * The files of an export folder, for readers that pair an index with its images (Heidelberg XML +
 * TIFF). Lists regular files up to three folders deep; opens only paths that resolve inside the folder.
 */
export function folderSiblings(folder: string, displayFolder = folder): SiblingFiles {
  let listing: Promise<string[]> | null = null;
  return {
    list: () => (listing ??= listFiles(folder)),
    open: async (relativePath) => {
      const parts = relativePath.split('/');
      if (parts.some((p) => p === '..' || p === '' || p.includes('\\'))) {
        throw new AppError('BAD_INPUT', `${displayFolder}: ${relativePath} is not a path inside the export folder`, { file: displayFolder });
      }
      const path = join(folder, ...parts);
      const [root, real] = await Promise.all([realpath(folder), realpath(path).catch((e: unknown) => Promise.reject(ioError(join(displayFolder, ...parts), e)))]);
      if (real !== root && !real.startsWith(root + sep)) {
        throw new AppError('BAD_INPUT', `${join(displayFolder, ...parts)}: leads outside the export folder`, { file: displayFolder });
      }
      return transientFileSource(real, join(displayFolder, ...parts));
    },
  };
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable subfolder holds nothing we can pair
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (out.length >= MAX_SIBLINGS) return;
      const path = join(dir, entry.name);
      if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
      else if (entry.isDirectory() && depth < MAX_SIBLING_DEPTH) await walk(path, depth + 1);
    }
  };
  await walk(root, 0);
  return out;
}
