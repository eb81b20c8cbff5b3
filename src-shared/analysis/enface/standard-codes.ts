/**
 * Standard codes for the ETDRS grid numbers, so the CSV and JSON exports name each value the way the
 * HL7 eyecare guide and DICOM do (docs/ETDRS.md lists the mapping and where each code was checked).
 *
 * The LOINC codes are the OCT macula value set of the HL7 FHIR eyecare guide (observation-oct-macula)
 * and DICOM CID 4285 "Macular Thickness Key Measurements", which TID 2100 "Macular Grid Thickness and
 * Volume Report" draws on. LOINC defines them as ILM to RPE total retinal thickness; Stratum's total
 * retina is ILM to BM (as HEYEX), so they go on the total retina map only, with that difference noted.
 */
import type { SubfieldName } from './etdrs';
import type { MapKey } from './surfaces';

export interface StandardCode {
  system: 'LOINC' | 'DCM';
  code: string;
  display: string;
  /** Checked against a published source (docs/ETDRS.md says which); false: marked unverified. */
  verified: boolean;
}

const loinc = (code: string, display: string): StandardCode => ({ system: 'LOINC', code, display, verified: true });

/** Mean total retinal thickness per subfield. N/T only: an unknown eye's L/R subfields have no code. */
const SUBFIELD_THICKNESS: Partial<Record<SubfieldName, StandardCode>> = {
  C0: loinc('57109-1', 'Macular grid.center subfield thickness by OCT'),
  S1: loinc('57110-9', 'Macular grid.inner superior subfield thickness by OCT'),
  N1: loinc('57111-7', 'Macular grid.inner nasal subfield thickness by OCT'),
  I1: loinc('57112-5', 'Macular grid.inner inferior subfield thickness by OCT'),
  T1: loinc('57113-3', 'Macular grid.inner temporal subfield thickness by OCT'),
  S2: loinc('57114-1', 'Macular grid.outer superior subfield thickness by OCT'),
  N2: loinc('57115-8', 'Macular grid.outer nasal subfield thickness by OCT'),
  I2: loinc('57116-6', 'Macular grid.outer inferior subfield thickness by OCT'),
  T2: loinc('57117-4', 'Macular grid.outer temporal subfield thickness by OCT'),
};

export const CENTRE_POINT_THICKNESS = loinc('57108-3', 'Macular grid.center point thickness by OCT');
export const TOTAL_VOLUME = loinc('57118-2', 'Macular grid.total volume by OCT');
/** DICOM CID 4285: the mean over the whole grid. */
export const AVERAGE_MACULAR_THICKNESS: StandardCode = { system: 'DCM', code: '131255', display: 'Average macular thickness', verified: true };
/** DICOM CID 4287 (ganglion cell thickness "with or without adjacent layers as specified by the context"): GCL+IPL's grid mean. */
export const AVERAGE_GANGLION_CELL_THICKNESS: StandardCode = { system: 'DCM', code: '131288', display: 'Average ganglion cell thickness', verified: true };

/** The code of a subfield's mean thickness on a map, or null where no standard code exists (layers, L/R subfields). */
export function subfieldThicknessCode(map: MapKey, subfield: SubfieldName): StandardCode | null {
  return map === 'total' ? (SUBFIELD_THICKNESS[subfield] ?? null) : null;
}

/** The code of a whole-grid measure of a map, or null. */
export function gridCode(map: MapKey, measure: 'centralPoint' | 'totalVolume' | 'mean'): StandardCode | null {
  if (map === 'total') return measure === 'centralPoint' ? CENTRE_POINT_THICKNESS : measure === 'totalVolume' ? TOTAL_VOLUME : AVERAGE_MACULAR_THICKNESS;
  if (map === 'GCL+IPL' && measure === 'mean') return AVERAGE_GANGLION_CELL_THICKNESS;
  return null;
}

/** "LOINC 57109-1" for a CSV cell; '' without a code. */
export function codeCell(code: StandardCode | null): string {
  return code ? `${code.system} ${code.code}${code.verified ? '' : ' (unverified)'}` : '';
}
