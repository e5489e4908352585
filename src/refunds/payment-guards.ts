/**
 * The payment guards every refund passes, whoever asks (a dispute alert's rules in decide-refund.ts, a
 * person in decide-manual-refund.ts): one set, so a merchant's button and an alert can never disagree on
 * what is refundable. Pure. Amounts are integer minor units (src/money/money.ts).
 *
 * The payment must be the one **re-read from Whop** (`payments.retrieve`) just before deciding, never a
 * stored copy or the alert's embedded payment: `refunds[]` and `disputes[]` exist only on retrieve
 * (WHOP-REFERENCE "Objects: Payment"), and a stale copy could refund twice.
 */
import type { PaymentMethodTypes } from '@whop/sdk/resources/payments';
import type { RefundStatus } from '@whop/sdk/resources/refunds';
import type { FriendlyReceiptStatus } from '@whop/sdk/resources/shared';
import { AmountError, currencyCode, formatMinor, remainingRefundable, toMinor } from '../money/money.js';

/**
 * The payment as re-read from Whop: a subset of the SDK's `Payment` (shared.ts), so a retrieved payment
 * passes as it is. Amounts are decimals in `currency`.
 */
export interface PaymentFacts {
  id: string;
  currency: string;
  /** "The total to show to the creator (excluding buyer fees)"; what can be refunded in all. */
  total: number | null;
  refunded_amount: number | null;
  /** Newest first, at most 100, including failed and canceled attempts. */
  refunds: ReadonlyArray<{ amount: number; currency: string; status: RefundStatus }>;
  /** Null when the API key lacks `payment:dispute:read`. */
  disputes: ReadonlyArray<{ id: string }> | null;
  substatus: FriendlyReceiptStatus;
  /** "True only for payments that are paid, have not been fully refunded, and were processed by a payment
   *  processor that allows refunds." */
  refundable: boolean;
  /** "Whether this payment was auto refunded or not": Whop's own early-alert refund. */
  auto_refunded?: boolean;
  payment_method_type: PaymentMethodTypes | null;
  product: { id: string } | null;
  plan: { id: string } | null;
  membership?: { id: string } | null;
  /** ISO date-time. */
  created_at: string;
  /** "As a Unix timestamp" per the SDK's comment, typed as a string: ISO or Unix seconds are accepted. */
  paid_at: string | null;
}

/** Refusals shared by the alert path and the manual path. */
export type GuardCode =
  | 'payment_disputed'
  | 'disputes_unknown'
  | 'invalid_amount'
  | 'already_refunded'
  | 'not_refundable';

/** What to send: `amountMinor` in `currency` (upper-case ISO), ≤ `remainingMinor`. */
export interface RefundAmount {
  paymentId: string;
  amountMinor: number;
  currency: string;
  /** What was left to refund before this one (total − already refunded). */
  remainingMinor: number;
}

export type GuardResult =
  | { ok: true; currency: string; remainingMinor: number }
  | { ok: false; code: GuardCode; reason: string };

/** Whop's answer to a refund on a disputed payment (WHOP-REFERENCE "Objects: Dispute"). */
export const WHOP_DISPUTED_REFUSAL = 'This payment has been disputed. Therefore, it cannot be refunded.';

/** Substatuses that mean a dispute exists, open or closed (shared.ts `FriendlyReceiptStatus`). */
function isDisputeSubstatus(substatus: FriendlyReceiptStatus): boolean {
  return substatus.startsWith('dispute_') || substatus === 'open_dispute';
}

/**
 * The facts no rule overrides, in this order: a disputed payment (Whop refuses it; also when the alert
 * names a dispute), disputes Whop did not list, amounts that cannot be read exactly, a fully refunded
 * payment, one Whop marks not `refundable`. On success: the payment's currency (upper-case ISO) and what
 * is left to refund, in minor units. Never throws for bad data.
 */
export function guardPayment(payment: PaymentFacts, alertDisputeId?: string | null): GuardResult {
  const disputeId = payment.disputes?.[0]?.id ?? alertDisputeId ?? null;
  if (disputeId || isDisputeSubstatus(payment.substatus)) {
    return {
      ok: false,
      code: 'payment_disputed',
      reason: `The payment is already disputed${disputeId ? ` (${disputeId})` : ''}, and Whop refuses to refund a disputed payment ("${WHOP_DISPUTED_REFUSAL}"): answer the dispute instead.`,
    };
  }
  if (payment.disputes === null) {
    return {
      ok: false,
      code: 'disputes_unknown',
      reason:
        'Whop did not list this payment’s disputes (the API key lacks payment:dispute:read), so a refund could land on a disputed payment: not refunded.',
    };
  }
  let currency: string;
  let remainingMinor: number;
  try {
    currency = currencyCode(payment.currency);
    remainingMinor = remainingRefundable(payment);
  } catch (err) {
    if (!(err instanceof AmountError)) throw err;
    return {
      ok: false,
      code: 'invalid_amount',
      reason: `The payment’s amounts cannot be read exactly (${err.message}): not refunded.`,
    };
  }
  if (remainingMinor === 0) {
    return {
      ok: false,
      code: 'already_refunded',
      reason: `The payment is already fully refunded (${formatMinor(toMinor(payment.total ?? 0, currency), currency)}).`,
    };
  }
  if (!payment.refundable) {
    return {
      ok: false,
      code: 'not_refundable',
      reason:
        'Whop marks this payment as not refundable (it is not paid, or its payment processor allows no refund).',
    };
  }
  return { ok: true, currency, remainingMinor };
}
