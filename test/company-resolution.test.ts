import { afterEach, describe, expect, it } from 'vitest';
import { COMPANIES } from '../src/redis/keys.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { signWebhook } from './support/signed-webhook.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Well-formed, but no company Whop knows. */
const JUNK = 'biz_junk0000000000';

/** payments.retrieve needs promo_code:basic:read; refunds.retrieve and the listings do not (SDK 0.0.42). */
const WITHOUT_PAYMENT_READS = { without: ['promo_code:basic:read'] };

/** The companies the sweep listed (any kind), from the simulator's request log. */
function listedCompanies(harness: ServiceHarness): string[] {
  const ids = harness.sim.requestLog
    .filter((r) => r.method === 'GET' && !r.route.includes(':id'))
    .map((r) => new URLSearchParams(r.query).get('company_id'))
    .filter((c): c is string => Boolean(c));
  return [...new Set(ids)].sort();
}

/** Posts a Whop-signed `refund.created` whose envelope names `company` (`company_id`, or `account_id`). */
async function postRefundCreated(
  harness: ServiceHarness,
  refundId: string,
  company: { company_id: string } | { account_id: string },
) {
  const webhookId = `msg_${refundId}`;
  const body = JSON.stringify({
    id: webhookId,
    api_version: 'v1',
    type: 'refund.created',
    timestamp: new Date().toISOString(),
    ...company,
    data: { id: refundId },
  });
  const res = await harness.app.request('/webhooks/whop', {
    method: 'POST',
    body,
    headers: signWebhook(harness.sim.webhookSecret, webhookId, body),
  });
  expect(res.status).toBe(200);
}

describe('the company of a record', () => {
  it.each(['no_company', 'dated'] as const)(
    'a refund and a dispute alert whose envelope is %s are stored with their company, and the next sweep covers it',
    async (envelope) => {
      // WHOP_COMPANY_IDS unset: only what the service learns tells the sweep which companies to list.
      h = await startServiceHarness({ sim: { webhook: { envelope } } });
      const company = h.sim.createCompany();
      const refund = h.sim.createRefund({
        paymentId: h.sim.createPayment({ companyId: company.id, total: 50 }).id,
        amount: 10,
      });
      const alert = h.sim.createDisputeAlert({
        paymentId: h.sim.createPayment({ companyId: company.id, total: 30 }).id,
        alertType: 'fraud',
      });
      await h.settle();
      expect((await h.store.get(refund.id))?.companyId).toBe(company.id);
      expect((await h.store.get(alert.id))?.companyId).toBe(company.id);
      expect(await h.store.companies()).toEqual([company.id]);

      // The next sweep lists that company: a dispute whose webhook was lost is recovered.
      h.sim.faults.dropNextWebhooks(1);
      const missed = h.sim.openDispute({ paymentId: h.sim.createPayment({ companyId: company.id }).id });
      await h.settle();
      expect(await h.store.get(missed.id)).toBeUndefined();
      const report = await h.sweep();
      expect(report.failed).toBe(0);
      expect(report.recoveredIds).toContain(missed.id);
      expect((await h.store.get(missed.id))?.companyId).toBe(company.id);
    },
  );

  it("reads account_id when the payment can't be read, and the sweep confirms the company by listing it", async () => {
    h = await startServiceHarness({ sim: { webhook: { envelope: 'dated' } } });
    h.sim.setApiKeyPermissions(h.sim.apiKey, WITHOUT_PAYMENT_READS);
    const company = h.sim.createCompany();
    const refund = h.sim.createRefund({
      paymentId: h.sim.createPayment({ companyId: company.id, total: 50 }).id,
      amount: 10,
    });
    await h.settle();
    // The 403 on payments.retrieve was a missing fact, not a failed job.
    expect(h.sim.requestLog.some((r) => r.route === 'GET /payments/:id' && r.status === 403)).toBe(true);
    expect(await h.queue.getJobs(['failed'])).toHaveLength(0);
    expect((await h.store.get(refund.id))?.companyId).toBe(company.id);
    // Only the envelope said so: not walked for good until Whop confirms it.
    expect(await h.store.companies()).toEqual([]);
    expect(await h.store.unconfirmedCompanies()).toEqual([company.id]);

    const report = await h.sweep();
    expect(report.failed).toBe(0);
    expect(listedCompanies(h)).toEqual([company.id]);
    expect(await h.store.companies()).toEqual([company.id]);
    expect(await h.store.unconfirmedCompanies()).toEqual([]);
  });

  it('without an envelope company and with the payment refused, the refund is still stored, its company unknown', async () => {
    h = await startServiceHarness({ sim: { webhook: { envelope: 'no_company' } } });
    h.sim.setApiKeyPermissions(h.sim.apiKey, WITHOUT_PAYMENT_READS);
    const refund = h.sim.createRefund({ paymentId: h.sim.createPayment({ total: 50 }).id, amount: 10 });
    await h.settle();
    // Asked, refused (403), logged: the refund is stored all the same.
    expect(h.sim.requestLog.some((r) => r.route === 'GET /payments/:id' && r.status === 403)).toBe(true);
    const record = await h.store.get(refund.id);
    expect(record?.status).toBe('pending');
    expect(record?.companyId).toBeNull();
    expect(await h.queue.getJobs(['failed'])).toHaveLength(0);
    expect(await h.store.companies()).toEqual([]);
  });
});

