import type { ScanCriteria, ScanSelection } from '../../src-shared/domain/scan-selection';
import { rangeBetween } from '../lib/range-select';
import { Selection, scanSelection } from './selection.svelte';

/**
 * The catalog's selection for bulk actions, built on the ticked-ids Selection (state/selection.svelte.ts):
 * click and shift-click tick ids, across pages; "select all N matching" covers the list's whole filter
 * instead (main resolves it when an action starts, domain/scan-selection.ts), and a box unticked then is
 * left out. Changing the filter ends "all matching" (it named the old filter); ticked ids stay.
 */
export class BulkSelection {
  /** The filter "all matching" covers and how many it matched when chosen; null: the ticked ids. */
  allMatching = $state.raw<{ filter: ScanCriteria; total: number } | null>(null);
  readonly #unticked = new Selection<number>();
  /** The last plain click, where a shift-click range starts. */
  #anchor: number | null = null;

  constructor(readonly ticked: Selection<number>) {}

  get size(): number {
    return this.allMatching ? Math.max(0, this.allMatching.total - this.#unticked.size) : this.ticked.size;
  }

  get unticked(): number {
    return this.#unticked.size;
  }

  has(id: number): boolean {
    return this.allMatching ? !this.#unticked.has(id) : this.ticked.has(id);
  }

  /** A checkbox click: the one box, or with shift the range from the last plain click, set to `on`. */
  click(id: number, on: boolean, shift: boolean, shown: readonly number[]): void {
    const ids = shift ? rangeBetween(shown, this.#anchor, id) : [id];
    for (const each of ids) this.set(each, on);
    if (!shift) this.#anchor = id;
  }

  set(id: number, on: boolean): void {
    if (this.allMatching) this.#unticked.toggle(id, !on);
    else this.ticked.toggle(id, on);
  }

  /** Every id shown on this page ticked (or, with "all matching", none of them left out). */
  setPage(ids: readonly number[], on: boolean): void {
    for (const id of ids) this.set(id, on);
  }

  selectAllMatching(filter: ScanCriteria, total: number): void {
    this.allMatching = { filter: { ...filter }, total };
    this.#unticked.clear();
  }

  /** Called when the list's filter changes: "all matching" named the old one, so it ends. */
  followFilter(filter: ScanCriteria): void {
    if (this.allMatching && !sameCriteria(this.allMatching.filter, filter)) this.endAllMatching();
  }

  endAllMatching(): void {
    this.allMatching = null;
    this.#unticked.clear();
  }

  clear(): void {
    this.endAllMatching();
    this.ticked.clear();
    this.#anchor = null;
  }

  /** What the bulk channels take; null when nothing is selected. */
  toSelection(): ScanSelection | null {
    if (this.allMatching) return { kind: 'filter', filter: this.allMatching.filter, except: this.#unticked.ids };
    return this.ticked.size > 0 ? { kind: 'ids', ids: this.ticked.ids } : null;
  }
}

function sameCriteria(a: ScanCriteria, b: ScanCriteria): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof ScanCriteria)[]);
  return [...keys].every((k) => (a[k] ?? undefined) === (b[k] ?? undefined));
}

/** The one bulk selection of the catalog (its ticked ids are scanSelection's, which "Edit selected" also reads). */
export const bulkSelection = new BulkSelection(scanSelection);
