import { join } from 'node:path';
import { version } from '../../../package.json';
import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { EnfaceService } from '../../services/enface/enface-service';

type EnfaceChannel = 'enface.maps' | 'enface.setFovea' | 'enface.exportReport';

export function enfaceHandlers(s: Services): Pick<Handlers, EnfaceChannel> {
  const enface = new EnfaceService({ catalog: s, reportsDir: join(s.folder.home, 'reports'), appVersion: version, fovea: s.catalog });
  return {
    'enface.maps': async ({ scanId, layer, source }) => enface.maps(scanId, layer, source),
    'enface.setFovea': async ({ scanId, fovea }) => enface.setFovea(scanId, fovea),
    'enface.exportReport': async ({ scanId, path }) => enface.exportReport(scanId, path),
  };
}
