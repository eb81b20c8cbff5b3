// `npm run generate:layers`: writes training/stratum_train/layers.generated.json from the layer table
// (src-shared/domain/layers.ts) so the Python training reads the app's class names and label aliases.
// Usage: node scripts/generate-layers-json.mjs [--out FILE]   (default: the committed file)
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// the builder is TypeScript: bundle it in memory and import the result
const bundled = await build({ entryPoints: [join(root, 'scripts/layers-json.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'warning' });
const mod = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? resolve(process.argv[outAt + 1]) : join(root, mod.LAYERS_JSON_PATH);
writeFileSync(out, mod.layersJsonText());
console.log(`wrote ${out}`);
