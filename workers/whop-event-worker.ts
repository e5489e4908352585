import type { ConnectionOptions, Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/logger/logger.js';
import { WHOP_EVENTS_QUEUE, type WhopEventJob, whopEventJob } from '../src/reconcile/whop-events-queue.js';
import { INBOX_STREAM } from '../src/redis/keys.js';
import { whopRetryAfterMs } from '../src/whop/whop-errors.js';
import { createJobWorker, type JobWorkerOptions } from './job-worker.js';
import { type DeadLetterHandler, StreamRelay } from './stream-relay.js';

/**
 * Moves stored webhook deliveries from the intake stream into the `whop-events` queue, and deletes them
 * there: one job per webhook id, so an entry relayed twice (after a crash) is one job.
 */
export function createInboxRelay(
  redis: Redis,
  queue: Queue<WhopEventJob>,
  log: Logger,
  options: {
    streamKey?: string;
    blockMs?: number;
    claimIdleMs?: number;
    onDeadLetters?: DeadLetterHandler;
  } = {},
) {
  return new StreamRelay<WhopEventJob, WhopEventJob>(redis, {
    stream: options.streamKey ?? INBOX_STREAM,
    group: 'relay',
    queue,
    jobFor: whopEventJob,
    deleteAfter: true,
    log,
    onDeadLetters: options.onDeadLetters,
    ...(options.blockMs ? { blockMs: options.blockMs } : {}),
    ...(options.claimIdleMs ? { claimIdleMs: options.claimIdleMs } : {}),
  });
}

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
