import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_API_VERSION_DATE, type WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startReceiver, startSim, type WebhookReceiver } from './helpers.js';

type Envelope = Record<string, unknown> & { type: string; data: Record<string, unknown> };

describe('webhook envelopes', () => {
  let sim: WhopSimulator;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  /** What the product's endpoint received, verified and parsed by the real SDK. */
  async function received(): Promise<Envelope[]> {
    await sim.flushWebhooks();
    const client = sdkFor(sim);
    return receiver.received.map(
      (r) => client.webhooks.unwrap(r.body, { headers: r.headers }) as unknown as Envelope,
    );
  }

  it('default: SDK 0.0.42 shape with company_id; refund and dispute-alert data carry no company field', async () => {
    sim = await startSim({ webhook: { url: receiver.url } });
    const payment = sim.createPayment({ total: 40 });
    sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute' });
    sim.createRefund({ paymentId: payment.id, amount: 10 });
    const events = await received();
    expect(events.map((e) => e.type)).toEqual(['dispute_alert.created', 'refund.created']);
    for (const e of events) {
      expect(Object.keys(e)).toEqual(['id', 'api_version', 'type', 'timestamp', 'data', 'company_id']);
      expect(e.company_id).toBe(payment.company!.id);
      expect(e.data).not.toHaveProperty('company');
      expect(e.data).not.toHaveProperty('company_id');
      // The payment embedded in the data has no company either: only payments.retrieve tells it.
      expect(e.data.payment).not.toHaveProperty('company');
    }
    expect((await sdkFor(sim).payments.retrieve(payment.id)).company?.id).toBe(payment.company!.id);
  });

  it('no_company: company_id left out (optional in the SDK), for the sender or for one change', async () => {
    sim = await startSim({ webhook: { url: receiver.url, envelope: 'no_company' } });
    const payment = sim.createPayment({ total: 40 });
    sim.createRefund({ paymentId: payment.id, amount: 10 });
    sim.createRefund({ paymentId: payment.id, amount: 5 }, { envelope: 'company_id' });
    sim.setWebhookEnvelope('company_id');
    sim.createRefund({ paymentId: payment.id, amount: 1 }, { envelope: 'no_company' });
    const events = await received();
    expect(events.map((e) => 'company_id' in e)).toEqual([false, true, false]);
    expect(Object.keys(events[0]!)).toEqual(['id', 'api_version', 'type', 'timestamp', 'data']);
  });

  it('dated: account_id, api_version_date and previous_attributes instead of company_id', async () => {
    sim = await startSim({ webhook: { url: receiver.url, envelope: 'dated' } });
    const payment = sim.createPayment();
    const dispute = sim.openDispute({ paymentId: payment.id });
    sim.moveDispute(dispute.id, 'under_review');
    const refundPayment = sim.createPayment({ companyId: payment.company!.id });
    const refund = sim.createRefund({ paymentId: refundPayment.id });
    sim.setRefundStatus(refund.id, 'succeeded');
    const events = await received();
    expect(events.map((e) => e.type)).toEqual([
      'dispute.created',
      'dispute.updated',
      'refund.created',
      'refund.updated',
    ]);
    for (const e of events) {
      expect(Object.keys(e).sort()).toEqual(
        [
          'account_id',
          'api_version',
          'api_version_date',
          'data',
          'id',
          'previous_attributes',
          'timestamp',
          'type',
        ].sort(),
      );
      expect(e).toMatchObject({
        api_version: 'v1',
        api_version_date: DEFAULT_WEBHOOK_API_VERSION_DATE,
        account_id: payment.company!.id,
      });
    }
    expect(events[0]!.previous_attributes).toBeNull();
    expect(events[1]!.previous_attributes).toMatchObject({ status: 'needs_response', editable: true });
    expect(events[1]!.previous_attributes).not.toHaveProperty('amount');
    expect(events[3]!.previous_attributes).toMatchObject({ status: 'pending', reference_status: 'pending' });

    receiver.received.length = 0;
    sim.setWebhookEnvelope('dated', { apiVersionDate: '2027-01-01' });
    sim.openDispute({ paymentId: sim.createPayment().id });
    expect((await received())[0]).toMatchObject({ api_version_date: '2027-01-01' });
  });

  it('the envelope style can be switched over HTTP (/_sim/actions/setWebhookEnvelope)', async () => {
    sim = await startSim({ webhook: { url: receiver.url } });
    const res = await fetch(`${sim.origin}/_sim/actions/setWebhookEnvelope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ args: ['no_company'] }),
    });
    expect(res.status).toBe(200);
    sim.openCase({ paymentId: sim.createPayment().id });
    const [event] = await received();
    expect(event).not.toHaveProperty('company_id');
    expect(event!.type).toBe('resolution_center_case.created');
  });
});
