import { type ConnectionOptions, Queue } from 'bullmq';

export const EVIDENCE_QUEUE = 'evidence';

export type EvidenceJob =
  | { type: 'stage'; disputeId: string }
  | { type: 'submit'; disputeId: string; scheduledFor: string }
  | { type: 'brief'; caseId: string };

export const evidenceJobOptions = {
  attempts: 10,
  backoff: { type: 'custom' },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export const safeJobId = (s: string) => s.replaceAll(':', '_');

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
