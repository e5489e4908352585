import { type ConnectionOptions, Worker } from 'bullmq';
import type { Logger } from '../src/logger/logger.js';
import type { Sweeper, SweepOptions } from '../src/reconcile/sweep.js';
import { createSweepQueue, SWEEP_QUEUE, scheduleSweeps } from '../src/reconcile/sweep-queue.js';
import type { PermissionDenial } from '../src/whop/whop-errors.js';

/**
 * Runs the sweep at start and every `intervalMs`, as BullMQ jobs so that with any number of worker
 * processes each sweep runs once. The start-up job is deduplicated: several processes starting together
 * queue one sweep.
 */
export async function startSweeps(
  connection: ConnectionOptions,
  sweeper: Sweeper,
  sweepOptions: Omit<SweepOptions, 'source'>,
  intervalMs: number,
  log: Logger,
  /** Told what a sweep recovered (alerts). */
  onRecovered?: (runId: string, caseIds: string[]) => Promise<void>,
  /** Told which calls Whop refused the sweep for want of a permission (alerts). */
  onRefused?: (denials: PermissionDenial[]) => Promise<void>,
) {
  const queue = createSweepQueue(connection);
  await scheduleSweeps(queue, intervalMs);
  const run = async (job: { id?: string | undefined }) => {
    const refused: PermissionDenial[] = [];
    const report = await sweeper.run({ ...sweepOptions, source: 'sweep', onRefused: (d) => refused.push(d) });
    if (report.recoveredIds.length && onRecovered) await onRecovered(job.id ?? 'sweep', report.recoveredIds);
    if (refused.length && onRefused) await onRefused(refused);
    const { recoveredIds: _ids, ...counts } = report;
    return counts;
  };
  const worker = new Worker(SWEEP_QUEUE, run, {
    connection,
    concurrency: 1,
    // A sweep of a large account can take minutes; its lock is renewed while it runs.
    lockDuration: 60_000,
  });
  worker.on('failed', (_job, err) => log.error({ err: err.message }, 'sweep failed'));
  worker.on('error', (err) => log.error({ err: err.message }, 'sweep worker error'));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
