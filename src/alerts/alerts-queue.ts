import { type ConnectionOptions, Queue } from 'bullmq';
import type { CaseEvent } from '../cases/case-record.js';
import type { Alert } from './alert.js';

export const ALERTS_QUEUE = 'alerts';

/** The destinations: the configured channels, or the log when none is. */
export type AlertDestination = 'slack' | 'discord' | 'email' | 'log';

export type AlertJob =
  | { type: 'case_event'; event: CaseEvent }
  | { type: 'reminder'; caseId: string; offsetMs: number; dueAt: string }
  | { type: 'notify'; alert: Alert }
  | { type: 'deliver'; alert: Alert; channel: AlertDestination }
  | { type: 'digest' };

export const alertJobOptions = {
  // Slack and Discord answer 429 under load: many patient attempts, each after what they asked for.
  attempts: 12,
  backoff: { type: 'custom' },
  // Sent markers (90 days) already prevent a second send; completed jobs are kept only for a look back.
  removeOnComplete: { age: 7 * 24 * 3600, count: 20_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export function createAlertsQueue(connection: ConnectionOptions) {
  return new Queue<AlertJob>(ALERTS_QUEUE, { connection });
}

/** Routes and delivers an alert built anywhere (evidence, sweep, failed jobs); once per alert id. */
export async function queueAlert(queue: Queue<AlertJob>, alert: Alert) {
  await queue.add('notify', { type: 'notify', alert }, { ...alertJobOptions, jobId: `notify_${alert.id}` });
}
