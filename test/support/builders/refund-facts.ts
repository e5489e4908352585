/**
 * The facts a refund decision reads, shaped as Whop's SDK types them (src/refunds/payment-guards.ts
 * `PaymentFacts`, decide-refund.ts `AlertFacts`): a paid, refundable $42.00 card payment ten days before
 * `NOW`, and a dispute alert on it. Override what a test is about.
 */
import type { AlertFacts } from '../../../src/refunds/decide-refund.js';
import type { PaymentFacts } from '../../../src/refunds/payment-guards.js';

export const NOW = Date.parse('2025-03-20T12:00:00Z');
export const DAY = 86_400_000;

export function refundablePayment(over: Partial<PaymentFacts> = {}): PaymentFacts {
  return {
    id: 'pay_1',
    currency: 'usd',
    total: 42,
    refunded_amount: 0,
    refunds: [],
    disputes: [],
    substatus: 'succeeded',
    refundable: true,
    auto_refunded: false,
    payment_method_type: 'card',
    product: { id: 'prod_a' },
    plan: { id: 'plan_a' },
    membership: { id: 'mem_1' },
    created_at: new Date(NOW - 10 * DAY).toISOString(),
    paid_at: new Date(NOW - 10 * DAY).toISOString(),
    ...over,
  };
}

export function disputeAlert(over: Partial<AlertFacts> = {}): AlertFacts {
  return {
    id: 'dpa_1',
    alert_type: 'dispute',
    amount: 42,
    currency: 'usd',
    created_at: new Date(NOW - 60_000).toISOString(),
    payment: { id: 'pay_1' },
    dispute: null,
    ...over,
  };
}
