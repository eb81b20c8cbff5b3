// `npm run bench [name...]`: bundles scripts/bench/<name>.bench.ts with esbuild and runs each in its
// own process, printing its figures. Benchmarks are scripts, never timed tests.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const wanted = process.argv.slice(2);
const all = readdirSync('scripts/bench').filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
const names = wanted.length ? wanted : all;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark ${name}; have: ${all.join(', ')}`);
    process.exit(2);
  }
}
await build({
  entryPoints: names.map((n) => `scripts/bench/${n}.bench.ts`),
  outdir: 'dist/bench',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
});
let failed = false;
for (const name of names) {
  console.log(`\n=== bench: ${name} ===`);
  const r = spawnSync(process.execPath, [`dist/bench/${name}.bench.cjs`], { stdio: 'inherit' });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
