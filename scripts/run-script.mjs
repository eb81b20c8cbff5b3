// `node scripts/run-script.mjs scripts/<name>.ts [args...]`: bundles one TypeScript script with esbuild
// (as the benchmarks are, scripts/bench/run-all.mjs) into dist/scripts/ and runs it with its arguments.
// Scripts that segment need the built worker: `npm run build:main` first.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry || !entry.endsWith('.ts')) {
  console.error('usage: node scripts/run-script.mjs scripts/<name>.ts [args...]');
  process.exit(2);
}
const outfile = `dist/scripts/${basename(entry, '.ts')}.cjs`;
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
