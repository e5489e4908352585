import type { DisputeAlertRetrieveResponse } from '@whop/sdk/resources/dispute-alerts';
import type { Payment } from '@whop/sdk/resources/shared';
import type { DisputeAlertCreatedWebhookEvent } from '@whop/sdk/resources/webhooks';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  disputeAlert as alert,
  DAY,
  NOW,
  refundablePayment as payment,
} from '../../test/support/builders/refund-facts.js';
import { toDecimal, toMinor } from '../money/money.js';
import { parseRefundRules, type RefundRules, resolveRefundRules } from '../policy/refund-rules.js';
import { type AlertFacts, decideRefund, type RefundDecision, type RefundedToday } from './decide-refund.js';
import type { PaymentFacts } from './payment-guards.js';

function rules(block: Record<string, unknown> = {}): RefundRules {
  return resolveRefundRules(
    undefined,
    parseRefundRules({ enabled: true, max_amount: { USD: 50, JPY: 5000 }, ...block }, 'dispute_alerts'),
  );
}

const NONE: RefundedToday = { count: 0, amountMinor: {} };

function decide(
  over: {
    alert?: Partial<AlertFacts>;
    payment?: Partial<PaymentFacts>;
    rules?: Record<string, unknown>;
  } = {},
  alreadyRefunded: RefundedToday = NONE,
): RefundDecision {
  return decideRefund({
    alert: alert(over.alert),
    payment: payment(over.payment),
    rules: rules(over.rules),
    alreadyRefunded,
    now: NOW,
  });
}

describe('input types', () => {
  it('take Whop’s objects as the SDK types them', () => {
    expectTypeOf<Payment>().toExtend<PaymentFacts>();
    expectTypeOf<DisputeAlertRetrieveResponse>().toExtend<AlertFacts>();
    expectTypeOf<DisputeAlertCreatedWebhookEvent.Data>().toExtend<AlertFacts>();
  });
});

