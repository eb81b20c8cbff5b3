import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData } from '../../../test-support/shared-data';
import type { InstalledModels } from '../../../src-shared/domain/installed-models';
import { packageRoot } from '../../resources';
import { createServices, type Services } from '../../services/container';
import { bundledModelsDir } from '../../services/models/model-folders';
import { createDispatcher } from '../dispatcher';
import { createHandlers } from '.';

// The real registry over the bundled models and a temp data folder; segmentation runs the built worker.
const built = existsSync(join(packageRoot(), 'dist', 'main', 'workers', 'inference.worker.cjs'));
const haveData = haveSharedData('octid-unannotated', 'NORMAL');
const FLOAT = 'stratum-unet-light';
const INT8 = 'stratum-unet-light-int8';
const chosen = existsSync(join(bundledModelsDir(), INT8, 'model.json')) ? INT8 : FLOAT;

let s: Services | null = null;
let home = '';
afterEach(async () => {
  await s?.close();
  s = null;
  rmSync(home, { recursive: true, force: true });
});

function dispatcher() {
  home = mkdtempSync(join(tmpdir(), 'stratum-models-'));
  s = createServices({ home, host: 'node' });
  return createDispatcher(createHandlers(s));
}

const value = (r: { ok: boolean; value?: unknown }) => {
  expect(r.ok).toBe(true);
  return r.value as InstalledModels;
};

describe('app.models / app.setDefaultModel', () => {
  it('lists the bundled models with precision and source, and a chosen default is saved in the settings', async () => {
    const dispatch = dispatcher();
    const before = value(await dispatch('app.models', {}));
    expect(before.defaultModel).toEqual({ id: FLOAT, chosen: false });
    expect(before.models.find((m) => m.id === FLOAT)).toMatchObject({ source: 'bundled', precision: 'float32', trained: true, valid: true, isDefault: true });
    if (chosen === INT8) expect(before.models.find((m) => m.id === INT8)).toMatchObject({ precision: 'int8', isDefault: false });

    const after = value(await dispatch('app.setDefaultModel', { id: chosen }));
    expect(after.defaultModel).toEqual({ id: chosen, chosen: true });
    expect(after.models.filter((m) => m.isDefault).map((m) => m.id)).toEqual([chosen]);
    expect(value(await dispatch('app.models', {})).defaultModel).toEqual({ id: chosen, chosen: true });
    expect(JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8'))).toMatchObject({ defaultModel: chosen });

    expect(value(await dispatch('app.setDefaultModel', { id: null })).defaultModel).toEqual({ id: FLOAT, chosen: false });
  });

  it('refuses an unknown id, a path, and a corrupt model, and keeps the default it had', async () => {
    const dispatch = dispatcher();
    value(await dispatch('app.setDefaultModel', { id: FLOAT }));
    expect(await dispatch('app.setDefaultModel', { id: 'no-such-model' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('no-such-model') } });
    expect(await dispatch('app.setDefaultModel', { id: '../models' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // a user's model whose weights no longer match its card
    const broken = join(home, 'models', 'my-broken-model');
    cpSync(join(bundledModelsDir(), 'stratum-placeholder'), broken, { recursive: true });
    const card = JSON.parse(readFileSync(join(broken, 'model.json'), 'utf8'));
    writeFileSync(join(broken, 'model.json'), JSON.stringify({ ...card, id: 'my-broken-model' }));
    writeFileSync(join(broken, card.file), 'not the weights');
    expect(await dispatch('app.setDefaultModel', { id: 'my-broken-model' })).toMatchObject({ ok: false, error: { code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(/checksum mismatch/) } });
    const listed = value(await dispatch('app.models', {}));
    expect(listed.models.find((m) => m.id === 'my-broken-model')).toMatchObject({ source: 'user', valid: false, isDefault: false, problem: expect.stringMatching(/checksum/) });
    expect(listed.defaultModel).toEqual({ id: FLOAT, chosen: true });
  });

  it.skipIf(!built || !haveData)('the next segmentation runs the new default, without a restart', async () => {
    const dispatch = dispatcher();
    const image = join(sharedData('octid-unannotated', 'NORMAL'), readdirSync(sharedData('octid-unannotated', 'NORMAL')).sort()[0]!);
    const first = await s!.segmentation.segmentImage(image);
    expect(first.summary.model.id).toBe(FLOAT);

    value(await dispatch('app.setDefaultModel', { id: chosen }));
    expect(s!.segmentation.status().model?.id).toBe(chosen);
    const loaded = await s!.segmentation.load();
    expect(loaded.model?.id).toBe(chosen);
    const second = await s!.segmentation.segmentImage(image);
    expect(second.summary.model.id).toBe(chosen);
    if (chosen === INT8) expect(second.summary.engine.precision).toBe('int8');
  }, 60_000);
});
