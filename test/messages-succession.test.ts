/**
 * Issue 12: events in quick succession (a due date Whop moves while the opening message waits for its
 * coalescing window) still give one opening message, and no catch-up reminder next to it — counted at
 * real Slack, Discord and SMTP receivers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AlertReceivers,
  byKind,
  CHANNELS,
  startAlertReceivers,
  startServiceWithReceivers,
} from './support/alert-receivers.js';
import type { ServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
let r: AlertReceivers | undefined;
afterEach(async () => {
  await h?.close();
  await r?.close();
  h = r = undefined;
});

const SEC = 1000;
const wait = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('events in quick succession (issue 12)', () => {
  it('a due date moved while the opening waits: one opening message, and only the reminder after it', async () => {
    r = await startAlertReceivers();
    h = await startServiceWithReceivers(r, { REMINDER_OFFSETS: '72s,24s,5s', ALERT_COALESCE_WINDOW: '2s' });
    const payment = h.sim.createPayment({ total: 90 });
    const dispute = h.sim.openDispute({ paymentId: payment.id, needsResponseBy: Date.now() + 10 * SEC });
    // Reconciled (and its opening job queued) before Whop moves the deadline.
    await expect.poll(async () => (await h!.store.get(dispute.id))?.dueAt, { timeout: 5000 }).toBeTruthy();
    // Whop moves the deadline a second later, before the opening message went out: a due_changed event
    // whose reminders (72 s and 24 s past) must not go out as a catch-up beside the opening.
    const due = Date.now() + 11 * SEC;
    h.sim.moveDispute(dispute.id, 'needs_response', { needsResponseBy: due });
    await expect.poll(() => r!.count('opening'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    await expect.poll(() => r!.count('reminder'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    await wait(Math.max(0, due + SEC - Date.now()));
    await h.settle();
    expect((await h.caseEvents()).filter((e) => e.caseId === dispute.id).map((e) => e.type)).toContain(
      'dispute.due_changed',
    );
    for (const c of CHANNELS) {
      const got = byKind(r.received()[c]);
      expect(got.opening, c).toHaveLength(1);
      expect(got.reminder, c).toHaveLength(1);
    }
    expect(r.slackRaw(/Reminder/)).toMatch(/5 seconds before the due date/);
  });
});
