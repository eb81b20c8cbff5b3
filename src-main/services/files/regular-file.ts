/**
 * Inputs must be regular files. Reading a FIFO blocks until someone writes to it (forever, for a CLI
 * run or a job), a device can be endless (/dev/zero) and a folder cannot be read at all, so every place
 * that reads a user's file checks it first: by `stat` (which never opens the path), then again on the
 * descriptor it reads from, opened non-blocking so a FIFO swapped in between cannot hang us either.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { AppError } from '../../../src-shared/contract/errors';

/** "a folder", "a named pipe (FIFO)", ... for messages. */
export function describeFileType(stat: Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

export interface RegularFileOptions {
  /** Refuse files larger than this with TOO_LARGE. */
  maxBytes?: number;
}

function checkStat(path: string, what: string, stat: Stats, options: RegularFileOptions): Stats {
  if (!stat.isFile()) throw new AppError('BAD_INPUT', `${path}: the ${what} is ${describeFileType(stat)}, not a regular file`, { file: path });
  if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
    throw new AppError('TOO_LARGE', `${path}: the ${what} is ${megabytes(stat.size)}, more than the ${megabytes(options.maxBytes)} accepted`, { file: path, bytes: stat.size, maxBytes: options.maxBytes });
  }
  return stat;
}

function ioError(path: string, what: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new AppError('NOT_FOUND', `${path}: no such ${what}`, { file: path });
  return new AppError('IO', `${path}: cannot read the ${what} (${code ?? 'read error'})`, { file: path });
}

/** Throws unless `path` is an existing regular file (a symlink to one is fine); never opens it. */
export function requireRegularFile(path: string, what: string, options: RegularFileOptions = {}): Stats {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    throw ioError(path, what, error);
  }
  return checkStat(path, what, stat, options);
}

/** Reads a whole regular file, refusing FIFOs, devices, folders and (with maxBytes) oversized files. */
export function readRegularFile(path: string, what: string, options: RegularFileOptions = {}): Buffer {
  requireRegularFile(path, what, options);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw ioError(path, what, error);
  }
  try {
    const stat = checkStat(path, what, fstatSync(fd), options);
    const buffer = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === buffer.length ? buffer : buffer.subarray(0, read);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw ioError(path, what, error);
  } finally {
    closeSync(fd);
  }
}

/** The file as UTF-8 text (a leading BOM removed). */
export function readRegularTextFile(path: string, what: string, options: RegularFileOptions = {}): string {
  const text = readRegularFile(path, what, options).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function megabytes(bytes: number): string {
  return bytes >= 1048576 ? `${Math.round((bytes / 1048576) * 10) / 10} MB` : `${bytes} bytes`;
}
