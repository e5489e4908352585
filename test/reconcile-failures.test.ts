import { afterEach, describe, expect, it } from 'vitest';
import { NOT_FOUND_ATTEMPTS } from '../workers/whop-event-handler.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function failedJobs(harness: ServiceHarness) {
  return harness.queue.getJobs(['failed']);
}

describe('when Whop calls fail', () => {
  it('fails at once on 401 (revoked key): kept in the failed set, not retried', async () => {
    h = await startServiceHarness();
    const payment = h.sim.createPayment();
    h.sim.removeApiKey(h.sim.apiKey);
    const dispute = h.sim.openDispute({ paymentId: payment.id });
    await h.settle();
    const failed = await failedJobs(h);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attemptsMade).toBe(1);
    expect(failed[0]!.failedReason).toMatch(/401/);
    expect(h.sim.requestCount('GET /disputes/:id')).toBe(1);
    expect(await h.store.get(dispute.id)).toBeUndefined();
  });

  it('fails at once on 403 (key without access to the company)', async () => {
    h = await startServiceHarness();
    const other = h.sim.createCompany();
    h.sim.removeApiKey(h.sim.apiKey);
    h.sim.addApiKey(h.sim.apiKey, { companyIds: ['biz_someoneelse0000'] });
    h.sim.openDispute({ paymentId: h.sim.createPayment({ companyId: other.id }).id });
    await h.settle();
    const failed = await failedJobs(h);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failedReason).toMatch(/403/);
    expect(failed[0]!.attemptsMade).toBe(1);
  });

  it('retries through 429 (honouring Retry-After) and 5xx until the object is stored', async () => {
    h = await startServiceHarness();
    const payment = h.sim.createPayment();
    h.sim.rateLimitNext(2, { retryAfterSeconds: 0.2, route: 'GET /disputes/:id' });
    h.sim.failNext(2, { status: 503, route: 'GET /disputes/:id' });
    const dispute = h.sim.openDispute({ paymentId: payment.id });
    await h.settle();
    expect((await h.store.get(dispute.id))?.status).toBe('needs_response');
    const attempts = h.sim.requestLog.filter((r) => r.route === 'GET /disputes/:id');
    expect(attempts.slice(0, 5).map((a) => a.fault)).toEqual([
      'rate_limit',
      'rate_limit',
      'server_error',
      'server_error',
      null,
    ]);
    expect(await failedJobs(h)).toHaveLength(0);
    // Retry-After was honoured: the attempt after a 429 came no sooner than 200 ms later.
    expect(attempts[1]!.startedAt - attempts[0]!.startedAt).toBeGreaterThanOrEqual(190);
  });

  it('rides out Whop read-your-writes lag: a 404 just after the webhook is retried', async () => {
    // The lag must outlast the first read even on a loaded machine (a 40 ms lag was read past under
    // load); the retries' backoff (300, 600, 1200 ms) outlasts the lag well within the 4 tries.
    h = await startServiceHarness({ sim: { faults: { readLagMs: 800 } }, backoffBaseMs: 300 });
    const dispute = h.sim.openDispute({ paymentId: h.sim.createPayment().id });
    await h.settle();
    expect((await h.store.get(dispute.id))?.status).toBe('needs_response');
    expect(h.sim.requestCount('GET /disputes/:id')).toBeGreaterThan(1);
    expect(await failedJobs(h)).toHaveLength(0);
  });

  it(`gives up on an object that stays 404 after ${NOT_FOUND_ATTEMPTS} tries`, async () => {
    h = await startServiceHarness({ sim: { faults: { readLagMs: 60_000 } } });
    h.sim.openDispute({ paymentId: h.sim.createPayment().id });
    await h.settle();
    const failed = await failedJobs(h);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attemptsMade).toBe(NOT_FOUND_ATTEMPTS);
    expect(failed[0]!.failedReason).toMatch(/not found/);
  });
});
