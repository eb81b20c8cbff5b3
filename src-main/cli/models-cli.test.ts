import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../test-support/shared-data';
import { buildMain, runCli } from '../../test/hostile/cli-run';
import { bundledModelsDir } from '../services/models/model-folders';

/**
 * A researcher's retrained model dropped into the data folder with `stratum models add`, made the default,
 * and then used: `info` names it and `segment` runs it (real ONNX inference). A corrupt copy is refused.
 * The "retrained model" is the shipped placeholder's real ONNX file under its own id.
 */
const have = haveSharedData('octid-unannotated', 'NORMAL');
let home: string;
let work: string;

function retrained(id: string): string {
  const dir = join(work, `export-${id}`);
  cpSync(join(bundledModelsDir(), 'stratum-placeholder'), dir, { recursive: true });
  const card = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...card, id, name: 'My retrained UNet', version: '2.0.0', trained: true }));
  return dir;
}

beforeAll(() => {
  if (!have) return;
  buildMain();
  home = mkdtempSync(join(tmpdir(), 'stratum-models-cli-home-'));
  work = mkdtempSync(join(tmpdir(), 'stratum-models-cli-work-'));
}, 120_000);

afterAll(() => {
  if (!have) return;
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { home, timeoutMs: 120_000 });

describe.skipIf(!have)('stratum models', () => {
  it('adds a model to the data folder, makes it the default, and segmentation then runs it', () => {
    const added = cli(['models', 'add', retrained('my-unet'), '--default']);
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toContain(`added my-unet 2.0.0 (My retrained UNet) -> ${join(home, 'models', 'my-unet')}; it is now the default model`);

    const list = JSON.parse(cli(['models', 'list', '--json']).stdout) as { models: { id: string; source: string; isDefault: boolean }[]; defaultModel: { id: string } };
    expect(list.models).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: 'my-unet', source: 'user', isDefault: true }),
      expect.objectContaining({ id: 'stratum-unet-light', source: 'bundled', isDefault: false }),
    ]));
    expect(list.defaultModel).toMatchObject({ id: 'my-unet', chosen: true });
    expect(cli(['info']).stdout).toMatch(/^model\s+My retrained UNet 2\.0\.0 \[my-unet\]$/m);

    const image = join(sharedData('octid-unannotated', 'NORMAL'), readdirSync(sharedData('octid-unannotated', 'NORMAL')).sort()[0]!);
    const seg = cli(['segment', image, '--out', join(work, 'seg'), '--json']);
    expect(seg.status, seg.stderr).toBe(0);
    expect(JSON.parse(seg.stdout).engine.model).toMatchObject({ id: 'my-unet', version: '2.0.0' });
  });

  it('refuses a model whose weights do not match its card, installing nothing', () => {
    const dir = retrained('broken');
    const weights = readFileSync(join(dir, 'model.onnx'));
    weights[1000] = weights[1000]! ^ 0x01;
    writeFileSync(join(dir, 'model.onnx'), weights);
    const r = cli(['models', 'add', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/checksum mismatch for .*model\.onnx .*expected sha256 [0-9a-f]{64}, actual [0-9a-f]{64} \[MODEL_UNAVAILABLE\]/);
    expect(readdirSync(join(home, 'models'))).toEqual(['my-unet']);
  });

  it('removes only your own models; removing the default falls back to the built-in choice', () => {
    const bundled = cli(['models', 'remove', 'stratum-unet-light']);
    expect(bundled.status).toBe(1);
    expect(bundled.stderr).toContain('bundled with Stratum');
    const r = cli(['models', 'remove', 'my-unet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('it was the default, so the built-in choice is the default again');
    expect(cli(['info']).stdout).toMatch(/^model\s+.*\[stratum-unet-light\]$/m);
    expect(cli(['models', 'remove', 'my-unet']).status).toBe(3);
  });
});
