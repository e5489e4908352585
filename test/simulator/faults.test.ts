import Whop, {
  InternalServerError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
} from '@whop/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

describe('fault injection', () => {
  let sim: WhopSimulator;
  afterEach(() => sim.close());

  it('429 with Retry-After: the SDK waits and retries; without retries it throws RateLimitError', async () => {
    sim = await startSim();
    const payment = sim.createPayment();
    sim.rateLimitNext(1, { retryAfterSeconds: 0.05 });
    const started = Date.now();
    const got = await sdkFor(sim, 2).payments.retrieve(payment.id);
    expect(got.id).toBe(payment.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(sim.requestLog.map((e) => [e.status, e.fault])).toEqual([
      [429, 'rate_limit'],
      [200, null],
    ]);

    sim.rateLimitNext(1, { retryAfterSeconds: 7 });
    const err = await sdkFor(sim, 0)
      .payments.retrieve(payment.id)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).headers.get('retry-after')).toBe('7');
    expect((err as RateLimitError).error).toMatchObject({
      error: { type: 'rate_limit_exceeded', message: 'Try again in 7 seconds.' },
    });
  });

  it('5xx: InternalServerError, only on the chosen route', async () => {
    sim = await startSim();
    const client = sdkFor(sim);
    const payment = sim.createPayment();
    sim.failNext(1, { status: 503, route: 'GET /payments/:id' });
    const company = payment.company!.id;
    await client.disputes.list({ company_id: company });
    const err = await client.payments.retrieve(payment.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect((err as InternalServerError).status).toBe(503);
    expect((await client.payments.retrieve(payment.id)).id).toBe(payment.id);
  });

  it('a 500 after the change committed makes the SDK resend a refund (no idempotency key)', async () => {
    sim = await startSim();
    const payment = sim.createPayment({ total: 100 });
    sim.failNext(1, { route: 'POST /payments/:id/refund', phase: 'after' });
    // The SDK retries 5xx; its first retry waits ~0.5 s.
    const after = await sdkFor(sim, 1).payments.refund(payment.id, { partial_amount: 10 });
    expect(sim.requestCount('POST /payments/:id/refund')).toBe(2);
    expect(after.refunds.map((r) => r.amount)).toEqual([10, 10]);
    expect(sim.requestLog.map((e) => e.fault)).toEqual(['server_error_after', null]);

    // Full refund lost in transit: the retry is refused although the money went back.
    const other = sim.createPayment({ total: 5 });
    sim.failNext(1, { route: 'POST /payments/:id/refund', phase: 'after' });
    const err = await sdkFor(sim, 1)
      .payments.refund(other.id)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect(sim.getPayment(other.id).refunded_amount).toBe(5);
  });

  it('read-your-writes lag: a just-created object 404s for a while', async () => {
    sim = await startSim({ faults: { readLagMs: 300, readLagAffectsLists: true } });
    const client = sdkFor(sim);
    const payment = sim.createPayment();
    await expect(client.payments.retrieve(payment.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.payments.list({ company_id: payment.company!.id })).data).toHaveLength(0);
    expect(sim.requestLog[0]!.fault).toBe('read_lag');
    await new Promise((r) => setTimeout(r, 320));
    expect((await client.payments.retrieve(payment.id)).id).toBe(payment.id);
  });

  it('rates are deterministic for a seed; latency and a per-minute limiter are available', async () => {
    const run = async () => {
      const s = await startSim({
        faults: { seed: 42, serverErrorRate: 0.3, rateLimitRate: 0.2, retryAfterSeconds: 1 },
      });
      const p = s.createPayment();
      const client = sdkFor(s);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        statuses.push(
          await client.payments.retrieve(p.id).then(
            () => 200,
            (e: { status: number }) => e.status,
          ),
        );
      }
      await s.close();
      return statuses;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(429);
    expect(a).toContain(200);

    sim = await startSim({ faults: { latencyMs: 40, rateLimitPerMinute: 2 } });
    const client = sdkFor(sim);
    const p = sim.createPayment();
    const t = Date.now();
    await client.payments.retrieve(p.id);
    expect(Date.now() - t).toBeGreaterThanOrEqual(35);
    await client.payments.retrieve(p.id);
    const limited = await client.payments.retrieve(p.id).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(Number((limited as RateLimitError).headers.get('retry-after'))).toBeGreaterThan(0);
    // Other routes have their own window.
    await client.disputes.list({ company_id: p.company!.id });

    sim.faults.reset();
    expect((await client.payments.retrieve(p.id)).id).toBe(p.id);
  });

  it('unauthenticated requests are never faulted', async () => {
    sim = await startSim({ faults: { serverErrorRate: 1 } });
    const anon = new Whop({ apiKey: 'nope', baseURL: sim.baseURL, maxRetries: 0 });
    await expect(anon.payments.retrieve('pay_x')).rejects.toMatchObject({ status: 401 });
  });
});
