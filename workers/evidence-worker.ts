import { type ConnectionOptions, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EvidenceAutopilot } from '../src/autopilot/evidence-autopilot.js';
import type { CaseEvent } from '../src/cases/case-record.js';
import type { Logger } from '../src/logger/logger.js';
import { CASE_EVENTS_STREAM } from '../src/store/case-store.js';
import { EvidenceBusy } from '../src/store/evidence-store.js';
import { backoffMs, classifyWhopError } from '../src/whop/whop-errors.js';
import { StreamRelay } from './stream-relay.js';
import { RetryableWhopError } from './whop-event-handler.js';

export const EVIDENCE_QUEUE = 'evidence';

export type EvidenceJob =
  | { type: 'stage'; disputeId: string }
  | { type: 'submit'; disputeId: string; scheduledFor: string }
  | { type: 'brief'; caseId: string };

const jobOptions = {
  attempts: 10,
  backoff: { type: 'custom' },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

const safeId = (s: string) => s.replaceAll(':', '_');

/** Which case events start evidence work: disputes that need a response, cases that await the merchant. */
export function evidenceJobFor(event: CaseEvent): EvidenceJob | null {
  switch (event.type) {
    case 'dispute.opened':
    case 'dispute.needs_response':
      return { type: 'stage', disputeId: event.caseId };
    case 'case.opened':
    case 'case.awaiting_merchant':
      return { type: 'brief', caseId: event.caseId };
    default:
      return null;
  }
}

export function createEvidenceQueue(connection: ConnectionOptions) {
  return new Queue<EvidenceJob>(EVIDENCE_QUEUE, { connection });
}

/** Queues a submission at `at`; the job id makes the same (dispute, time) one job however often asked. */
export async function scheduleSubmission(queue: Queue<EvidenceJob>, disputeId: string, at: Date) {
  await queue.add(
    'submit',
    { type: 'submit', disputeId, scheduledFor: at.toISOString() },
    {
      ...jobOptions,
      jobId: `submit_${safeId(disputeId)}_${at.getTime()}`,
      delay: Math.max(0, at.getTime() - Date.now()),
    },
  );
}

/** Stages evidence for new disputes (and refreshes it for new access events) as the case-events arrive. */
export function createCaseEventsToEvidenceRelay(redis: Redis, queue: Queue<EvidenceJob>, log: Logger) {
  return new StreamRelay(redis, {
    stream: CASE_EVENTS_STREAM,
    group: 'evidence',
    deleteAfter: false,
    log,
    deliver: async (entries) => {
      const jobs = [];
      const unreadable: string[] = [];
      for (const e of entries) {
        let event: CaseEvent;
        try {
          event = JSON.parse(e.payload) as CaseEvent;
        } catch {
          unreadable.push(e.id);
          continue;
        }
        const job = evidenceJobFor(event);
        if (job)
          jobs.push({ name: job.type, data: job, opts: { ...jobOptions, jobId: `ev_${safeId(event.id)}` } });
      }
      if (jobs.length) await queue.addBulk(jobs);
      return unreadable;
    },
  });
}

/** Thin: runs the autopilot step a job names and sorts failures into retry-later and give-up. */
export function createEvidenceWorker(
  connection: ConnectionOptions,
  autopilot: EvidenceAutopilot,
  log: Logger,
  options: { backoffBaseMs?: number; lockDuration?: number; concurrency?: number } = {},
) {
  const run = async (job: Job<EvidenceJob>) => {
    const data = job.data;
    try {
      if (data.type === 'stage') return await autopilot.stage(data.disputeId);
      if (data.type === 'submit') return await autopilot.submit(data.disputeId, data.scheduledFor);
      return await autopilot.brief(data.caseId);
    } catch (err) {
      // Another job holds this dispute (staging while submitting): try again shortly.
      if (err instanceof EvidenceBusy) throw new RetryableWhopError(err.message, 1000);
      const failure = classifyWhopError(err);
      if (failure.kind === 'permanent' || failure.kind === 'not_found')
        throw new UnrecoverableError(failure.reason);
      throw new RetryableWhopError(failure.reason, failure.retryAfterMs);
    }
  };
  const worker = new Worker<EvidenceJob>(EVIDENCE_QUEUE, run, {
    connection,
    concurrency: options.concurrency ?? 4,
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    settings: {
      backoffStrategy: (attemptsMade, _type, err) =>
        backoffMs(
          attemptsMade,
          err instanceof RetryableWhopError ? err.retryAfterMs : undefined,
          options.backoffBaseMs ?? 2000,
        ),
    },
  });
  worker.on('failed', (job, err) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    log[final ? 'error' : 'warn'](
      { jobId: job?.id, type: job?.data.type, attempts: job?.attemptsMade, err: err.message, final },
      final ? 'evidence job failed for good' : 'evidence job failed; will retry',
    );
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'evidence worker error'));
  return worker;
}
