/**
 * Counted nouns for every message the app, the CLI and reports print: "1 duplicate", "10 scans", never
 * "1 duplicates" or "10 scan(s)".
 */
export function plural(n: number, word: string, many = `${word}s`): string {
  return n === 1 ? word : many;
}

/** "1 duplicate", "10 scans", "0 files"; `many` for irregular plurals. */
export function countOf(n: number, word: string, many?: string): string {
  return `${n} ${plural(n, word, many)}`;
}
