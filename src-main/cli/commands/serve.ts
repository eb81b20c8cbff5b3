import type { Command } from 'commander';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { AppError } from '../../../src-shared/contract';
import { resolveHome } from '../../data-folder';
import { startNodeHost } from '../../host/ws-host';
import { createDispatcher } from '../../ipc/dispatcher';
import { createHandlers } from '../../ipc/handlers';
import { packageRoot } from '../../resources';
import { createServices } from '../../services/container';
import { globalOptions } from '../context';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the app to a local browser (loopback only, per-launch secret) and print its URL')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', (v) => Number.parseInt(v, 10), 0)
    .action(async (opts: { port: number }, command: Command) => {
      const rendererDir = join(packageRoot(), 'dist', 'renderer');
      if (!existsSync(join(rendererDir, 'index.html'))) {
        throw new AppError('NOT_AVAILABLE', `The renderer is not built (${rendererDir}). Run: npm run build`);
      }
      const services = createServices({ home: resolveHome(globalOptions(command).home), host: 'node' });
      const host = await startNodeHost({
        dispatch: createDispatcher(createHandlers(services)),
        bus: services.bus,
        rendererDir,
        port: opts.port,
      });
      process.stdout.write(`Stratum is serving ${services.folder.home}\nOpen: ${host.url}\n`);
      const stop = async () => {
        await host.close();
        await services.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise(() => undefined);
    });
}
