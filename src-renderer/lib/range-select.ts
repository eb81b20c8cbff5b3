/**
 * Shift-click in a list: the ids from the last plain click (the anchor) to the one shift-clicked, both
 * included, in the order shown. Without an anchor on this page, just the one clicked.
 */
export function rangeBetween<K>(shown: readonly K[], anchor: K | null, target: K): K[] {
  const to = shown.indexOf(target);
  if (to < 0) return [];
  const from = anchor === null ? -1 : shown.indexOf(anchor);
  if (from < 0) return [target];
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  return shown.slice(lo, hi + 1);
}
