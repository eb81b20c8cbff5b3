import { afterEach, describe, expect, it, vi } from 'vitest';
import { haveSharedData, isCi, SHARED_DATA, sharedData } from './shared-data';

describe('haveSharedData', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('reads CI=1 and CI=true as CI, an empty, 0 or false CI as not', () => {
    expect([isCi({ CI: '1' }), isCi({ CI: 'true' }), isCi({}), isCi({ CI: '0' }), isCi({ CI: 'false' })]).toEqual([true, true, false, false, false]);
  });

  it('is false for a missing folder locally (the suite is skipped) and throws under CI (the suite fails)', () => {
    vi.stubEnv('CI', '');
    expect(haveSharedData('no-such-folder-stratum')).toBe(false);
    vi.stubEnv('CI', '1');
    expect(() => haveSharedData('no-such-folder-stratum', 'x')).toThrow(
      `CI: test data missing: ${sharedData('no-such-folder-stratum', 'x')}`,
    );
  });

  it('points at ../shared/data beside the repository', () => {
    expect(SHARED_DATA).toMatch(/[\\/]shared[\\/]data$/);
    vi.stubEnv('CI', '');
    if (haveSharedData()) expect(haveSharedData('README.md')).toBe(true);
  });
});
