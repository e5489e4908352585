import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

describe('resolution center cases', () => {
  let sim: WhopSimulator;
  let client: ReturnType<typeof sdkFor>;
  beforeEach(async () => {
    sim = await startSim();
    client = sdkFor(sim);
  });
  afterEach(() => sim.close());

  it('allows one case per payment, only within 120 days, never on refunded or disputed payments', () => {
    const payment = sim.createPayment();
    sim.openCase({ paymentId: payment.id });
    expect(() => sim.openCase({ paymentId: payment.id })).toThrow(/already exists/);

    const old = sim.createPayment({ createdAt: new Date(sim.now().getTime() - 121 * DAY) });
    expect(() => sim.openCase({ paymentId: old.id })).toThrow(/within 120 days/);
    const edge = sim.createPayment({ createdAt: new Date(sim.now().getTime() - 119 * DAY) });
    expect(sim.openCase({ paymentId: edge.id }).status).toBe('merchant_response_needed');

    const later = sim.createPayment();
    sim.advanceClock(121 * DAY);
    expect(() => sim.openCase({ paymentId: later.id })).toThrow(/within 120 days/);

    const refunded = sim.createPayment({ total: 10 });
    sim.createRefund({ paymentId: refunded.id, status: 'succeeded' });
    expect(() => sim.openCase({ paymentId: refunded.id })).toThrow(/refunded/);

    const disputed = sim.createPayment();
    sim.openDispute({ paymentId: disputed.id });
    expect(() => sim.openCase({ paymentId: disputed.id })).toThrow(/disputed/);

    const crypto = sim.createPayment({ paymentMethodType: 'crypto' });
    expect(() => sim.openCase({ paymentId: crypto.id })).toThrow(/Crypto/);
  });

  it('moves, decides (customer_won refunds the payment) and allows one appeal', async () => {
    const payment = sim.createPayment({ total: 75 });
    const opened = sim.openCase({ paymentId: payment.id, issue: 'item_not_received' });
    sim.moveCase(opened.id, 'customer_response_needed');
    let got = await client.resolutionCenterCases.retrieve(opened.id);
    expect(got).toMatchObject({
      status: 'customer_response_needed',
      customer_response_actions: ['respond', 'withdraw'],
      merchant_response_actions: [],
    });
    sim.moveCase(opened.id, 'under_platform_review');

    sim.decideCase(opened.id, 'customer_won');
    got = await client.resolutionCenterCases.retrieve(opened.id);
    expect(got).toMatchObject({ status: 'customer_won', merchant_response_actions: ['appeal'] });
    const p = await client.payments.retrieve(payment.id);
    expect(p).toMatchObject({ refunded_amount: 75, substatus: 'refunded' });
    expect(p.resolutions?.[0]).toMatchObject({ id: opened.id, status: 'customer_won' });

    sim.appealCase(opened.id, 'merchant', 'We shipped it');
    got = await client.resolutionCenterCases.retrieve(opened.id);
    expect(got).toMatchObject({ status: 'under_platform_review', merchant_appealed: true });
    sim.decideCase(opened.id, 'merchant_won');
    got = await client.resolutionCenterCases.retrieve(opened.id);
    // The decision after an appeal is final.
    expect(got).toMatchObject({
      status: 'merchant_won',
      customer_response_actions: [],
      merchant_response_actions: [],
    });
    expect(() => sim.appealCase(opened.id, 'customer')).toThrow(/final/);
    expect(() => sim.decideCase(opened.id, 'customer_won')).toThrow(/already been decided/);

    expect(got.resolution_events.map((e) => [e.action, e.reporter_type])).toEqual([
      ['created', 'customer'],
      ['denied', 'merchant'],
      ['escalated', 'system'],
      ['accepted', 'platform'],
      ['appealed', 'merchant'],
      ['denied', 'platform'],
    ]);
    expect(sim.webhookEvents.map((e) => e.type)).toEqual([
      'resolution_center_case.created',
      'resolution_center_case.updated',
      'resolution_center_case.updated',
      'resolution_center_case.decided',
      'refund.created',
      'resolution_center_case.updated',
      'resolution_center_case.decided',
    ]);
  });

  it('bumps updated_at on the case and the payment on every change', async () => {
    const payment = sim.createPayment();
    const c = sim.openCase({ paymentId: payment.id });
    const t0 = sim.getPayment(payment.id).updated_at;
    sim.advanceClock(60_000);
    sim.moveCase(c.id, 'merchant_info_needed', {
      event: { action: 'requested_more_info', reporterType: 'platform' },
    });
    expect(sim.getCase(c.id).updated_at > c.updated_at).toBe(true);
    expect(sim.getPayment(payment.id).updated_at > t0).toBe(true);
    const changed = await client.payments.list({ updated_after: t0 });
    expect(changed.data.map((p) => p.id)).toEqual([payment.id]);
  });

  it('can send due_date as ISO (default), Unix seconds or a numeric string, in the API and in webhooks', async () => {
    const due = new Date('2030-03-01T12:00:00.000Z');
    const c = sim.openCase({ paymentId: sim.createPayment().id, dueDate: due });
    expect((await client.resolutionCenterCases.retrieve(c.id)).due_date).toBe(due.toISOString());
    sim.setCaseDueDateFormat('unix');
    expect((await client.resolutionCenterCases.retrieve(c.id)).due_date).toBe(due.getTime() / 1000);
    sim.setCaseDueDateFormat('unix_string');
    expect((await client.resolutionCenterCases.retrieve(c.id)).due_date).toBe(String(due.getTime() / 1000));
    const listed = await client.resolutionCenterCases.list({ company_id: c.company!.id });
    expect(listed.data[0]!.due_date).toBe(String(due.getTime() / 1000));
    expect((await client.payments.retrieve(c.payment.id)).resolutions?.[0]?.due_date).toBe(
      String(due.getTime() / 1000),
    );
    sim.moveCase(c.id, 'merchant_info_needed', { dueDate: due });
    const event = JSON.parse(sim.webhookEvents.at(-1)!.body) as { data: { due_date: unknown } };
    expect(event.data.due_date).toBe(String(due.getTime() / 1000));
  });
});