describe('decideRefund: refunds', () => {
  it('refunds an alert under the maximum, in minor units, saying which rule', () => {
    expect(decide()).toEqual({
      action: 'refund',
      code: 'refund',
      rule: 'max_amount',
      paymentId: 'pay_1',
      amountMinor: 4200,
      currency: 'USD',
      remainingMinor: 4200,
      reason: 'Refunding $42.00 to head off a chargeback: rule max_amount $50.00.',
      doneReason: 'Refunded $42.00 to head off a chargeback: rule max_amount $50.00.',
      cancelMembership: false,
      membershipId: 'mem_1',
      reachesDailyCap: false,
    });
  });

  it('refunds exactly the maximum', () => {
    expect(decide({ alert: { amount: 50 }, payment: { total: 50 } })).toMatchObject({
      action: 'refund',
      amountMinor: 5000,
    });
  });

  it('refunds at most what is left on the payment (partial refunds add up to the total)', () => {
    const decision = decide({ payment: { refunded_amount: 10.5 } });
    expect(decision).toMatchObject({ action: 'refund', amountMinor: 3150, remainingMinor: 3150 });
    expect(decision.reason).toBe(
      'Refunding $31.50 (all that is left of $42.00 after earlier refunds) to head off a chargeback: rule max_amount $50.00.',
    );
  });

  it('counts a pending refund that refunded_amount does not show yet', () => {
    expect(
      decide({
        payment: { refunded_amount: 0, refunds: [{ amount: 40, currency: 'usd', status: 'pending' }] },
      }),
    ).toMatchObject({ action: 'refund', amountMinor: 200 });
  });

  it('refunds the alert’s amount when it is less than the payment', () => {
    expect(decide({ alert: { amount: 19.99 }, payment: { total: 80 } })).toMatchObject({
      action: 'refund',
      amountMinor: 1999,
      remainingMinor: 8000,
    });
  });

  it('floating point never leaks: 0.1 + 0.2 of 0.3', () => {
    const decision = decide({
      alert: { amount: 0.3 },
      payment: {
        total: 0.3,
        refunded_amount: 0.1,
        refunds: [{ amount: 0.1, currency: 'usd', status: 'succeeded' }],
      },
    });
    expect(decision).toMatchObject({ action: 'refund', amountMinor: 20 });
  });

  it('zero-decimal currencies', () => {
    const decision = decide({
      alert: { amount: 4800, currency: 'jpy' },
      payment: { total: 4800, currency: 'jpy' },
    });
    expect(decision).toMatchObject({ action: 'refund', amountMinor: 4800, currency: 'JPY' });
    expect(decision.reason).toBe('Refunding ¥4,800 to head off a chargeback: rule max_amount ¥5,000.');
  });

  it('cancels the membership after refunding when the rule says so and there is one', () => {
    const decision = decide({ rules: { cancel_membership: true } });
    expect(decision).toMatchObject({ action: 'refund', cancelMembership: true, membershipId: 'mem_1' });
    expect(decision.reason).toBe(
      'Refunding $42.00 to head off a chargeback: rule max_amount $50.00, then cancel membership mem_1 (rule cancel_membership).',
    );
    expect(decide({ rules: { cancel_membership: true }, payment: { membership: null } })).toMatchObject({
      cancelMembership: false,
      membershipId: null,
    });
  });

  it('an RDR alert on a payment with no refund yet is refunded when the merchant covers RDR', () => {
    expect(
      decide({ alert: { alert_type: 'dispute_rdr' }, rules: { alert_types: ['dispute_rdr'] } }),
    ).toMatchObject({
      action: 'refund',
    });
  });

  it('reads a paid_at in Unix seconds', () => {
    const paidAt = String((NOW - 2 * DAY) / 1000);
    expect(decide({ payment: { paid_at: paidAt }, rules: { max_payment_age: '3d' } }).action).toBe('refund');
    expect(decide({ payment: { paid_at: paidAt }, rules: { max_payment_age: '1d' } }).code).toBe(
      'payment_too_old',
    );
  });
});

describe('decideRefund: records, never a second refund', () => {
  it.each([
    ['Whop’s own auto-refund (substatus)', { payment: { substatus: 'auto_refunded', refunded_amount: 42 } }],
    ['Whop’s own auto-refund (flag)', { payment: { auto_refunded: true, refunded_amount: 42 } }],
    ['…even with auto-refund off', { payment: { substatus: 'auto_refunded' }, rules: { enabled: false } }],
  ] as const)('%s → auto_refunded', (_name, over) => {
    expect(decide(over as Parameters<typeof decide>[0])).toEqual({
      action: 'record',
      code: 'auto_refunded',
      rule: 'guard',
      reason: 'Whop already refunded this payment on its own after the alert: recorded, no second refund.',
    });
  });

  it.each([
    ['a refunded amount', { refunded_amount: 42, substatus: 'refunded' }],
    ['a partial refund', { refunded_amount: 10, substatus: 'partially_refunded' }],
    ['a pending refund', { refunds: [{ amount: 42, currency: 'usd', status: 'pending' }] }],
  ] as const)('an RDR alert on a payment with %s → rdr_resolved', (_name, paymentOver) => {
    expect(
      decide({
        alert: { alert_type: 'dispute_rdr' },
        payment: paymentOver as Partial<PaymentFacts>,
        rules: { alert_types: ['dispute_rdr'] },
      }),
    ).toMatchObject({ action: 'record', code: 'rdr_resolved', rule: 'guard' });
  });

  it('an RDR alert with only a failed refund is not resolved', () => {
    expect(
      decide({
        alert: { alert_type: 'dispute_rdr' },
        payment: { refunds: [{ amount: 42, currency: 'usd', status: 'failed' }] },
        rules: { alert_types: ['dispute_rdr'] },
      }).action,
    ).toBe('refund');
  });

  it('dry run decides and records what it would do', () => {
    expect(decide({ rules: { dry_run: true, cancel_membership: true } })).toEqual({
      action: 'record',
      code: 'dry_run',
      rule: 'dry_run',
      paymentId: 'pay_1',
      amountMinor: 4200,
      currency: 'USD',
      remainingMinor: 4200,
      cancelMembership: true,
      membershipId: 'mem_1',
      reason:
        'Dry run: would refund $42.00 to head off a chargeback: rule max_amount $50.00, then cancel membership mem_1 (rule cancel_membership); nothing was sent to Whop.',
    });
  });

  it('dry run still skips what it would skip', () => {
    expect(decide({ alert: { amount: 60 }, payment: { total: 60 }, rules: { dry_run: true } }).code).toBe(
      'over_max_amount',
    );
  });
});

