import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userPath } from './user-path';

describe('userPath', () => {
  it('expands a leading ~ to the home folder, as a shell does', () => {
    expect(userPath('~/Downloads')).toBe(join(homedir(), 'Downloads'));
    expect(userPath('~')).toBe(homedir());
    expect(userPath('~/a/../b', '/home/x')).toBe('/home/x/b');
  });

  it('leaves other paths as resolve() does (no ~ in the middle, no ~user)', () => {
    expect(userPath('scans/~/x')).toBe(resolve('scans/~/x'));
    expect(userPath('~bob/x')).toBe(resolve('~bob/x'));
    expect(userPath('/abs/path')).toBe('/abs/path');
  });
});
