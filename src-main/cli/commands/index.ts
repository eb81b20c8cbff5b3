import type { Command } from 'commander';

type Register = (program: Command) => void;

interface CommandEntry {
  /** The one line `stratum --help` lists it with (its own --help gives the full description). */
  summary: string;
  /** Loads the command's module: only the command that runs is loaded, so start-up stays fast. */
  load: () => Promise<Register>;
}

/** Every subcommand, one module each, in the order `stratum --help` lists them. */
export const COMMANDS: Record<string, CommandEntry> = {
  info: { summary: 'Show versions, the data folder, the model, the engine and its execution provider', load: async () => (await import('./info')).registerInfo },
  check: { summary: 'Check the data folder: writable, catalog integrity, library files (naming affected scans)', load: async () => (await import('./check')).registerCheck },
  serve: { summary: 'Serve the app to a local browser (loopback only, per-launch secret)', load: async () => (await import('./serve')).registerServe },
  list: { summary: 'List catalog scans (selection flags as in the app\'s filter)', load: async () => (await import('./list')).registerList },
  show: { summary: "Show one catalog scan's whole record", load: async () => (await import('./show')).registerShow },
  import: { summary: 'Import OCT B-scans from a folder tree or a CSV manifest', load: async () => (await import('./import')).registerImport },
  segment: { summary: 'Segment image files, or catalog scans by id or selection', load: async () => (await import('./segment')).registerSegment },
  report: { summary: 'Write layer reports (PDF, PNG, thickness JSON) for catalog scans or an image', load: async () => (await import('./report')).registerReport },
  'export-csv': { summary: 'Export thickness summaries of a selection as CSV (or JSON)', load: async () => (await import('./export-csv')).registerExportCsv },
  'export-masks': { summary: "Export the catalog's manual segmentations as a training set", load: async () => (await import('./export-masks')).registerExportMasks },
  convert: { summary: 'Convert annotations: VGG/VIA JSON, COCO, grey masks, class-index masks', load: async () => (await import('./convert')).registerConvert },
  inspect: { summary: 'Show what vendor OCT files hold, without importing them', load: async () => (await import('./inspect')).registerInspect },
  maps: { summary: 'Write en-face thickness maps of a volume (JSON + PNG per layer)', load: async () => (await import('./maps')).registerMaps },
  grid: { summary: "Print a volume's ETDRS grid (thickness, volume, coverage; Stratum and device)", load: async () => (await import('./grid')).registerGrid },
  evaluate: { summary: 'Score the model or a second annotator against reference labels', load: async () => (await import('./evaluate')).registerEvaluate },
  models: { summary: 'List, add and remove segmentation models; choose the default', load: async () => (await import('./models')).registerModels },
};

/**
 * Registers the command named on the command line in full, and every other one by name and summary only
 * (enough for `stratum --help` and for commander to reject an unknown command).
 */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const wanted = commandNamed(argv);
  for (const [name, entry] of Object.entries(COMMANDS)) {
    if (name === wanted) (await entry.load())(program);
    else program.command(name).summary(entry.summary).allowUnknownOption().allowExcessArguments();
  }
}

/** The subcommand in argv (`stratum --home x list ...` -> list; `stratum help list` -> list), or null. */
export function commandNamed(argv: readonly string[]): string | null {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--home') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    if (a === 'help') return args.slice(i + 1).find((x) => !x.startsWith('-')) ?? null;
    return a;
  }
  return null;
}