describe('decideRefund: skips, saying why', () => {
  it.each<[string, Parameters<typeof decide>[0], string, string, string]>([
    [
      'the alert is for another payment',
      { alert: { payment: { id: 'pay_2' } } },
      'payment_mismatch',
      'guard',
      'The alert is for payment pay_2, not pay_1: not refunded.',
    ],
    [
      'auto-refund off (the default)',
      { rules: { enabled: false } },
      'disabled',
      'enabled',
      'Auto-refund on dispute alerts is off for this company: not refunded.',
    ],
    [
      'an RDR alert, not covered by default',
      { alert: { alert_type: 'dispute_rdr' } },
      'alert_type_not_covered',
      'alert_types',
      'Auto-refund covers dispute, fraud alerts, not dispute_rdr (rule alert_types): not refunded.',
    ],
    [
      'a fraud alert where only dispute is covered',
      { alert: { alert_type: 'fraud' }, rules: { alert_types: ['dispute'] } },
      'alert_type_not_covered',
      'alert_types',
      'Auto-refund covers dispute alerts, not fraud (rule alert_types): not refunded.',
    ],
    [
      'a crypto payment',
      { payment: { payment_method_type: 'crypto' } },
      'not_fiat',
      'guard',
      'The payment was made with crypto, not fiat money: not refunded.',
    ],
    [
      'a Coinbase payment',
      { payment: { payment_method_type: 'coinbase' } },
      'not_fiat',
      'guard',
      'The payment was made with coinbase, not fiat money: not refunded.',
    ],
    [
      'an unknown payment method',
      { payment: { payment_method_type: null } },
      'not_fiat',
      'guard',
      'Whop does not say how this payment was made, so it cannot be confirmed as a fiat payment: not refunded.',
    ],
    [
      'a payment in BTC',
      { payment: { currency: 'btc' }, alert: { currency: 'btc' } },
      'not_fiat',
      'guard',
      'The payment is in BTC, not a fiat currency: not refunded.',
    ],
    [
      'a disputed payment',
      { payment: { disputes: [{ id: 'dp_1' }], substatus: 'dispute_needs_response' } },
      'payment_disputed',
      'guard',
      'The payment is already disputed (dp_1), and Whop refuses to refund a disputed payment ("This payment has been disputed. Therefore, it cannot be refunded."): answer the dispute instead.',
    ],
    [
      'a payment whose dispute is closed',
      { payment: { disputes: [{ id: 'dp_1' }], substatus: 'dispute_won' } },
      'payment_disputed',
      'guard',
      'The payment is already disputed (dp_1), and Whop refuses to refund a disputed payment ("This payment has been disputed. Therefore, it cannot be refunded."): answer the dispute instead.',
    ],
    [
      'a dispute substatus with no dispute listed',
      { payment: { substatus: 'dispute_warning_needs_response' } },
      'payment_disputed',
      'guard',
      'The payment is already disputed, and Whop refuses to refund a disputed payment ("This payment has been disputed. Therefore, it cannot be refunded."): answer the dispute instead.',
    ],
    [
      'an alert that names a dispute',
      { alert: { dispute: { id: 'dp_9' } } },
      'payment_disputed',
      'guard',
      'The payment is already disputed (dp_9), and Whop refuses to refund a disputed payment ("This payment has been disputed. Therefore, it cannot be refunded."): answer the dispute instead.',
    ],
    [
      'disputes not readable',
      { payment: { disputes: null } },
      'disputes_unknown',
      'guard',
      'Whop did not list this payment’s disputes (the API key lacks payment:dispute:read), so a refund could land on a disputed payment: not refunded.',
    ],
    [
      'a fully refunded payment',
      { payment: { refunded_amount: 42, substatus: 'refunded', refundable: false } },
      'already_refunded',
      'guard',
      'The payment is already fully refunded ($42.00).',
    ],
    [
      'a payment Whop says is not refundable',
      { payment: { refundable: false } },
      'not_refundable',
      'guard',
      'Whop marks this payment as not refundable (it is not paid, or its payment processor allows no refund).',
    ],
    [
      'a payment with no total',
      { payment: { total: null } },
      'invalid_amount',
      'guard',
      'The payment’s amounts cannot be read exactly (Whop gives no total for this payment): not refunded.',
    ],
    [
      'an alert in another currency',
      { alert: { currency: 'eur' } },
      'currency_mismatch',
      'guard',
      'The alert is in EUR but the payment in USD: not refunded.',
    ],
    [
      'an alert amount from float arithmetic',
      { alert: { amount: 0.1 + 0.2 } },
      'invalid_amount',
      'guard',
      'The alert’s amount cannot be read exactly (0.30000000000000004 USD has more than 2 decimals): not refunded.',
    ],
    [
      'an alert of 0',
      { alert: { amount: 0 } },
      'invalid_amount',
      'guard',
      'The alert names no amount: not refunded.',
    ],
    [
      'over the maximum',
      { alert: { amount: 50.01 }, payment: { total: 50.01 } },
      'over_max_amount',
      'max_amount',
      'The alert is for $50.01, over the auto-refund maximum of $50.00 (rule max_amount): not refunded.',
    ],
    [
      'over the maximum, though little is left to refund',
      { alert: { amount: 60 }, payment: { total: 60, refunded_amount: 30 } },
      'over_max_amount',
      'max_amount',
      'The alert is for $60.00, over the auto-refund maximum of $50.00 (rule max_amount): not refunded.',
    ],
    [
      'a currency with no maximum',
      { alert: { currency: 'eur' }, payment: { currency: 'eur' } },
      'no_max_for_currency',
      'max_amount',
      'No auto-refund maximum is set for EUR (rule max_amount lists only USD, JPY): not refunded.',
    ],
    [
      'the old form with no max_amount',
      { rules: { max_amount: undefined } },
      'no_max_for_currency',
      'max_amount',
      'No auto-refund maximum is set for USD (rule max_amount lists none): not refunded.',
    ],
    [
      'a denied product',
      { rules: { products: { deny: ['prod_a'] } } },
      'product_denied',
      'products.deny',
      'The payment’s product prod_a is on the deny list (rule products.deny): not refunded.',
    ],
    [
      'a product not allowed',
      { rules: { products: { allow: ['prod_b'] } } },
      'product_not_allowed',
      'products.allow',
      'The payment’s product prod_a is not on the allow list (rule products.allow): not refunded.',
    ],
    [
      'no product, with an allow list',
      { payment: { product: null }, rules: { products: { allow: ['prod_b'] } } },
      'product_not_allowed',
      'products.allow',
      'The payment has no product, and rule products.allow refunds only listed products: not refunded.',
    ],
    [
      'a denied plan',
      { rules: { plans: { deny: ['plan_a'] } } },
      'plan_denied',
      'plans.deny',
      'The payment’s plan plan_a is on the deny list (rule plans.deny): not refunded.',
    ],
    [
      'a plan not allowed',
      { rules: { plans: { allow: ['plan_z'] } } },
      'plan_not_allowed',
      'plans.allow',
      'The payment’s plan plan_a is not on the allow list (rule plans.allow): not refunded.',
    ],
    [
      'a payment too young',
      { payment: { paid_at: new Date(NOW - 30 * 60_000).toISOString() }, rules: { min_payment_age: '1h' } },
      'payment_too_young',
      'min_payment_age',
      'The payment is 30 minutes old, younger than the minimum of 1h (rule min_payment_age): not refunded.',
    ],
    [
      'a payment too old',
      { rules: { max_payment_age: '7d' } },
      'payment_too_old',
      'max_payment_age',
      'The payment is 10 days old, older than the maximum of 7d (rule max_payment_age): not refunded.',
    ],
    [
      'a payment with no readable date',
      { payment: { paid_at: null, created_at: 'yesterday' }, rules: { max_payment_age: '7d' } },
      'payment_age_unknown',
      'max_payment_age',
      'Whop gives no readable payment date, so the payment’s age rules cannot be checked: not refunded.',
    ],
  ])('%s → %s', (_name, over, code, rule, reason) => {
    expect(decide(over)).toEqual({ action: 'skip', code, rule, reason });
  });

  it('an alert with no currency (a malformed webhook) is skipped, not thrown on', () => {
    expect(decide({ alert: { currency: undefined as unknown as string } })).toMatchObject({
      action: 'skip',
      code: 'currency_mismatch',
      reason: 'The alert names no currency (the payment is in USD): not refunded.',
    });
  });

  it('a product allowed but its plan denied: deny wins', () => {
    expect(decide({ rules: { products: { allow: ['prod_a'] }, plans: { deny: ['plan_a'] } } }).code).toBe(
      'plan_denied',
    );
  });

  it('guards come before rules: a disputed payment over the maximum says it is disputed', () => {
    expect(decide({ alert: { amount: 60 }, payment: { total: 60, disputes: [{ id: 'dp_1' }] } }).code).toBe(
      'payment_disputed',
    );
  });

  it('age falls back to created_at when paid_at is missing', () => {
    expect(
      decide({
        payment: { paid_at: null, created_at: new Date(NOW - DAY).toISOString() },
        rules: { max_payment_age: '2d' },
      }).action,
    ).toBe('refund');
  });
});

