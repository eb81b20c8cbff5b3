import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/contract';
import { isJobOf, resultOf, type AnyJobProgress } from '../../src-shared/contract/channels/jobs';
import { EventBus } from '../ipc/event-bus';
import { JobRunner } from './job-runner';

function setup() {
  const bus = new EventBus();
  const events: AnyJobProgress[] = [];
  bus.on('job.progress', (payload) => events.push(payload));
  return { runner: new JobRunner(bus, 0), events };
}

describe('JobRunner', () => {
  it('reports progress with fraction and stage and ends done with the result', async () => {
    const { runner, events } = setup();
    const id = runner.start('segment', 'Test', async (ctx) => {
      await ctx.progress(0.5, 'Half way');
      return { scanId: 7, segmentationId: 42, outcome: 'added' };
    });
    const end = await runner.wait(id);
    expect(end).toMatchObject({ state: 'done', fraction: 1, result: { scanId: 7, segmentationId: 42 } });
    // The kind types the result: no cast needed to read it.
    expect(isJobOf(end, 'segment') && end.result?.segmentationId).toBe(42);
    expect(isJobOf(end, 'import')).toBe(false);
    expect(events.some((e) => e.stage === 'Half way' && e.fraction === 0.5)).toBe(true);
  });

  it('cancel stops the loop at the next progress report and ends as cancelled', async () => {
    const { runner } = setup();
    let steps = 0;
    const id = runner.start('segment', 'Long', async (ctx) => {
      for (let i = 0; i < 1000; i++) {
        await ctx.progress(i / 1000, 'Working');
        steps++;
        if (i === 3) runner.cancel(id);
      }
      return { scanId: 1, segmentationId: 1, outcome: 'added' };
    });
    const end = await runner.wait(id);
    expect(end.state).toBe('cancelled');
    expect(end.error).toBeUndefined();
    expect(steps).toBe(4);
    expect(runner.cancel(id)).toBe(false);
  });

  it('a failing job ends failed with the error code', async () => {
    const { runner } = setup();
    const id = runner.start('segment', 'Bad', async () => {
      throw new AppError('BAD_INPUT', 'nope');
    });
    expect(await runner.wait(id)).toMatchObject({ state: 'failed', error: { code: 'BAD_INPUT', message: 'nope' } });
  });

  it('a body must return the result its kind declares (checked by tsc over the tests)', () => {
    const { runner } = setup();
    // @ts-expect-error an import job ends with an ImportResult, not a number
    const id = runner.start('import', 'Wrong', async () => 42);
    expect(typeof id).toBe('string');
  });

  it('resultOf reads a done job as a call: the typed result, or the way it ended as an AppError', async () => {
    const { runner } = setup();
    const done = await runner.wait(runner.start('segment', 'Seg', async () => ({ scanId: 3, segmentationId: 9, outcome: 'added' })));
    expect(resultOf(done, 'segment').segmentationId).toBe(9);
    expect(() => resultOf(done, 'import')).toThrow(/a segment job, not import/);
    const failed = await runner.wait(runner.start('segment', 'Bad', async () => { throw new AppError('BAD_INPUT', 'unreadable scan'); }));
    expect(() => resultOf(failed, 'segment')).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: 'unreadable scan' }));
    const id = runner.start('segment', 'Stopped', async (ctx) => {
      await ctx.progress(0, 'Working');
      return { scanId: 1, segmentationId: 1, outcome: 'added' };
    });
    runner.cancel(id);
    expect(() => resultOf(runner.get(id), 'segment')).toThrow(/still/);
    expect(() => resultOf(runner.get(id), 'segment')).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
    const cancelled = await runner.wait(id);
    expect(() => resultOf(cancelled, 'segment')).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
  });

  it('unknown job ids are NOT_FOUND', () => {
    const { runner } = setup();
    expect(() => runner.get('missing')).toThrow(AppError);
  });
});
