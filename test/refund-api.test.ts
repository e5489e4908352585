/**
 * `POST /api/payments/:id/refund`: a person's refund (the dashboard's button) through the same guards
 * and the same exactly-once path as auto-refunds, against the simulator through the real SDK.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWhopSimulator } from '../simulator/index.js';
import { loadConfig } from '../src/config/env.js';
import { composeApp } from '../src/http/compose-app.js';
import { createLogger } from '../src/logger/logger.js';
import { createIntakeRedis } from '../src/redis/connection.js';
import { RefundStore } from '../src/refunds/refund-store.js';
import { freePort } from './support/redis-server.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { testSecret } from './support/signed-webhook.js';

const REFUND_ROUTE = 'POST /payments/:id/refund';

let h: ServiceHarness;
beforeAll(async () => {
  // No workers: the route is the server's own; the refund latency keeps the first request in flight.
  h = await startServiceHarness({
    workers: false,
    sim: { faults: { latencyMs: 300, latencyRoutes: [REFUND_ROUTE] } },
  });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sim.resetRequestLog();
  h.sim.faults.reset();
  h.sim.setFaults({ latencyMs: 300, latencyRoutes: [REFUND_ROUTE] });
});

function refund(paymentId: string, body?: unknown, raw?: string) {
  return h.app.request(`/api/payments/${paymentId}/refund`, {
    method: 'POST',
    headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

interface AnswerBody {
  error: { code: string; message: string };
  refund: Record<string, unknown>;
  decision_id?: string;
}

async function answer(res: Response | Promise<Response>) {
  const r = await res;
  return { status: r.status, body: (await r.json()) as AnswerBody };
}

describe('POST /api/payments/:id/refund', () => {
  it('refunds what is left, answering 200 with what was done, recorded as a decision', async () => {
    const payment = h.sim.createPayment({ total: 42 });
    const { status, body } = await answer(await refund(payment.id, { reason: 'customer asked by email' }));
    expect(status).toBe(200);
    const made = h.sim.getPayment(payment.id).refunds[0]!;
    expect(body.refund).toMatchObject({
      payment_id: payment.id,
      status: 'refunded',
      amount: '42.00',
      currency: 'USD',
      refund_id: made.id,
      reason: 'Refunded $42.00 (all that is left) on request.',
      requested_reason: 'customer asked by email',
    });
    expect(made.amount).toBe(42);
    const stored = await new RefundStore(h.admin).forPayment(payment.id);
    expect(stored.map((r) => [r.id, r.trigger, r.outcome?.code])).toEqual([
      [body.refund.id, 'manual', 'refunded'],
    ]);
  });

  it('three concurrent requests send one refund to Whop; the others are told one is in flight', async () => {
    const payment = h.sim.createPayment({ total: 30 });
    const answers = await Promise.all([1, 2, 3].map(() => answer(refund(payment.id, { amount: '10.00' }))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    for (const a of answers.filter((a) => a.status === 409)) {
      expect(a.body.error.code).toBe('refund_in_flight');
      expect(a.body.error.message).toMatch(/in progress: nothing was sent/);
    }
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(1);
    expect(h.sim.getPayment(payment.id).refunded_amount).toBe(10);
  });

  it('partial refunds add up to at most the total: 422 amount_exceeds_remaining, then already_refunded', async () => {
    const payment = h.sim.createPayment({ total: 42 });
    expect((await answer(await refund(payment.id, { amount: '10' }))).body.refund.amount).toBe('10.00');
    const over = await answer(await refund(payment.id, { amount: '40.00' }));
    expect(over).toEqual({
      status: 422,
      body: {
        error: {
          code: 'amount_exceeds_remaining',
          message: '$40.00 is more than the $32.00 left to refund on this payment: not refunded.',
        },
        decision_id: expect.stringMatching(/^manual_/),
      },
    });
    expect((await answer(await refund(payment.id, { amount: '32.00' }))).status).toBe(200);
    const done = await answer(await refund(payment.id));
    expect([done.status, done.body.error.code]).toEqual([422, 'already_refunded']);
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(2);
    expect(h.sim.getPayment(payment.id).refunded_amount).toBe(42);
  });

  it('a disputed or not refundable payment is refused with the guard code and the reason in words', async () => {
    const disputed = h.sim.createPayment({ total: 20 });
    h.sim.openDispute({ paymentId: disputed.id });
    const d = await answer(await refund(disputed.id));
    expect(d.status).toBe(422);
    expect(d.body.error.code).toBe('payment_disputed');
    expect(d.body.error.message).toMatch(
      /This payment has been disputed\. Therefore, it cannot be refunded\./,
    );

    const crypto = h.sim.createPayment({ total: 20, paymentMethodType: 'crypto' });
    const c = await answer(await refund(crypto.id));
    expect([c.status, c.body.error.code]).toEqual([422, 'not_refundable']);
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(0);
  });

  it('a bad body is a 400 naming the problem; an unknown payment a 404; nothing sent', async () => {
    const payment = h.sim.createPayment({ total: 20 });
    const cases: [unknown, string | undefined, number, string][] = [
      [
        { amount: 10 },
        undefined,
        400,
        'amount: must be a decimal string in the payment’s currency, e.g. "42.50"',
      ],
      [{ amount: '10', note: 'x' }, undefined, 400, 'note: unknown key'],
      [undefined, '{"amount": ', 400, 'the body is not JSON'],
      [['10'], undefined, 400, 'must be a JSON object: { "amount"?: "42.50", "reason"?: "…" }'],
    ];
    for (const [body, raw, status, message] of cases) {
      const a = await answer(await refund(payment.id, body, raw));
      expect([a.status, a.body.error.message]).toEqual([status, message]);
    }
    const inexact = await answer(await refund(payment.id, { amount: '10.005' }));
    expect([inexact.status, inexact.body.error.code]).toEqual([422, 'invalid_amount']);
    const missing = await answer(await refund('pay_missing'));
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(0);
  });

  it('Whop unreachable: 503 whop_unavailable, nothing sent', async () => {
    const payment = h.sim.createPayment({ total: 20 });
    h.sim.failNext(1, { route: 'GET /payments/:id', status: 503 });
    const a = await answer(await refund(payment.id));
    expect([a.status, a.body.error.code]).toEqual([503, 'whop_unavailable']);
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(0);
    expect(h.sim.getPayment(payment.id).refunded_amount).toBe(0);
  });

  it('an answer lost after Whop refunded: found by re-reading the payment, 200, and never resent', async () => {
    const payment = h.sim.createPayment({ total: 15 });
    h.sim.failNext(1, { route: REFUND_ROUTE, phase: 'after', status: 502 });
    const a = await answer(await refund(payment.id));
    expect(a.status).toBe(200);
    expect(a.body.refund.status).toBe('found_refunded');
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(1);
    expect(h.sim.getPayment(payment.id).refunds).toHaveLength(1);
  });

  it('an answer lost before Whop did anything: 502 refund_unconfirmed, then 409 until it can be settled', async () => {
    const payment = h.sim.createPayment({ total: 15 });
    h.sim.failNext(1, { route: REFUND_ROUTE, phase: 'before', status: 500 });
    const a = await answer(await refund(payment.id));
    expect([a.status, a.body.error.code]).toEqual([502, 'refund_unconfirmed']);
    // Not resent blindly: a late refund could still show up.
    const b = await answer(await refund(payment.id));
    expect([b.status, b.body.error.code]).toEqual([409, 'refund_in_flight']);
    expect(h.sim.requestCount(REFUND_ROUTE)).toBe(1);
    expect(h.sim.getPayment(payment.id).refunded_amount).toBe(0);
  });
});

describe('POST /api/payments/:id/refund with Redis unreachable', () => {
  it('answers 503 store_unavailable and sends nothing to Whop', async () => {
    const sim = await startWhopSimulator();
    const redis = createIntakeRedis(`redis://127.0.0.1:${await freePort()}`, 300);
    redis.on('error', () => {});
    const config = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:1',
      WHOP_API_KEY: sim.apiKey,
      WHOP_BASE_URL: sim.baseURL,
      WHOP_WEBHOOK_SECRET: testSecret('unused'),
      ADMIN_TOKEN: HARNESS_ADMIN_TOKEN,
    });
    const composed = composeApp(config, createLogger('silent'), redis);
    try {
      const payment = sim.createPayment({ total: 20 });
      const res = await composed.app.request(`/api/payments/${payment.id}/refund`, {
        method: 'POST',
        headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` },
      });
      const body = (await res.json()) as { error: { code: string } };
      expect([res.status, body.error.code]).toEqual([503, 'store_unavailable']);
      expect(sim.requestCount()).toBe(0);
    } finally {
      redis.disconnect();
      await composed.close().catch(() => {});
      await sim.close();
    }
  });
});