describe('decideRefund: the daily cap', () => {
  it('stops at the count cap, saying the cap stops further refunds', () => {
    expect(decide({ rules: { daily_cap: { count: 3 } } }, { count: 3, amountMinor: { USD: 9000 } })).toEqual({
      action: 'skip',
      code: 'daily_cap_reached',
      rule: 'daily_cap.count',
      reason:
        'Today’s auto-refund cap of 3 refunds for this company is used up (rule daily_cap.count): not refunded, and auto-refunds stop until 00:00 UTC.',
      dailyCap: { limit: 3, used: 3, currency: null },
    });
  });

  it('the built-in count cap applies when none is written', () => {
    expect(decide({}, { count: 20, amountMinor: {} }).code).toBe('daily_cap_reached');
    expect(decide({}, { count: 19, amountMinor: {} })).toMatchObject({
      action: 'refund',
      reachesDailyCap: true,
    });
  });

  it('stops at the amount cap of the currency', () => {
    expect(
      decide({ rules: { daily_cap: { amount: { USD: 100 } } } }, { count: 2, amountMinor: { USD: 7000 } }),
    ).toEqual({
      action: 'skip',
      code: 'daily_cap_reached',
      rule: 'daily_cap.amount',
      reason:
        'Refunding $42.00 would take today’s auto-refunds to $112.00, over the daily cap of $100.00 (rule daily_cap.amount): not refunded.',
      dailyCap: { limit: 10_000, used: 7000, currency: 'USD' },
    });
  });

  it('a refund that fills the amount cap exactly goes, and says it reaches the cap', () => {
    expect(
      decide({ rules: { daily_cap: { amount: { USD: 100 } } } }, { count: 2, amountMinor: { USD: 5800 } }),
    ).toMatchObject({
      action: 'refund',
      amountMinor: 4200,
      reachesDailyCap: true,
    });
  });

  it('another currency’s amount cap does not apply', () => {
    expect(
      decide({ rules: { daily_cap: { amount: { JPY: 1000 } } } }, { count: 2, amountMinor: { JPY: 1000 } }),
    ).toMatchObject({ action: 'refund', reachesDailyCap: false });
  });
});

