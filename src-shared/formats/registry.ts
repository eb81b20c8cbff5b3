import { HEAD_BYTES } from './binary';
import { asFormatError, FormatError } from './errors';
import { heidelbergE2eReader } from './heidelberg-e2e/reader';
import { heidelbergVolReader } from './heidelberg-vol';
import { heidelbergXmlReader } from './heidelberg-xml/reader';
import { topconFdaReader, topconFdsReader } from './topcon/readers';
import type { ByteSource, FormatReader, OctSeries, SeriesInput } from './types';
import { zeissImgReader } from './zeiss-img';

/**
 * Every vendor reader, in the order detection asks them. Content-detected formats come first; Zeiss
 * .img, which has no header and is recognised by its name and byte count alone, comes last.
 */
export const FORMAT_READERS: readonly FormatReader[] = [
  heidelbergVolReader,
  heidelbergE2eReader,
  topconFdaReader,
  topconFdsReader,
  heidelbergXmlReader,
  zeissImgReader,
];

/** The reader that recognises this file, or null (an ordinary image, or a format we do not read). */
export async function detectFormat(source: ByteSource): Promise<FormatReader | null> {
  if (source.size === 0) return null;
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size));
  for (const reader of FORMAT_READERS) {
    try {
      if (await reader.detect({ source, head })) return reader;
    } catch {
      // A detector that cannot make sense of the bytes simply does not recognise them.
    }
  }
  return null;
}

/**
 * Opens a vendor file as a series. Refuses an empty or unrecognised file, and turns anything a reader
 * throws (now or later, when a B-scan is read) into a FormatError naming the file and the field.
 */
export async function openSeries(input: SeriesInput): Promise<OctSeries> {
  const { source } = input;
  if (source.size === 0) throw new FormatError(source.name, 'file', 'the file is empty (0 bytes)', 'empty');
  const reader = await detectFormat(source);
  if (!reader) {
    throw new FormatError(source.name, 'file', 'not a recognised OCT file (Heidelberg VOL/E2E/XML, Topcon FDA/FDS, Zeiss IMG)', 'unknown-format');
  }
  return openWith(reader, input);
}

export async function openWith(reader: FormatReader, input: SeriesInput): Promise<OctSeries> {
  const file = input.source.name;
  let series: OctSeries;
  try {
    series = await reader.open(input);
  } catch (error) {
    throw asFormatError(error, file, reader.label);
  }
  return guarded(series, file);
}

/** Wraps the on-demand reads so their failures are FormatErrors too. */
function guarded(series: OctSeries, file: string): OctSeries {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, field: string) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        throw asFormatError(error, file, field);
      }
    };
  series.bscan = wrap(series.bscan, 'B-scan');
  if (series.localizer) series.localizer.read = wrap(series.localizer.read, 'localizer');
  if (series.deviceBoundaries) series.deviceBoundaries.read = wrap(series.deviceBoundaries.read, 'device boundaries');
  return series;
}
