import { describe, expect, it } from 'vitest';
import { EventBus } from './event-bus';

describe('EventBus', () => {
  it('gives `on` listeners only their event, with its payload, and forwards everything to `subscribe`', () => {
    const bus = new EventBus();
    const reasons: string[] = [];
    const all: string[] = [];
    const off = bus.on('catalog.changed', (p) => reasons.push(p.reason));
    bus.subscribe((event) => all.push(event));
    bus.emit('catalog.changed', { reason: 'import', scanIds: [1] });
    bus.emit('job.progress', { jobId: 'j', kind: 'segment', title: 'T', state: 'running', fraction: 0.5, stage: 'Working', startedAt: '2026-01-01T00:00:00Z' });
    off();
    bus.emit('catalog.changed', { reason: 'review' });
    expect(reasons).toEqual(['import']);
    expect(all).toEqual(['catalog.changed', 'job.progress', 'catalog.changed']);
  });

  it('refuses a payload of the wrong shape at compile time', () => {
    const bus = new EventBus();
    // @ts-expect-error catalog.changed carries a reason
    bus.emit('catalog.changed', { jobId: 'x' });
    expect(true).toBe(true);
  });
});
