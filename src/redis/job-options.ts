import type { JobsOptions } from 'bullmq';

/**
 * What every BullMQ queue's jobs share. Each queue's name, job shapes and own options sit beside its
 * feature: src/reconcile/whop-events-queue.ts, src/evidence/evidence-queue.ts,
 * src/alerts/alerts-queue.ts, src/reconcile/sweep-queue.ts.
 */

/**
 * Retries are paced by the worker's backoffStrategy (workers/job-worker.ts): exponential with jitter,
 * never sooner than the far side's Retry-After.
 */
export const WORKER_BACKOFF = { type: 'custom' } as const;

/** Failed jobs are kept 30 days (in seconds) for the operator to inspect and retry. */
export const KEEP_FAILED_JOBS = { age: 30 * 24 * 3600 } as const;

/** BullMQ refuses custom job ids containing ':'; ids built from outside ids replace it. */
export const safeJobId = (s: string) => s.replaceAll(':', '_');

/**
 * A job as `Queue.addBulk` takes it. Its id is derived from what it is for, so the same work queued
 * twice (a stream entry relayed again after a crash, a deadline announced twice) is one job: BullMQ
 * ignores an add whose id exists.
 */
export interface QueuedJob<T> {
  name: string;
  data: T;
  opts: JobsOptions & { jobId: string };
}
