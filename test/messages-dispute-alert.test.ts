/**
 * Issue 12 for dispute alerts: a new dispute alert gives one message per channel after the coalescing
 * window, carrying what auto-refund decided within it — refunded (informational), not refunded and why
 * (action needed) — or, with auto-refund off, asking the merchant to act. Counted at real Slack, Discord
 * and SMTP receivers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AlertReceivers,
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

const dir = mkdtempSync(join(tmpdir(), 'da-messages-alert-'));
let files = 0;
const wait = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** The service with auto-refund rules `rules` (none: auto-refund off) and a 2 s coalescing window. */
async function start(rules: Record<string, unknown> | null) {
  const policyPath = join(dir, `policy-${++files}.json`);
  writeFileSync(policyPath, JSON.stringify(rules ? { defaults: { dispute_alerts: rules } } : {}));
  r = await startAlertReceivers();
  h = await startServiceWithReceivers(r, {
    POLICY_FILE: policyPath,
    REMINDER_OFFSETS: '',
    ALERT_COALESCE_WINDOW: '2s',
  });
  return { h, r };
}

/** Every channel got exactly one message, and what the email's severity mark says. */
async function oneMessageEach(r: AlertReceivers, h: ServiceHarness) {
  await expect
    .poll(() => CHANNELS.map((c) => r.received()[c].length), { timeout: 15_000 })
    .toEqual([1, 1, 1]);
  // Nothing more follows once every job is done.
  await h.settle();
  await wait(300);
  const got = r.received();
  for (const c of CHANNELS) expect(got[c], c).toEqual([got.slack[0]]);
  return { title: got.slack[0]!, subject: r.smtp.messages[0]!.subject, slack: r.slack.requests[0]!.raw };
}

describe('a new dispute alert: one message per channel (issue 12)', () => {
  it('auto-refunded within the window, delivered three times by Whop: one informational message naming the refund', async () => {
    const { h, r } = await start({ enabled: true, max_amount: { USD: 50 } });
    const company = h.sim.createCompany();
    const payment = h.sim.createPayment({ companyId: company.id, total: 49.99 });
    const alert = h.sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute' });
    await h.sim.flushWebhooks();
    deliverAgain(h, alert.id, 3);

    const m = await oneMessageEach(r, h);
    expect(m.title).toBe('Dispute alert refunded automatically: $49.99 (dispute warning)');
    expect(m.subject).toMatch(/^\[Info\] /);
    expect(m.slack).toContain('Refunded $49.99 to head off a chargeback: rule max_amount $50.00.');
    expect(m.slack).toContain('Nothing to do');
    expect(m.slack).not.toContain('Action needed');
    // The refund itself happened once, at Whop.
    expect(h.sim.getPayment(payment.id).refunds).toHaveLength(1);
    expect(h.sim.requestCount('POST /payments/:id/refund')).toBe(1);
  });

  it('auto-refund off: one "action needed" message', async () => {
    const { h, r } = await start(null);
    const payment = h.sim.createPayment({ companyId: h.sim.createCompany().id, total: 49.99 });
    const alert = h.sim.createDisputeAlert({ paymentId: payment.id, alertType: 'fraud' });
    await h.sim.flushWebhooks();
    deliverAgain(h, alert.id, 3);

    const m = await oneMessageEach(r, h);
    expect(m.title).toBe('Dispute alert: $49.99 (fraud report)');
    expect(m.subject).toMatch(/^\[Action needed\] /);
    expect(m.slack).not.toContain('Auto-refund');
    expect(h.sim.getPayment(payment.id).refunds).toHaveLength(0);
  });

  it('not refunded by the rules: one "action needed" message that says why', async () => {
    const { h, r } = await start({ enabled: true, max_amount: { USD: 50 } });
    const payment = h.sim.createPayment({ companyId: h.sim.createCompany().id, total: 80 });
    h.sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute' });

    const m = await oneMessageEach(r, h);
    expect(m.title).toBe('Dispute alert: $80.00 (dispute warning) — not refunded');
    expect(m.subject).toMatch(/^\[Action needed\] /);
    expect(m.slack).toContain(
      'The alert is for $80.00, over the auto-refund maximum of $50.00 (rule max_amount): not refunded.',
    );
  });

  it('a refund Whop refuses: the opening message, then the failure as its own message', async () => {
    const { h, r } = await start({ enabled: true, max_amount: { USD: 50 } });
    h.sim.failNext(1, { route: 'POST /payments/:id/refund', status: 422 });
    const payment = h.sim.createPayment({ companyId: h.sim.createCompany().id, total: 30 });
    h.sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute' });

    await expect
      .poll(() => CHANNELS.map((c) => r.received()[c].length), { timeout: 15_000 })
      .toEqual([2, 2, 2]);
    await h.settle();
    await wait(300);
    for (const c of CHANNELS) {
      expect([...r.received()[c]].sort(), c).toEqual([
        'Dispute alert: $30.00 (dispute warning)',
        'Refund not made: $30.00',
      ]);
    }
  });
});
