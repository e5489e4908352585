import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { RetryableWhopError } from '../src/whop/whop-errors.js';
import { type JobOutcome, timedProcessor } from './job-worker.js';

describe('timedProcessor: the job-duration metric’s outcome', () => {
  const run = async (fail: () => unknown) => {
    const seen: [string, JobOutcome][] = [];
    const timed = timedProcessor(
      'evidence',
      async () => {
        const err = fail();
        if (err) throw err;
        return 'ok';
      },
      (queue, outcome, seconds) => {
        expect(seconds).toBeGreaterThanOrEqual(0);
        seen.push([queue, outcome]);
      },
    );
    await timed({} as Job, 'token').catch(() => undefined);
    return seen;
  };

  it('a job that waited for a busy lock (moved to delayed) is no failure', async () => {
    expect(await run(() => new DelayedError())).toEqual([['evidence', 'delayed']]);
  });

  it('errors are failures, whether retried or final; a result is completed', async () => {
    expect(await run(() => new RetryableWhopError('whop answered 503', undefined))).toEqual([
      ['evidence', 'failed'],
    ]);
    expect(await run(() => new UnrecoverableError('whop answered 404'))).toEqual([['evidence', 'failed']]);
    expect(await run(() => undefined)).toEqual([['evidence', 'completed']]);
  });
});
