// `npm start`: launches the desktop app from the built bundles. Where no Electron binary could be
// installed (ELECTRON_SKIP_BINARY_DOWNLOAD machines), says so and points at the browser host.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';

const require = createRequire(import.meta.url);
let electronPath = null;
try {
  electronPath = require('electron');
} catch {
  /* no binary */
}
if (typeof electronPath !== 'string' || !existsSync(electronPath)) {
  console.error('stratum: no Electron binary is installed on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?).\nRun the same app in your browser instead: npx stratum serve');
  process.exit(1);
}
const child = spawn(electronPath, ['dist/main/electron-main.cjs'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
