import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/contract';

/**
 * The content-addressed image library: `library/<aa>/<sha256>.<ext>`, where `aa` is the hash's first two
 * hex digits. Files are written to a temporary name in the same folder and renamed, so a crash never
 * leaves a partial file under a content address.
 */
export class ImageLibrary {
  constructor(readonly dir: string) {}

  relativePath(sha256: string, ext: string): string {
    return `${sha256.slice(0, 2)}/${sha256}.${ext}`;
  }

  absolutePath(relative: string): string {
    return join(this.dir, ...relative.split('/'));
  }

  /** Stores the bytes (whose sha256 the caller computed) and returns the relative path; no-op when present. */
  store(bytes: Buffer, sha256: string, ext: string): string {
    const rel = this.relativePath(sha256, ext);
    const target = this.absolutePath(rel);
    if (existsSync(target)) return rel;
    const folder = join(this.dir, sha256.slice(0, 2));
    const temp = join(folder, `.${sha256}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(temp, bytes);
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw new AppError('IO', `Cannot write ${target}: ${(error as Error).message}`, { path: target });
    }
    return rel;
  }

  read(relative: string): Buffer {
    try {
      return readFileSync(this.absolutePath(relative));
    } catch (error) {
      throw new AppError('IO', `The library file ${relative} cannot be read: ${(error as Error).message}`, { path: relative });
    }
  }

  /** Removes temporary files left by a crash (safe: the catalog lock makes this process the only writer). */
  sweepTemporaries(): number {
    if (!existsSync(this.dir)) return 0;
    let removed = 0;
    for (const entry of readdirSync(this.dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.startsWith('.') && entry.name.endsWith('.tmp')) {
        try {
          unlinkSync(join(entry.parentPath, entry.name));
          removed++;
        } catch {
          /* ignore */
        }
      }
    }
    return removed;
  }
}
