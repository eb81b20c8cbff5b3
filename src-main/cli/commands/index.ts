import type { Command } from 'commander';
import { registerCheck } from './check';
import { registerConvert } from './convert';
import { registerInfo } from './info';
import { registerInspect } from './inspect';
import { registerReport } from './report';
import { registerEvaluate } from './evaluate';
import { registerExportCsv } from './export-csv';
import { registerExportMasks } from './export-masks';
import { registerImport } from './import';
import { registerList } from './list';
import { registerSegment } from './segment';
import { registerServe } from './serve';

/** Every subcommand, one module each. */
export function registerCommands(program: Command): void {
  registerInfo(program);
  registerCheck(program);
  registerServe(program);
  registerConvert(program);
  registerReport(program);
  registerExportCsv(program);
  registerExportMasks(program);
  registerSegment(program);
  registerImport(program);
  registerInspect(program);
  registerList(program);
  registerEvaluate(program);
}
