/**
 * Issue 12, "done when": a new chargeback due soon, delivered three times by Whop, on a company with one
 * payment, gives one opening message per channel, one dispute-rate message (counts: below the minimum
 * sample), and then the reminder at its time — counted at real Slack, Discord and SMTP receivers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AlertReceivers,
  byKind,
  CHANNELS,
  deliverAgain,
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

describe('the messages a merchant gets for a new chargeback (issue 12)', () => {
  it('delivered three times, due soon, on a company with one payment: one opening message per channel, one counts message for the rate, then the reminder at its time', async () => {
    r = await startAlertReceivers();
    // Scaled down, "72h,24h,6h" as seconds (5 s for the last, to keep the test short): the 72 s and
    // 24 s offsets have passed when the chargeback arrives (the opening message covers them); the 5 s
    // one fires at its time.
    h = await startServiceWithReceivers(r, { REMINDER_OFFSETS: '72s,24s,5s', ALERT_COALESCE_WINDOW: '2s' });
    const company = h.sim.createCompany();
    const payment = h.sim.createPayment({ companyId: company.id, total: 120 });
    const due = Date.now() + 10 * SEC;
    const dispute = h.sim.openDispute({
      paymentId: payment.id,
      reason: 'Product Not Received',
      needsResponseBy: due,
    });
    await h.sim.flushWebhooks();
    deliverAgain(h, dispute.id, 3);

    await expect.poll(() => r!.count('opening'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    await expect.poll(() => r!.count('reminder'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    const reminderAt = r.slack.requests.find((q) => JSON.stringify(q.body).includes('Reminder'))!.at;
    expect(reminderAt).toBeGreaterThanOrEqual(due - 5 * SEC);
    // The 5 s offset's reminder, not a catch-up for the 72 s or 24 s ones the opening covered.
    expect(r!.slackRaw(/Reminder/)).toMatch(/5 seconds before the due date/);
    // Past the due date: nothing more comes.
    await wait(Math.max(0, due + SEC - Date.now()));
    await h.settle();
    for (const c of CHANNELS) {
      const got = byKind(r.received()[c]);
      expect(got.opening, c).toHaveLength(1);
      expect(got.reminder, c).toEqual([
        expect.stringMatching(/^Reminder: .* left to answer a \$120\.00 chargeback/),
      ]);
      // 1 dispute on 1 payment is below the 100-payment minimum sample: counts, not "100%".
      expect(got.rate, c).toEqual(['Disputes: 1 dispute on 1 payment in 30 days']);
      expect(got.evidence.length, c).toBeLessThanOrEqual(1);
      expect(got.submitted, c).toEqual([]);
      expect(r.received()[c], c).toHaveLength(3 + got.evidence.length);
    }
    // The opening message carries what the merchant needs: amount, reason, deadline, time left, and
    // the evidence: folded in when it was staged within the window, announced otherwise.
    const opening = r!.slackRaw(/Chargeback: \$120/);
    for (const needed of ['$120', 'Product Not Received', 'Respond by', 'Time left']) {
      expect(opening).toContain(needed);
    }
    if (byKind(r.received().slack).evidence.length === 0) {
      expect(opening).toContain('Staged in Whop');
      expect(opening).toContain('Case strength');
      expect(opening).toContain('Recommendation');
    } else {
      expect(opening).toContain('a message follows when it is ready');
    }
    expect(opening).not.toMatch(/Dispute rate|100%/);
  });
});
