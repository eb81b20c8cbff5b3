/**
 * The clinical-format fixtures in ../shared/data/formats and what each must open as: shared by the
 * reader tests (src-main/services/formats) and the bounded fuzz tests (test/hostile/formats-*.test.ts).
 */
import type { FormatId, SeriesKind } from '../../src-shared/formats/types';
import { sharedData } from '../../test-support/shared-data';

export interface FormatFixture {
  /** Path parts under ../shared/data/formats. */
  parts: string[];
  format: FormatId;
  kind: SeriesKind;
  bscans: number;
  width: number;
  height: number;
  axialUm: number | null;
  lateralUm: number | null;
  betweenUm: number | null;
  eye: 'OD' | 'OS' | null;
  /** Device boundary names, or [] for none. */
  lines: string[];
  /** B-scans the device boundaries cover (Topcon's cut-down FDA keeps the full volume's). */
  linesCover?: number;
  localizer: { width: number; height: number; present: boolean } | null;
  /** Real clinical data (pixel statistics of a real B-scan apply). */
  real: boolean;
}

export const FORMAT_FIXTURES: Record<string, FormatFixture> = {
  volLine: {
    parts: ['spectralis-vol', 'Willis_B_716_0.vol'],
    format: 'heidelberg-vol', kind: 'line', bscans: 1, width: 768, height: 496,
    axialUm: 3.8717, lateralUm: 11.8206, betweenUm: null, eye: 'OD', lines: ['ILM', 'BM'],
    localizer: { width: 768, height: 768, present: true }, real: true,
  },
  volCircle: {
    parts: ['spectralis-vol', 'Willis_B_716_2.vol'],
    format: 'heidelberg-vol', kind: 'circle', bscans: 1, width: 768, height: 496,
    axialUm: 3.8717, lateralUm: 14.722, betweenUm: null, eye: 'OD', lines: ['ILM', 'BM', 'RNFL'],
    localizer: { width: 768, height: 768, present: true }, real: true,
  },
  volEyepy: {
    parts: ['eyepy', 'tests', 'data', 'filetypes', 'heyex_vol', 'test_volume.vol'],
    format: 'heidelberg-vol', kind: 'volume', bscans: 10, width: 50, height: 40,
    axialUm: 3.872, lateralUm: 11.819, betweenUm: 31.4444, eye: 'OD', lines: [],
    localizer: { width: 50, height: 50, present: true }, real: false,
  },
  xmlVolume: {
    parts: ['heyex-xml-volume', 'OCT-Info.xml'],
    format: 'heidelberg-xml', kind: 'volume', bscans: 145, width: 512, height: 496,
    axialUm: 3.872, lateralUm: 11.182, betweenUm: 29.8194, eye: null, lines: [],
    localizer: { width: 768, height: 768, present: false }, real: true,
  },
  xmlEyepy: {
    parts: ['eyepy', 'tests', 'data', 'filetypes', 'heyex_xml', 'test_volume', 'test_dummy.xml'],
    format: 'heidelberg-xml', kind: 'volume', bscans: 10, width: 50, height: 40,
    axialUm: 3.872, lateralUm: 11.819, betweenUm: 31.4444, eye: 'OD',
    lines: ['ILM', 'BM', 'RNFL', 'GCL', 'IPL', 'INL', 'OPL', 'ELM', 'PR1', 'PR2', 'RPE'],
    localizer: { width: 50, height: 50, present: true }, real: false,
  },
  e2e: {
    parts: ['panimg', 'tests', 'resources', 'oct', 'e2e_minimized.E2E'],
    format: 'heidelberg-e2e', kind: 'line', bscans: 1, width: 512, height: 496,
    axialUm: null, lateralUm: null, betweenUm: null, eye: 'OS', lines: [],
    localizer: null, real: true,
  },
  fda: {
    parts: ['panimg', 'tests', 'resources', 'oct', 'fda_minimized.fda'],
    format: 'topcon-fda', kind: 'line', bscans: 1, width: 512, height: 650,
    axialUm: 3.5, lateralUm: 11.7188, betweenUm: null, eye: 'OS', lines: ['RETINA_1', 'RETINA_2', 'RETINA_3', 'RETINA_4'], linesCover: 128,
    localizer: { width: 2, height: 3, present: true }, real: true,
  },
  fds: {
    parts: ['panimg', 'tests', 'resources', 'oct', 'fds_minimized.fds'],
    format: 'topcon-fds', kind: 'volume', bscans: 4, width: 2, height: 3,
    axialUm: 3.5, lateralUm: 3000, betweenUm: 1500, eye: 'OS', lines: [],
    localizer: { width: 2, height: 3, present: true }, real: false,
  },
  zeiss: {
    parts: ['zeiss-img', 'oct_image.img'],
    format: 'zeiss-img', kind: 'volume', bscans: 4, width: 512, height: 1024,
    axialUm: null, lateralUm: null, betweenUm: null, eye: null, lines: [],
    localizer: null, real: true,
  },
};

export function fixturePath(fixture: FormatFixture): string {
  return sharedData('formats', ...fixture.parts);
}
