/**
 * Every custom job id, audited (issue 10, item 4): BullMQ ignores an add whose id exists — also when
 * that job finished long ago (completed jobs are kept for days). Work that must happen once keeps an
 * id derived from what it is for, so asking again (a relayed entry after a crash, the sweep, a retry)
 * is a no-op; work that may legitimately recur must never be swallowed by a finished job of the same id
 * (the kind of taskforcesh/bullmq#3765).
 */
import { type Job, Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import {
  caseEventJob,
  deliveryJob,
  openingJob,
  queueAlert,
  reminderJob,
} from '../src/alerts/alerts-queue.js';
import type { CaseEvent } from '../src/cases/case-record.js';
import { evidenceJobFor, queueEvidenceRefresh, scheduleSubmission } from '../src/evidence/evidence-queue.js';
import { scheduleSweeps } from '../src/reconcile/sweep-queue.js';
import { whopEventJob } from '../src/reconcile/whop-events-queue.js';
import type { QueuedJob } from '../src/redis/job-options.js';
import { sampleAlert } from './support/builders/alerts.js';
import { useTestRedis } from './support/test-redis.js';

const redis = useTestRedis();
const closers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c.close();
});

/**
 * A queue and a worker that records every job it runs. `hold()` makes the next runs wait until the
 * returned release is called (to add while a job is active).
 */
