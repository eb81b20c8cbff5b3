import { SvelteSet } from 'svelte/reactivity';

/**
 * A set of chosen items (the catalog's scans for bulk actions: "Edit selected", and later others), as
 * reactive data apart from any list that displays it. It survives paging and filtering, so a selection
 * can be gathered over several pages; whoever acts on it decides what to do with ids no longer shown.
 */
export class Selection<K = number> {
  readonly #ids = new SvelteSet<K>();

  get size(): number {
    return this.#ids.size;
  }

  /** The chosen ids in the order they were chosen. */
  get ids(): K[] {
    return [...this.#ids];
  }

  has(id: K): boolean {
    return this.#ids.has(id);
  }

  /** Adds or removes one id; `on` forces the state (a checkbox's checked value). */
  toggle(id: K, on = !this.#ids.has(id)): void {
    if (on) this.#ids.add(id);
    else this.#ids.delete(id);
  }

  /** Adds every id given (a "select all on this page"). */
  addAll(ids: Iterable<K>): void {
    for (const id of ids) this.#ids.add(id);
  }

  /** Whether every id given is chosen (false for none). */
  hasAll(ids: readonly K[]): boolean {
    return ids.length > 0 && ids.every((id) => this.#ids.has(id));
  }

  /** Drops the ids that no longer exist (after a delete). */
  retain(existing: Iterable<K>): void {
    const keep = [...existing];
    for (const id of [...this.#ids]) if (!keep.includes(id)) this.#ids.delete(id);
  }

  clear(): void {
    this.#ids.clear();
  }
}

/** The catalog's scans chosen for bulk actions; kept while the viewer is open and across pages. */
export const scanSelection = new Selection<number>();
