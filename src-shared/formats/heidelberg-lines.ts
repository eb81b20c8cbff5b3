/**
 * Heidelberg's segmentation line order, shared by the VOL export and the E2E layer chunks (eyepy's
 * SEG_MAPPING): index 0 is ILM, 1 BM, 2 RNFL, ...
 */
export const HEIDELBERG_LINE_NAMES = ['ILM', 'BM', 'RNFL', 'GCL', 'IPL', 'INL', 'OPL', 'ONL', 'ELM', 'IOS', 'OPT', 'CHO', 'VIT', 'ANT', 'PR1', 'PR2', 'RPE'] as const;

export function heidelbergLineName(index: number): string {
  return HEIDELBERG_LINE_NAMES[index] ?? `line ${index}`;
}
