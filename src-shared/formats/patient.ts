import type { OctSeries, PatientFields } from './types';

/**
 * Attaches the patient fields as a non-enumerable property: they are there for the catalog
 * (`series.patient`), but JSON.stringify, util.inspect, console.log and object spreads skip them, so
 * a stray log line or a `--json` print cannot leak a name or birth date.
 */
export function withPatient<T extends OctSeries>(series: T, patient: PatientFields): T {
  const cleaned: PatientFields = {};
  for (const key of ['id', 'name', 'birthDate', 'sex'] as const) {
    const value = patient[key]?.trim();
    if (value) cleaned[key] = value;
  }
  if (Object.keys(cleaned).length > 0) {
    Object.defineProperty(series, 'patient', { value: Object.freeze(cleaned), enumerable: false, writable: false });
  }
  return series;
}
