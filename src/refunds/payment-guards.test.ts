import { describe, expect, it } from 'vitest';
import { disputeAlert, NOW, refundablePayment } from '../../test/support/builders/refund-facts.js';
import { parseRefundRules, resolveRefundRules } from '../policy/refund-rules.js';
import { decideManualRefund } from './decide-manual-refund.js';
import { decideRefund } from './decide-refund.js';
import { guardPayment, type PaymentFacts } from './payment-guards.js';

describe('guardPayment', () => {
  it('passes a paid, refundable payment, with what is left in minor units', () => {
    expect(guardPayment(refundablePayment({ total: 42, refunded_amount: 2.5 }))).toEqual({
      ok: true,
      currency: 'USD',
      remainingMinor: 3950,
    });
  });

  it.each<[string, Partial<PaymentFacts>, string | null, string]>([
    ['a dispute listed', { disputes: [{ id: 'dp_1' }] }, null, 'payment_disputed'],
    ['a dispute substatus', { substatus: 'dispute_under_review' }, null, 'payment_disputed'],
    ['an open_dispute substatus', { substatus: 'open_dispute' }, null, 'payment_disputed'],
    ['the alert’s dispute', {}, 'dp_2', 'payment_disputed'],
    [
      'disputed and unlisted disputes: disputed wins',
      { disputes: null, substatus: 'dispute_lost' },
      null,
      'payment_disputed',
    ],
    ['disputes not listed', { disputes: null }, null, 'disputes_unknown'],
    ['no total', { total: null }, null, 'invalid_amount'],
    ['an inexact total', { total: 0.1 + 0.2 }, null, 'invalid_amount'],
    ['a non-fiat currency', { currency: 'btc' }, null, 'invalid_amount'],
    ['fully refunded', { refunded_amount: 42 }, null, 'already_refunded'],
    [
      'fully refunded, pending',
      { refunds: [{ amount: 42, currency: 'usd', status: 'pending' }] },
      null,
      'already_refunded',
    ],
    ['not refundable', { refundable: false }, null, 'not_refundable'],
  ])('refuses %s', (_name, over, alertDisputeId, code) => {
    expect(guardPayment(refundablePayment(over), alertDisputeId)).toMatchObject({ ok: false, code });
  });

  it('a resolution (Resolution Center) substatus is not a dispute', () => {
    expect(guardPayment(refundablePayment({ substatus: 'resolution_needs_response' })).ok).toBe(true);
  });
});

describe('one set of guards for both paths', () => {
  const rules = resolveRefundRules(
    undefined,
    parseRefundRules({ enabled: true, max_amount: { USD: 50 } }, 'x'),
  );

  it.each<[string, Partial<PaymentFacts>]>([
    ['disputed', { disputes: [{ id: 'dp_1' }] }],
    ['disputes unknown', { disputes: null }],
    ['fully refunded', { refunded_amount: 42 }],
    ['not refundable', { refundable: false }],
    ['no total', { total: null }],
  ])('a %s payment is refused for the same reason by an alert and by a person', (_name, over) => {
    const payment = refundablePayment(over);
    const manual = decideManualRefund({ payment });
    const auto = decideRefund({
      alert: disputeAlert(),
      payment,
      rules,
      alreadyRefunded: { count: 0, amountMinor: {} },
      now: NOW,
    });
    expect(manual.action).toBe('refuse');
    expect(auto).toMatchObject({ action: 'skip', rule: 'guard', code: manual.code, reason: manual.reason });
  });
});
