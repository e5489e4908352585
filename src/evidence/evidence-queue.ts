import { type ConnectionOptions, Queue } from 'bullmq';
import type { CaseEvent } from '../cases/case-record.js';
import { KEEP_FAILED_JOBS, type QueuedJob, safeJobId, WORKER_BACKOFF } from '../redis/job-options.js';

export const EVIDENCE_QUEUE = 'evidence';

export type EvidenceJob =
  | { type: 'stage'; disputeId: string }
  /** `scheduledFor` null: the merchant asked to submit now (the dashboard); a schedule cannot supersede it. */
  | { type: 'submit'; disputeId: string; scheduledFor: string | null }
  | { type: 'brief'; caseId: string };

export const evidenceJobOptions = {
  attempts: 10,
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

/** Queues a submission at `at`; the job id makes the same (dispute, time) one job however often asked. */
export async function scheduleSubmission(queue: Queue<EvidenceJob>, disputeId: string, at: Date) {
  await queue.add(
    'submit',
    { type: 'submit', disputeId, scheduledFor: at.toISOString() },
    {
      ...evidenceJobOptions,
      jobId: `submit_${safeJobId(disputeId)}_${at.getTime()}`,
      delay: Math.max(0, at.getTime() - Date.now()),
    },
  );
}

/**
 * Re-stages the open disputes of customers who just sent access events. Jobs in the same 10 s share an
 * id, so a burst of event batches refreshes a dispute once.
 */
export async function queueEvidenceRefresh(
  queue: Queue<EvidenceJob>,
  disputeIds: string[],
  now = Date.now(),
) {
  const bucket = Math.floor(now / 10_000);
  await queue.addBulk(
    disputeIds.map((disputeId) => ({
      name: 'stage',
      data: { type: 'stage' as const, disputeId },
      opts: { ...evidenceJobOptions, jobId: `refresh_${safeJobId(disputeId)}_${bucket}` },
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
