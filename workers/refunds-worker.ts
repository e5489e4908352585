import { type ConnectionOptions, DelayedError, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/logger/logger.js';
import { RefundInDoubt, type RefundService } from '../src/refunds/refund-service.js';
import { RefundBusy } from '../src/refunds/refund-store.js';
import { REFUNDS_QUEUE, type RefundJob, refundJobFor } from '../src/refunds/refunds-queue.js';
import { RetryableWhopError, whopJobError, whopRetryAfterMs } from '../src/whop/whop-errors.js';
import { createJobWorker, type JobWorkerOptions } from './job-worker.js';
import { caseEventsRelay } from './stream-relay.js';

/** Whop may 404 an alert for a moment after announcing it; this many tries before giving up. */
const NOT_FOUND_ATTEMPTS = 4;

/** New dispute alerts → the `refunds` queue. */
export function createCaseEventsToRefundsRelay(redis: Redis, queue: Queue<RefundJob>, log: Logger) {
  return caseEventsRelay(redis, { group: 'refunds', queue, jobFor: refundJobFor, log });
}

/** Thin: runs the refund service for the job's alert and sorts failures into wait, retry and give up. */
export function createRefundsWorker(
  connection: ConnectionOptions,
  service: RefundService,
  log: Logger,
  options: JobWorkerOptions = {},
) {
  const run = async (job: Job<RefundJob>, token?: string) => {
    try {
      const record = await service.onDisputeAlert(job.data.alertId);
      return { decision: record.decision.code, outcome: record.outcome?.code ?? null };
    } catch (err) {
      // Another refund of the same payment is running (a second alert, a person's request): wait a
      // moment without using up an attempt — being second in line is not a failure.
      if (err instanceof RefundBusy) {
        await job.moveToDelayed(Date.now() + 300 + Math.random() * 400, token);
        throw new DelayedError();
      }
      // Sent, answer lost, not on the payment yet: re-read once a late refund could have shown up.
      if (err instanceof RefundInDoubt) throw new RetryableWhopError(err.message, err.retryAfterMs);
      if (err instanceof RetryableWhopError) throw err;
      throw whopJobError(err, {
        tries: NOT_FOUND_ATTEMPTS,
        attemptsMade: job.attemptsMade,
        what: `dispute alert ${job.data.alertId}`,
      });
    }
  };
  return createJobWorker<RefundJob>({
    queue: REFUNDS_QUEUE,
    connection,
    processor: run,
    log,
    label: 'refund job',
    retryAfterOf: whopRetryAfterMs,
    // One alert at a time per worker is plenty, and keeps Whop calls that move money few.
    defaultConcurrency: 2,
    options,
  });
}
