import { type ConnectionOptions, Queue } from 'bullmq';
import type { CaseEvent } from '../cases/case-record.js';
import { KEEP_FAILED_JOBS, type QueuedJob, safeJobId, WORKER_BACKOFF } from '../redis/job-options.js';

export const EVIDENCE_QUEUE = 'evidence';

export type EvidenceJob =
  | { type: 'stage'; disputeId: string }
  /** `scheduledFor` null: the merchant asked to submit now (the dashboard); a schedule cannot supersede it. */
  | { type: 'submit'; disputeId: string; scheduledFor: string | null }
  | { type: 'brief'; caseId: string };

/**
 * 20 attempts with the workers' backoff (base 2 s, doubling, capped at 5 min, jittered to half or more)
 * span roughly 30–60 minutes: a staging attempt makes several Whop calls, so during a long Whop outage
 * or a storm of 429/5xx an attempt rarely succeeds and the job has to outlast the storm. 10 attempts
 * gave up after ~8 minutes. Retrying is safe: staging and submission are idempotent (docs/EFFECTS.md).
 */
export const evidenceJobOptions = {
  attempts: 20,
  backoff: WORKER_BACKOFF,
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: KEEP_FAILED_JOBS,
} as const;

/**
 * Which case events start evidence work, one job per event: disputes that need a response are staged,
 * cases that await the merchant get a brief. Null for every other event.
 */
export function evidenceJobFor(event: CaseEvent): QueuedJob<EvidenceJob> | null {
  const opts = { ...evidenceJobOptions, jobId: `ev_${safeJobId(event.id)}` };
  switch (event.type) {
    case 'dispute.opened':
    case 'dispute.needs_response':
      return { name: 'stage', data: { type: 'stage', disputeId: event.caseId }, opts };
    case 'case.opened':
    case 'case.awaiting_merchant':
      return { name: 'brief', data: { type: 'brief', caseId: event.caseId }, opts };
    default:
      return null;
  }
}

export function createEvidenceQueue(connection: ConnectionOptions) {
  return new Queue<EvidenceJob>(EVIDENCE_QUEUE, { connection });
}

/**
 * The job id of a dispute's `submissionNumber`th submission (1: the first; 2: the chargeback's after an
 * answered inquiry) at `at`. Once per (dispute, submission, time): the completed job keeps the id for
 * 7 days, so asking again (every staging run, the sweep) is a no-op, and a later submission of the same
 * dispute, even at the same time, is its own job.
 */
export function submitJobId(disputeId: string, at: Date, submissionNumber = 1): string {
  const n = submissionNumber > 1 ? String(submissionNumber) : '';
  return `submit${n}_${safeJobId(disputeId)}_${at.getTime()}`;
}

/**
 * Queues a submission at `at` (see `submitJobId`). Resolves true when the job was not there before
 * (the sweep counts what it re-created).
 */
export async function scheduleSubmission(
  queue: Queue<EvidenceJob>,
  disputeId: string,
  at: Date,
  submissionNumber = 1,
): Promise<boolean> {
  const jobId = submitJobId(disputeId, at, submissionNumber);
  const existed = (await queue.getJob(jobId)) !== undefined;
  await queue.add(
    'submit',
    { type: 'submit', disputeId, scheduledFor: at.toISOString() },
    { ...evidenceJobOptions, jobId, delay: Math.max(0, at.getTime() - Date.now()) },
  );
  return !existed;
}

/** The deduplication id of a dispute's evidence refresh. */
export const refreshDedupId = (disputeId: string) => `refresh_${safeJobId(disputeId)}`;

/**
 * Re-stages the open disputes of customers who just sent access events. A refresh that has not started
 * yet covers the new events too, so a burst of batches refreshes a dispute once; one already running
 * may have read the events before these arrived, so BullMQ keeps one more to run after it
 * (`keepLastIfActive`). Never swallowed by a finished refresh (no job id kept after it ran: the
 * kind of taskforcesh/bullmq#3765, where a reused id dropped the newer work).
 */
export async function queueEvidenceRefresh(queue: Queue<EvidenceJob>, disputeIds: string[]) {
  await queue.addBulk(
    disputeIds.map((disputeId) => ({
      name: 'stage',
      data: { type: 'stage' as const, disputeId },
      opts: {
        ...evidenceJobOptions,
        deduplication: { id: refreshDedupId(disputeId), keepLastIfActive: true },
      },
    })),
  );
}

/**
 * The merchant pressed "Submit evidence now": a submission job to run at once, through the same
 * autopilot step as a scheduled one (lock, re-read, submit at most once). Presses within the same
 * minute are one job; a later press queues another, which finds the evidence submitted and stops.
 */
export async function queueSubmissionNow(queue: Queue<EvidenceJob>, disputeId: string, now = Date.now()) {
  await queue.add(
    'submit',
    { type: 'submit', disputeId, scheduledFor: null },
    { ...evidenceJobOptions, jobId: `submit_now_${safeJobId(disputeId)}_${Math.floor(now / 60_000)}` },
  );
}
