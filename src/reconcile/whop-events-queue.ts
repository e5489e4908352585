import { type ConnectionOptions, Queue } from 'bullmq';
import { KEEP_FAILED_JOBS, type QueuedJob, safeJobId, WORKER_BACKOFF } from '../redis/job-options.js';
import type { WhopEventEnvelope } from '../webhooks/envelope.js';

export const WHOP_EVENTS_QUEUE = 'whop-events';

/** One verified webhook delivery, as the workers receive it. */
export interface WhopEventJob {
  webhookId: string;
  receivedAt: string;
  attemptTimestamp: number;
  event: WhopEventEnvelope;
}

export const whopEventJobOptions = {
  attempts: 8,
  backoff: WORKER_BACKOFF,
  // Completed jobs are kept a day so a re-relayed stream entry (after a crash) finds its job id taken.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: KEEP_FAILED_JOBS,
} as const;

export function createWhopEventsQueue(connection: ConnectionOptions) {
  return new Queue<WhopEventJob>(WHOP_EVENTS_QUEUE, { connection });
}

/** Webhook ids (`msg_…`) never contain ':', but a sender could. */
export function jobIdForWebhook(webhookId: string): string {
  return `wh_${safeJobId(webhookId)}`;
}

/** A stored delivery as its job: one per webhook id, however often Whop delivered it. */
export function whopEventJob(entry: WhopEventJob): QueuedJob<WhopEventJob> {
  return {
    name: entry.event.type,
    data: entry,
    opts: { ...whopEventJobOptions, jobId: jobIdForWebhook(entry.webhookId) },
  };
}
