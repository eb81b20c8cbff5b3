import type { Command } from 'commander';
import { registerCheck } from './check';
import { registerInfo } from './info';
import { registerServe } from './serve';

/** Every subcommand, one module each. */
export function registerCommands(program: Command): void {
  registerInfo(program);
  registerCheck(program);
  registerServe(program);
}