function queueWithWorker(name: string) {
  const queue = new Queue(name, { connection: redis.client });
  const ran: Job[] = [];
  let gate: Promise<void> | null = null;
  let started: (() => void) | null = null;
  const worker = new Worker(
    name,
    async (job) => {
      ran.push(job);
      started?.();
      if (gate) await gate;
    },
    { connection: redis.client, concurrency: 1 },
  );
  closers.push(queue, worker);
  return {
    queue,
    ran,
    /**
     * Until nothing waits or runs. Delayed jobs are promoted (run now) unless `promote` is false (a
     * repeating scheduler always has its next one delayed).
     */
    async idle({ promote = true } = {}) {
      for (let quiet = 0; quiet < 3; ) {
        if (promote) for (const job of await queue.getDelayed()) await job.promote();
        const states = [
          'waiting',
          'active',
          'prioritized',
          ...(promote ? ['delayed' as const] : []),
        ] as const;
        const c = await queue.getJobCounts(...states);
        quiet = Object.values(c).every((n) => n === 0) ? quiet + 1 : 0;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** The next run blocks once it starts; resolves when it has started, with the release. */
    hold(): { running: Promise<void>; release: () => void } {
      let release = () => {};
      gate = new Promise<void>((r) => {
        release = () => {
          gate = null;
          r();
        };
      });
      const running = new Promise<void>((r) => {
        started = () => {
          started = null;
          r();
        };
      });
      return { running, release };
    },
  };
}

/** Adds a QueuedJob as the relays and the dispatcher do. */
const add = (queue: Queue, job: QueuedJob<unknown>) => queue.addBulk([job]);

const caseEvent = (overrides: Partial<CaseEvent> = {}): CaseEvent => ({
  id: 'dspt_1:dispute.needs_response',
  type: 'dispute.needs_response',
  kind: 'dispute',
  caseId: 'dspt_1',
  companyId: 'biz_1',
  status: 'needs_response',
  previousStatus: null,
  dueAt: '2025-03-24T23:59:59.000Z',
  at: '2025-03-20T00:00:00.000Z',
  source: 'webhook',
  ...overrides,
});

describe('work that must happen once keeps its id: asked again after it ran, it does not run again', () => {
  it('a webhook delivery (relayed again after a crash)', async () => {
    const q = queueWithWorker('ids-webhooks');
    const entry = {
      webhookId: 'msg_1',
      receivedAt: '2025-03-20T00:00:00.000Z',
      attemptTimestamp: 1,
      event: {
        id: 'evt_1',
        type: 'dispute.created',
        timestamp: '2025-03-20T00:00:00.000Z',
        data: { id: 'dspt_1' },
      },
    } as unknown as Parameters<typeof whopEventJob>[0];
    await add(q.queue, whopEventJob(entry));
    await q.idle();
    await add(q.queue, whopEventJob(entry));
    await q.idle();
    expect(q.ran).toHaveLength(1);
    await add(q.queue, whopEventJob({ ...entry, webhookId: 'msg_2' }));
    await q.idle();
    expect(q.ran).toHaveLength(2);
  });

  it('a case event, for alerts and for evidence', async () => {
    const alerts = queueWithWorker('ids-case-events');
    const evidence = queueWithWorker('ids-evidence-events');
    for (let i = 0; i < 2; i++) {
      await add(alerts.queue, caseEventJob(caseEvent()));
      await add(evidence.queue, evidenceJobFor(caseEvent())!);
      await alerts.idle();
      await evidence.idle();
    }
    expect([alerts.ran.length, evidence.ran.length]).toEqual([1, 1]);
  });

  it('an opening message per transition, however often its event comes, before or after it ran', async () => {
    const q = queueWithWorker('ids-openings');
    const event = caseEvent({ id: 'dspt_1:needs_response:needs_response' });
    // Three deliveries of the same webhook, and the relay re-reading the entry: one job, waiting.
    for (let i = 0; i < 3; i++) await add(q.queue, openingJob(event, 60_000));
    expect(await q.queue.getJobCounts('delayed')).toEqual({ delayed: 1 });
    await q.idle();
    await add(q.queue, openingJob(event, 0));
    await q.idle();
    expect(q.ran).toHaveLength(1);
    // An inquiry escalating to a chargeback is a new transition: its own opening.
    await add(q.queue, openingJob(caseEvent({ id: 'dspt_1:needs_response:warning_needs_response' }), 0));
    await q.idle();
    expect(q.ran).toHaveLength(2);
  });

  it('an alert, routed once and delivered once per destination', async () => {
    const q = queueWithWorker('ids-alerts');
    const alert = sampleAlert();
    for (let i = 0; i < 2; i++) {
      await queueAlert(q.queue, alert);
      await add(q.queue, deliveryJob(alert, 'slack'));
      await add(q.queue, deliveryJob(alert, 'email'));
      await q.idle();
    }
    expect(q.ran.map((j) => j.name).sort()).toEqual(['deliver', 'deliver', 'notify']);
  });

  it('a reminder per (item, offset, due date); a moved due date gets its own', async () => {
    const q = queueWithWorker('ids-reminders');
    const due = '2025-03-24T23:59:59.000Z';
    for (let i = 0; i < 2; i++) {
      await add(q.queue, reminderJob('dspt_1', 86_400_000, due, 60_000));
      await q.idle();
    }
    expect(q.ran).toHaveLength(1);
    await add(q.queue, reminderJob('dspt_1', 86_400_000, '2025-03-25T23:59:59.000Z', 60_000));
    await q.idle();
    expect(q.ran).toHaveLength(2);
  });

  it("a submission per (dispute, submission, time): the chargeback's after an inquiry is its own even at the same time", async () => {
    const q = queueWithWorker('ids-submissions');
    const at = new Date(Date.now() + 60_000);
    expect(await scheduleSubmission(q.queue, 'dspt_1', at, 1)).toBe(true);
    await q.idle();
    // Every staging run and every sweep asks again: nothing new.
    expect(await scheduleSubmission(q.queue, 'dspt_1', at, 1)).toBe(false);
    await q.idle();
    expect(q.ran).toHaveLength(1);
    expect(await scheduleSubmission(q.queue, 'dspt_1', at, 2)).toBe(true);
    await q.idle();
    expect(q.ran).toHaveLength(2);
  });
});

describe('work that may recur is never swallowed by a finished job', () => {
  it('an evidence refresh: a refresh after one that finished runs too (access events a few seconds apart)', async () => {
    const q = queueWithWorker('ids-refresh-after');
    await queueEvidenceRefresh(q.queue, ['dspt_1']);
    await q.idle();
    await queueEvidenceRefresh(q.queue, ['dspt_1']);
    await q.idle();
    expect(q.ran.map((j) => j.data)).toEqual([
      { type: 'stage', disputeId: 'dspt_1' },
      { type: 'stage', disputeId: 'dspt_1' },
    ]);
  });

  it('an evidence refresh: a burst while one waits joins it; one asked while it runs follows it, once', async () => {
    const q = queueWithWorker('ids-refresh-burst');
    const held = q.hold();
    await queueEvidenceRefresh(q.queue, ['dspt_1', 'dspt_2']);
    await held.running;
    // One is running (it may have read the access events before these arrived); the other waits.
    const running = q.ran[0]!.data.disputeId as string;
    const waiting = running === 'dspt_1' ? 'dspt_2' : 'dspt_1';
    for (let i = 0; i < 3; i++) await queueEvidenceRefresh(q.queue, ['dspt_1', 'dspt_2']);
    held.release();
    await q.idle();
    const runs = (id: string) => q.ran.filter((j) => j.data.disputeId === id).length;
    expect([runs(running), runs(waiting)]).toEqual([2, 1]);
  });

  it('the start-up sweep: deduplicated while one is queued, queued again by a later start', async () => {
    const q = queueWithWorker('ids-sweeps');
    await scheduleSweeps(q.queue, 3_600_000);
    await scheduleSweeps(q.queue, 3_600_000);
    await q.idle({ promote: false });
    const startups = () => q.ran.filter((j) => j.opts.deduplication?.id === 'startup-sweep').length;
    expect(startups()).toBe(1);
    await scheduleSweeps(q.queue, 3_600_000);
    await q.idle({ promote: false });
    expect(startups()).toBe(2);
  });
});
