import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// electron-builder's own loader and schema check (app-builder-lib and builder-util come with the
// electron-builder devDependency): the test reads electron-builder.yml exactly as packaging will.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration, FuseOptionsV1 } from 'app-builder-lib';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Every fuse the packaged app must have. Typed against electron-builder's FuseOptionsV1, so a
 * misspelt or removed fuse name is a compile error here, and the schema check below catches it in the file.
 */
const REQUIRED_FUSES: Required<Omit<FuseOptionsV1, 'resetAdHocDarwinSignature'>> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};

describe('electron-builder.yml as electron-builder reads it', () => {
  let config: Configuration;

  beforeAll(async () => {
    config = await getConfig(ROOT, resolve(ROOT, 'electron-builder.yml'), null);
  });

  it("passes electron-builder's own schema (unknown or misspelt keys fail)", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it.each(Object.entries(REQUIRED_FUSES) as Array<[keyof FuseOptionsV1, boolean]>)('sets the fuse %s to %s', (fuse, value) => {
    expect(config.electronFuses?.[fuse]).toBe(value);
  });

  it('packs the app into asar (the integrity and only-from-asar fuses depend on it) with the renderer inside', () => {
    expect(config.asar).toBe(true);
    // getConfig normalises `files` into file sets: [{ filter: [...] }].
    const filters = (config.files as Array<{ filter?: string[] }>).flatMap((set) => set.filter ?? []);
    expect(filters).toContain('dist/renderer/**');
    expect(filters).toContain('dist/main/**');
  });

  it('is the file in the repository, not a config from package.json "build"', () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.build).toBeUndefined();
    expect(readFileSync(resolve(ROOT, 'electron-builder.yml'), 'utf8')).toContain('grantFileProtocolExtraPrivileges: false');
  });
});
