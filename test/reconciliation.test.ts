import { afterEach, describe, expect, it } from 'vitest';
import { isoDate } from '../src/cases/from-whop.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HOUR = 3_600_000;

/** A realistic week for two merchants: disputes that move through their stages, alerts, refunds, cases. */
function runScenario(sim: ServiceHarness['sim']) {
  const companies = [
    sim.createCompany({ title: 'Alpha Courses' }),
    sim.createCompany({ title: 'Beta Signals' }),
  ];
  for (let i = 0; i < 24; i++) {
    const company = companies[i % 2]!;
    const payment = sim.createPayment({ companyId: company.id, total: 20 + i });
    const kind = i % 6;
    if (kind === 0) {
      const d = sim.openDispute({
        paymentId: payment.id,
        reason: 'Product Not Received',
        needsResponseBy: Date.now() + 80 * HOUR,
      });
      sim.moveDispute(d.id, 'under_review');
      sim.moveDispute(d.id, i % 4 === 0 ? 'won' : 'lost');
    } else if (kind === 1) {
      const d = sim.openDispute({
        paymentId: payment.id,
        status: 'warning_needs_response',
        reason: 'Fraudulent',
      });
      sim.moveDispute(d.id, 'needs_response');
    } else if (kind === 2) {
      sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute' });
    } else if (kind === 3) {
      const r = sim.createRefund({ paymentId: payment.id, amount: 5 });
      sim.setRefundStatus(r.id, i % 12 === 3 ? 'succeeded' : 'failed');
    } else if (kind === 4) {
      const c = sim.openCase({
        paymentId: payment.id,
        issue: 'item_not_received',
        dueDate: Date.now() + 7 * 24 * HOUR,
      });
      sim.moveCase(c.id, 'under_platform_review');
      sim.decideCase(c.id, i % 4 === 0 ? 'merchant_won' : 'customer_won');
    } else {
      sim.openCase({ paymentId: payment.id, issue: 'forgot_to_cancel', dueDate: Date.now() + 5 * 24 * HOUR });
    }
  }
  return companies.map((c) => c.id);
}

/** The store must hold exactly what the simulator holds, field for field. */
async function expectStoreMatchesSimulator(harness: ServiceHarness) {
  const s = harness.sim.snapshot();
  // Refunds and alerts name no company: their payment does.
  const companyOfPayment = (id: string | undefined) => s.payments.find((p) => p.id === id)?.company?.id;
  const expected = [
    ...s.disputes.map((d) => ({
      id: d.id,
      status: d.status,
      dueAt: isoDate(d.needs_response_by),
      companyId: d.company?.id,
    })),
    ...s.disputeAlerts.map((a) => ({
      id: a.id,
      status: 'alerted',
      dueAt: null,
      companyId: companyOfPayment(a.payment?.id),
    })),
    ...s.refunds.map((r) => ({
      id: r.id,
      status: r.status,
      dueAt: null,
      companyId: companyOfPayment(r.payment?.id),
    })),
    ...s.resolutionCenterCases.map((c) => ({
      id: c.id,
      status: c.status,
      dueAt: isoDate(c.due_date),
      companyId: c.company?.id,
    })),
  ];
  for (const e of expected) {
    const record = await harness.store.get(e.id);
    expect(record, `record for ${e.id}`).toBeDefined();
    expect({ id: record!.id, status: record!.status, dueAt: record!.dueAt }).toEqual({
      id: e.id,
      status: e.status,
      dueAt: e.dueAt,
    });
    expect(e.companyId).toBeDefined();
    expect(record!.companyId).toBe(e.companyId);
  }
  expect(await harness.admin.zcard('da:cases:by-due')).toBe(expected.length);
  return expected;
}

