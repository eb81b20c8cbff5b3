import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
