import { BadRequestError, type Whop } from '@whop/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { collect, sdkFor, startSim } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

describe('payments.list: query, statuses[], substatuses[]', () => {
  let sim: WhopSimulator;
  let client: Whop;
  let companyId: string;
  beforeAll(async () => {
    sim = await startSim();
    client = sdkFor(sim);
    companyId = sim.createCompany().id;
  });
  afterAll(() => sim.close());

  const ids = async (params: Parameters<Whop['payments']['list']>[0]) =>
    (await collect(client.payments.list({ company_id: companyId, ...params }))).map((p) => p.id).sort();

  it('query finds a customer’s payments by user id, membership id, email, name or username', async () => {
    const jane = sim.createUser({ name: 'Jane Doe', username: 'janed', email: 'Jane.Doe@Example.com' });
    const now = sim.now().getTime();
    // Two earlier payments of the same customer (the Visa CE 3.0 lookback), and a recent one.
    const old1 = sim.createPayment({ companyId, userId: jane.id, createdAt: now - 200 * DAY });
    const old2 = sim.createPayment({ companyId, userId: jane.id, createdAt: now - 150 * DAY });
    const recent = sim.createPayment({ companyId, userId: jane.id });
    const other = sim.createPayment({
      companyId,
      user: { name: 'Janet Doer', username: 'janet', email: 'janet@example.com' },
    });
    const janes = [old1.id, old2.id, recent.id].sort();

    expect(await ids({ query: jane.id })).toEqual(janes);
    expect(await ids({ query: 'jane.doe@example.com' })).toEqual(janes);
    expect(await ids({ query: 'JANED' })).toEqual(janes);
    expect(await ids({ query: 'jane doe' })).toEqual(janes);
    // A membership id finds that membership's payments.
    expect(await ids({ query: old1.membership!.id })).toEqual([old1.id]);
    // No partial or fuzzy match, and a payment id is not among the searched fields.
    expect(await ids({ query: 'jane' })).toEqual([]);
    expect(await ids({ query: 'Doe' })).toEqual([]);
    expect(await ids({ query: recent.id })).toEqual([]);
    expect(await ids({ query: jane.id.slice(0, -2) })).toEqual([]);
    expect(await ids({ query: 'janet' })).toEqual([other.id]);
    // Combined with a date window, as a lookback of 120–365 days would ask.
    expect(
      await ids({
        query: jane.id,
        created_after: new Date(now - 365 * DAY).toISOString(),
        created_before: new Date(now - 120 * DAY).toISOString(),
      }),
    ).toEqual([old1.id, old2.id].sort());
  });

  it('statuses[] and substatuses[] filter; an unknown substatus is a 400', async () => {
    const paid = sim.createPayment({ companyId, total: 10 });
    const refunded = sim.createPayment({ companyId, total: 10 });
    sim.createRefund({ paymentId: refunded.id, status: 'succeeded' });
    const partly = sim.createPayment({ companyId, total: 10 });
    sim.createRefund({ paymentId: partly.id, amount: 2 });
    const disputed = sim.createPayment({ companyId, total: 10 });
    sim.openDispute({ paymentId: disputed.id });
    const pending = sim.createPayment({ companyId, status: 'pending' });
    const open = sim.createPayment({ companyId, status: 'open' });
    const mine = [paid, refunded, partly, disputed, pending, open].map((p) => p.id);
    const only = async (params: Parameters<Whop['payments']['list']>[0]) =>
      (await ids(params)).filter((id) => mine.includes(id));

    expect(await only({ statuses: ['paid'] })).toEqual([paid.id, refunded.id, partly.id, disputed.id].sort());
    expect(await only({ statuses: ['pending', 'open'] })).toEqual([pending.id, open.id].sort());
    expect(await only({ substatuses: ['succeeded'] })).toEqual([paid.id]);
    expect(await only({ statuses: ['paid'], substatuses: ['refunded', 'partially_refunded'] })).toEqual(
      [refunded.id, partly.id].sort(),
    );
    expect(await only({ substatuses: ['dispute_needs_response'] })).toEqual([disputed.id]);
    sim.resetRequestLog();
    await client.payments.list({ company_id: companyId, substatuses: ['succeeded', 'auto_refunded'] });
    expect(decodeURIComponent(sim.requestLog[0]!.query)).toContain(
      'substatuses[]=succeeded&substatuses[]=auto_refunded',
    );

    await expect(
      client.payments.list({ company_id: companyId, substatuses: ['won' as 'dispute_won'] }),
    ).rejects.toMatchObject({ status: 400, error: { error: { param: 'substatuses' } } });
    await expect(
      client.payments.list({ company_id: companyId, statuses: ['succeeded' as 'paid'] }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });
});
