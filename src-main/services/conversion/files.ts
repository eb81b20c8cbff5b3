import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import { builtInClassDictionary, parseClassDictionary, type ClassDictionary } from '../../../src-shared/annotations/classes';

export const IMAGE_EXTENSIONS = new Set(['.jpeg', '.jpg', '.png', '.tif', '.tiff', '.bmp', '.webp']);

export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `${path}: cannot read the ${what} (${code ?? (error as Error).message})`, { file: path });
  }
}

/** Writes via a temp file and a rename, so a crash never leaves half a file where the user expects one. */
export function writeTextFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    throw new AppError('IO', `${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { file: path });
  }
}

export function requireDir(path: string, what: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new AppError('NOT_FOUND', `${path}: the ${what} folder does not exist`, { path });
}

/** The built-in dictionary, or the one a --classes file describes. */
export function loadClassDictionary(path?: string): ClassDictionary {
  return path ? parseClassDictionary(readTextFile(path, 'class file'), path) : builtInClassDictionary();
}

export function stemOf(file: string): string {
  return basename(file, extname(file));
}

/** Image files directly in a folder, by name. */
export function listImages(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()) && statSync(join(dir, f)).isFile())
    .sort();
}

/** The file for an annotated image: its exact name, else the same stem with another image extension. */
export function findImage(dir: string, filename: string, available: readonly string[]): string | undefined {
  const name = basename(filename);
  if (available.includes(name)) return name;
  const stem = stemOf(name).toLowerCase();
  return available.find((f) => stemOf(f).toLowerCase() === stem);
}
