/**
 * A reused job id drops work (issue 10, item 4), end to end: evidence refresh jobs were named per dispute
 * per 10-second window and kept for days, so access events posted a few seconds after a refresh, in the
 * same window, were never staged. Each batch now refreshes the draft, however close together.
 */
import { afterEach, expect, it } from 'vitest';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HOUR = 3_600_000;

const events = (userId: string, tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    event_id: `ev_${tag}_${i}`,
    user_id: userId,
    occurred_at: new Date(Date.now() - (i + 1) * HOUR).toISOString(),
    action: 'lesson_viewed',
    ip: '203.0.113.7',
  }));

it('access events posted seconds after a refresh (in the same 10 s) are staged too', async () => {
  h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
  const payment = h.sim.createPayment({ total: 49, paidAt: Date.now() - 5 * 24 * HOUR });
  const userId = payment.user!.id;
  await h.postAccessEvents(events(userId, 'before', 2));
  const dispute = h.sim.openDispute({ paymentId: payment.id, reason: 'Product Not Received' });
  const evidence = new EvidenceStore(h.admin);
  const counted = async () => (await evidence.get(dispute.id))?.draft?.accessEvents;
  await expect.poll(counted, { timeout: 15_000 }).toBe(2);
  await h.settle();

  // Early in a 10-second window, so both batches below fall in the same one.
  while (Date.now() % 10_000 > 1000) await new Promise((r) => setTimeout(r, 50));
  await h.postAccessEvents(events(userId, 'first', 3));
  await expect.poll(counted, { timeout: 8000, interval: 50 }).toBe(5);
  // The first refresh has finished; a few seconds later, more events.
  await h.postAccessEvents(events(userId, 'second', 4));
  await expect.poll(counted, { timeout: 15_000 }).toBe(9);
  // The draft is stored before the staging call reaches Whop: wait for Whop's copy too.
  await expect
    .poll(() => h!.sim.getDispute(dispute.id).access_activity_log, { timeout: 15_000 })
    .toContain('9 events');
});
