import type { Command } from 'commander';
import type { EngineStatus } from '../../../src-shared/domain/app-info';
import { providerText } from '../../../src-shared/domain/engine-text';
import { userModelsDir } from '../../services/models/model-folders';
import { printJson, withCatalogReader } from '../context';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('Show versions, the data folder, the model, the engine and the execution provider it runs on (read-only: works while the app is open)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withCatalogReader(command, async (s) => {
        const info = await s.appInfo.info();
        if (opts.json) return printJson(info);
        const { engine } = info;
        const model = engine.model;
        const provider = providerText(engine);
        const skipped = engine.expectedProvider?.skipped.length ? [`             skipped: ${engine.expectedProvider.skipped.join('; ')}`] : [];
        process.stdout.write(
          [
            `${info.name} ${info.version} (${info.platform}, node ${info.versions.node})`,
            `data folder  ${info.paths.home}`,
            `catalog      ${info.paths.catalog} (SQLite ${info.versions.sqlite})`,
            `library      ${info.paths.library}`,
            `models       ${userModelsDir(info.paths.home)} (yours), ${info.paths.resources}/models (bundled)`,
            `model        ${model ? `${model.name} ${model.version} [${model.id}]${model.trained ? '' : ' (UNTRAINED placeholder)'}` : `none: ${engine.problem ?? 'unknown'}`}`,
            `engine       ${engine.engine}`,
            `provider     ${provider ?? 'unknown (no model to load)'}`,
            ...skipped,
            ...precisionLine(engine),
          ].join('\n') + '\n',
        );
      });
    });
}

/** "precision    int8 (the model's int8 variant, on cpu)": what runs, or before the first load what will. */
function precisionLine(engine: EngineStatus): string[] {
  const p = engine.precision ?? engine.expectedPrecision;
  if (!p) return [];
  const what = p === 'int8' ? "int8 (the model's int8 variant: ONNX on CPU)" : 'float32';
  return [`precision    ${what}${engine.precision ? '' : ' (expected: chosen when the model first loads)'}`];
}
