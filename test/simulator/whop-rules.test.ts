import { UnprocessableEntityError, type Whop } from '@whop/sdk';
import type { PaymentMethodTypes } from '@whop/sdk/resources/payments';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DISPUTED_REFUND_MESSAGE,
  FINANCED_PAYMENT_METHODS,
  PLATFORM_REFUND,
  type WhopSimulator,
} from '../../simulator/index.js';
import { sdkFor, startReceiver, startSim } from './helpers.js';

describe('Whop rules on refunds and Resolution Center cases', () => {
  let sim: WhopSimulator;
  let client: Whop;
  beforeEach(async () => {
    sim = await startSim();
    client = sdkFor(sim);
  });
  afterEach(() => sim.close());

  it('case events are revt_ ids; platform_refund is among the platform actions under review', async () => {
    const c = sim.openCase({ paymentId: sim.createPayment().id });
    sim.moveCase(c.id, 'under_platform_review');
    const got = await client.resolutionCenterCases.retrieve(c.id);
    expect(got.resolution_events.map((e) => e.id)).toEqual([
      expect.stringMatching(/^revt_[A-Za-z0-9]{13}$/),
      expect.stringMatching(/^revt_[A-Za-z0-9]{13}$/),
    ]);
    expect(PLATFORM_REFUND).toBe('platform_refund');
    expect(got.platform_response_actions).toEqual([
      'request_buyer_info',
      'request_merchant_info',
      'merchant_wins',
      'merchant_refund',
      'platform_refund',
    ]);
    expect(
      (await client.payments.retrieve(got.payment.id)).resolutions?.[0]?.platform_response_actions,
    ).toContain('platform_refund');
  });

  it('Whop refunds cases on financed payments itself (Splitit, Sezzle, Klarna, Afterpay, Zip)', async () => {
    const receiver = await startReceiver();
    sim.setWebhookTarget(receiver.url);
    const methods: PaymentMethodTypes[] = ['splitit', 'sezzle', 'klarna', 'afterpay_clearpay', 'zip'];
    expect([...FINANCED_PAYMENT_METHODS].sort()).toEqual([...methods].sort());
    for (const method of methods) {
      const payment = sim.createPayment({ total: 80, paymentMethodType: method, cardBrand: null });
      const opened = sim.openCase({ paymentId: payment.id, issue: 'item_not_received' });
      // The case is opened as any other (resolution_center_case.created), then Whop refunds it at once.
      const created = sim.webhookEvents.find(
        (e) => e.type === 'resolution_center_case.created' && e.body.includes(opened.id),
      );
      expect((JSON.parse(created!.body) as { data: { status: string } }).data.status).toBe(
        'merchant_response_needed',
      );
      expect(opened.status).toBe('customer_won');
      const got = await client.resolutionCenterCases.retrieve(opened.id);
      expect(got, method).toMatchObject({
        status: 'customer_won',
        merchant_response_actions: [],
        customer_response_actions: [],
        due_date: null,
      });
      expect(got.resolution_events.at(-1)).toMatchObject({ action: 'accepted', reporter_type: 'platform' });
      const p = await client.payments.retrieve(payment.id);
      expect(p, method).toMatchObject({
        refunded_amount: 80,
        substatus: 'auto_refunded',
        auto_refunded: true,
        refundable: false,
        refunds: [expect.objectContaining({ amount: 80, status: 'succeeded' })],
      });
    }
    // Not financed: klarna_pay_now is paid at once; a card case stays with the merchant.
    const now = sim.createPayment({ paymentMethodType: 'klarna_pay_now', cardBrand: null });
    expect((await client.resolutionCenterCases.retrieve(sim.openCase({ paymentId: now.id }).id)).status).toBe(
      'merchant_response_needed',
    );
    await sim.flushWebhooks();
    const types = receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(types.slice(0, 3)).toEqual([
      'resolution_center_case.created',
      'refund.created',
      'resolution_center_case.decided',
    ]);
    await receiver.close();
  });

  it('no case on crypto (Coinbase) payments, nor on refunded ones (a partial refund leaves one possible)', async () => {
    for (const input of [
      { paymentMethodType: 'crypto' as const },
      { paymentMethodType: 'coinbase' as const },
      { provider: 'coinbase' as const },
    ]) {
      const p = sim.createPayment({ ...input, cardBrand: null });
      expect(() => sim.openCase({ paymentId: p.id })).toThrow(
        /Crypto payments cannot have a resolution center case/,
      );
    }
    const refunded = sim.createPayment({ total: 25 });
    await client.payments.refund(refunded.id, undefined, { maxRetries: 0 });
    expect(() => sim.openCase({ paymentId: refunded.id })).toThrow(/has been refunded/);
    const partly = sim.createPayment({ total: 25 });
    await client.payments.refund(partly.id, { partial_amount: 5 }, { maxRetries: 0 });
    expect(sim.openCase({ paymentId: partly.id }).status).toBe('merchant_response_needed');
  });

  it('a disputed payment cannot be refunded, yet stays `refundable` (the SDK does not tie it to disputes)', async () => {
    const payment = sim.createPayment({ total: 50 });
    sim.openDispute({ paymentId: payment.id, status: 'warning_needs_response' });
    const err = await client.payments
      .refund(payment.id, undefined, { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableEntityError);
    expect((err as UnprocessableEntityError).error).toMatchObject({
      error: { message: DISPUTED_REFUND_MESSAGE },
    });
    expect(await client.payments.retrieve(payment.id)).toMatchObject({ refundable: true, refunds: [] });
  });

  it('Whop’s own early-alert auto-refund: RDR alerts refund at once, a later merchant refund fails', async () => {
    const payment = sim.createPayment({ total: 35 });
    sim.createDisputeAlert({ paymentId: payment.id, alertType: 'dispute_rdr' });
    const p = await client.payments.retrieve(payment.id);
    expect(p).toMatchObject({
      substatus: 'auto_refunded',
      auto_refunded: true,
      refunded_amount: 35,
      refundable: false,
      refunds: [expect.objectContaining({ amount: 35, status: 'succeeded' })],
    });
    expect(p.dispute_alerted_at).toEqual(expect.any(String));
    const listed = await client.payments.list({
      company_id: payment.company!.id,
      substatuses: ['auto_refunded'],
    });
    expect(listed.data.map((x) => x.id)).toEqual([payment.id]);
    await expect(client.payments.refund(payment.id, undefined, { maxRetries: 0 })).rejects.toMatchObject({
      status: 422,
      error: { error: { code: 'payment_already_refunded' } },
    });
    expect(sim.webhookEvents.map((e) => e.type)).toEqual(['dispute_alert.created', 'refund.created']);

    // Any alert type can be auto-refunded on request; a plain dispute alert is not by default.
    const warned = sim.createPayment({ total: 20 });
    sim.createDisputeAlert({ paymentId: warned.id, alertType: 'dispute' });
    expect(await client.payments.retrieve(warned.id)).toMatchObject({
      refundable: true,
      substatus: 'succeeded',
    });
    const fraud = sim.createPayment({ total: 20 });
    sim.createDisputeAlert({ paymentId: fraud.id, alertType: 'fraud', autoRefund: true });
    expect((await client.payments.retrieve(fraud.id)).substatus).toBe('auto_refunded');
    const kept = sim.createPayment({ total: 20 });
    sim.createDisputeAlert({ paymentId: kept.id, alertType: 'dispute_rdr', autoRefund: false });
    expect((await client.payments.retrieve(kept.id)).refundable).toBe(true);
  });

  it('crypto payments are not refundable (the processor allows no refunds; inferred)', async () => {
    const p = sim.createPayment({ paymentMethodType: 'crypto', provider: 'coinbase', cardBrand: null });
    expect(await client.payments.retrieve(p.id)).toMatchObject({ refundable: false });
    await expect(client.payments.refund(p.id, undefined, { maxRetries: 0 })).rejects.toMatchObject({
      status: 422,
      error: { error: { code: 'payment_not_refundable' } },
    });
  });

  it('memberships.cancel: at the period end unless immediate (the SDK names no default); ended ones refuse', async () => {
    const a = sim.createPayment();
    const later = await client.memberships.cancel(a.membership!.id);
    expect(later).toMatchObject({ status: 'canceling', cancel_at_period_end: true, canceled_at: null });
    const b = sim.createPayment();
    const now = await client.memberships.cancel(b.membership!.id, { cancellation_mode: 'immediate' });
    expect(now).toMatchObject({ status: 'canceled', cancel_at_period_end: false });
    expect(now.canceled_at).toEqual(expect.any(String));
    expect((await client.payments.retrieve(b.id)).membership).toMatchObject({ status: 'canceled' });
    await expect(client.memberships.cancel(b.membership!.id)).rejects.toMatchObject({
      status: 422,
      error: { error: { code: 'membership_not_cancelable' } },
    });
    await expect(
      client.memberships.cancel(a.membership!.id, { cancellation_mode: 'later' as 'immediate' }),
    ).rejects.toMatchObject({ status: 400, error: { error: { param: 'cancellation_mode' } } });
  });
});