describe('companies are walked only once Whop confirms them', () => {
  it('a signed webhook naming a junk company: the payment names the real one, and no sweep lists the junk', async () => {
    h = await startServiceHarness({ sim: { webhook: { envelope: 'no_company' } } });
    const company = h.sim.createCompany();
    const payment = h.sim.createPayment({ companyId: company.id, total: 50 });
    const refund = h.sim.createRefund({ paymentId: payment.id, amount: 10 }, { webhook: false });
    await postRefundCreated(h, refund.id, { company_id: JUNK });
    await h.settle();
    expect((await h.store.get(refund.id))?.companyId).toBe(company.id);
    expect(await h.store.companies()).toEqual([company.id]);
    expect(await h.store.unconfirmedCompanies()).toEqual([]);
    await h.sweep();
    expect(listedCompanies(h)).toEqual([company.id]);
  });

  it('a junk company nothing contradicts is tried by one sweep, dropped on 404, and never listed again', async () => {
    h = await startServiceHarness({ sim: { webhook: { envelope: 'no_company' } } });
    h.sim.setApiKeyPermissions(h.sim.apiKey, WITHOUT_PAYMENT_READS);
    const company = h.sim.createCompany();
    const refund = h.sim.createRefund(
      { paymentId: h.sim.createPayment({ companyId: company.id, total: 50 }).id, amount: 10 },
      { webhook: false },
    );
    // A company kept by an earlier version, which walked whatever an envelope named.
    const stale = 'biz_stale000000000';
    await h.admin.sadd(COMPANIES, stale);
    await postRefundCreated(h, refund.id, { account_id: JUNK });
    await h.settle();
    // The envelope is all there is to go by: kept on the record, but not walked.
    expect((await h.store.get(refund.id))?.companyId).toBe(JUNK);
    expect(await h.store.companies()).toEqual([stale]);

    h.sim.resetRequestLog();
    const first = await h.sweep();
    expect(listedCompanies(h)).toEqual([JUNK, stale]);
    expect(first.droppedCompanies).toEqual([JUNK, stale]);
    // Trying a company only an envelope named is not a failure; a kept one Whop refuses is.
    expect(first.failed).toBe(4);
    expect(await h.store.companies()).toEqual([]);
    expect(await h.store.unconfirmedCompanies()).toEqual([]);

    h.sim.resetRequestLog();
    const second = await h.sweep();
    expect(second.companies).toBe(0);
    expect(listedCompanies(h)).toEqual([]);
  });
});
