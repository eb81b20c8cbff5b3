/**
 * Every output the user asked for (reports, CSV/JSON exports, masks, labels files) is written to a temp
 * file in the destination's folder and renamed over the destination once complete and flushed. A crash,
 * a kill or a failing writer therefore leaves either the old file or the whole new one, never half of one
 * (the temp name starts with a dot and ends in .tmp). Targets are checked first: nothing under /proc,
 * /sys or /dev (writes there loop or hang), nothing that exists and is not a regular file.
 */
import { accessSync, constants, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, closeSync, realpathSync, renameSync, rmSync, statSync, writeSync, type WriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { AppError } from '../../../src-shared/contract/errors';
import { describeFileType } from './regular-file';

const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function writeError(path: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new AppError('IO', `${path}: cannot write (${code ?? (error as Error).message})`, { path });
}

/** The path itself when it exists, else its nearest existing ancestor. */
function nearestExisting(path: string): string {
  let p = resolve(path);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) return p;
    p = up;
  }
  return p;
}

/** The nearest existing ancestor, resolved through symlinks (so a link into /proc is caught too). */
function realAncestor(path: string): string {
  const p = nearestExisting(path);
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function refuseSystemFolder(path: string, what: string): void {
  const real = realAncestor(path);
  const root = SYSTEM_ROOTS.find((r) => real === r || real.startsWith(`${r}${sep}`));
  if (root) throw new AppError('BAD_INPUT', `${path}: cannot write the ${what} under ${root} (a system folder)`, { path });
}

export interface OutputFileOptions {
  /** Replace an existing regular file (default true); false refuses it with CONFLICT. */
  overwrite?: boolean;
  /** How the user allows overwriting, for the CONFLICT message (e.g. "--force"). */
  overwriteHint?: string;
}

/**
 * Checks an output file path before any work: not under a system folder, not an existing folder, FIFO
 * or device, and (with overwrite: false) not an existing file. Creates no file or folder.
 */
export function checkOutputFile(path: string, what: string, options: OutputFileOptions = {}): void {
  refuseSystemFolder(path, what);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    requireFolderAbove(path, what);
    return;
  }
  if (!stat.isFile()) throw new AppError('BAD_INPUT', `${path}: the ${what} target is ${describeFileType(stat)}, not a regular file`, { path });
  if (options.overwrite === false) {
    throw new AppError('CONFLICT', `${path}: the ${what} already exists${options.overwriteHint ? `; pass ${options.overwriteHint} to replace it` : ''}`, { path });
  }
}

/** The folder a new file will go into must be a folder we may write to (or be creatable in one). */
function requireFolderAbove(path: string, what: string): void {
  const above = nearestExisting(dirname(resolve(path)));
  const stat = statSync(above);
  if (!stat.isDirectory()) throw new AppError('BAD_INPUT', `${path}: cannot create the ${what}: ${above} is ${describeFileType(stat)}, not a folder`, { path });
  try {
    accessSync(above, constants.W_OK);
  } catch {
    throw new AppError('IO', `${path}: cannot create the ${what}: ${above} is not writable`, { path });
  }
}

/** Checks an output folder (not under a system folder, not an existing file) and creates it. */
export function prepareOutputDir(path: string, what: string): void {
  refuseSystemFolder(path, what);
  let stat;
  try {
    stat = statSync(path);
  } catch {
    stat = undefined;
  }
  if (stat && !stat.isDirectory()) throw new AppError('BAD_INPUT', `${path}: the ${what} folder is ${describeFileType(stat)}, not a folder`, { path });
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw writeError(path, error);
  }
}

/** Writes `data` to `path` atomically (temp file in the same folder, fsync, rename). Creates the folder. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  checkOutputFile(path, 'output');
  const tmp = tempPathFor(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'wx');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw writeError(path, error);
  }
}

/** The same, without blocking the event loop on the write. */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array): Promise<void> {
  checkOutputFile(path, 'output');
  const tmp = tempPathFor(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw writeError(path, error);
  }
}

/**
 * A stream into a temp file beside `path`: `commit()` ends it, flushes and renames it into place;
 * `discard()` removes it. For outputs written piece by piece (a combined batch PDF).
 */
export class AtomicFileStream {
  readonly stream: WriteStream;
  private readonly tmp: string;
  private readonly finished: Promise<void>;

  constructor(readonly path: string) {
    checkOutputFile(path, 'output');
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempPathFor(path);
    this.stream = createWriteStream(this.tmp, { flags: 'wx' });
    this.finished = new Promise((resolveFinished, reject) => {
      this.stream.on('finish', () => resolveFinished());
      this.stream.on('error', reject);
    });
    this.finished.catch(() => undefined);
  }

  /** Resolves when the producer piped into `stream` has ended it and the data is on disk under `path`. */
  async commit(): Promise<void> {
    try {
      await this.finished;
      const fd = openSync(this.tmp, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      await rename(this.tmp, this.path);
    } catch (error) {
      await this.discard();
      throw writeError(this.path, error);
    }
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.tmp, { force: true });
  }
}
