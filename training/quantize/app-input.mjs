// The app's own image decode and model-input preparation (decodeGrey, preprocess), bundled from the
// TypeScript sources with esbuild on first use, so calibration and checks feed the network exactly the
// tensors `stratum segment` feeds it. Also the app's onnxruntime-node.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ort = createRequire(path.join(repoRoot, 'package.json'))('onnxruntime-node');

export async function appInput() {
  const outdir = path.join(repoRoot, 'dist', 'quantize');
  mkdirSync(outdir, { recursive: true });
  const outfile = path.join(outdir, 'app-input.cjs');
  await build({
    stdin: {
      contents: [
        "export { decodeGrey } from './src-main/services/segmentation/segmentation-service';",
        "export { preprocess, mirrorInput, imageWidthInTensor } from './src-main/services/segmentation/preprocess';",
      ].join('\n'),
      resolveDir: repoRoot,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

/** The card's input for one image file: { data, width, height } of the tensor [1, 1, height, width]. */
export async function tensorOf(app, card, file) {
  const img = await app.decodeGrey(file);
  return app.preprocess(card, img.grey, img.width, img.height);
}
