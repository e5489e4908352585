/**
 * A refund a person asked for (`POST /api/payments/:id/refund`, the dashboard's refund button), decided
 * from facts alone: the payment guards every refund passes (payment-guards.ts), then the amount asked
 * for. No auto-refund rule applies. Pure; amounts are integer minor units (src/money/money.ts).
 */
import { AmountError, formatMinor, toMinor } from '../money/money.js';
import { type GuardCode, guardPayment, type PaymentFacts, type RefundAmount } from './payment-guards.js';

export type ManualRefundDecision =
  | (RefundAmount & { action: 'refund'; code: 'refund'; rule: 'manual'; reason: string; doneReason: string })
  | { action: 'refuse'; code: GuardCode | 'amount_exceeds_remaining'; reason: string };

export interface DecideManualRefundInput {
  /** Re-read from Whop just now. */
  payment: PaymentFacts;
  /** Decimal string in the payment's currency (`"42.50"`); absent, null or empty: all that is left. A JSON
   *  number is read the same way (src/money/money.ts `toMinor`). */
  amount?: string | number | null;
}

/**
 * A refund a person asked for (`POST /api/payments/:id/refund`, the dashboard's refund button): the
 * shared guards (`payment_disputed`, `disputes_unknown`, `invalid_amount`, `already_refunded`,
 * `not_refundable`), then the amount: `invalid_amount` (not a positive amount the currency can hold
 * exactly), `amount_exceeds_remaining` (more than total − already refunded). No auto-refund rule
 * applies. Never throws for bad data.
 */
export function decideManualRefund({ payment, amount }: DecideManualRefundInput): ManualRefundDecision {
  const guard = guardPayment(payment);
  if (!guard.ok) return { action: 'refuse', code: guard.code, reason: guard.reason };
  const { currency, remainingMinor } = guard;
  const money = (minor: number) => formatMinor(minor, currency);

  let amountMinor = remainingMinor;
  const asked = amount === undefined || amount === null ? '' : String(amount).trim();
  if (asked !== '') {
    try {
      amountMinor = toMinor(asked, currency);
    } catch (err) {
      if (!(err instanceof AmountError)) throw err;
      const problem = err.code === 'inexact_amount' ? err.message : `"${asked}" is not an amount like 42.50`;
      return { action: 'refuse', code: 'invalid_amount', reason: `${problem}: not refunded.` };
    }
    if (amountMinor === 0) {
      return {
        action: 'refuse',
        code: 'invalid_amount',
        reason: 'A refund must be more than 0: not refunded.',
      };
    }
    if (amountMinor > remainingMinor) {
      return {
        action: 'refuse',
        code: 'amount_exceeds_remaining',
        reason: `${money(amountMinor)} is more than the ${money(remainingMinor)} left to refund on this payment: not refunded.`,
      };
    }
  }
  const what =
    amountMinor === remainingMinor ? `${money(amountMinor)} (all that is left)` : money(amountMinor);
  return {
    action: 'refund',
    code: 'refund',
    rule: 'manual',
    paymentId: payment.id,
    amountMinor,
    currency,
    remainingMinor,
    reason: `Refunding ${what} on request.`,
    doneReason: `Refunded ${what} on request.`,
  };
}
