import { AppError } from '../contract/errors';

/** JSON.parse for a user's file: a parse error becomes BAD_INPUT naming the file. */
export function parseJsonFile(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('BAD_INPUT', `${source}: not JSON (${(error as Error).message})`, { file: source });
  }
}
