import type { z } from 'zod';
import type { ErrorCode } from './errors';

/**
 * A channel is declared once: the zod schema of its request (parsed in main before any handler runs),
 * the TypeScript type of its response (a phantom, costs nothing at run time) and the error codes its
 * handler may raise besides the universal ones (VALIDATION, INTERNAL).
 */
export interface ChannelSpec<Req extends z.ZodType, Res> {
  readonly request: Req;
  readonly errors: readonly ErrorCode[];
  readonly description: string;
  /** Never read; carries the response type. */
  readonly response?: Res;
}

export function channel<Res>() {
  return <Req extends z.ZodType>(spec: {
    request: Req;
    errors?: readonly ErrorCode[];
    description: string;
  }): ChannelSpec<Req, Res> => ({ errors: [], ...spec });
}

/** Events are pushed by main; declared with their payload type only. */
export interface EventSpec<Payload> {
  readonly description: string;
  readonly payload?: Payload;
}

export function event<Payload>(description: string): EventSpec<Payload> {
  return { description };
}
