import Whop from '@whop/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startReceiver, startSim, type WebhookReceiver } from './helpers.js';

interface Envelope {
  id: string;
  api_version: string;
  type: string;
  timestamp: string;
  company_id: string | null;
  data: { id: string; status?: string };
}

describe('webhook delivery', () => {
  let sim: WhopSimulator;
  let receiver: WebhookReceiver;
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  async function setup(options: Parameters<typeof startSim>[0] = {}) {
    receiver = await startReceiver();
    sim = await startSim({ ...options, webhook: { url: receiver.url, ...options.webhook } });
    return sdkFor(sim);
  }

  it('signs deliveries so client.webhooks.unwrap verifies them; envelope as Whop sends it', async () => {
    const client = await setup();
    expect(sim.webhookSecret).toMatch(/^ws_[0-9a-f]{64}$/);
    const payment = sim.createPayment();
    const dispute = sim.openDispute({ paymentId: payment.id });
    await sim.flushWebhooks();

    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    const event = client.webhooks.unwrap(body, { headers }) as unknown as Envelope;
    expect(Object.keys(event)).toEqual(['id', 'api_version', 'type', 'timestamp', 'data', 'company_id']);
    expect(event).toMatchObject({
      id: expect.stringMatching(/^msg_[A-Za-z0-9]{24}$/),
      api_version: 'v1',
      type: 'dispute.created',
      company_id: payment.company!.id,
    });
    expect(headers['webhook-id']).toBe(event.id);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(event.data).toEqual(await client.disputes.retrieve(dispute.id));

    expect(() =>
      client.webhooks.unwrap(body.replace('dispute.created', 'dispute.updated'), { headers }),
    ).toThrow();
    expect(sim.deliveryLog).toEqual([
      expect.objectContaining({
        eventId: event.id,
        type: 'dispute.created',
        attempt: 1,
        status: 200,
        ok: true,
      }),
    ]);
    expect(sim.webhookEvents[0]!.fate).toBe('delivered');
  });

  it('retries a 500 with the same webhook-id, then gives up after 3 retries', async () => {
    const client = await setup();
    receiver.respondWith(500, 503);
    sim.openDispute({ paymentId: sim.createPayment().id });
    await sim.flushWebhooks();
    expect(receiver.received.map((r) => r.status)).toEqual([500, 503, 200]);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const r of receiver.received)
      expect(() => client.webhooks.unwrap(r.body, { headers: r.headers })).not.toThrow();
    expect(sim.deliveryLog.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);

    receiver.respondWith(500, 500, 500, 500, 500);
    sim.openCase({ paymentId: sim.createPayment().id });
    await sim.flushWebhooks();
    const attempts = sim.deliveryLog.filter((d) => d.type === 'resolution_center_case.created');
    expect(attempts.map((d) => d.status)).toEqual([500, 500, 500, 500]);
    expect(sim.webhookEvents[1]!.fate).toBe('failed');
    // 4xx is retried too (anything non-2xx), and gaps follow the configured delays.
    const gaps = attempts.slice(1).map((d, i) => d.at - attempts[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
  });

  it('treats a dead endpoint as a network error and retries', async () => {
    await setup({ webhook: { retryDelaysMs: [5] } });
    await receiver.close();
    sim.openDispute({ paymentId: sim.createPayment().id });
    await sim.flushWebhooks();
    expect(sim.deliveryLog.map((d) => [d.status, d.ok])).toEqual([
      [null, false],
      [null, false],
    ]);
    expect(sim.deliveryLog[0]!.error).toBeTruthy();
    receiver = await startReceiver();
  });

  it('drops and duplicates on demand', async () => {
    const client = await setup();
    sim.faults.dropNextWebhooks(1);
    sim.faults.duplicateNextWebhooks(1);
    const a = sim.openDispute({ paymentId: sim.createPayment().id });
    const b = sim.openDispute({ paymentId: sim.createPayment().id });
    await sim.flushWebhooks();
    expect(sim.webhookEvents.map((e) => e.fate)).toEqual(['dropped', 'delivered']);
    const got = receiver.received.map(
      (r) => client.webhooks.unwrap(r.body, { headers: r.headers }) as unknown as Envelope,
    );
    expect(got.map((e) => e.data.id)).toEqual([b.id, b.id]);
    expect(got[0]!.id).toBe(got[1]!.id);
    expect(got.map((e) => e.data.id)).not.toContain(a.id);
    expect(sim.deliveryLog.map((d) => d.duplicate)).toEqual([false, true]);
    sim.redeliverWebhook(got[0]!.id);
    await sim.flushWebhooks();
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([
      got[0]!.id,
      got[0]!.id,
      got[0]!.id,
    ]);

    sim.setFaults({ webhookDropRate: 1 });
    sim.openDispute({ paymentId: sim.createPayment().id });
    await sim.flushWebhooks();
    expect(receiver.received).toHaveLength(3);
  });

  it('reorders: a reorder window releases held events shuffled; hold/release gives exact orders', async () => {
    await setup({ faults: { seed: 7, webhookReorderWindowMs: 30 } });
    const payment = sim.createPayment({ total: 100 });
    const refunds = [1, 2, 3, 4, 5, 6].map((n) => sim.createRefund({ paymentId: payment.id, amount: n }).id);
    expect(sim.webhookEvents.every((e) => e.fate === 'held')).toBe(true);
    await sim.idle();
    const order = receiver.received.map((r) => (JSON.parse(r.body) as Envelope).data.id);
    expect([...order].sort()).toEqual([...refunds].sort());
    expect(order).not.toEqual(refunds);

    sim.setFaults({ webhookReorderWindowMs: 0 });
    receiver.received.length = 0;
    sim.holdWebhooks('reverse');
    const ids = [7, 8, 9].map((n) => sim.createRefund({ paymentId: payment.id, amount: n }).id);
    await sim.idle(); // manual holds are not waited for
    expect(receiver.received).toHaveLength(0);
    await sim.flushWebhooks();
    expect(receiver.received.map((r) => (JSON.parse(r.body) as Envelope).data.id)).toEqual(
      [...ids].reverse(),
    );
  });

  it('accepts a whsec_ secret and can be re-pointed at runtime', async () => {
    receiver = await startReceiver();
    const secret = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
    sim = await startSim({ webhook: { secret } });
    sim.openDispute({ paymentId: sim.createPayment().id });
    expect(sim.webhookEvents[0]!.fate).toBe('no_target');
    sim.setWebhookTarget(receiver.url);
    sim.openDispute({ paymentId: sim.createPayment().id });
    await sim.flushWebhooks();
    const client = new Whop({ apiKey: 'x', baseURL: sim.baseURL, webhookKey: secret });
    const { headers, body } = receiver.received[0]!;
    expect((client.webhooks.unwrap(body, { headers }) as unknown as Envelope).type).toBe('dispute.created');
  });

  it('sends the eight event types the product handles', async () => {
    await setup();
    const p1 = sim.createPayment({ total: 30 });
    const d = sim.openDispute({ paymentId: p1.id });
    sim.moveDispute(d.id, 'won');
    sim.createDisputeAlert({ paymentId: sim.createPayment().id });
    const r = sim.createRefund({ paymentId: sim.createPayment().id });
    sim.setRefundStatus(r.id, 'succeeded');
    const c = sim.openCase({ paymentId: sim.createPayment().id });
    sim.moveCase(c.id, 'under_platform_review');
    sim.decideCase(c.id, 'merchant_won');
    await sim.flushWebhooks();
    expect(receiver.received.map((x) => (JSON.parse(x.body) as Envelope).type)).toEqual([
      'dispute.created',
      'dispute.updated',
      'dispute_alert.created',
      'refund.created',
      'refund.updated',
      'resolution_center_case.created',
      'resolution_center_case.updated',
      'resolution_center_case.decided',
    ]);
  });
});
