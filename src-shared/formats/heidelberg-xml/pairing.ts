import type { PairingReport } from '../types';

/**
 * Which file in the export folder holds each image of a Heidelberg XML export.
 *
 * Rule 1 (ExamURL file name): <ImageData><ExamURL> holds the path on the exporting Windows machine
 * (file:///\\server\share\...\B1.tif); only its last component is used, looked up inside the export
 * folder (case-insensitive; the shallowest match wins).
 * Rule 2 (<ImageNumber>-Input.tif), for exports without ExamURL: the image's ImageNumber followed by
 * "-Input.tif" (or .tiff), which is how Heyex names the TIFFs of such exports.
 * An image that neither rule finds is missing.
 */

export interface PairingImage {
  imageNumber: string;
  examUrl: string | undefined;
}

export interface PairedFile {
  path: string | null;
  rule: PairingReport['rule'] | null;
  /** The name that was looked for (for a "missing" message). */
  wanted: string;
}

export function examUrlFileName(url: string): string {
  return url.split(/[\\/]/).filter(Boolean).pop() ?? '';
}

export function pairImages(images: readonly PairingImage[], listing: readonly string[]): PairedFile[] {
  const byName = new Map<string, string>();
  for (const path of [...listing].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b))) {
    const name = (path.split('/').pop() ?? '').toLowerCase();
    if (!byName.has(name)) byName.set(name, path);
  }
  return images.map((image) => {
    if (image.examUrl && examUrlFileName(image.examUrl)) {
      const wanted = examUrlFileName(image.examUrl);
      return { path: byName.get(wanted.toLowerCase()) ?? null, rule: 'ExamURL file name', wanted };
    }
    const wanted = `${image.imageNumber}-Input.tif`;
    const path = byName.get(wanted.toLowerCase()) ?? byName.get(`${wanted}f`.toLowerCase()) ?? null;
    return { path, rule: '<ImageNumber>-Input.tif', wanted };
  });
}

/** The import summary's line for how the B-scans were paired. */
export function pairingReport(bscans: readonly PairedFile[], localizer: PairedFile | null): PairingReport {
  const byUrl = bscans.filter((p) => p.rule === 'ExamURL file name').length;
  const rule: PairingReport['rule'] = byUrl > 0 ? 'ExamURL file name' : '<ImageNumber>-Input.tif';
  const folders = [...new Set(bscans.map((p) => (p.path?.includes('/') ? p.path.slice(0, p.path.lastIndexOf('/') + 1) : './')))];
  const parts = [
    byUrl === bscans.length || byUrl === 0
      ? `${bscans.length} B-scans paired by ${rule === 'ExamURL file name' ? 'the file name in ExamURL' : 'the name <ImageNumber>-Input.tif'} in ${folders.join(', ')}`
      : `${byUrl} B-scans paired by ExamURL, ${bscans.length - byUrl} by <ImageNumber>-Input.tif`,
  ];
  if (localizer) parts.push(localizer.path ? `localizer ${localizer.path}` : `localizer: no ${localizer.wanted} in the export folder`);
  const files = [...bscans, ...(localizer ? [localizer] : [])].flatMap((p) => (p.path ? [p.path] : []));
  return { rule, detail: parts.join('; '), files };
}

function depth(path: string): number {
  return path.split('/').length;
}
