/**
 * Results as the contract carries them (`{ok: true, value} | {ok: false, error}`), unwrapped for tests:
 * a failed call fails the test with its error code and message instead of a bare `expected false to be true`.
 */
import { AppError, toWireError, type ChannelName, type ResponseOf, type WireError, type WireResult } from '../src-shared/contract';

/**
 * The value of a successful result; throws (failing the test) with the error's code and message
 * otherwise. Given the channel, the value is typed by the contract's response type (as the renderer's
 * ApiClient types it), so a test never casts a result by hand.
 */
export function expectOk<C extends ChannelName>(result: WireResult, channel: C): ResponseOf<C>;
export function expectOk(result: WireResult): unknown;
export function expectOk(result: WireResult, channel?: ChannelName): unknown {
  if (!result.ok) throw new Error(`${channel ?? 'call'} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** The error of a failed result; throws (failing the test) when the call succeeded. */
export function expectErr(result: WireResult, channel?: ChannelName): WireError {
  if (result.ok) throw new Error(`${channel ?? 'call'} succeeded but was expected to fail`);
  return result.error;
}

/**
 * What `fn` throws, as it would cross the boundary to the user (toWireError); fails the test when
 * `fn` does not throw or throws anything but an AppError (which would reach users as INTERNAL).
 */
export function appErrorFrom(fn: () => unknown): WireError {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof AppError)) {
      throw new Error(`expected an AppError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
    }
    return toWireError(error);
  }
  throw new Error('expected an AppError, but nothing was thrown');
}
