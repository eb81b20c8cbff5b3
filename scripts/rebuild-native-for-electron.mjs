// postinstall: where an Electron binary is present, build a second copy of better-sqlite3 for
// Electron's ABI under .native/electron/, leaving node_modules' copy built for Node so the CLI and
// the tests keep working. (sharp and onnxruntime-node are N-API and need no rebuild.) The catalog
// loads the Electron copy via better-sqlite3's `nativeBinding` option when running inside Electron.
// Packaged apps don't use this: electron-builder rebuilds for Electron itself (npmRebuild).
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('stratum: ELECTRON_SKIP_BINARY_DOWNLOAD is set; skipping the Electron rebuild of better-sqlite3 (CLI, Node host and tests use Node\'s build).');
  process.exit(0);
}
let electronPath = null;
try {
  electronPath = require('electron');
} catch {
  /* no binary */
}
if (typeof electronPath !== 'string' || !existsSync(electronPath)) {
  console.log('stratum: no Electron binary; skipping the Electron rebuild of better-sqlite3.');
  process.exit(0);
}
const electronVersion = require('electron/package.json').version;
const source = join('node_modules', 'better-sqlite3');
const target = join('.native', 'electron', 'better-sqlite3');
try {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(source, target, { recursive: true, filter: (p) => !p.includes(`${join(source, 'build')}`) });
  execFileSync(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: target, stdio: 'inherit' });
  console.log(`stratum: better-sqlite3 built for Electron ${electronVersion} in ${target}`);
} catch (error) {
  console.warn(`stratum: could not build better-sqlite3 for Electron (${error.message}); \`npm start\` will fail to open the catalog until this succeeds.`);
}
