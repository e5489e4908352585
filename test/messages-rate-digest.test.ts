/**
 * Issue 12: the dispute-rate message (the highest level crossed, once per company and UTC day) and the
 * digest (what needs the merchant today, then what the autopilot did) — counted at real receivers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertsQueue } from '../src/alerts/alerts-queue.js';
import {
  type AlertReceivers,
  byKind,
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
const HOUR = 3600 * SEC;
const wait = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('the dispute-rate watch (issue 12)', () => {
  it('a crossing of both levels at once is one message naming the highest; later disputes that day add none', async () => {
    r = await startAlertReceivers();
    h = await startServiceWithReceivers(r, {
      REMINDER_OFFSETS: '',
      ALERT_COALESCE_WINDOW: '0s',
      DISPUTE_RATE_WARN: '0.75%',
      DISPUTE_RATE_MIN_PAYMENTS: '20',
    });
    const company = h.sim.createCompany();
    const payments = Array.from({ length: 50 }, () =>
      h!.sim.createPayment({ companyId: company.id, total: 10 }),
    );
    // 1 in 50 = 2%: past 0.75% and 1.5% at once.
    h.sim.openDispute({ paymentId: payments[0]!.id, needsResponseBy: Date.now() + 5 * 24 * HOUR });
    await expect.poll(() => r!.count('rate'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    expect(byKind(r.received().slack).rate).toEqual(['Dispute rate 2%: past the 1.5% alert level']);
    // A second dispute the same day: the level is announced, nothing new.
    h.sim.openDispute({ paymentId: payments[1]!.id, needsResponseBy: Date.now() + 5 * 24 * HOUR });
    await expect.poll(() => r!.count('opening'), { timeout: 15_000 }).toEqual([2, 2, 2]);
    await h.settle();
    await wait(300);
    expect(r!.count('rate')).toEqual([1, 1, 1]);
  });

  it('one message per company and UTC day: a higher level reached the same day waits', async () => {
    r = await startAlertReceivers();
    h = await startServiceWithReceivers(r, {
      REMINDER_OFFSETS: '',
      ALERT_COALESCE_WINDOW: '0s',
      DISPUTE_RATE_WARN: '0.75%',
      DISPUTE_RATE_MIN_PAYMENTS: '20',
    });
    const company = h.sim.createCompany();
    const payments = Array.from({ length: 100 }, () =>
      h!.sim.createPayment({ companyId: company.id, total: 10 }),
    );
    // 1 in 100 = 1%: past 0.75%.
    h.sim.openDispute({ paymentId: payments[0]!.id, needsResponseBy: Date.now() + 5 * 24 * HOUR });
    await expect.poll(() => r!.count('rate'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    expect(byKind(r.received().discord).rate).toEqual(['Dispute rate 1%: past the 0.75% alert level']);
    // 2 in 100 = 2%: past 1.5%, but the day's rate message went out.
    h.sim.openDispute({ paymentId: payments[1]!.id, needsResponseBy: Date.now() + 5 * 24 * HOUR });
    await expect.poll(() => r!.count('opening'), { timeout: 15_000 }).toEqual([2, 2, 2]);
    await h.settle();
    await wait(300);
    expect(r!.count('rate')).toEqual([1, 1, 1]);
  });
});

describe('the daily digest (issue 12)', () => {
  it('leads with what needs the merchant today, the money at stake and the case strength, then what the autopilot did', async () => {
    r = await startAlertReceivers();
    h = await startServiceWithReceivers(r, { REMINDER_OFFSETS: '', ALERT_COALESCE_WINDOW: '0s' });
    const company = h.sim.createCompany();
    const open = h.sim.openDispute({
      paymentId: h.sim.createPayment({ companyId: company.id, total: 49 }).id,
      needsResponseBy: Date.now() + 2 * 24 * HOUR,
    });
    const won = h.sim.openDispute({
      paymentId: h.sim.createPayment({ companyId: company.id, total: 30 }).id,
      needsResponseBy: Date.now() + 5 * 24 * HOUR,
    });
    await expect.poll(() => r!.count('opening'), { timeout: 15_000 }).toEqual([2, 2, 2]);
    h.sim.moveDispute(won.id, 'won');
    await expect
      .poll(() => r!.received().slack.filter((t) => t.startsWith('Dispute won')), { timeout: 15_000 })
      .toHaveLength(1);
    await h.settle();

    const queue = createAlertsQueue(h.admin);
    await queue.add('digest', { type: 'digest' });
    await expect.poll(() => r!.count('digest'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    await queue.close();
    const digest = r.slack.requests.find((q) => JSON.stringify(q.body).includes('Today:'))!.raw;
    expect(byKind(r.received().slack).digest).toEqual(['Today: 1 item needs your answer ($49.00 at stake)']);
    expect(digest).toContain(open.id);
    expect(digest).toMatch(/(Strong|Fair|Weak) case/);
    expect(digest).toContain('Evidence staged');
    expect(digest).toContain('Since the last digest: evidence staged: 2 ($79.00); won: 1 ($30.00).');
  });
});