describe('reconciliation against the Whop simulator', () => {
  it('with webhooks out of order, each twice, 20% dropped, and API 429s/5xx: one sweep makes the store match Whop, every transition once', async () => {
    h = await startServiceHarness({
      sim: {
        faults: {
          seed: 7,
          webhookDropRate: 0.2,
          webhookDuplicateRate: 1,
          webhookReorderWindowMs: 30,
          rateLimitRate: 0.1,
          retryAfterSeconds: 0.05,
          serverErrorRate: 0.1,
          routes: null,
        },
      },
    });
    const companyIds = runScenario(h.sim);
    await h.settle();
    const dropped = h.sim.webhookEvents.filter((e) => e.fate === 'dropped').length;
    expect(dropped).toBeGreaterThan(0);

    const report = await h.sweep({ companyIds });
    expect(report.failed).toBe(0);
    const expected = await expectStoreMatchesSimulator(h);

    const events = await h.caseEvents();
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const count = (caseId: string, type: string) =>
      events.filter((e) => e.caseId === caseId && e.type === type).length;
    const s = h.sim.snapshot();
    for (const d of s.disputes) {
      expect(count(d.id, 'dispute.opened')).toBe(1);
      if (d.status === 'won') expect(count(d.id, 'dispute.won')).toBe(1);
      if (d.status === 'lost') expect(count(d.id, 'dispute.lost')).toBe(1);
      if (d.status === 'needs_response')
        expect(count(d.id, 'dispute.needs_response')).toBeGreaterThanOrEqual(1);
    }
    for (const a of s.disputeAlerts) expect(count(a.id, 'dispute_alert.opened')).toBe(1);
    for (const r of s.refunds) {
      // Refunds Whop made when deciding a case for the customer are still pending: no transition yet.
      if (r.status === 'succeeded' || r.status === 'failed')
        expect(count(r.id, `refund.${r.status}`)).toBe(1);
    }
    expect(s.refunds.filter((r) => r.status === 'failed').length).toBeGreaterThan(0);
    for (const c of s.resolutionCenterCases) {
      expect(count(c.id, 'case.opened')).toBe(1);
      if (c.status === 'customer_won' || c.status === 'merchant_won')
        expect(count(c.id, 'case.decided')).toBe(1);
      if (c.status === 'merchant_response_needed') expect(count(c.id, 'case.awaiting_merchant')).toBe(1);
    }
    expect(expected.length).toBe(
      s.disputes.length + s.disputeAlerts.length + s.refunds.length + s.resolutionCenterCases.length,
    );
    expect(s.disputes.length).toBe(8);

    // A second sweep finds nothing to change and fires nothing.
    const before = events.length;
    const again = await h.sweep({ companyIds });
    expect(again.recovered).toBe(0);
    expect((await h.caseEvents()).length).toBe(before);
  });

  it('recovers within one sweep what Whop never delivered, marking it as learnt from the sweep', async () => {
    h = await startServiceHarness();
    const company = h.sim.createCompany();
    const payment = h.sim.createPayment({ companyId: company.id, total: 99 });
    h.sim.faults.dropNextWebhooks(1);
    const dispute = h.sim.openDispute({ paymentId: payment.id, needsResponseBy: Date.now() + 48 * HOUR });
    await h.settle();
    expect(await h.store.get(dispute.id)).toBeUndefined();

    await h.sweep({ companyIds: [company.id] });
    const record = await h.store.get(dispute.id);
    expect(record?.status).toBe('needs_response');
    expect(record?.lastSource).toBe('sweep');
    const events = await h.caseEvents();
    expect(events.filter((e) => e.caseId === dispute.id).map((e) => [e.type, e.source])).toEqual([
      ['dispute.opened', 'sweep'],
      ['dispute.needs_response', 'sweep'],
    ]);
    const timeline = await h.store.timeline(dispute.id);
    expect(timeline).toEqual([expect.objectContaining({ source: 'sweep', change: 'created' })]);
  });

  it('re-reads open items whose status moved without a webhook, and the sweep cost follows new and open items, not history', async () => {
    h = await startServiceHarness();
    const company = h.sim.createCompany();
    // History: 150 closed disputes from months ago, already known.
    const old = Date.now() - 100 * 24 * HOUR;
    for (let i = 0; i < 150; i++) {
      const p = h.sim.createPayment({ companyId: company.id, createdAt: old });
      const d = h.sim.openDispute({ paymentId: p.id, createdAt: old }, { webhook: false });
      h.sim.moveDispute(d.id, 'won', { webhook: false });
    }
    const live = h.sim.openDispute({ paymentId: h.sim.createPayment({ companyId: company.id }).id });
    await h.settle();
    await h.sweeper.run({
      companyIds: [company.id],
      since: new Date(old - HOUR),
      source: 'backfill',
      initialLookbackMs: 0,
    });
    expect(await h.admin.zcard('da:cases:by-due')).toBe(151);

    // The live dispute moves on Whop, but its webhook is lost.
    h.sim.faults.dropNextWebhooks(1);
    h.sim.moveDispute(live.id, 'under_review');
    await h.settle();
    expect((await h.store.get(live.id))?.status).toBe('needs_response');

    h.sim.resetRequestLog();
    const report = await h.sweep({ companyIds: [company.id] });
    expect((await h.store.get(live.id))?.status).toBe('under_review');
    expect(report.recovered).toBe(1);
    // One list call per kind (nothing new since the watermark) plus the one re-read of what changed:
    // nothing of the 150 closed disputes is read again.
    const total = h.sim.requestCount();
    expect(h.sim.requestCount('GET /disputes/:id')).toBe(1);
    expect(total).toBeLessThanOrEqual(4 + 1);
  });
});

describe('stopping a sweep (shutdown)', () => {
  it('stops between calls when its signal aborts, instead of waiting out retries against a failing Whop; the watermark stays', async () => {
    h = await startServiceHarness();
    const company = h.sim.createCompany();
    h.sim.faults.set({ serverErrorRate: 1 });
    const stop = new AbortController();
    const started = Date.now();
    setTimeout(() => stop.abort(), 300);
    const report = await h.sweeper.run({
      companyIds: [company.id],
      source: 'sweep',
      initialLookbackMs: HOUR,
      // Without the signal this would take ~4 kinds × 5 attempts × ≥2 s of backoff.
      backoffBaseMs: 2000,
      signal: stop.signal,
    });
    expect(report.stopped).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const kind of ['dispute', 'dispute_alert', 'refund', 'resolution_case'] as const)
      expect(await h.store.sweepWatermark(company.id, kind)).toBeNull();
  });
});
