import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ALERTS_QUEUE } from '../../src/alerts/alerts-queue.js';
import { EVIDENCE_QUEUE } from '../../src/evidence/evidence-queue.js';
import { SWEEP_QUEUE } from '../../src/reconcile/sweep-queue.js';
import { WHOP_EVENTS_QUEUE } from '../../src/reconcile/whop-events-queue.js';
import { REFUNDS_QUEUE } from '../../src/refunds/refunds-queue.js';

/** Every BullMQ queue the workers drain. */
export const ALL_QUEUES = [WHOP_EVENTS_QUEUE, EVIDENCE_QUEUE, REFUNDS_QUEUE, ALERTS_QUEUE, SWEEP_QUEUE];

/**
 * Resolves once no job of `names` is waiting, prioritized or running, twice in a row `gapMs` apart
 * (delayed jobs — reminders, scheduled submissions — do not count, except an opening message waiting
 * out its few-second coalescing window: that is work in progress). Rejects after `timeoutMs`.
 */
export async function waitForIdleQueues(
  connection: Redis,
  names: readonly string[] = ALL_QUEUES,
  opts: { gapMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const queues = names.map((name) => new Queue(name, { connection }));
  try {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (let quiet = 0; quiet < 2; ) {
      await new Promise((r) => setTimeout(r, opts.gapMs ?? 500));
      const counts = await Promise.all(
        queues.map(async (q) => ({
          ...(await q.getJobCounts('waiting', 'active', 'prioritized')),
          opening:
            q.name === ALERTS_QUEUE
              ? (await q.getJobs(['delayed'])).filter((j) => j.name === 'opening').length
              : 0,
        })),
      );
      quiet = counts.every((c) => Object.values(c).every((n) => n === 0)) ? quiet + 1 : 0;
      if (quiet < 2 && Date.now() > deadline) throw new Error(`queues still busy: ${JSON.stringify(counts)}`);
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

/** The failed jobs of every queue in `names`, as `<queue>/<job id>: <reason>`. */
export async function failedJobs(
  connection: Redis,
  names: readonly string[] = ALL_QUEUES,
): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) {
    const q = new Queue(name, { connection });
    for (const j of await q.getFailed()) out.push(`${name}/${j.id}: ${j.failedReason}`);
    await q.close();
  }
  return out;
}
