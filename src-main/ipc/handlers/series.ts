import type { Handlers } from '../dispatcher';
import type { Services } from '../../services/container';

type SeriesChannel = 'series.get' | 'series.bscanImage' | 'series.localizerImage' | 'series.thumbnail' | 'series.deviceLines';

const MIME: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', jpg: 'image/jpeg', tiff: 'image/tiff', tif: 'image/tiff', bmp: 'image/bmp' };

export function seriesHandlers(s: Services): Pick<Handlers, SeriesChannel> {
  const image = (file: { storedFile: string; width: number; height: number }) => ({
    mime: MIME[file.storedFile.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream',
    base64: s.library.read(file.storedFile).toString('base64'),
    width: file.width,
    height: file.height,
  });
  return {
    'series.get': async ({ scanId }) => s.series.get(scanId),
    'series.bscanImage': async ({ scanId, index }) => image(s.series.bscanFile(scanId, index)),
    'series.localizerImage': async ({ scanId }) => image(s.series.localizerFile(scanId)),
    'series.thumbnail': async ({ scanId }) => {
      const file = s.series.thumbnailFile(scanId);
      return { ...image(file), what: file.what };
    },
    'series.deviceLines': async ({ scanId, bscanIndex }) => {
      s.scans.require(scanId);
      return s.series.deviceLines(scanId, bscanIndex);
    },
  };
}
