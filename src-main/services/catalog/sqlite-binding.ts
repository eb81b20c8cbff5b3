import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../resources';

/**
 * better-sqlite3 options for this runtime. Inside unpackaged Electron, node_modules' better-sqlite3 is
 * built for Node; the postinstall script builds an Electron copy under .native/electron (see
 * scripts/rebuild-native-for-electron.mjs). Shared by the catalog and its lock, which both open SQLite.
 */
export function sqliteBinding(): Database.Options {
  if (!process.versions.electron) return {};
  const candidate = join(packageRoot(), '.native', 'electron', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return existsSync(candidate) ? { nativeBinding: candidate } : {};
}
