import { AppError } from '../contract/errors';

/**
 * JSON.parse for a user's file: a parse error becomes BAD_INPUT naming the file and the line and column.
 * Never the parser's own message: V8 quotes the text around the error ("root:x:0:0"...), and the file
 * may be anything the user pointed at (/etc/shadow), so no byte of it goes into an error.
 */
export function parseJsonFile(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_INPUT', `${source}: not JSON (${describeJsonError(text, (error as Error).message)})`, { file: source });
  }
}

function describeJsonError(text: string, message: string): string {
  if (/end of JSON input/i.test(message)) return 'the file ends before the JSON does';
  const at = /position (\d+)/.exec(message);
  const position = at ? Number(at[1]) : firstBadPosition(text);
  if (position === null) return 'invalid JSON';
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `invalid JSON at line ${line}, column ${position - before.lastIndexOf('\n')}`;
}

/** Where V8 gave no position: the first character that cannot start a JSON value, when that is the cause. */
function firstBadPosition(text: string): number | null {
  const start = text.search(/\S/);
  if (start < 0) return 0;
  return /[[{"\-0-9tfn]/.test(text[start]!) ? null : start;
}

/**
 * A string from a user's file as it may appear in a message: quoted, control characters escaped, at
 * most `max` characters. Labels and image names are worth echoing (they say where); whole values are not.
 */
export function quoted(value: unknown, max = 60): string {
  const s = String(value);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
