import { homedir } from 'node:os';
import { resolve } from 'node:path';

/**
 * A path as a person typed it: a leading `~` is their home folder, as in a shell (`~/Downloads`,
 * `~` alone). Shells expand it on a command line, but not in the app's path field, a quoted argument
 * or `--out=~/x`, where it would otherwise name a folder called "~" under the current directory.
 * `~user` is left alone: only the own home is meant. Then resolved to an absolute path.
 */
export function userPath(path: string, home = homedir()): string {
  if (path === '~') return resolve(home);
  if (path.startsWith('~/') || path.startsWith('~\\')) return resolve(home, path.slice(2));
  return resolve(path);
}
