/**
 * Auto-refund on dispute alerts, end to end: Whop's webhook → intake → reconcile → the refunds worker →
 * `payments.refund` on the simulator through the real SDK. Each alert is refunded exactly once, or not
 * at all and says why.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhopSimulatorOptions } from '../simulator/index.js';
import type { Alert } from '../src/alerts/alert.js';
import { ALERTS_QUEUE, type AlertJob } from '../src/alerts/alerts-queue.js';
import type { TimelineEntry } from '../src/cases/case-record.js';
import { alertDecisionId, type RefundDecisionRecord } from '../src/refunds/refund-record.js';
import { RefundStore } from '../src/refunds/refund-store.js';
import { REFUNDS_QUEUE } from '../src/refunds/refunds-queue.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { startWorkerProcess } from './support/worker-process.js';

const REFUND_ROUTE = 'POST /payments/:id/refund';
const dir = mkdtempSync(join(tmpdir(), 'da-auto-refund-'));
let files = 0;

let h: ServiceHarness | undefined;
let worker: ChildProcess | undefined;
afterEach(async () => {
  worker?.kill('SIGKILL');
  worker = undefined;
  await h?.close();
  h = undefined;
});

/** A harness whose workers start once the test has written the policy (it names the simulator's ids). */
async function startHarness(sim: WhopSimulatorOptions = {}) {
  const policyPath = join(dir, `policy-${++files}.json`);
  writeFileSync(policyPath, '{}');
  h = await startServiceHarness({
    workers: false,
    sim,
    env: { AUTO_SUBMIT: 'never', POLICY_FILE: policyPath, JOB_LOCK_DURATION: '2s' },
  });
  const harness = h;
  return {
    h: harness,
    policyPath,
    refunds: new RefundStore(harness.admin),
    writePolicy: (policy: unknown) => writeFileSync(policyPath, JSON.stringify(policy)),
  };
}

const RULES = { enabled: true, max_amount: { USD: 50 } };
/** A stalled job (and its refund lock) is taken over soon after its worker died. */
const WORKER_ENV = { JOB_LOCK_DURATION: '2s', AUTO_SUBMIT: 'never' };

function settled(r: RefundDecisionRecord | undefined): boolean {
  if (!r) return false;
  if (r.decision.action !== 'refund') return true;
  return r.outcome !== null && r.outcome.code !== 'not_refunded';
}

async function decision(refunds: RefundStore, alertId: string, timeout = 20_000) {
  await expect.poll(async () => settled(await refunds.get(alertDecisionId(alertId))), { timeout }).toBe(true);
  return (await refunds.get(alertDecisionId(alertId)))!;
}

/** Every alert delivered (to the log: no channel is configured), by the delivery jobs' data. */
async function deliveredAlerts(harness: ServiceHarness): Promise<Alert[]> {
  const queue = new Queue<AlertJob>(ALERTS_QUEUE, { connection: harness.admin });
  const jobs = await queue.getJobs(['completed', 'waiting', 'active', 'delayed']);
  await queue.close();
  return jobs.flatMap((j) => (j.data.type === 'deliver' ? [j.data.alert] : []));
}

/**
 * What the merchant was told of each refund decision: its own alert, or — decided within the dispute
 * alert's coalescing window (issue 12) — the line that alert's one message carries.
 */
function refundNews(alerts: Alert[]) {
  return alerts.flatMap((a) => {
    if (a.kind === 'refund_issued' || a.kind === 'refund_skipped') {
      return [{ kind: a.kind, caseId: a.caseId, said: a.summary }];
    }
    const folded = a.kind === 'dispute_alert' ? a.fields.find((f) => f.label === 'Auto-refund') : undefined;
    if (!folded) return [];
    const kind = folded.value.startsWith('Refunded ') ? 'refund_issued' : 'refund_skipped';
    return [{ kind, caseId: a.caseId, said: folded.value }];
  });
}

function actions(timeline: TimelineEntry[]) {
  return timeline.flatMap((e) => (e.change === 'action' && 'action' in e ? [e.action] : []));
}

