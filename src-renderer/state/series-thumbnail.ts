import { api } from '../api/client';

/** Thumbnails of series (their localizer, else the middle B-scan), fetched once per scan. */
const cache = new Map<number, Promise<string>>();

export function seriesThumbnailUrl(scanId: number): Promise<string> {
  let cached = cache.get(scanId);
  if (!cached) {
    cached = api.invoke('series.thumbnail', { scanId }).then((img) => `data:${img.mime};base64,${img.base64}`);
    cached.catch(() => cache.delete(scanId));
    cache.set(scanId, cached);
    if (cache.size > 300) cache.delete(cache.keys().next().value as number);
  }
  return cached;
}
