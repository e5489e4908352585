import { type ConnectionOptions, Queue } from 'bullmq';

export const SWEEP_QUEUE = 'sweeps';

/** A sweep's result is in its log lines and the case store: keep only the last hundred jobs. */
const sweepJobOptions = { removeOnComplete: 100, removeOnFail: 100 } as const;

export function createSweepQueue(connection: ConnectionOptions) {
  return new Queue(SWEEP_QUEUE, { connection });
}

/**
 * Schedules a sweep every `intervalMs` and one now. Both are deduplicated: with any number of worker
 * processes (starting together or not) each sweep is queued once.
 */
export async function scheduleSweeps(queue: Queue, intervalMs: number) {
  await queue.upsertJobScheduler(
    'periodic-sweep',
    { every: intervalMs },
    { name: 'sweep', opts: sweepJobOptions },
  );
  await queue.add('sweep', {}, { deduplication: { id: 'startup-sweep' }, ...sweepJobOptions });
}