describe('an alert under the threshold is refunded exactly once', () => {
  it('with the webhook delivered three times and the alert queued again: one refund, recorded, timelined and alerted', async () => {
    const { h, refunds, writePolicy } = await startHarness();
    writePolicy({ defaults: { dispute_alerts: RULES } });
    await h.startWorkers();
    const company = h.sim.createCompany();
    // The alert is for part of the payment: a second refund would go through at Whop, so only the
    // service's own guard keeps it to one.
    const payment = h.sim.createPayment({ companyId: company.id, total: 100 });
    const alert = h.sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute', amount: 42 });
    // Whop sends the same webhook again, twice (a resend keeps its webhook-id).
    const event = h.sim.webhookEvents.find((e) => e.type === 'dispute_alert.created')!;
    h.sim.redeliverWebhook(event.id);
    h.sim.redeliverWebhook(event.id);
    await h.settle();
    const record = await decision(refunds, alert.id);
    expect(h.sim.deliveryLog.filter((d) => d.eventId === event.id && d.ok)).toHaveLength(3);

    // The same alert decided twice more, as a replayed stream or a lost job id would ask: nothing new.
    const queue = new Queue(REFUNDS_QUEUE, { connection: h.admin });
    for (const jobId of ['again_1', 'again_2']) {
      await queue.add('alert', { type: 'alert', alertId: alert.id }, { jobId });
    }
    await expect
      .poll(async () => (await queue.getJobCounts('completed')).completed, { timeout: 10_000 })
      .toBe(3);
    await queue.close();

    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(1);
    const refunded = h.sim.getPayment(payment.id);
    expect(refunded.refunds).toHaveLength(1);
    expect(refunded.refunded_amount).toBe(42);
    expect(record).toMatchObject({
      trigger: 'alert',
      companyId: company.id,
      paymentId: payment.id,
      decision: { action: 'refund', code: 'refund', rule: 'max_amount' },
      amount: { minor: 4200, currency: 'USD', decimal: '42.00' },
      outcome: { code: 'refunded', refundId: refunded.refunds[0]!.id },
    });

    const detail = await h.readCase(alert.id);
    expect((detail.refund as RefundDecisionRecord).outcome?.code).toBe('refunded');
    expect(actions(detail.timeline as TimelineEntry[])).toEqual([
      {
        code: 'refund',
        rule: 'max_amount',
        reason: 'Refunding $42.00 to head off a chargeback: rule max_amount $50.00.',
        ref: record.id,
      },
      {
        code: 'refunded',
        rule: null,
        reason: 'Refunded $42.00 to head off a chargeback: rule max_amount $50.00.',
        ref: record.id,
      },
    ]);
    await expect
      // The dispute alert's one message goes out after the coalescing window (5 s).
      .poll(async () => refundNews(await deliveredAlerts(h)), { timeout: 20_000 })
      .toEqual([
        {
          kind: 'refund_issued',
          said: 'Refunded $42.00 to head off a chargeback: rule max_amount $50.00.',
          caseId: alert.id,
        },
      ]);
  });

  it('when Whop answers 500 after having refunded: the payment is re-read, the refund found, nothing resent', async () => {
    const { h, refunds, writePolicy } = await startHarness();
    writePolicy({ defaults: { dispute_alerts: RULES } });
    await h.startWorkers();
    const payment = h.sim.createPayment({ total: 100 });
    h.sim.failNext(1, { route: REFUND_ROUTE, phase: 'after', status: 500 });
    const alert = h.sim.createDisputeAlert({ paymentId: payment.id, alertType: 'fraud', amount: 30 });
    await h.settle();
    const record = await decision(refunds, alert.id);
    const after = h.sim.getPayment(payment.id);
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(1);
    expect(after.refunds).toHaveLength(1);
    expect(after.refunded_amount).toBe(30);
    expect(record.outcome).toMatchObject({ code: 'found_refunded', refundId: after.refunds[0]!.id });
    expect(record.outcome!.reason).toMatch(
      /^Refunded \$30\.00 to head off a chargeback: rule max_amount \$50\.00 \(Whop’s answer was lost/,
    );
  });

  it('with the worker SIGKILLed after the refund call and before recording it: the next worker finds the refund', async () => {
    const { h, refunds, policyPath, writePolicy } = await startHarness();
    writePolicy({ defaults: { dispute_alerts: RULES } });
    worker = startWorkerProcess(h, {
      ...WORKER_ENV,
      POLICY_FILE: policyPath,
      DA_FAULT_POINT: 'refund.after_call',
    });
    const exited = new Promise<NodeJS.Signals | null>((r) =>
      worker!.once('exit', (_code, signal) => r(signal)),
    );
    const payment = h.sim.createPayment({ total: 100 });
    const alert = h.sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute', amount: 25 });
    expect(await exited).toBe('SIGKILL');

    // Whop refunded; the dead worker had stored its attempt marker, and no outcome.
    expect(h.sim.getPayment(payment.id).refunded_amount).toBe(25);
    const marker = await refunds.get(alertDecisionId(alert.id));
    expect(marker).toMatchObject({ attempt: { day: expect.any(String) }, outcome: null });
    expect((await refunds.pending(payment.id))?.id).toBe(marker!.id);

    worker = startWorkerProcess(h, { ...WORKER_ENV, POLICY_FILE: policyPath });
    const record = await decision(refunds, alert.id, 40_000);
    expect(record.outcome).toMatchObject({
      code: 'found_refunded',
      refundId: h.sim.getPayment(payment.id).refunds[0]!.id,
    });
    expect(await refunds.pending(payment.id)).toBeUndefined();
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(1);
    expect(h.sim.getPayment(payment.id).refunds).toHaveLength(1);
    // Counted once in the company's day, not given back and not counted again.
    expect((await refunds.refundedToday(record.companyId!, record.attempt!.day)).count).toBe(1);
  });
});

describe('alerts that are not refunded say why', () => {
  it('over the threshold, disputed, already refunded, refunded by Whop, denied product, past the daily cap, dry run', async () => {
    const { h, refunds, writePolicy } = await startHarness();
    const { sim } = h;
    const main = sim.createCompany({ title: 'Main' });
    const dry = sim.createCompany({ title: 'Dry run' });
    const capped = sim.createCompany({ title: 'Capped' });
    const denied = sim.createProduct({ companyId: main.id, title: 'Denied' });
    sim.createProduct({ companyId: main.id, title: 'Allowed' });
    writePolicy({
      defaults: {
        dispute_alerts: { ...RULES, alert_types: ['dispute', 'fraud'], products: { deny: [denied.id] } },
      },
      companies: {
        [dry.id]: { dispute_alerts: { dry_run: true } },
        [capped.id]: { dispute_alerts: { daily_cap: { count: 2 } } },
      },
    });
    await h.startWorkers();

    const pay = (companyId: string, total: number, extra: Record<string, unknown> = {}) =>
      sim.createPayment({ companyId, total, ...extra });
    const cases: Record<string, { paymentId: string; alertId: string }> = {};
    const raise = (name: string, paymentId: string, extra: Record<string, unknown> = {}) => {
      const a = sim.createDisputeAlert({ paymentId, alertType: 'dispute', ...extra });
      cases[name] = { paymentId, alertId: a.id };
    };
    const allowed = sim.snapshot().products.find((p) => p.title === 'Allowed')!.id;
    raise('over', pay(main.id, 80, { productId: allowed }).id);
    const disputedPayment = pay(main.id, 20, { productId: allowed });
    const dispute = sim.openDispute({ paymentId: disputedPayment.id });
    raise('disputed', disputedPayment.id, { disputeId: dispute.id });
    const refundedPayment = pay(main.id, 20, { productId: allowed });
    sim.createRefund({ paymentId: refundedPayment.id, status: 'succeeded' });
    raise('already_refunded', refundedPayment.id);
    raise('whop_auto', pay(main.id, 20, { productId: allowed }).id, { alertType: 'fraud', autoRefund: true });
    raise('rdr', pay(main.id, 20, { productId: allowed }).id, { alertType: 'dispute_rdr' });
    raise('denied', pay(main.id, 20, { productId: denied.id }).id);
    raise('dry', pay(dry.id, 20).id);
    for (const n of [1, 2, 3, 4]) raise(`cap${n}`, pay(capped.id, 10).id);
    await h.settle();

    const got: Record<string, RefundDecisionRecord> = {};
    for (const [name, c] of Object.entries(cases)) got[name] = await decision(refunds, c.alertId);
    const codes = Object.fromEntries(Object.entries(got).map(([n, r]) => [n, r.decision.code]));
    const capCodes = [codes.cap1, codes.cap2, codes.cap3, codes.cap4];
    expect({ ...codes, cap1: undefined, cap2: undefined, cap3: undefined, cap4: undefined }).toEqual({
      over: 'over_max_amount',
      disputed: 'payment_disputed',
      already_refunded: 'already_refunded',
      whop_auto: 'auto_refunded',
      rdr: 'auto_refunded',
      denied: 'product_denied',
      dry: 'dry_run',
      cap1: undefined,
      cap2: undefined,
      cap3: undefined,
      cap4: undefined,
    });
    // The cap: two refunded (whichever came first), the rest stopped.
    expect(capCodes.filter((c) => c === 'refund')).toHaveLength(2);
    expect(capCodes.filter((c) => c === 'daily_cap_reached')).toHaveLength(2);

    expect(got.over!.decision.reason).toBe(
      'The alert is for $80.00, over the auto-refund maximum of $50.00 (rule max_amount): not refunded.',
    );
    expect(got.disputed!.decision.reason).toMatch(/already disputed .*This payment has been disputed/);
    expect(got.already_refunded!.decision.reason).toBe('The payment is already fully refunded ($20.00).');
    expect(got.whop_auto!.decision.reason).toMatch(/^Whop already refunded this payment on its own/);
    expect(got.denied!.decision.reason).toBe(
      `The payment’s product ${denied.id} is on the deny list (rule products.deny): not refunded.`,
    );
    expect(got.dry!.decision.reason).toBe(
      'Dry run: would refund $20.00 to head off a chargeback: rule max_amount $50.00; nothing was sent to Whop.',
    );

    // Only the two capped refunds reached Whop; every other payment kept what it had.
    const capRefunded = Object.entries(got)
      .filter(([n, r]) => n.startsWith('cap') && r.decision.code === 'refund')
      .map(([n]) => cases[n]!.paymentId);
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(2);
    for (const [name, c] of Object.entries(cases)) {
      const ours = capRefunded.includes(c.paymentId);
      const before = ['already_refunded', 'whop_auto', 'rdr'].includes(name) ? 1 : 0;
      expect(h.sim.getPayment(c.paymentId).refunds, name).toHaveLength(before + (ours ? 1 : 0));
    }

    // What the merchant reads: the case's refund section and timeline, and the alerts.
    const over = await h.readCase(cases.over!.alertId);
    expect((over.refund as RefundDecisionRecord).decision.code).toBe('over_max_amount');
    expect(actions(over.timeline as TimelineEntry[])).toEqual([
      expect.objectContaining({
        code: 'over_max_amount',
        rule: 'max_amount',
        reason: got.over!.decision.reason,
      }),
    ]);
    await expect
      .poll(
        async () => {
          const alerts = await deliveredAlerts(h);
          const news = refundNews(alerts);
          return {
            skipped: news.filter((n) => n.kind === 'refund_skipped').length,
            cap: alerts.filter((a) => a.kind === 'refund_cap_reached').map((a) => a.companyId),
            issued: news.filter((n) => n.kind === 'refund_issued').length,
          };
        },
        { timeout: 20_000 },
      )
      // over, disputed, already refunded, two refunded by Whop, denied, dry run; the cap once.
      .toEqual({ skipped: 7, cap: [capped.id], issued: 2 });
  });
});
