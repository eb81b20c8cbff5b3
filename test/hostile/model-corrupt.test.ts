import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultOf } from '../../src-shared/contract/channels/jobs';
import { createServices } from '../../src-main/services/container';
import { ModelRegistry } from '../../src-main/services/models/registry';
import { SegmentationService } from '../../src-main/services/segmentation/segmentation-service';
import { buildMain } from '../../test-support/main-build';

/**
 * Issue 13 item 4: a trained model whose weights no longer match the checksum on its card (one flipped
 * byte, or cut short) is MODEL_UNAVAILABLE naming the file and both checksums, in the registry, the
 * service and its worker, the catalog path and the CLI. Nothing falls back to the untrained placeholder,
 * which runs only when asked for by id. The models are copies in a temp folder; the shipped ones stay intact.
 */
const ROOT = join(__dirname, '..', '..');
const SHIPPED = join(ROOT, 'resources', 'models');
const SAMPLES = join(ROOT, 'resources', 'samples', 'NORMAL');
const IMAGE = join(SAMPLES, 'NORMAL30.jpeg');
const MODEL = 'stratum-unet-light';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

let work: string;
/** A copy of the package (built CLI, node_modules linked) whose trained model has one byte flipped. */
let pkg: string;
let models: string;
let weights: string;
let expected: string;

/** The message every entry point must carry: the file, the card's checksum and the file's. */
function mismatch(): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`checksum mismatch for ${esc(weights)} .*expected sha256 ${expected}, actual ${sha(weights)}`);
}

beforeAll(() => {
  buildMain();
  work = mkdtempSync(join(tmpdir(), 'stratum-model-corrupt-'));
  pkg = join(work, 'pkg');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'dist', 'main'), join(pkg, 'dist', 'main'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  models = join(pkg, 'resources', 'models');
  cpSync(SHIPPED, models, { recursive: true });
  weights = join(models, MODEL, 'model.onnx');
  expected = (JSON.parse(readFileSync(join(models, MODEL, 'model.json'), 'utf8')) as { sha256: string }).sha256;
  const bytes = readFileSync(weights);
  bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x10;
  writeFileSync(weights, bytes);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a corrupt trained model', () => {
  it('is refused by the registry, naming the file and both checksums; the placeholder only by id', () => {
    const registry = new ModelRegistry(models);
    expect(() => registry.resolve()).toThrow(mismatch());
    expect(() => registry.resolve()).toThrow(expect.objectContaining({ code: 'MODEL_UNAVAILABLE', details: expect.objectContaining({ file: weights, expected, actual: sha(weights) }) }));
    expect(registry.resolve('stratum-placeholder').card).toMatchObject({ id: 'stratum-placeholder', trained: false });
  });

  it('is refused when cut short, saying so', () => {
    const cut = join(work, 'cut');
    cpSync(SHIPPED, cut, { recursive: true });
    const file = join(cut, MODEL, 'model.onnx');
    truncateSync(file, 4096);
    expect(() => new ModelRegistry(cut).resolve()).toThrow(/checksum mismatch for .*model\.onnx.*; 4096 bytes where the card says \d+ \(truncated or extended\)/);
  });

  it('fails the service and its worker with MODEL_UNAVAILABLE and stores nothing in the catalog', async () => {
    const service = new SegmentationService({ modelsRoot: models });
    try {
      expect(service.status()).toMatchObject({ model: null, problem: expect.stringMatching(mismatch()) });
      await expect(service.segmentImage(IMAGE)).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: expect.stringMatching(mismatch()) });
    } finally {
      await service.close();
    }

    const s = createServices({ home: join(work, 'home-service'), host: 'node' });
    const onCatalog = new SegmentationService({ modelsRoot: models }, { scans: s.scans, segmentations: s.segmentations, library: s.library, changes: s.catalog });
    try {
      const job = await s.jobs.wait(s.jobs.start('import', 'Import', (ctx) => s.importer.run(SAMPLES, {}, ctx)));
      const ids = resultOf(job, 'import').scanIds;
      await expect(onCatalog.segmentScans(ids, undefined, { continueOnError: true })).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
      expect(ids.flatMap((id) => s.segmentations.forScan(id))).toEqual([]);
    } finally {
      await onCatalog.close();
      await s.close();
    }
  }, 60_000);

  it('fails `stratum segment` (files and --scan) with a clear error and writes nothing; --model stratum-placeholder says UNTRAINED', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, [join(pkg, 'dist', 'main', 'cli.cjs'), ...args], { encoding: 'utf8', timeout: 120_000 });
    const out = join(work, 'out');
    const r = cli(['segment', IMAGE, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(mismatch());
    expect(r.stderr).toMatch(/\[MODEL_UNAVAILABLE\]/);
    expect(r.stdout + r.stderr).not.toMatch(/UNTRAINED|placeholder/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);

    const home = join(work, 'home-cli');
    expect(cli(['--home', home, 'import', SAMPLES]).status).toBe(0);
    const scan = cli(['--home', home, 'segment', '--scan', '1', '2']);
    expect(scan.status).toBe(1);
    expect(scan.stderr).toMatch(mismatch());
    const db = new Database(join(home, 'catalog.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM segmentations').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }

    const explicit = cli(['segment', IMAGE, '--out', out, '--model', 'stratum-placeholder']);
    expect(explicit.status, explicit.stderr).toBe(0);
    expect(explicit.stderr).toMatch(/model stratum-placeholder .*UNTRAINED placeholder/);
  }, 120_000);
});
