// Bundles the main-side entries (CLI, Electron main, preload, workers) with esbuild.
// Node packages stay external (native modules and data files must be loaded from node_modules),
// except for the preload: a sandboxed preload can only require 'electron', so it is fully bundled.
import { build } from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  outdir: 'dist/main',
  outExtension: { '.js': '.cjs' },
};

const workerDir = 'src-main/workers';
const workers = existsSync(workerDir)
  ? readdirSync(workerDir).filter((f) => f.endsWith('.worker.ts')).map((f) => `${workerDir}/${f}`)
  : [];

await Promise.all([
  build({
    ...common,
    packages: 'external',
    entryPoints: { cli: 'src-main/cli/main.ts', 'electron-main': 'src-main/electron/main.ts' },
  }),
  workers.length > 0 &&
    build({ ...common, packages: 'external', outdir: 'dist/main/workers', entryPoints: workers }),
  build({ ...common, external: ['electron'], entryPoints: { preload: 'src-main/electron/preload.ts' } }),
]);
console.log(`built dist/main (cli, electron-main, preload, ${workers.length} workers)`);
