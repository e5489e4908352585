import { type ConnectionOptions, Queue } from 'bullmq';
import type { CaseEvent } from '../cases/case-record.js';
import { KEEP_FAILED_JOBS, type QueuedJob, safeJobId, WORKER_BACKOFF } from '../redis/job-options.js';

export const REFUNDS_QUEUE = 'refunds';

/** Decide (and perhaps refund) one dispute alert; the alert's id is also its case id. */
export type RefundJob = { type: 'alert'; alertId: string };

export const refundJobOptions = {
  // Whop down for a while, or an answer in doubt that settles after a minute: many patient attempts.
  attempts: 12,
  backoff: WORKER_BACKOFF,
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: KEEP_FAILED_JOBS,
} as const;

/**
 * One job per new dispute alert (`dispute_alert.opened`), its id derived from the event so a relayed
 * entry is one job; null for every other event, and for alerts a backfill loaded: an operator importing
 * history has not asked for refunds of old alerts (the periodic sweep's recoveries are decided).
 */
export function refundJobFor(event: CaseEvent): QueuedJob<RefundJob> | null {
  if (event.type !== 'dispute_alert.opened' || event.source === 'backfill') return null;
  return {
    name: 'alert',
    data: { type: 'alert', alertId: event.caseId },
    opts: { ...refundJobOptions, jobId: `rf_${safeJobId(event.id)}` },
  };
}

export function createRefundsQueue(connection: ConnectionOptions) {
  return new Queue<RefundJob>(REFUNDS_QUEUE, { connection });
}
