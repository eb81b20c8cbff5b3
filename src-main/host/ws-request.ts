import type { RawData } from 'ws';
import type { WireError, WsRequest } from '../../src-shared/contract';

/** The id a reply carries when the message had none the client could match it to. */
export const UNMATCHED_ID = -1;

export type ParsedWsMessage = { request: WsRequest } | { id: number; error: WireError };

const SHAPE = 'expected a JSON text message {id: integer, channel: string, payload}';

/**
 * One incoming WebSocket message as a contract request, or the error to answer it with. The reply keeps
 * the message's id whenever one can be read, so a client with a broken request is not left waiting.
 */
export function parseWsRequest(data: RawData, isBinary: boolean): ParsedWsMessage {
  if (isBinary) return refuse(UNMATCHED_ID, `Binary WebSocket messages are not part of the protocol: ${SHAPE}.`);
  let value: unknown;
  try {
    value = JSON.parse(rawToText(data));
  } catch {
    return refuse(UNMATCHED_ID, `Malformed message: not JSON; ${SHAPE}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse(UNMATCHED_ID, `Malformed message: ${SHAPE}.`);
  const { id, channel, payload } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return refuse(UNMATCHED_ID, `Malformed message: "id" must be an integer; ${SHAPE}.`);
  if (typeof channel !== 'string') return refuse(id, `Malformed message: "channel" must be a string; ${SHAPE}.`);
  return { request: { id, channel, payload } };
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function refuse(id: number, message: string): ParsedWsMessage {
  return { id, error: { code: 'VALIDATION', message } };
}
