import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/logger/logger.js';
import { logErrors } from '../src/logger/throttled-errors.js';
import type { Sweeper, SweepOptions } from '../src/reconcile/sweep.js';
import { createSweepQueue, SWEEP_QUEUE, scheduleSweeps } from '../src/reconcile/sweep-queue.js';
import { SweepRuns } from '../src/reconcile/sweep-runs.js';
import type { PermissionDenial } from '../src/whop/whop-errors.js';
import { type JobObserver, timedProcessor } from './job-worker.js';

/**
 * Runs the sweep at start and every `intervalMs`, as BullMQ jobs so that with any number of worker
 * processes each sweep runs once. The start-up job is deduplicated: several processes starting together
 * queue one sweep. After each sweep, `afterSweep` checks that what the store promises (submissions,
 * reminders, pending alerts) has its jobs.
 */
export async function startSweeps(
  connection: Redis,
  sweeper: Sweeper,
  sweepOptions: Omit<SweepOptions, 'source'>,
  intervalMs: number,
  log: Logger,
  /** Told what a sweep recovered (alerts). */
  onRecovered?: (runId: string, caseIds: string[]) => Promise<void>,
  /** Told which calls Whop refused the sweep for want of a permission (alerts). */
  onRefused?: (denials: PermissionDenial[]) => Promise<void>,
  /** Re-creates promised work whose job is missing; returns counts for the log. */
  afterSweep?: () => Promise<Record<string, number>>,
  /** A crashed worker's sweep is taken over once its lock lapses (renewed while it runs). */
  lockMs = 60_000,
  /** Told how long each sweep took (metrics). */
  observeJob?: JobObserver,
) {
  const queue = createSweepQueue(connection);
  const runs = new SweepRuns(connection);
  logErrors(queue, log, 'sweep queue');
  await scheduleSweeps(queue, intervalMs);
  // Shutdown stops a running sweep between calls instead of waiting out its retries against Whop.
  const stopping = new AbortController();
  const run = async (job: { id?: string | undefined }) => {
    const runId = job.id ?? 'sweep';
    const refused: PermissionDenial[] = [];
    const report = await sweeper.run({
      ...sweepOptions,
      source: 'sweep',
      signal: stopping.signal,
      // Recorded as it goes: a retry of this run after a crash still reports what this try recovered.
      onRecoveredItem: (caseId) => runs.addRecovered(runId, caseId),
      onRefused: (d) => refused.push(d),
    });
    const promised = afterSweep ? await afterSweep() : {};
    if (Object.values(promised).some((n) => n > 0))
      log.warn({ ...promised }, 'sweep re-created promised work that had no job');
    const recovered = await runs.recovered(runId);
    if (recovered.length && onRecovered) await onRecovered(runId, recovered);
    if (refused.length && onRefused) await onRefused(refused);
    const { recoveredIds: _ids, ...counts } = report;
    return { ...counts, ...promised };
  };
  const worker = new Worker(SWEEP_QUEUE, timedProcessor(SWEEP_QUEUE, run, observeJob), {
    connection,
    concurrency: 1,
    // A sweep of a large account can take minutes; its lock is renewed while it runs.
    lockDuration: lockMs,
    stalledInterval: lockMs,
  });
  worker.on('failed', (_job, err) => log.error({ err: err.message }, 'sweep failed'));
  logErrors(worker, log, 'sweep worker', { level: 'error' });
  return {
    async close() {
      stopping.abort();
      await worker.close();
      await queue.close();
    },
  };
}
