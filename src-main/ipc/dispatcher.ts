import {
  AppError,
  contract,
  isChannelName,
  toWireError,
  type ChannelName,
  type ParsedRequestOf,
  type ResponseOf,
  type WireResult,
} from '../../src-shared/contract';

export type Handler<C extends ChannelName> = (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
/** One handler per channel; the type makes a missing or misspelt channel a compile error. */
export type Handlers = { [C in ChannelName]: Handler<C> };

/**
 * The single entry point both hosts call: unknown channels and malformed payloads are rejected here,
 * before any handler runs; whatever a handler throws becomes a `{code, message, details}` error.
 */
export function createDispatcher(handlers: Handlers) {
  return async function dispatch(channelName: unknown, payload: unknown): Promise<WireResult> {
    if (!isChannelName(channelName)) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channelName).slice(0, 80)}` },
      };
    }
    const parsed = contract[channelName].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'VALIDATION',
          message: `Invalid request for ${channelName}`,
          details: {
            issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
          },
        },
      };
    }
    try {
      const handler = handlers[channelName] as (request: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (!(error instanceof AppError)) console.error(`[ipc] ${channelName} failed`, error);
      return { ok: false, error: toWireError(error) };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
