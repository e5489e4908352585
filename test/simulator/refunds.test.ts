import { UnprocessableEntityError } from '@whop/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISPUTED_REFUND_MESSAGE, type WhopSimulator } from '../../simulator/index.js';
import { sdkFor, startSim } from './helpers.js';

describe('refund rules', () => {
  let sim: WhopSimulator;
  let client: ReturnType<typeof sdkFor>;
  beforeEach(async () => {
    sim = await startSim();
    client = sdkFor(sim);
  });
  afterEach(() => sim.close());

  it('refunds add up to at most the payment total', async () => {
    const payment = sim.createPayment({ total: 100 });
    let p = await client.payments.refund(payment.id, { partial_amount: 40 });
    expect(p).toMatchObject({ refunded_amount: 40, substatus: 'partially_refunded', refundable: true });
    p = await client.payments.refund(payment.id, { partial_amount: 35.5 });
    expect(p.refunded_amount).toBe(75.5);

    const tooMuch = await client.payments.refund(payment.id, { partial_amount: 30 }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(UnprocessableEntityError);
    expect((tooMuch as UnprocessableEntityError).error).toMatchObject({
      error: { param: 'partial_amount', message: expect.stringContaining('24.50') },
    });

    // No partial_amount = the rest.
    p = await client.payments.refund(payment.id);
    expect(p).toMatchObject({ refunded_amount: 100, substatus: 'refunded', refundable: false });
    expect(p.refunds.map((r) => r.amount)).toEqual([40, 35.5, 24.5]);
    await expect(client.payments.refund(payment.id)).rejects.toMatchObject({
      status: 422,
      error: { error: { message: 'This payment has already been fully refunded.' } },
    });
    await expect(client.payments.refund(payment.id, { partial_amount: -1 })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('never refunds a disputed payment', async () => {
    const payment = sim.createPayment({ total: 50 });
    sim.openDispute({ paymentId: payment.id });
    const err = await client.payments.refund(payment.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect((err as UnprocessableEntityError).error).toMatchObject({
      error: { message: DISPUTED_REFUND_MESSAGE },
    });
    expect(DISPUTED_REFUND_MESSAGE).toBe('This payment has been disputed. Therefore, it cannot be refunded.');
    const after = await client.payments.retrieve(payment.id);
    // `refundable` is "paid, not fully refunded, processor allows refunds" (SDK): it does not say
    // "no dispute", so it stays true and only the refund call tells.
    expect(after).toMatchObject({
      refunded_amount: 0,
      refunds: [],
      refundable: true,
      substatus: 'dispute_needs_response',
    });
    // A won dispute still blocks refunds.
    sim.moveDispute(after.disputes![0]!.id, 'won');
    await expect(client.payments.refund(payment.id)).rejects.toBeInstanceOf(UnprocessableEntityError);
    expect((await client.payments.retrieve(payment.id)).substatus).toBe('dispute_won');
  });

  it('keeps refund status, amounts and webhooks consistent; failed refunds free their amount', async () => {
    const payment = sim.createPayment({ total: 20 });
    await client.payments.refund(payment.id, { partial_amount: 20 });
    const refundId = sim.getPayment(payment.id).refunds[0]!.id;
    expect(sim.webhookEvents.map((e) => e.type)).toEqual(['refund.created']);

    sim.setRefundStatus(refundId, 'failed');
    const afterFail = await client.payments.retrieve(payment.id);
    expect(afterFail).toMatchObject({ refunded_amount: 0, substatus: 'succeeded', refundable: true });
    expect(afterFail.refunds).toEqual([expect.objectContaining({ id: refundId, status: 'failed' })]);
    expect((await client.refunds.retrieve(refundId)).status).toBe('failed');
    const updated = JSON.parse(sim.webhookEvents[1]!.body) as { type: string; data: { status: string } };
    expect(updated).toMatchObject({ type: 'refund.updated', data: { status: 'failed' } });

    const scripted = sim.createRefund(
      { paymentId: payment.id, amount: 5, status: 'succeeded' },
      { webhook: false },
    );
    expect(scripted).toMatchObject({ amount: 5, status: 'succeeded', reference_status: 'available' });
    expect(sim.webhookEvents).toHaveLength(2);
    expect(() => sim.createRefund({ paymentId: payment.id, amount: 16 })).toThrow(/exceeds/);
  });

  it('can settle pending refunds on a timer (refund.updated)', async () => {
    await sim.close();
    sim = await startSim({ refunds: { settleAfterMs: 10 } });
    client = sdkFor(sim);
    const payment = sim.createPayment({ total: 9 });
    await client.payments.refund(payment.id);
    await sim.idle();
    expect(sim.getPayment(payment.id).refunds[0]!.status).toBe('succeeded');
    expect(sim.webhookEvents.map((e) => e.type)).toEqual(['refund.created', 'refund.updated']);
  });

  it('auto-refunds on an RDR alert', async () => {
    const payment = sim.createPayment({ total: 15 });
    sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute_rdr', autoRefund: true });
    const p = await client.payments.retrieve(payment.id);
    expect(p).toMatchObject({ substatus: 'auto_refunded', auto_refunded: true, refunded_amount: 15 });
    expect(sim.webhookEvents.map((e) => e.type)).toEqual(['dispute_alert.created', 'refund.created']);
  });
});