describe('decideRefund: properties', () => {
  const currency = fc.constantFrom('usd', 'jpy', 'bhd');
  const cents = fc.integer({ min: 0, max: 2_000_000 });

  it('never refunds more than is left, nor on a disputed, auto-refunded or unrefundable payment', () => {
    fc.assert(
      fc.property(
        currency,
        cents,
        cents,
        cents,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('dispute', 'dispute_rdr', 'fraud'),
        (cur, total, refunded, alerted, disputed, autoRefunded, refundable, alertType) => {
          const p = payment({
            currency: cur,
            total: toDecimal(total, cur),
            refunded_amount: toDecimal(Math.min(refunded, total), cur),
            disputes: disputed ? [{ id: 'dp_1' }] : [],
            auto_refunded: autoRefunded,
            refundable,
          });
          const decision = decideRefund({
            alert: alert({ alert_type: alertType, amount: toDecimal(alerted, cur), currency: cur }),
            payment: p,
            rules: rules({
              alert_types: ['dispute', 'dispute_rdr', 'fraud'],
              max_amount: { USD: 10_000, JPY: 1_000_000, BHD: 5000 },
            }),
            alreadyRefunded: NONE,
            now: NOW,
          });
          if (decision.action === 'refund') {
            expect(decision.amountMinor).toBeGreaterThan(0);
            expect(decision.amountMinor).toBeLessThanOrEqual(total - Math.min(refunded, total));
            expect(decision.amountMinor).toBeLessThanOrEqual(alerted);
            expect(disputed || autoRefunded || !refundable).toBe(false);
          }
        },
      ),
    );
  });

  it('a run of mixed alerts on one payment, each refund applied, never refunds beyond the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.integer({ min: 0, max: 12_000 }), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (totalMinor, alertAmounts, pending) => {
          const refunds: { amount: number; currency: string; status: 'pending' | 'succeeded' }[] = [];
          let today: RefundedToday = NONE;
          for (const alerted of alertAmounts) {
            const decision = decideRefund({
              alert: alert({ amount: toDecimal(alerted, 'usd') }),
              // Whop's refunded_amount may lag a pending refund: only refunds[] shows it then.
              payment: payment({
                total: toDecimal(totalMinor, 'usd'),
                refunded_amount: pending
                  ? 0
                  : toDecimal(
                      refunds.reduce((s, r) => s + toMinor(r.amount, 'usd'), 0),
                      'usd',
                    ),
                refunds: [...refunds],
              }),
              rules: rules({ max_amount: { USD: 100 }, daily_cap: { count: 1000 } }),
              alreadyRefunded: today,
              now: NOW,
            });
            if (decision.action === 'refund') {
              refunds.unshift({
                amount: toDecimal(decision.amountMinor, 'usd'),
                currency: 'usd',
                status: pending ? 'pending' : 'succeeded',
              });
              today = {
                count: today.count + 1,
                amountMinor: { USD: (today.amountMinor.USD ?? 0) + decision.amountMinor },
              };
            }
          }
          const refunded = refunds.reduce((s, r) => s + toMinor(r.amount, 'usd'), 0);
          expect(refunded).toBeLessThanOrEqual(totalMinor);
          expect(today.amountMinor.USD ?? 0).toBe(refunded);
        },
      ),
    );
  });
});
