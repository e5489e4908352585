/**
 * What the service keeps about each refund decision: why it decided, what it tried, and what Whop says
 * happened. One record per dispute alert (`alert_<alertId>`) and per request (`manual_…`), stored by
 * refund-store.ts and shown in `GET /api/cases/:id` (the alert's `refund` section), in alerts and in the
 * insights. Pure helpers only; the I/O is in refund-service.ts.
 *
 * Amounts are integer minor units of `currency` (src/money/money.ts), with the decimal string beside
 * them for people and the API. Times are ISO 8601, UTC.
 */
import { COUNTED_REFUND_STATUSES, toDecimalString, toMinor } from '../money/money.js';

/** Who asked: a dispute alert's rules, or a person (`POST /api/payments/:id/refund`). */
export type RefundTrigger = 'alert' | 'manual';

/**
 * What became of a refund the service sent (or meant to send):
 * - `refunded`: Whop answered the call; `found_refunded`: the answer was lost (timeout, 5xx, a worker
 *   that died) and the payment, re-read, shows the refund;
 * - `failed`: the payment shows our refund as failed or canceled (no money moved);
 * - `refused`: Whop refused the call (4xx): nothing was refunded;
 * - `not_refunded`: the answer was lost and, once a late refund can no longer appear, the payment shows
 *   none: nothing was refunded (an alert is then decided again).
 */
export type RefundOutcomeCode = 'refunded' | 'found_refunded' | 'failed' | 'refused' | 'not_refunded';

/** Outcomes in which money went back to the customer (or is on its way: pending counts). */
export const MONEY_MOVED: ReadonlySet<RefundOutcomeCode> = new Set(['refunded', 'found_refunded']);

export interface RefundDecisionRecord {
  /** `alert_<alertId>` or `manual_<paymentId>_<ms>_<random>`. */
  id: string;
  trigger: RefundTrigger;
  /** The dispute alert (also the case id whose timeline shows this record); null for a request. */
  alertId: string | null;
  paymentId: string | null;
  companyId: string | null;
  /** When this decision was made (a re-decision after `not_refunded` replaces it). */
  decidedAt: string;
  /** 1 for the first decision; +1 each time an alert is decided again after `not_refunded`. */
  round: number;
  decision: {
    /** `refund`; `record` (dry run, Whop's own refund, an RDR resolution); `skip` (a rule or guard said
     *  no); `refuse` (a request the guards refused). */
    action: 'refund' | 'record' | 'skip' | 'refuse';
    /** A machine code: `refund`, `dry_run`, `auto_refunded`, a SkipCode of decide-refund.ts, a guard code… */
    code: string;
    /** The policy key that decided, `guard`, or `manual`; null where none applies. */
    rule: string | null;
    /** The sentence a merchant reads ("Refunding $42.00 to head off a chargeback: rule max_amount $50.00."). */
    reason: string;
  };
  /** What is (or would be) refunded: set for `refund` and `dry_run` decisions. */
  amount: { minor: number; currency: string; decimal: string } | null;
  /** What the request said, for a refund asked for by a person. */
  requestReason: string | null;
  /** Said when Whop confirms the refund ("Refunded $42.00 to head off a chargeback: rule max_amount $50.00."). */
  doneReason: string | null;
  /** The daily cap a `daily_cap_reached` skip met, or that this refund used up (`reachesDailyCap`). */
  dailyCap: { rule: string; limit: number; used: number; currency: string | null } | null;
  reachesDailyCap: boolean;
  /**
   * Stored before the call to Whop (the attempt marker): a later run that finds it without an outcome
   * re-reads the payment before anything else. `day`: the UTC day whose cap counted it. `before`: the
   * payment's refunds and refunded amount just before the call, to tell ours from earlier ones.
   */
  attempt: {
    at: string;
    day: string;
    before: { refundIds: string[]; refundedMinor: number };
  } | null;
  outcome: {
    code: RefundOutcomeCode;
    at: string;
    /** Whop's refund id, when the payment lists it. */
    refundId: string | null;
    reason: string;
  } | null;
  /** Rule `cancel_membership`: the membership cancelled after the refund, with its own attempt marker. */
  membership: {
    id: string;
    attemptedAt: string | null;
    outcome: {
      code: 'canceled' | 'found_canceled' | 'already_ended' | 'refused';
      at: string;
      reason: string;
    } | null;
  } | null;
}

/** The record id of the decision about a dispute alert. */
export const alertDecisionId = (alertId: string) => `alert_${alertId}`;

/** A fresh record id for a refund a person asked for. */
export function manualDecisionId(paymentId: string, now: Date): string {
  return `manual_${paymentId}_${now.getTime()}_${Math.random().toString(36).slice(2, 8)}`;
}

/** `YYYY-MM-DD` of `at` in UTC: the day a daily cap counts in. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** The amount as the record keeps it. Throws `AmountError` for an amount the currency cannot hold. */
export function recordAmount(minor: number, currency: string): RefundDecisionRecord['amount'] {
  return { minor, currency, decimal: toDecimalString(minor, currency) };
}

/** The parts of a payment (SDK `Payment`, shared.ts) that show which refunds exist. Decimals. */
export interface PaymentRefunds {
  currency: string;
  refunded_amount: number | null;
  refunds: ReadonlyArray<{
    id: string;
    amount: number;
    currency: string;
    status: string;
    created_at?: string;
  }>;
}

/** Minor units a payment shows refunded: the larger of `refunded_amount` and its counted refunds. */
function refundedMinor(payment: PaymentRefunds): number {
  let listed = 0;
  for (const r of payment.refunds) {
    if (COUNTED_REFUND_STATUSES.has(r.status)) listed += toMinor(r.amount, payment.currency);
  }
  return Math.max(listed, toMinor(payment.refunded_amount ?? 0, payment.currency));
}

/** The attempt marker's `before`: the payment's refunds as re-read just before the call. */
export function refundsBefore(payment: PaymentRefunds): { refundIds: string[]; refundedMinor: number } {
  return { refundIds: payment.refunds.map((r) => r.id), refundedMinor: refundedMinor(payment) };
}

/**
 * Whether the payment, read after an attempt, shows that attempt's refund: a refund not listed before
 * the call, of exactly the amount sent (Whop refunds exactly `partial_amount`). Else, when Whop lists no
 * new refund but the refunded amount grew by exactly that amount, the refund without its id. Null when
 * nothing shows it. `failed`: the refund is listed, failed or canceled (no money moved).
 */
export function findAttemptedRefund(
  payment: PaymentRefunds,
  attempt: NonNullable<RefundDecisionRecord['attempt']>,
  amountMinor: number,
): { refundId: string | null; failed: boolean } | null {
  const before = new Set(attempt.before.refundIds);
  const fresh = payment.refunds.filter(
    (r) => !before.has(r.id) && toMinor(r.amount, payment.currency) === amountMinor,
  );
  // A held refund first: a failed twin must not hide one that went through.
  const held = fresh.find((r) => COUNTED_REFUND_STATUSES.has(r.status));
  if (held) return { refundId: held.id, failed: false };
  if (fresh[0]) return { refundId: fresh[0].id, failed: true };
  if (refundedMinor(payment) - attempt.before.refundedMinor === amountMinor) {
    return { refundId: null, failed: false };
  }
  return null;
}
