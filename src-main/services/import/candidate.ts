import type { ImportFailure, ImportSkip } from '../../../src-shared/domain/catalog';
import type { Laterality } from '../../../src-shared/domain/laterality';
import type { FormatId } from '../../../src-shared/formats/types';

/** File names import reads (by content it must then be one of these formats, whatever the name says). */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.bmp']);

/** One file to import, with everything known about it before its bytes are read. */
export interface Candidate {
  path: string;
  /** Path relative to the import root (for display and recognisers). */
  relativePath: string;
  /** The manifest line it came from; null for a file found in a folder. */
  line: number | null;
  patientExternalId: string | null;
  patientName: string | null;
  birthDate: string | null;
  eye: Laterality;
  acquiredAt: string | null;
  device: string | null;
  tags: string[];
  octidLayout: boolean;
  /** Spacing supplied by a manifest ('user' provenance). */
  axialUmPerPx: number | null;
  lateralUmPerPx: number | null;
  scaleSource: string | null;
  /** A vendor OCT file, recognised by content (import/vendor-import.ts); absent for an image file. */
  series?: { format: FormatId; label: string };
  /** The patient fields came from inside the file: its id is not shown in the import's counts. */
  patientFromFile?: boolean;
}

export interface ScanResult {
  candidates: Candidate[];
  failures: ImportFailure[];
  /** What was found but is not for import, with why (a folder of .gif files says so instead of "0 found"). */
  skipped: ImportSkip[];
}
