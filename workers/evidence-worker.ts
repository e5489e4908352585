import { type ConnectionOptions, DelayedError, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CaseEvent } from '../src/cases/case-record.js';
import type { EvidenceAutopilot } from '../src/evidence/evidence-autopilot.js';
import {
  EVIDENCE_QUEUE,
  type EvidenceJob,
  evidenceJobOptions,
  safeJobId,
} from '../src/evidence/evidence-queue.js';
import { EvidenceBusy } from '../src/evidence/evidence-store.js';
import type { Logger } from '../src/logger/logger.js';
import { CASE_EVENTS_STREAM } from '../src/redis/keys.js';
import { whopJobError, whopRetryAfterMs } from '../src/whop/whop-errors.js';
import { createJobWorker, type JobWorkerOptions } from './job-worker.js';
import { StreamRelay } from './stream-relay.js';

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
          jobs.push({
            name: job.type,
            data: job,
            opts: { ...evidenceJobOptions, jobId: `ev_${safeJobId(event.id)}` },
          });
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
  options: JobWorkerOptions = {},
) {
  const run = async (job: Job<EvidenceJob>, token?: string) => {
    const data = job.data;
    try {
      if (data.type === 'stage') return await autopilot.stage(data.disputeId);
      if (data.type === 'submit') return await autopilot.submit(data.disputeId, data.scheduledFor);
      return await autopilot.brief(data.caseId);
    } catch (err) {
      // Another job holds this dispute (staging while submitting): wait a moment, without using up an
      // attempt — being second in line is not a failure.
      if (err instanceof EvidenceBusy) {
        await job.moveToDelayed(Date.now() + 300 + Math.random() * 400, token);
        throw new DelayedError();
      }
      // The reconciler read this object before its case event fired: a 404 now is no lag, give up.
      throw whopJobError(err);
    }
  };
  return createJobWorker<EvidenceJob>({
    queue: EVIDENCE_QUEUE,
    connection,
    processor: run,
    log,
    label: 'evidence job',
    retryAfterOf: whopRetryAfterMs,
    defaultConcurrency: 4,
    options,
  });
}
