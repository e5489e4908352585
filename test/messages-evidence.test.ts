/**
 * Issue 12: "evidence ready" only when the opening message could not carry it (staged after the
 * coalescing window), "evidence submitted" only when it happened — counted at real receivers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AlertReceivers,
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

describe('evidence messages next to the opening one (issue 12)', () => {
  it('evidence staged after the window: the opening says it follows, and one "evidence ready" message comes', async () => {
    r = await startAlertReceivers();
    h = await startServiceWithReceivers(
      r,
      { REMINDER_OFFSETS: '', ALERT_COALESCE_WINDOW: '0s' },
      // Staging takes longer than the (empty) window.
      { faults: { latencyMs: 1500, latencyRoutes: ['POST /disputes/:id/update_evidence'] } },
    );
    h.sim.openDispute({
      paymentId: h.sim.createPayment({ total: 60 }).id,
      reason: 'Fraudulent',
      needsResponseBy: Date.now() + 5 * 24 * HOUR,
    });
    await expect.poll(() => r!.count('evidence'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    await h.settle();
    await wait(300);
    expect(r!.count('opening')).toEqual([1, 1, 1]);
    expect(r!.count('submitted')).toEqual([0, 0, 0]);
    expect(r!.slackRaw(/Chargeback: \$60/)).toContain('a message follows when it is ready');
  });

  it('evidence staged within the window: no "evidence ready" message, the opening carries it and the case strength', async () => {
    r = await startAlertReceivers();
    h = await startServiceWithReceivers(r, { REMINDER_OFFSETS: '', ALERT_COALESCE_WINDOW: '4s' });
    h.sim.openDispute({
      paymentId: h.sim.createPayment({ total: 70 }).id,
      reason: 'Fraudulent',
      needsResponseBy: Date.now() + 5 * 24 * HOUR,
    });
    await expect.poll(() => r!.count('opening'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    await h.settle();
    await wait(300);
    expect(r!.count('evidence')).toEqual([0, 0, 0]);
    const opening = r!.slackRaw(/Chargeback: \$70/);
    expect(opening).toContain('Staged in Whop');
    expect(opening).toMatch(/Case strength.*(Strong|Fair|Weak) case/);
  });

  it('evidence submitted after the opening message: one "evidence submitted" message when it happened', async () => {
    r = await startAlertReceivers();
    h = await startServiceWithReceivers(
      r,
      { REMINDER_OFFSETS: '', ALERT_COALESCE_WINDOW: '0s', AUTO_SUBMIT: 'immediately' },
      // The submission lands after the (empty) window.
      { faults: { latencyMs: 1500, latencyRoutes: ['POST /disputes/:id/submit_evidence'] } },
    );
    h.sim.openDispute({
      paymentId: h.sim.createPayment({ total: 80 }).id,
      needsResponseBy: Date.now() + 5 * 24 * HOUR,
    });
    await expect.poll(() => r!.count('submitted'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    await h.settle();
    await wait(300);
    expect(r!.count('submitted')).toEqual([1, 1, 1]);
    expect(r!.count('opening')).toEqual([1, 1, 1]);
    expect(r!.slackRaw(/Chargeback: \$80/)).toContain('Submit evidence in Whop');
  });

  it('evidence submitted within the window: the opening message says so, and is the only one', async () => {
    r = await startAlertReceivers();
    h = await startServiceWithReceivers(r, {
      REMINDER_OFFSETS: '',
      ALERT_COALESCE_WINDOW: '4s',
      AUTO_SUBMIT: 'immediately',
    });
    h.sim.openDispute({
      paymentId: h.sim.createPayment({ total: 85 }).id,
      reason: 'Fraudulent',
      needsResponseBy: Date.now() + 5 * 24 * HOUR,
    });
    await expect.poll(() => r!.count('opening'), { timeout: 15_000 }).toEqual([1, 1, 1]);
    await h.settle();
    await wait(300);
    expect(r!.count('submitted')).toEqual([0, 0, 0]);
    expect(r!.count('evidence')).toEqual([0, 0, 0]);
    // The opening and the dispute-rate counts: nothing else.
    expect(r!.received().slack.sort()).toEqual([
      'Chargeback: $85.00 — evidence submitted automatically',
      'Disputes: 1 dispute on 1 payment in 30 days',
    ]);
    const opening = r!.slackRaw(/Chargeback: \$85/);
    expect(opening).toContain('Submitted ');
    expect(opening).toMatch(/Case strength.*(Strong|Fair|Weak) case/);
  });
});
