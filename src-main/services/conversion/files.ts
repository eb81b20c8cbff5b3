import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { AppError } from '../../../src-shared/contract';
import { ANNOTATION_LIMITS } from '../../../src-shared/annotations/limits';
import { describeFileType, readRegularTextFile } from '../files/regular-file';
import { builtInClassDictionary, parseClassDictionary, type ClassDictionary } from '../../../src-shared/annotations/classes';

export const IMAGE_EXTENSIONS = new Set(['.jpeg', '.jpg', '.png', '.tif', '.tiff', '.bmp', '.webp']);

/** A user's annotation-side text file (labels, COCO, classes, corrections): regular, within the size limit. */
export function readTextFile(path: string, what: string): string {
  return readRegularTextFile(path, what, { maxBytes: ANNOTATION_LIMITS.maxFileBytes });
}

export function requireDir(path: string, what: string): void {
  if (!existsSync(path)) throw new AppError('NOT_FOUND', `${path}: the ${what} folder does not exist`, { path });
  const stat = statSync(path);
  if (!stat.isDirectory()) throw new AppError('BAD_INPUT', `${path}: the ${what} folder is ${describeFileType(stat)}, not a folder`, { path });
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
