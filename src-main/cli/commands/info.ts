import type { Command } from 'commander';
import { printJson, withServices } from '../context';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('Show versions, the data folder and the active model and engine')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withServices(command, async (s) => {
        const info = s.appInfo.info();
        if (opts.json) return printJson(info);
        const model = info.engine.model;
        process.stdout.write(
          [
            `${info.name} ${info.version} (${info.platform}, node ${info.versions.node})`,
            `data folder  ${info.paths.home}`,
            `catalog      ${info.paths.catalog} (SQLite ${info.versions.sqlite})`,
            `library      ${info.paths.library}`,
            `engine       ${info.engine.engine}${info.engine.executionProvider ? ` / ${info.engine.executionProvider}` : ''}`,
            `model        ${model ? `${model.name} ${model.version}${model.trained ? '' : ' (UNTRAINED placeholder)'}` : `none: ${info.engine.problem ?? 'unknown'}`}`,
          ].join('\n') + '\n',
        );
      });
    });
}
