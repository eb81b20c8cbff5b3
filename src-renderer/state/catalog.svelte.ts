import type { CatalogStats, PatientRecord, ScanRecord, ScanSortKey } from '../../src-shared/domain/catalog';
import type { ScanCriteria } from '../../src-shared/domain/scan-selection';
import type { ReviewState } from '../../src-shared/domain/review';
import type { Laterality } from '../../src-shared/domain/laterality';
import { api } from '../api/client';
import { describeError } from '../api/messages';
import { DEFAULT_SCAN_SORT, defaultOrderFor } from '../../src-shared/domain/scan-order';

export interface CatalogFilters {
  text: string;
  patient: string;
  eye: Laterality | '';
  tag: string;
  reviewState: ReviewState | '';
  /** Acquisition date range, inclusive, YYYY-MM-DD ('' = open). */
  dateFrom: string;
  dateTo: string;
  sort: ScanSortKey;
  /** null: the sort key's natural order (newest first for dates, A-Z otherwise). */
  order: 'asc' | 'desc' | null;
}

const NO_FILTERS: CatalogFilters = { text: '', patient: '', eye: '', tag: '', reviewState: '', dateFrom: '', dateTo: '', sort: DEFAULT_SCAN_SORT, order: null };

export const PAGE_SIZE = 24;

/** The catalog list: filters, the current page and the facts the filter menus are built from. */
export class CatalogState {
  filters = $state<CatalogFilters>({ ...NO_FILTERS });
  offset = $state(0);
  items = $state.raw<ScanRecord[]>([]);
  total = $state(0);
  stats = $state.raw<CatalogStats | null>(null);
  patients = $state.raw<PatientRecord[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** The scan open in the viewer; null shows the catalog. */
  openScanId = $state<number | null>(null);
  /** Cards or the sortable table. */
  view = $state<'grid' | 'list'>('grid');
  /** Showing the trash (soft-deleted scans) instead of the catalog. */
  trash = $state(false);
  private seq = 0;

  constructor() {
    api.on('catalog.changed', () => void this.refresh());
  }

  get filtered(): boolean {
    const f = this.filters;
    return Boolean(f.text || f.patient || f.eye || f.tag || f.reviewState || f.dateFrom || f.dateTo);
  }

  /** What the list shows, without paging or order: what "select all matching" covers (domain/scan-selection.ts). */
  get criteria(): ScanCriteria {
    const f = this.filters;
    return {
      text: f.text.trim() || undefined,
      patient: f.patient || undefined,
      eye: f.eye || undefined,
      tag: f.tag || undefined,
      reviewState: f.reviewState || undefined,
      dateFrom: f.dateFrom || undefined,
      dateTo: f.dateTo || undefined,
      trash: this.trash || undefined,
    };
  }

  /** The order in effect: the one chosen, else newest first for dates and A-Z for the rest. */
  get order(): 'asc' | 'desc' {
    const f = this.filters;
    return f.order ?? defaultOrderFor(f.sort);
  }

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const [page, stats, patients] = await Promise.all([
        api.invoke('catalog.listScans', { ...this.criteria, offset: this.offset, limit: PAGE_SIZE, sort: this.filters.sort, order: this.order }),
        api.invoke('catalog.stats', {}),
        api.invoke('catalog.listPatients', {}),
      ]);
      if (seq !== this.seq) return;
      this.items = page.items;
      this.total = page.total;
      this.stats = stats;
      this.patients = patients;
      this.error = null;
    } catch (error) {
      if (seq === this.seq) this.error = describeError(error);
    } finally {
      if (seq === this.seq) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  setFilter<K extends keyof CatalogFilters>(key: K, value: CatalogFilters[K]): void {
    this.filters[key] = value;
    this.offset = 0;
    void this.refresh();
  }

  /** A column header: sort by it, or flip the order when it is the sort already. */
  sortBy(key: ScanSortKey): void {
    const flip = this.filters.sort === key;
    this.filters.order = flip ? (this.order === 'asc' ? 'desc' : 'asc') : null;
    this.setFilter('sort', key);
  }

  showTrash(on: boolean): void {
    this.trash = on;
    this.offset = 0;
    void this.refresh();
  }

  clearFilters(): void {
    this.filters = { ...NO_FILTERS, sort: this.filters.sort, order: this.filters.order };
    this.offset = 0;
    void this.refresh();
  }

  page(delta: number): void {
    const next = this.offset + delta * PAGE_SIZE;
    if (next < 0 || next >= this.total) return;
    this.offset = next;
    void this.refresh();
  }

  /** The scan after (+1) or before (-1) `scanId` in the current list, loading the neighbouring page when needed. */
  async neighbour(scanId: number, delta: 1 | -1): Promise<number | null> {
    const index = this.items.findIndex((s) => s.id === scanId);
    if (index < 0) return null;
    const target = index + delta;
    if (target >= 0 && target < this.items.length) return this.items[target]?.id ?? null;
    const nextOffset = this.offset + delta * PAGE_SIZE;
    if (nextOffset < 0 || nextOffset >= this.total) return null;
    this.offset = nextOffset;
    await this.refresh();
    const item = delta > 0 ? this.items[0] : this.items[this.items.length - 1];
    return item?.id ?? null;
  }
}

export const catalog = new CatalogState();

/** Scan images as data URLs, fetched once per scan (thumbnails and the viewer share them). */
// A plain cache on purpose: nothing renders from it directly.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const imageCache = new Map<number, Promise<string>>();
export function scanImageUrl(scanId: number): Promise<string> {
  let cached = imageCache.get(scanId);
  if (!cached) {
    cached = api.invoke('catalog.scanImage', { scanId }).then((img) => `data:${img.mime};base64,${img.base64}`);
    cached.catch(() => imageCache.delete(scanId));
    imageCache.set(scanId, cached);
    if (imageCache.size > 300) imageCache.delete(imageCache.keys().next().value as number);
  }
  return cached;
}
