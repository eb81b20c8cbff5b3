import { basename } from 'node:path';
import type { Laterality } from '../../../src-shared/domain/laterality';

/** What a file's name and folders say about it. Null fields: nothing recognised. */
export interface Recognised {
  patientExternalId: string | null;
  eye: Laterality;
  tags: string[];
  device: string | null;
  /** The file sits in / is named like the OCTID download (NORMAL12.jpeg in NORMAL/). */
  octidLayout: boolean;
}

/** OCTID diagnosis categories, and folder spellings other datasets use for them. */
const CATEGORY_ALIASES: Record<string, string> = {
  normal: 'NORMAL',
  amd: 'AMD',
  csr: 'CSR',
  dr: 'DR',
  mh: 'MH',
  macular_hole: 'MH',
};

const OCTID_NAME = /^(NORMAL|AMD|CSR|DR|MH)\d+\.(jpe?g|png|tiff?|bmp)$/i;
/** The original project's names: `06 OS - Copy.jpeg`, `12_OD.png`, `3-os.jpg`. */
const PATIENT_EYE_NAME = /^(\d+)[\s_-]*(OD|OS)(?![A-Za-z])/i;
const EYE_TOKEN = /(?:^|[^A-Za-z])(OD|OS)(?![A-Za-z])/i;

/**
 * Recognises patient, eye and diagnosis tags from a file's path relative to the import root
 * (`rootName` is the root folder's own name, which counts as a category folder too).
 */
export function recognise(relativePath: string, rootName: string): Recognised {
  const parts = relativePath.split(/[\\/]/);
  const name = basename(relativePath);
  const folders = [rootName, ...parts.slice(0, -1)];
  const tags = new Set<string>();
  for (const folder of folders) {
    const tag = CATEGORY_ALIASES[folder.toLowerCase()];
    if (tag) tags.add(tag);
  }
  const octid = OCTID_NAME.exec(name);
  if (octid) tags.add((octid[1] as string).toUpperCase());
  const octidLayout = octid !== null;

  let patientExternalId: string | null = null;
  let eye: Laterality = 'unknown';
  const pe = PATIENT_EYE_NAME.exec(name);
  if (pe) {
    patientExternalId = pe[1] as string;
    eye = (pe[2] as string).toUpperCase() as Laterality;
  } else {
    const stem = name.replace(/\.[^.]+$/, '');
    const token = EYE_TOKEN.exec(stem) ?? folders.map((f) => EYE_TOKEN.exec(f)).find((m) => m !== null) ?? null;
    if (token) eye = (token[1] as string).toUpperCase() as Laterality;
  }
  return { patientExternalId, eye, tags: [...tags], device: octidLayout ? 'Zeiss Cirrus HD-OCT' : null, octidLayout };
}

/** Normalises an eye value from a manifest: OD/OS, R/L, right/left; '' is unknown; null = invalid. */
export function parseEye(value: string): Laterality | null {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'unknown' || v === 'ou') return 'unknown';
  if (v === 'od' || v === 'r' || v === 'right') return 'OD';
  if (v === 'os' || v === 'l' || v === 'left') return 'OS';
  return null;
}
