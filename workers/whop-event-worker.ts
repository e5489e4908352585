import type { ConnectionOptions, Job } from 'bullmq';
import type { Logger } from '../src/logger/logger.js';
import { WHOP_EVENTS_QUEUE, type WhopEventJob } from '../src/reconcile/whop-events-queue.js';
import { whopRetryAfterMs } from '../src/whop/whop-errors.js';
import { createJobWorker, type JobWorkerOptions } from './job-worker.js';

export type WhopEventHandler = (job: Job<WhopEventJob>) => Promise<unknown>;

/** Thin: BullMQ plumbing only; what an event means is decided by the handler. */
export function createWhopEventWorker(
  connection: ConnectionOptions,
  handler: WhopEventHandler,
  log: Logger,
  options: JobWorkerOptions = {},
) {
  return createJobWorker<WhopEventJob>({
    queue: WHOP_EVENTS_QUEUE,
    connection,
    processor: handler,
    log,
    label: 'whop event',
    // Never sooner than Whop's Retry-After.
    retryAfterOf: whopRetryAfterMs,
    defaultConcurrency: 8,
    options,
  });
}
