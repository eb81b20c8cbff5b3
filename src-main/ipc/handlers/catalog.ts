import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';
import { visitsOfScan } from '../../services/catalog/visits';

type CatalogChannel =
  | 'catalog.listScans'
  | 'catalog.getScan'
  | 'catalog.scanImage'
  | 'catalog.listPatients'
  | 'catalog.deleteScan'
  | 'catalog.restoreScan'
  | 'catalog.stats'
  | 'catalog.visits';

export function catalogHandlers(s: Services): Pick<Handlers, CatalogChannel> {
  return {
    'catalog.listScans': async (filter) => s.scans.list(filter),
    'catalog.getScan': async ({ scanId }) => s.scans.require(scanId),
    'catalog.visits': async ({ scanId }) => visitsOfScan(s, scanId),
    'catalog.scanImage': async ({ scanId }) => {
      const scan = s.scans.require(scanId);
      return { mime: scan.mime, base64: s.library.read(scan.storedFile).toString('base64'), width: scan.width, height: scan.height };
    },
    'catalog.listPatients': async () => s.patients.list(),
    'catalog.deleteScan': async ({ scanId }) => s.catalog.deleteScan(scanId),
    'catalog.restoreScan': async ({ scanId }) => s.catalog.restoreScan(scanId),
    'catalog.stats': async () => s.scans.stats(),
  };
}
