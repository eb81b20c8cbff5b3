import type { EngineStatus } from './app-info';

/**
 * The execution provider in words, the same in `stratum info` and the app's status bar: what runs once the
 * model has loaded ("cuda"), before that what the load is expected to choose ("cpu (expected)"), or null.
 */
export function providerText(status: EngineStatus, expectedNote = ' (expected: chosen when the model first loads)'): string | null {
  if (status.executionProvider) return status.executionProvider;
  if (status.expectedProvider) return `${status.expectedProvider.provider}${expectedNote}`;
  return null;
}
