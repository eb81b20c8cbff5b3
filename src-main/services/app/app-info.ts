import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AppInfo, EngineStatus } from '../../../src-shared/domain/app-info';
import type { DataFolder } from '../../data-folder';
import { packageRoot, resourcesDir } from '../../resources';
import { sqliteVersion, type CatalogDb } from '../catalog/database';
import { expectedProvider } from './engine-plan';

export type HostKind = AppInfo['host'];

export class AppInfoService {
  private readonly pkg: { productName: string; version: string };

  constructor(
    private readonly folder: DataFolder,
    private readonly db: CatalogDb,
    private readonly host: HostKind,
    private readonly engineStatus: () => EngineStatus = () => ({ engine: 'onnx', executionProvider: null, model: null, problem: 'No segmentation engine configured' }),
  ) {
    this.pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { productName: string; version: string };
  }

  get version(): string {
    return this.pkg.version;
  }

  /** Versions, paths and the engine; before the model has loaded, the provider it is expected to use. */
  async info(): Promise<AppInfo> {
    const engine = this.engineStatus();
    if (engine.executionProvider === null && engine.model !== null) {
      const expected = await expectedProvider(engine.engine).catch(() => null);
      if (expected) engine.expectedProvider = expected;
      if (expected && engine.engine === 'onnx') {
        const { expectedPrecision } = await import('../segmentation/precision');
        engine.expectedPrecision = expectedPrecision(engine.model.id, expected.provider) ?? undefined;
      }
    }
    const versions = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
    return {
      name: this.pkg.productName,
      version: this.pkg.version,
      host: this.host,
      versions: {
        node: versions.node,
        electron: versions.electron ?? null,
        chrome: versions.chrome ?? null,
        sqlite: sqliteVersion(this.db),
        sharp: sharpVersion(),
      },
      paths: {
        home: this.folder.home,
        catalog: this.folder.catalogPath,
        library: this.folder.libraryDir,
        resources: resourcesDir(),
      },
      platform: `${process.platform}-${process.arch}`,
      engine,
    };
  }
}

/** sharp's version from its package.json: loading sharp itself (libvips) would cost `stratum info` ~40 ms. */
function sharpVersion(): string | null {
  try {
    let dir = dirname(createRequire(__filename).resolve('sharp'));
    for (let i = 0; i < 4; i++, dir = dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sharp') return pkg.version ?? null;
    }
    return null;
  } catch {
    return null;
  }
}
