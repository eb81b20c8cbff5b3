import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../src-shared/contract/errors';

/**
 * Where `resources/` lives: next to the package in development and for the CLI, under
 * process.resourcesPath in a packaged Electron app (electron-builder's extraResources).
 */
export function resourcesDir(): string {
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'resources', 'models'))) return join(packaged, 'resources');
  return join(packageRoot(), 'resources');
}

/** The folder holding package.json; the bundles live in dist/main, so walk up from there. */
export function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return resolve(__dirname, '..', '..');
}

/**
 * A bundled worker thread's file (`name`, e.g. 'inference.worker.cjs'): beside the running bundle (dist/main/workers),
 * else in the package's dist/main/workers (an unbundled entry: tests, scripts). NOT_AVAILABLE names the build command.
 */
export function builtWorkerPath(name: string, what: string): string {
  const candidates = [join(__dirname, 'workers', name), join(packageRoot(), 'dist', 'main', 'workers', name)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new AppError('NOT_AVAILABLE', `The ${what} worker is not built; run \`npm run build:main\``, { candidates });
  return found;
}
