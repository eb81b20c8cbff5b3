import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, EngineStatus } from '../../../src-shared/domain/app-info';
import type { DataFolder } from '../../data-folder';
import { packageRoot, resourcesDir } from '../../resources';
import type { CatalogDb } from '../catalog/database';

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

  info(): AppInfo {
    const versions = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
    return {
      name: this.pkg.productName,
      version: this.pkg.version,
      host: this.host,
      versions: {
        node: versions.node,
        electron: versions.electron ?? null,
        chrome: versions.chrome ?? null,
        sqlite: (this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
        sharp: sharpVersion(),
      },
      paths: {
        home: this.folder.home,
        catalog: this.folder.catalogPath,
        library: this.folder.libraryDir,
        resources: resourcesDir(),
      },
      platform: `${process.platform}-${process.arch}`,
      engine: this.engineStatus(),
    };
  }
}

function sharpVersion(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('sharp') as { versions: { sharp?: string } }).versions.sharp ?? null;
  } catch {
    return null;
  }
}
