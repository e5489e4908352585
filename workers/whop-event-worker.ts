import { type ConnectionOptions, type Job, Worker } from 'bullmq';
import type { Logger } from '../src/logger/logger.js';
import { WHOP_EVENTS_QUEUE, type WhopEventJob } from '../src/queue/whop-events-queue.js';

export type WhopEventHandler = (job: Job<WhopEventJob>) => Promise<unknown>;

/** Thin: BullMQ plumbing and logging only; what an event means is decided by the handler. */
export function createWhopEventWorker(
  connection: ConnectionOptions,
  handler: WhopEventHandler,
  log: Logger,
  concurrency = 8,
) {
  const worker = new Worker<WhopEventJob>(WHOP_EVENTS_QUEUE, handler, { connection, concurrency });
  worker.on('failed', (job, err) => {
    log.warn(
      { jobId: job?.id, type: job?.name, attempts: job?.attemptsMade, err: err.message },
      'whop event job failed',
    );
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'whop event worker error'));
  return worker;
}
