import { describe, expect, it } from 'vitest';
import { defaultHome, resolveHome } from './data-folder';

describe('data folder resolution', () => {
  it('--home beats STRATUM_HOME beats the per-user default', () => {
    expect(resolveHome('/a', { STRATUM_HOME: '/b' })).toBe('/a');
    expect(resolveHome(undefined, { STRATUM_HOME: '/b' })).toBe('/b');
    expect(resolveHome(undefined, { XDG_CONFIG_HOME: '/cfg' })).toMatch(/Stratum$/);
  });
  it('matches Electron userData for productName Stratum on each platform', () => {
    expect(defaultHome('linux', { XDG_CONFIG_HOME: '/x' })).toBe('/x/Stratum');
    expect(defaultHome('win32', { APPDATA: 'C:/Users/u/AppData/Roaming' })).toMatch(/Roaming.Stratum$/);
    expect(defaultHome('darwin', {})).toMatch(/Library.Application Support.Stratum$/);
  });
});
