import type { Command } from 'commander';
import { AppError } from '../../../src-shared/contract/errors';
import type { ModelEntry } from '../../services/models/registry';
import { UserModels } from '../../services/models/user-models';
import { homeOf, printJson } from '../context';
import { formatTable } from '../text-table';

/** What --json prints of a model: its card's identity and where it lives, not the whole card. */
function modelJson(m: ModelEntry & { isDefault?: boolean }) {
  const c = m.card;
  return { id: c.id, name: c.name, version: c.version, trained: c.trained, format: c.format, source: m.source, dir: m.dir, sha256: c.sha256, ...(m.isDefault === undefined ? {} : { isDefault: m.isDefault }) };
}

export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description(
      'Segmentation models: the bundled ones and your own (a retrained model) in the data folder\'s models/ folder. ' +
        'These commands do not touch the catalog: they work while the app is open (it reads models when it next loads one).',
    );

  models
    .command('list')
    .description('List installed models, which one is the default, and any that are broken')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, command: Command) => {
      const listing = new UserModels(homeOf(command)).list();
      if (opts.json) return printJson({ models: listing.models.map(modelJson), problems: listing.problems, defaultModel: listing.defaultModel });
      process.stdout.write(
        formatTable(
          ['ID', 'VERSION', 'NAME', 'TRAINED', 'SOURCE', 'DEFAULT'],
          listing.models.map((m) => [m.card.id, m.card.version, m.card.name, m.card.trained ? 'yes' : 'NO (placeholder)', m.source, m.isDefault ? 'yes' : '']),
        ),
      );
      for (const p of listing.problems) process.stdout.write(`BROKEN ${p.id}: ${p.problem}\n`);
      if ('problem' in listing.defaultModel) process.stdout.write(`no default model: ${listing.defaultModel.problem}\n`);
      else process.stdout.write(`default: ${listing.defaultModel.id} (${listing.defaultModel.chosen ? 'chosen with `stratum models default`' : 'built-in choice'})\n`);
    });

  models
    .command('add')
    .description("Add a model folder (model.json + weights, as training exports it): card and sha256 checked, copied into the data folder's models/")
    .argument('<dir>', 'the folder holding model.json')
    .option('--replace', 'replace your own model of the same id')
    .option('--default', 'also make it the default model')
    .option('--json', 'print JSON')
    .action((dir: string, opts: { replace?: boolean; default?: boolean; json?: boolean }, command: Command) => {
      const user = new UserModels(homeOf(command));
      const entry = user.add(dir, { replace: opts.replace });
      if (opts.default) user.setDefault(entry.card.id);
      if (opts.json) return printJson({ added: modelJson(entry), isDefault: Boolean(opts.default) });
      process.stdout.write(`added ${entry.card.id} ${entry.card.version} (${entry.card.name}) -> ${entry.dir}${opts.default ? '; it is now the default model' : ''}\n`);
      if (!entry.card.trained) process.stdout.write('note: its card says it is not trained; it runs only when asked for by id\n');
    });

  models
    .command('remove')
    .description('Remove one of your models (bundled models stay)')
    .argument('<id>', 'model id')
    .action((id: string, _opts: unknown, command: Command) => {
      const r = new UserModels(homeOf(command)).remove(id);
      process.stdout.write(`removed ${r.removed}${r.defaultCleared ? '; it was the default, so the built-in choice is the default again' : ''}\n`);
    });

  models
    .command('default')
    .description('Choose the model segmentation uses when none is named (verified first), or --clear for the built-in choice')
    .argument('[id]', 'model id')
    .option('--clear', 'back to the built-in choice')
    .action((id: string | undefined, opts: { clear?: boolean }, command: Command) => {
      if ((id === undefined) === !opts.clear) throw new AppError('VALIDATION', 'Give a model id, or --clear');
      const entry = new UserModels(homeOf(command)).setDefault(opts.clear ? null : id!);
      process.stdout.write(entry ? `default model: ${entry.card.id} ${entry.card.version} (${entry.card.name})\n` : 'default model: the built-in choice\n');
    });
}
