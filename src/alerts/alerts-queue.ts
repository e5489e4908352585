import { type ConnectionOptions, Queue } from 'bullmq';
import type { CaseEvent } from '../cases/case-record.js';
import { KEEP_FAILED_JOBS, type QueuedJob, safeJobId, WORKER_BACKOFF } from '../redis/job-options.js';
import type { RefundDecisionRecord } from '../refunds/refund-record.js';
import type { Alert } from './alert.js';
import type { ChannelName } from './channels/channel-error.js';
import { digestRepeat } from './digest-schedule.js';
import { reminderKey } from './reminder-schedule.js';

export const ALERTS_QUEUE = 'alerts';

/** The destinations: the configured channels, or the log when none is. */
export type AlertDestination = ChannelName | 'log';

export type AlertJob =
  | { type: 'case_event'; event: CaseEvent }
  /** The one opening message of a new dispute, inquiry or case, composed once the coalescing window is over. */
  | { type: 'opening'; event: CaseEvent }
  | { type: 'reminder'; caseId: string; offsetMs: number; dueAt: string }
  | { type: 'notify'; alert: Alert }
  /** A refund decision or outcome stored by a process without a dispatcher (the HTTP server). */
  | { type: 'refund'; record: RefundDecisionRecord }
  | { type: 'deliver'; alert: Alert; channel: AlertDestination }
  | { type: 'digest' };

export const alertJobOptions = {
  // Slack and Discord answer 429 under load: many patient attempts, each after what they asked for.
  attempts: 12,
  backoff: WORKER_BACKOFF,
  // Sent markers (90 days) already prevent a second send; completed jobs are kept only for a look back.
  removeOnComplete: { age: 7 * 24 * 3600, count: 20_000 },
  removeOnFail: KEEP_FAILED_JOBS,
} as const;

export function createAlertsQueue(connection: ConnectionOptions) {
  return new Queue<AlertJob>(ALERTS_QUEUE, { connection });
}

/** Every case event is looked at for alerts and reminders: one job per event. */
export function caseEventJob(event: CaseEvent): QueuedJob<AlertJob> {
  return {
    name: 'case_event',
    data: { type: 'case_event', event },
    opts: { ...alertJobOptions, jobId: `ce_${event.id.replaceAll(':', '.')}` },
  };
}

/**
 * The opening message of the transition `event`, run `delayMs` after it (the coalescing window): once
 * per transition, however often the event is relayed or its webhook delivered.
 */
export function openingJob(event: CaseEvent, delayMs: number): QueuedJob<AlertJob> {
  return {
    name: 'opening',
    data: { type: 'opening', event },
    opts: { ...alertJobOptions, jobId: `opening_${event.id.replaceAll(':', '.')}`, delay: delayMs },
  };
}

/** One delivery of an alert to one destination: once per (alert, destination). */
export function deliveryJob(alert: Alert, channel: AlertDestination): QueuedJob<AlertJob> {
  return {
    name: 'deliver',
    data: { type: 'deliver', alert, channel },
    opts: { ...alertJobOptions, jobId: `${alert.id}.${channel}` },
  };
}

/**
 * A reminder `offsetMs` before `dueAt` (ISO 8601), run after `delayMs`: one job per (item, offset, due
 * date), however often the deadline is announced.
 */
export function reminderJob(
  caseId: string,
  offsetMs: number,
  dueAt: string,
  delayMs: number,
): QueuedJob<AlertJob> {
  return {
    name: 'reminder',
    data: { type: 'reminder', caseId, offsetMs, dueAt },
    opts: { ...alertJobOptions, jobId: reminderKey(caseId, offsetMs, dueAt), delay: delayMs },
  };
}

/** The daily digest at `at` ('HH:MM') in `timeZone` (IANA); one scheduler however many workers start. */
export async function scheduleDigest(queue: Queue<AlertJob>, at: string, timeZone: string) {
  await queue.upsertJobScheduler('daily-digest', digestRepeat(at, timeZone), {
    name: 'digest',
    data: { type: 'digest' },
    opts: { removeOnComplete: 100, removeOnFail: 100 },
  });
}

/** Routes and delivers an alert built anywhere (evidence, sweep, failed jobs); once per alert id. */
export async function queueAlert(queue: Queue<AlertJob>, alert: Alert) {
  await queue.add('notify', { type: 'notify', alert }, { ...alertJobOptions, jobId: `notify_${alert.id}` });
}

/**
 * Hands a refund decision to the alert worker (`AlertDispatcher.onRefund`), for processes that run no
 * dispatcher (a refund asked for over HTTP); once per decision, round and outcome.
 */
export async function queueRefundAlert(queue: Queue<AlertJob>, record: RefundDecisionRecord) {
  const state = `${record.round}_${record.outcome?.code ?? record.decision.code}`;
  await queue.add(
    'refund',
    { type: 'refund', record },
    { ...alertJobOptions, jobId: `refund_${safeJobId(record.id)}_${state}` },
  );
}
