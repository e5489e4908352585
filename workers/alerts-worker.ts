import { type ConnectionOptions, DelayedError, type Job, type Queue, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AlertDispatcher } from '../src/alerts/alert-dispatcher.js';
import { ALERTS_QUEUE, type AlertJob, caseEventJob } from '../src/alerts/alerts-queue.js';
import { ChannelError } from '../src/alerts/channels/index.js';
import type { Logger } from '../src/logger/logger.js';
import { WhopPermissionError } from '../src/whop/whop-errors.js';
import { createJobWorker, type JobWorkerOptions } from './job-worker.js';
import { caseEventsRelay, type DeadLetterHandler } from './stream-relay.js';

/** How long a case's opening message waits for the evidence worker's brief, after its window, before going without it. */
const BRIEF_WAIT_MS = 15_000;

/** Every case event is looked at for alerts and reminders. */
export function createCaseEventsToAlertsRelay(
  redis: Redis,
  queue: Queue<AlertJob>,
  log: Logger,
  claimIdleMs?: number,
  onDeadLetters?: DeadLetterHandler,
) {
  return caseEventsRelay(redis, {
    group: 'alerts',
    queue,
    jobFor: caseEventJob,
    log,
    claimIdleMs,
    onDeadLetters,
  });
}

/** Thin: runs the dispatcher step a job names; failed deliveries retry as the channel asks. */
export function createAlertsWorker(
  connection: ConnectionOptions,
  dispatcher: AlertDispatcher,
  log: Logger,
  options: Omit<JobWorkerOptions, 'onFailedForGood'> = {},
) {
  const run = async (job: Job<AlertJob>, token?: string) => {
    const data = job.data;
    switch (data.type) {
      case 'case_event':
        return dispatcher.onCaseEvent(data.event);
      case 'opening': {
        // From the end of the coalescing window, not from when the job was queued.
        const waitedFor = Date.now() - job.timestamp - (job.opts.delay ?? 0);
        const outcome = await dispatcher.onOpening(data.event, { briefWaitOver: waitedFor > BRIEF_WAIT_MS });
        if (outcome === 'wait_for_brief') {
          await job.moveToDelayed(Date.now() + 250, token);
          throw new DelayedError();
        }
        return outcome;
      }
      case 'reminder':
        return dispatcher.onReminder(data);
      case 'notify':
        return dispatcher.notify(data.alert);
      case 'refund':
        return dispatcher.onRefund(data.record);
      case 'digest':
        // A scheduler's job carries the moment it was due (`prevMillis`); a hand-queued one has none.
        return dispatcher.digest(job.opts.prevMillis);
      case 'deliver':
        try {
          return await dispatcher.deliver(data.alert, data.channel);
        } catch (err) {
          // A 4xx other than 429 will not get better: record it and stop.
          if (err instanceof ChannelError && err.permanent) throw new UnrecoverableError(err.message);
          throw err;
        }
    }
  };
  return createJobWorker<AlertJob>({
    queue: ALERTS_QUEUE,
    connection,
    processor: run,
    log,
    label: 'alert job',
    // Slack's and Discord's Retry-After when they gave one.
    retryAfterOf: (err) => (err instanceof ChannelError ? (err.retryAfterMs ?? undefined) : undefined),
    defaultConcurrency: 8,
    maxBackoffMs: 10 * 60_000,
    options: {
      ...options,
      onFailedForGood: async (job, err) => {
        // Visible to the merchant: GET /api/alerts lists failed deliveries. (Not alerted: it would loop.)
        const data = job.data as AlertJob;
        if (data.type === 'deliver') await dispatcher.recordFailure(data.alert, data.channel, err.message);
      },
    },
  });
}

/**
 * For another pipeline's worker: a job of `queue` that failed for good becomes a `job_failed` alert,
 * naming the case when the job's data carries one (a dispute, a case, or a webhook's object), and when
 * Whop refused a permission, the call and the permission.
 */
export function alertOnFailedForGood(dispatcher: AlertDispatcher, queue: string) {
  return async (job: Job, err: Error) => {
    const data = job.data as {
      disputeId?: string;
      caseId?: string;
      alertId?: string;
      event?: { data?: { id?: string } };
    };
    const caseId = data.disputeId ?? data.caseId ?? data.alertId ?? data.event?.data?.id;
    await dispatcher.onJobFailed({
      queue,
      jobId: job.id ?? '',
      jobName: job.name,
      attempts: job.attemptsMade,
      reason: err.message,
      ...(caseId ? { caseId } : {}),
      ...(err instanceof WhopPermissionError ? { permission: err.denial } : {}),
    });
  };
}
