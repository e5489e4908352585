import { type ConnectionOptions, type Job, Worker } from 'bullmq';
import type { Logger } from '../src/logger/logger.js';
import { WHOP_EVENTS_QUEUE, type WhopEventJob } from '../src/queue/whop-events-queue.js';
import { backoffMs } from '../src/whop/whop-errors.js';
import { RetryableWhopError } from './whop-event-handler.js';

export type WhopEventHandler = (job: Job<WhopEventJob>) => Promise<unknown>;

/** Thin: BullMQ plumbing, backoff and logging; what an event means is decided by the handler. */
export function createWhopEventWorker(
  connection: ConnectionOptions,
  handler: WhopEventHandler,
  log: Logger,
  options: {
    concurrency?: number;
    backoffBaseMs?: number;
    lockDuration?: number;
    /** Told about a job that failed for good (alerts). */
    onFailedForGood?: (job: Job, err: Error) => Promise<void>;
  } = {},
) {
  const worker = new Worker<WhopEventJob>(WHOP_EVENTS_QUEUE, handler, {
    connection,
    concurrency: options.concurrency ?? 8,
    // A crashed worker's job is taken over once its lock lapses: checked as often as the lock lasts.
    ...(options.lockDuration
      ? { lockDuration: options.lockDuration, stalledInterval: options.lockDuration }
      : {}),
    settings: {
      // Exponential with jitter, and never sooner than Whop's Retry-After.
      backoffStrategy: (attemptsMade, _type, err) =>
        backoffMs(
          attemptsMade,
          err instanceof RetryableWhopError ? err.retryAfterMs : undefined,
          options.backoffBaseMs ?? 2000,
        ),
    },
  });
  worker.on('failed', (job, err) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    if (final && job) options.onFailedForGood?.(job, err).catch(() => {});
    log[final ? 'error' : 'warn'](
      { jobId: job?.id, type: job?.name, attempts: job?.attemptsMade, err: err.message, final },
      final ? 'whop event failed for good' : 'whop event failed; will retry',
    );
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'whop event worker error'));
  return worker;
}
