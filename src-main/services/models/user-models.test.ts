import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledModelsDir, modelRoots, userModelsDir } from './model-folders';
import { ModelRegistry } from './registry';
import { UserModels } from './user-models';
import { readSettings } from '../app/settings';

/** A researcher's retrained model: a copy of the shipped placeholder's real ONNX file under its own id. */
function retrained(dir: string, id: string, patch: Record<string, unknown> = {}): string {
  const out = join(dir, `training-run-${id}`);
  cpSync(join(bundledModelsDir(), 'stratum-placeholder'), out, { recursive: true });
  const card = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(out, 'model.json'), JSON.stringify({ ...card, id, name: `Retrained ${id}`, trained: true, ...patch }));
  return out;
}

let home: string;
let work: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stratum-models-home-'));
  work = mkdtempSync(join(tmpdir(), 'stratum-models-src-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('the user models folder', () => {
  it('adds a verified model into the data folder, lists it beside the bundled ones and can make it the default', () => {
    const models = new UserModels(home);
    const entry = models.add(retrained(work, 'my-unet'));
    expect(entry).toMatchObject({ source: 'user', dir: join(userModelsDir(home), 'my-unet') });
    expect(existsSync(join(userModelsDir(home), 'my-unet', 'model.onnx'))).toBe(true);

    const listing = models.list();
    expect(listing.models.map((m) => `${m.card.id}:${m.source}`)).toEqual(expect.arrayContaining(['my-unet:user', 'stratum-unet-light:bundled']));
    expect(listing.defaultModel).toEqual({ id: 'stratum-unet-light', chosen: false });

    models.setDefault('my-unet');
    expect(readSettings(home).defaultModel).toBe('my-unet');
    expect(new ModelRegistry(modelRoots(home), 'my-unet').resolve().card.id).toBe('my-unet');
    expect(models.list().defaultModel).toEqual({ id: 'my-unet', chosen: true });
  });

  it('refuses a model whose weights do not match its card, and installs nothing', () => {
    const src = retrained(work, 'bad-weights');
    const weights = readFileSync(join(src, 'model.onnx'));
    weights[weights.length >> 1] = weights[weights.length >> 1]! ^ 0x01;
    writeFileSync(join(src, 'model.onnx'), weights);
    expect(() => new UserModels(home).add(src)).toThrow(expect.objectContaining({ code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(/checksum mismatch/) }));
    expect(existsSync(userModelsDir(home)) ? readdirSync(userModelsDir(home)) : []).toEqual([]);
  });

  it('refuses an invalid card, a weights path outside the folder, links, and a clash with a bundled id', () => {
    const models = new UserModels(home);
    expect(() => models.add(retrained(work, 'no-classes', { output: { name: 'logits', classOrder: ['a'] } }))).toThrow(/card is invalid .*classOrder/);
    expect(() => models.add(retrained(work, 'escape', { file: '../../etc/passwd' }))).toThrow(/outside the model's folder/);
    const linked = retrained(work, 'linked');
    symlinkSync('/etc/hostname', join(linked, 'notes.txt'));
    expect(() => models.add(linked)).toThrow(/link or a special file/);
    expect(() => models.add(retrained(work, 'stratum-unet-light'))).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/bundled model has that id/) }));
    expect(() => models.add(join(work, 'nowhere'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(existsSync(userModelsDir(home)) ? readdirSync(userModelsDir(home)) : []).toEqual([]);
  });

  it('replaces its own model only when asked, removes it and clears the default; bundled models stay', () => {
    const models = new UserModels(home);
    models.add(retrained(work, 'v'));
    models.setDefault('v');
    expect(() => models.add(retrained(join(work), 'v', { version: '2.0.0' }))).toThrow(/--replace/);
    expect(models.add(join(work, 'training-run-v'), { replace: true }).card.version).toBe('2.0.0');
    expect(readdirSync(userModelsDir(home))).toEqual(['v']); // no temporary folders left
    expect(() => models.remove('stratum-unet-light')).toThrow(/bundled/);
    expect(models.remove('v')).toEqual({ removed: 'v', defaultCleared: true });
    expect(readSettings(home).defaultModel).toBeNull();
    expect(() => models.remove('v')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('never runs another model when the chosen default is corrupt', () => {
    const models = new UserModels(home);
    models.add(retrained(work, 'mine'));
    models.setDefault('mine');
    const weights = join(userModelsDir(home), 'mine', 'model.onnx');
    const bytes = readFileSync(weights);
    bytes[100] = bytes[100]! ^ 0x01;
    writeFileSync(weights, bytes);
    expect(() => new ModelRegistry(modelRoots(home), 'mine').resolve()).toThrow(/default model chosen in the settings cannot be used: Model "mine": checksum mismatch/);
    expect(models.list().defaultModel).toEqual({ problem: expect.stringMatching(/checksum mismatch/) });
    expect(() => models.setDefault('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
