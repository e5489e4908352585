import {
  type ConnectionOptions,
  DelayedError,
  type Job,
  type Queue,
  UnrecoverableError,
  Worker,
} from 'bullmq';
import type { Redis } from 'ioredis';
import { ChannelError } from '../src/alerts/channels/index.js';
import type { AlertDispatcher } from '../src/autopilot/alert-dispatcher.js';
import type { CaseEvent } from '../src/cases/case-record.js';
import type { Logger } from '../src/logger/logger.js';
import { ALERTS_QUEUE, type AlertJob, alertJobOptions } from '../src/queue/alerts-queue.js';
import { CASE_EVENTS_STREAM } from '../src/store/case-store.js';
import { backoffMs } from '../src/whop/whop-errors.js';
import { StreamRelay } from './stream-relay.js';

/** How long a case alert waits for the evidence worker's brief before going without it. */
const BRIEF_WAIT_MS = 15_000;

/** Every case event is looked at for alerts and reminders (its own consumer group on the stream). */
export function createCaseEventsToAlertsRelay(redis: Redis, queue: Queue<AlertJob>, log: Logger) {
  return new StreamRelay(redis, {
    stream: CASE_EVENTS_STREAM,
    group: 'alerts',
    deleteAfter: false,
    log,
    deliver: async (entries) => {
      const unreadable: string[] = [];
      const jobs = [];
      for (const e of entries) {
        try {
          const event = JSON.parse(e.payload) as CaseEvent;
          jobs.push({
            name: 'case_event',
            data: { type: 'case_event' as const, event },
            opts: { ...alertJobOptions, jobId: `ce_${event.id.replaceAll(':', '.')}` },
          });
        } catch {
          unreadable.push(e.id);
        }
      }
      if (jobs.length) await queue.addBulk(jobs);
      return unreadable;
    },
  });
}

/** Thin: runs the dispatcher step a job names; failed deliveries retry as the channel asks. */
export function createAlertsWorker(
  connection: ConnectionOptions,
  dispatcher: AlertDispatcher,
  log: Logger,
  options: { lockDuration?: number; backoffBaseMs?: number; concurrency?: number } = {},
) {
  const run = async (job: Job<AlertJob>, token?: string) => {
    const data = job.data;
    switch (data.type) {
      case 'case_event': {
        const waitedFor = Date.now() - job.timestamp;
        const outcome = await dispatcher.onCaseEvent(data.event, {
          briefWaitOver: waitedFor > BRIEF_WAIT_MS,
        });
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
      case 'digest':
        return dispatcher.digest();
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
  const worker = new Worker<AlertJob>(ALERTS_QUEUE, run, {
    connection,
    concurrency: options.concurrency ?? 8,
    ...(options.lockDuration
      ? { lockDuration: options.lockDuration, stalledInterval: options.lockDuration }
      : {}),
    settings: {
      // Slack's and Discord's Retry-After when they gave one, else exponential with jitter.
      backoffStrategy: (attemptsMade, _type, err) =>
        backoffMs(
          attemptsMade,
          err instanceof ChannelError ? (err.retryAfterMs ?? undefined) : undefined,
          options.backoffBaseMs ?? 2000,
          10 * 60_000,
        ),
    },
  });
  worker.on('failed', (job, err) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    const fields = {
      jobId: job?.id,
      type: job?.data.type,
      attempts: job?.attemptsMade,
      err: err.message,
      final,
    };
    if (final && job?.data.type === 'deliver') {
      // Visible to the merchant: GET /api/alerts lists failed deliveries.
      const d = job.data;
      dispatcher.recordFailure(d.alert, d.channel, err.message).catch(() => {});
    }
    log[final ? 'error' : 'warn'](
      fields,
      final ? 'alert job failed for good' : 'alert job failed; will retry',
    );
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'alerts worker error'));

  return worker;
}
