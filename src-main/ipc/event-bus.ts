import type { EventName, EventPayload } from '../../src-shared/contract';

/** Receives every event; the payload is typed by the event it comes with. */
export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
type Listeners = { [E in EventName]: Set<(payload: EventPayload<E>) => void> };

/**
 * Services emit; hosts (Electron windows, WebSocket clients) subscribe to everything and forward it;
 * the CLI and tests listen to one event with `on`, its payload typed by the contract.
 */
export class EventBus {
  private readonly all = new Set<AnyEventListener>();
  private readonly byEvent: Listeners = { 'job.progress': new Set(), 'catalog.changed': new Set() };

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.all) listener(event, payload);
    for (const listener of this.byEvent[event]) listener(payload);
  }

  /** Every event, as `(event, payload)`. */
  subscribe(listener: AnyEventListener): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  /** One event, its payload typed by the contract. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const listeners: Listeners[E] = this.byEvent[event];
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}
