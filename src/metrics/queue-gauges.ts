import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Gauge } from 'prom-client';
import { ALERTS_QUEUE } from '../alerts/alerts-queue.js';
import type { Metrics } from './metrics.js';

/** The states reported per queue; `waiting` includes BullMQ's `prioritized` (the service sets no priorities). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** A reminder's job id (`reminderKey` in src/alerts/reminder-schedule.ts) starts so. */
const REMINDER_JOB_MATCH = 'reminder.*';
/** How long a scrape waits for Redis before reporting the queues unread (ms). */
export const QUEUE_READ_TIMEOUT_MS = 2000;

interface QueueSnapshot {
  counts: { queue: string; state: (typeof QUEUE_STATES)[number]; jobs: number }[];
  remindersPending: number | null;
}

/**
 * Queue depths read from Redis at scrape time, so the server reports them whether or not it runs
 * workers: `dispute_autopilot_queue_jobs{queue,state}`, `dispute_autopilot_reminders_pending` (delayed
 * reminder jobs in the alerts queue) and `dispute_autopilot_queue_read_success` (0 when Redis did not
 * answer within `timeoutMs`: the scrape is never held up, the depths are left out and reminders are
 * NaN rather than stale or a false 0).
 * Register them in one process only (the server): every process would report the same numbers.
 */
export function registerQueueGauges(
  metrics: Metrics,
  queues: readonly Queue[],
  /** The connection reminders are counted on (the queues' own, a fail-fast one in the server). */
  redis: Redis,
  options: { timeoutMs?: number } = {},
): void {
  const timeoutMs = options.timeoutMs ?? QUEUE_READ_TIMEOUT_MS;
  // prom-client collects every metric at once: the three gauges share one read per scrape.
  let inflight: Promise<QueueSnapshot | null> | null = null;
  const read = () => {
    inflight ??= withTimeout(snapshot(queues, redis), timeoutMs).finally(() => {
      inflight = null;
    });
    return inflight;
  };
  // Registered in `metrics.registry`; prom-client calls each `collect` at scrape.
  new Gauge({
    name: 'dispute_autopilot_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read from Redis at scrape',
    labelNames: ['queue', 'state'] as const,
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const s = await read();
      for (const c of s?.counts ?? []) this.set({ queue: c.queue, state: c.state }, c.jobs);
    },
  });
  new Gauge({
    name: 'dispute_autopilot_reminders_pending',
    help: 'Reminders scheduled and not yet due (delayed reminder jobs in the alerts queue)',
    registers: [metrics.registry],
    async collect() {
      // NaN, not 0, when unknown: a series without labels is always written.
      this.set((await read())?.remindersPending ?? Number.NaN);
    },
  });
  new Gauge({
    name: 'dispute_autopilot_queue_read_success',
    help: `1 when this scrape read the queues from Redis, 0 when Redis failed or took over ${timeoutMs} ms`,
    registers: [metrics.registry],
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });
}

async function snapshot(queues: readonly Queue[], redis: Redis): Promise<QueueSnapshot> {
  const alerts = queues.find((q) => q.name === ALERTS_QUEUE);
  const [perQueue, remindersPending] = await Promise.all([
    Promise.all(
      queues.map(async (q) => {
        const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        const counts: Record<string, number> = { ...c, waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) };
        return QUEUE_STATES.map((state) => ({ queue: q.name, state, jobs: counts[state] ?? 0 }));
      }),
    ),
    alerts ? countReminders(redis, alerts.toKey('delayed')) : Promise.resolve(null),
  ]);
  return { counts: perQueue.flat(), remindersPending };
}

/** Delayed jobs whose id is a reminder's, counted with ZSCAN (in steps: Redis is never blocked long). */
async function countReminders(client: Redis, key: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, members] = await client.zscan(key, cursor, 'MATCH', REMINDER_JOB_MATCH, 'COUNT', 1000);
    cursor = next;
    n += members.length / 2;
  } while (cursor !== '0');
  return n;
}

/** The value, or null when it fails or takes longer than `ms` (the read goes on, its answer unused). */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}
