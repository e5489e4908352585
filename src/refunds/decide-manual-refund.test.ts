import { describe, expect, it } from 'vitest';
import { refundablePayment as payment } from '../../test/support/builders/refund-facts.js';
import { decideManualRefund } from './decide-manual-refund.js';
import type { PaymentFacts } from './payment-guards.js';

describe('decideManualRefund', () => {
  it('refunds all that is left when no amount is given', () => {
    expect(decideManualRefund({ payment: payment({ refunded_amount: 2 }) })).toEqual({
      action: 'refund',
      code: 'refund',
      rule: 'manual',
      paymentId: 'pay_1',
      amountMinor: 4000,
      currency: 'USD',
      remainingMinor: 4000,
      reason: 'Refunding $40.00 (all that is left) on request.',
      doneReason: 'Refunded $40.00 (all that is left) on request.',
    });
    expect(decideManualRefund({ payment: payment(), amount: ' ' })).toMatchObject({ amountMinor: 4200 });
    expect(decideManualRefund({ payment: payment(), amount: null })).toMatchObject({ amountMinor: 4200 });
  });

  it.each([
    ['10.50', 1050, 'Refunding $10.50 on request.'],
    ['42', 4200, 'Refunding $42.00 (all that is left) on request.'],
    ['0.01', 1, 'Refunding $0.01 on request.'],
  ])('refunds %s', (amount, minor, reason) => {
    expect(decideManualRefund({ payment: payment(), amount })).toMatchObject({
      action: 'refund',
      amountMinor: minor,
      reason,
    });
  });

  it('reads a JSON number the same way, refusing float arithmetic', () => {
    expect(decideManualRefund({ payment: payment(), amount: 10.5 })).toMatchObject({ amountMinor: 1050 });
    expect(decideManualRefund({ payment: payment(), amount: 0.1 + 0.2 })).toEqual({
      action: 'refuse',
      code: 'invalid_amount',
      reason: '0.30000000000000004 USD has more than 2 decimals: not refunded.',
    });
  });

  it('needs no auto-refund rule, nor a fiat payment method (Whop decides that with refundable)', () => {
    expect(
      decideManualRefund({ payment: payment({ payment_method_type: 'crypto', product: null }) }).action,
    ).toBe('refund');
  });

  it.each<[string, Partial<PaymentFacts>, string | undefined, string, string]>([
    [
      'a disputed payment',
      { disputes: [{ id: 'dp_1' }] },
      undefined,
      'payment_disputed',
      'The payment is already disputed (dp_1), and Whop refuses to refund a disputed payment ("This payment has been disputed. Therefore, it cannot be refunded."): answer the dispute instead.',
    ],
    [
      'a fully refunded payment',
      { refunded_amount: 42, refundable: false },
      '1',
      'already_refunded',
      'The payment is already fully refunded ($42.00).',
    ],
    [
      'an unrefundable payment',
      { refundable: false },
      undefined,
      'not_refundable',
      'Whop marks this payment as not refundable (it is not paid, or its payment processor allows no refund).',
    ],
    [
      'more than is left',
      { refunded_amount: 40 },
      '2.01',
      'amount_exceeds_remaining',
      '$2.01 is more than the $2.00 left to refund on this payment: not refunded.',
    ],
    [
      'more decimals than the currency',
      {},
      '10.005',
      'invalid_amount',
      '10.005 USD has more than 2 decimals: not refunded.',
    ],
    [
      'decimals on yen',
      { currency: 'jpy', total: 5000 },
      '10.5',
      'invalid_amount',
      '10.5 JPY has decimals, but JPY has no minor unit: not refunded.',
    ],
    ['not a number', {}, 'ten', 'invalid_amount', '"ten" is not an amount like 42.50: not refunded.'],
    ['negative', {}, '-5', 'invalid_amount', '"-5" is not an amount like 42.50: not refunded.'],
    ['zero', {}, '0.00', 'invalid_amount', 'A refund must be more than 0: not refunded.'],
  ])('refuses %s', (_name, paymentOver, amount, code, reason) => {
    expect(decideManualRefund({ payment: payment(paymentOver), amount })).toEqual({
      action: 'refuse',
      code,
      reason,
    });
  });
});
