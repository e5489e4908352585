import { afterEach, describe, expect, it } from 'vitest';
import { alertDecisionId } from '../src/refunds/refund-record.js';
import { RefundStore } from '../src/refunds/refund-store.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HOUR = 3_600_000;

describe('dispute_alert.created', () => {
  it('also stores the dispute (an inquiry) it names: no sweep, no dispute webhook', async () => {
    h = await startServiceHarness();
    const payment = h.sim.createPayment({ total: 40 });
    // Whop opens the inquiry; its own webhook is not (yet) sent.
    const inquiry = h.sim.openDispute(
      {
        paymentId: payment.id,
        status: 'warning_needs_response',
        reason: 'Fraudulent',
        needsResponseBy: Date.now() + 72 * HOUR,
      },
      { webhook: false },
    );
    const alert = h.sim.createDisputeAlert({ paymentId: payment.id, disputeId: inquiry.id });
    await h.settle();
    expect(h.sim.webhookEvents.map((e) => e.type)).toEqual(['dispute_alert.created']);

    const record = await h.store.get(inquiry.id);
    expect(record).toMatchObject({
      kind: 'dispute',
      status: 'warning_needs_response',
      companyId: payment.company!.id,
      lastSource: 'webhook',
    });
    expect((await h.store.get(alert.id))?.details.disputeId).toBe(inquiry.id);
    const events = await h.caseEvents();
    expect(events.filter((e) => e.caseId === inquiry.id).map((e) => e.type)).toEqual([
      'dispute.opened',
      'dispute.needs_response',
    ]);

    // Nothing left for the sweep to recover.
    const report = await h.sweep({ companyIds: [payment.company!.id] });
    expect(report.recoveredIds).toEqual([]);
  });

  it('retries the job when the dispute read fails, and each record and transition still happens once', async () => {
    h = await startServiceHarness();
    const payment = h.sim.createPayment({ total: 40 });
    const dispute = h.sim.openDispute({ paymentId: payment.id }, { webhook: false });
    h.sim.failNext(2, { status: 503, route: 'GET /disputes/:id' });
    const alert = h.sim.createDisputeAlert({ paymentId: payment.id, disputeId: dispute.id });
    await h.settle();

    expect((await h.store.get(dispute.id))?.status).toBe('needs_response');
    const disputeReads = h.sim.requestLog.filter((r) => r.route === 'GET /disputes/:id');
    expect(disputeReads.slice(0, 3).map((r) => r.fault)).toEqual(['server_error', 'server_error', null]);
    // The alert was read again on each try, but fired once; the refunds worker then reads it once more
    // to decide it (auto-refund is off here: recorded as such).
    await expect
      .poll(async () => (await new RefundStore(h!.admin).get(alertDecisionId(alert.id)))?.decision.code)
      .toBe('disabled');
    expect(h.sim.requestCount('GET /dispute_alerts/:id')).toBe(3 + 1);
    expect(await h.queue.getJobs(['failed'])).toHaveLength(0);
    const events = await h.caseEvents();
    expect(events.filter((e) => e.caseId === alert.id).map((e) => e.type)).toEqual(['dispute_alert.opened']);
    expect(events.filter((e) => e.caseId === dispute.id).map((e) => e.type)).toEqual([
      'dispute.opened',
      'dispute.needs_response',
    ]);
  });
});
