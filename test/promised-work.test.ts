/**
 * A promised action always has its job (issue 10, item 1): whatever lost a job (a crash between two
 * writes in an older version, an operator's `obliterate`, a Redis restored from an older snapshot), the
 * sweep finds the promise in the store and queues its job again; a job that exists is left alone.
 */
import { Queue } from 'bullmq';
import { afterEach, expect, it } from 'vitest';
import { ALERTS_QUEUE } from '../src/alerts/alerts-queue.js';
import { reminderKey } from '../src/alerts/reminder-schedule.js';
import { EVIDENCE_QUEUE, submitJobId } from '../src/evidence/evidence-queue.js';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { SWEEP_QUEUE } from '../src/reconcile/sweep-queue.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
const queues: Queue[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  await h?.close();
  h = undefined;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function queue(name: string) {
  const q = new Queue(name, { connection: h!.admin });
  queues.push(q);
  return q;
}

/** Runs one sweep job, as the periodic scheduler does, and returns what it reported. */
async function sweepJob(): Promise<Record<string, number>> {
  const job = await queue(SWEEP_QUEUE).add('sweep', {});
  await expect.poll(() => job.getState(), { timeout: 20_000 }).toBe('completed');
  return (await queue(SWEEP_QUEUE).getJob(job.id!))!.returnvalue as Record<string, number>;
}

it('the sweep re-creates a promised submission and a reminder whose jobs are gone, and queues an evidence alert still pending', async () => {
  h = await startServiceHarness({
    env: { AUTO_SUBMIT: 'before_deadline', SUBMIT_LEAD: '1h', REMINDER_OFFSETS: '24h' },
  });
  const due = Date.now() + 3 * DAY;
  const payment = h.sim.createPayment({ total: 120 });
  const dispute = h.sim.openDispute({ paymentId: payment.id, reason: 'Fraudulent', needsResponseBy: due });
  const evidence = new EvidenceStore(h.admin);
  await expect
    .poll(async () => (await evidence.get(dispute.id))?.stagedAlert, { timeout: 15_000 })
    .toBe('queued');
  await h.settle();

  const submitId = submitJobId(dispute.id, new Date(due - HOUR));
  const reminderId = reminderKey(dispute.id, DAY, new Date(due).toISOString());
  const [evidenceQueue, alertsQueue] = [queue(EVIDENCE_QUEUE), queue(ALERTS_QUEUE)];
  // Queued by the opening message's job, after its coalescing window (issue 12).
  await expect
    .poll(async () => (await alertsQueue.getJob(reminderId))?.getState(), { timeout: 15_000 })
    .toBe('delayed');
  expect(await (await evidenceQueue.getJob(submitId))?.getState()).toBe('delayed');
  // Nothing is missing: the sweep re-creates nothing.
  expect(await sweepJob()).toMatchObject({ submissions: 0, reminders: 0, evidenceAlerts: 0 });

  // The promises stay in the store; their jobs go.
  await (await evidenceQueue.getJob(submitId))!.remove();
  await (await alertsQueue.getJob(reminderId))!.remove();
  const state = (await evidence.get(dispute.id))!;
  await evidence.put({ ...state, stagedAlert: 'pending' });

  expect(await sweepJob()).toMatchObject({ submissions: 1, reminders: 1, evidenceAlerts: 1 });
  const submit = (await evidenceQueue.getJob(submitId))!;
  expect(await submit.getState()).toBe('delayed');
  expect(submit.data).toEqual({
    type: 'submit',
    disputeId: dispute.id,
    scheduledFor: new Date(due - HOUR).toISOString(),
  });
  expect(await (await alertsQueue.getJob(reminderId))!.getState()).toBe('delayed');
  expect((await evidence.get(dispute.id))!.stagedAlert).toBe('queued');
  // And once more: all there, nothing to do.
  expect(await sweepJob()).toMatchObject({ submissions: 0, reminders: 0, evidenceAlerts: 0 });
});
