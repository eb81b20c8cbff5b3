/**
 * The one CSV cell encoder for every CSV the app writes (RFC 4180, comma separated).
 *
 * Spreadsheets run a text cell that starts with = + - @ (or TAB / CR, which some strip first) as a
 * formula, so a patient id `=HYPERLINK(...)` would come out live (OWASP "CSV injection"). Such text
 * cells get a leading single quote. Numbers are written as numbers: a negative thickness change stays
 * `-3.5`, because only text can carry a formula. Control characters (NUL, ESC, DEL, ...) are dropped:
 * they have no meaning in a cell and some readers stop at a NUL.
 */

/** C0 controls except TAB, LF and CR (kept; they are quoted), plus DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One cell: '' for null/undefined, numbers and booleans as they are, text neutralised and quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  let text = String(value).replace(CONTROL, '');
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line (without its line end) of cells. */
export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',');
}
