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

// The CLI starts once per command, so its start-up is what a user waits on (target: `stratum --help`, `info`,
// `list` under 0.3 s). Commands load lazily (cli/commands/index.ts); zod and commander, which every command
// needs, are bundled in: loading zod from node_modules alone resolves and reads ~235 files at each start.
const INLINED_IN_CLI = ['zod', 'commander'];
const externalExceptInlined = {
  name: 'external-except-inlined',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const pkg = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return INLINED_IN_CLI.includes(pkg) ? undefined : { path: args.path, external: true };
    });
  },
};

await Promise.all([
  build({ ...common, plugins: [externalExceptInlined], entryPoints: { cli: 'src-main/cli/main.ts' } }),
  build({
    ...common,
    packages: 'external',
    entryPoints: { 'electron-main': 'src-main/electron/main.ts' },
  }),
  // the workers inline zod too: each starts on the critical path of a cold `stratum segment` (the inference
  // worker) or once per vendor file (the series import worker); loading the inference worker's module took
  // ~95 ms with zod read from node_modules, ~70 ms with it inlined (most of the rest: the contract's schemas)
  workers.length > 0 &&
    build({ ...common, plugins: [externalExceptInlined], outdir: 'dist/main/workers', entryPoints: workers }),
  build({ ...common, external: ['electron'], entryPoints: { preload: 'src-main/electron/preload.ts' } }),
]);
console.log(`built dist/main (cli, electron-main, preload, ${workers.length} workers)`);
