import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANONICAL_CLASS_ORDER, LABEL_ALIASES, classIndexForLabel, classSpellings, normaliseClassLabel } from '../src-shared/domain/layers';
import { LAYERS_JSON_PATH, layersJson, layersJsonText } from './layers-json';

const ROOT = join(__dirname, '..');

describe('training/stratum_train/layers.generated.json', () => {
  it('is what the layer table generates today (run `npm run generate:layers` after changing layers.ts)', () => {
    expect(readFileSync(join(ROOT, LAYERS_JSON_PATH), 'utf8')).toBe(layersJsonText());
  });

  it('the script writes exactly that text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratum-layers-json-'));
    try {
      const out = join(dir, 'layers.json');
      execFileSync(process.execPath, [join(ROOT, 'scripts/generate-layers-json.mjs'), '--out', out]);
      expect(readFileSync(out, 'utf8')).toBe(layersJsonText());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every class in canonical order and resolves every alias as the app does', () => {
    const json = layersJson();
    expect(json.classes).toEqual(CANONICAL_CLASS_ORDER.map((name, index) => ({ index, name })));
    expect(json.generatedFrom).toBe('src-shared/domain/layers.ts');
    // a Python reader doing label.strip().lower() finds every spelling of the table, at the app's class
    for (const { index, spellings } of classSpellings()) {
      for (const s of spellings) {
        expect(json.aliases[s.trim().toLowerCase()], s).toBe(index);
        expect(classIndexForLabel(s), s).toBe(index);
      }
    }
    // and every key of the JSON means to the app what it means to Python
    for (const [alias, index] of Object.entries(json.aliases)) expect(LABEL_ALIASES.get(normaliseClassLabel(alias)), alias).toBe(index);
  });
});
