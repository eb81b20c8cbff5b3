/**
 * Opens a vendor OCT file from disk as an OctSeries: a FileHandle-backed source, the export folder's
 * other files for multi-file formats, and the Node decoders. The caller closes it when done reading
 * B-scans (the series reads on demand, so the file stays open until then).
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError } from '../../../src-shared/formats/errors';
import { detectFormat, openWith } from '../../../src-shared/formats/registry';
import type { FormatReader, OctSeries, StatedDimensions } from '../../../src-shared/formats/types';
import { nodeDecoders } from './decoders';
import { folderSiblings, openFileSource } from './file-source';

export interface OpenedSeries {
  series: OctSeries;
  close(): Promise<void>;
}

export interface OpenSeriesOptions {
  dimensions?: StatedDimensions;
  seriesIndex?: number;
}

/** The reader for a file, or null when it is not a vendor OCT file (a plain image, say). */
export async function detectFileFormat(path: string): Promise<FormatReader | null> {
  const source = await openFileSource(path);
  try {
    return await detectFormat(source);
  } finally {
    await source.close();
  }
}

/**
 * Opens `path`; a folder is taken as a Heidelberg XML export and its one .xml index is opened. Throws
 * a FormatError (BAD_INPUT, naming file and field) for an empty, unknown, truncated or corrupt file.
 */
export async function openSeriesFile(path: string, options: OpenSeriesOptions = {}): Promise<OpenedSeries> {
  const filePath = (await stat(path).catch(() => null))?.isDirectory() ? await xmlIndexIn(path) : path;
  const source = await openFileSource(filePath);
  try {
    if (source.size === 0) throw new FormatError(filePath, 'file', 'the file is empty (0 bytes)', 'empty');
    const reader = await detectFormat(source);
    if (!reader) {
      throw new FormatError(filePath, 'file', 'not a recognised OCT file (Heidelberg VOL/E2E/XML, Topcon FDA/FDS, Zeiss IMG)', 'unknown-format');
    }
    const folder = dirname(filePath);
    const series = await openWith(reader, {
      source,
      siblings: folderSiblings(folder),
      decoders: nodeDecoders,
      ...(options.dimensions ? { dimensions: options.dimensions } : {}),
      ...(options.seriesIndex !== undefined ? { seriesIndex: options.seriesIndex } : {}),
    });
    return { series, close: () => source.close() };
  } catch (error) {
    await source.close();
    throw error;
  }
}

async function xmlIndexIn(folder: string): Promise<string> {
  const names = (await folderSiblings(folder).list()).filter((n) => !n.includes('/') && n.toLowerCase().endsWith('.xml'));
  if (names.length !== 1) {
    throw new FormatError(folder, 'export folder', names.length === 0 ? 'holds no .xml index' : `holds ${names.length} .xml files; name the one to open`, 'needs-input');
  }
  return join(folder, names[0] ?? basename(folder));
}
