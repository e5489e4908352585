import { type ConnectionOptions, Queue } from 'bullmq';
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
  // 'custom': the worker's backoffStrategy (exponential with jitter, honouring Retry-After).
  backoff: { type: 'custom' },
  // Completed jobs are kept a day so a re-relayed stream entry (after a crash) finds its job id taken.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  // Failed jobs are kept for the operator to inspect and retry.
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export function createWhopEventsQueue(connection: ConnectionOptions) {
  return new Queue<WhopEventJob>(WHOP_EVENTS_QUEUE, { connection });
}

/** BullMQ job ids may not contain ':'; webhook ids (`msg_…`) never do, but a sender could. */
export function jobIdForWebhook(webhookId: string): string {
  return `wh_${webhookId.replaceAll(':', '_')}`;
}
