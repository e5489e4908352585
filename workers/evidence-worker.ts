import { type ConnectionOptions, DelayedError, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EvidenceAutopilot } from '../src/evidence/evidence-autopilot.js';
import { EVIDENCE_QUEUE, type EvidenceJob, evidenceJobFor } from '../src/evidence/evidence-queue.js';
import { EvidenceBusy } from '../src/evidence/evidence-store.js';
import type { Logger } from '../src/logger/logger.js';
import { whopJobError, whopRetryAfterMs } from '../src/whop/whop-errors.js';
import { createJobWorker, type JobWorkerOptions } from './job-worker.js';
import { caseEventsRelay, type DeadLetterHandler } from './stream-relay.js';

/** Stages evidence for new disputes and writes briefs for cases awaiting the merchant, as case events arrive. */
export function createCaseEventsToEvidenceRelay(
  redis: Redis,
  queue: Queue<EvidenceJob>,
  log: Logger,
  claimIdleMs?: number,
  onDeadLetters?: DeadLetterHandler,
) {
  return caseEventsRelay(redis, {
    group: 'evidence',
    queue,
    jobFor: evidenceJobFor,
    log,
    claimIdleMs,
    onDeadLetters,
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
