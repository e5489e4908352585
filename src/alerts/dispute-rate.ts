/**
 * Watching a company's dispute rate: Whop stops supporting an account at 2 % of payments disputed, so
 * the merchant hears of it well before, at each threshold (0.75 %, then 1.5 % by default).
 */
export const DEFAULT_RATE_THRESHOLDS: readonly number[] = [0.0075, 0.015];

/**
 * The payments that count as sales in the rate's denominator, as `payments.list({ statuses })` takes them:
 * `paid` only, of @whop/sdk 0.0.42's `ReceiptStatus` (`draft`, `open`, `paid`, `pending`, `uncollectible`,
 * `unresolved`, `void`; shared.ts). The others took no money: a draft, an open invoice, a charge still
 * pending or that failed (`uncollectible`, `unresolved`, `void`) is no sale a customer could dispute, and
 * counting it would make the rate look safer than it is. A `paid` payment stays `paid` once refunded or
 * disputed (the SDK's `Payment.refundable`: "payments that are `paid`, have not been fully refunded"); its
 * `substatus` (`refunded`, `partially_refunded`, `auto_refunded`, `dispute_*`, `resolution_*`) only says
 * what happened after, so no substatus is filtered out. That follows the card networks, which count
 * disputes against sales transactions, and a later refund does not undo a sale: Visa's monthly ratio is
 * disputes ÷ sales transactions (Visa Dispute Monitoring Program), Mastercard's chargebacks ÷ the prior
 * month's sales transactions (Excessive Chargeback Program, in Mastercard's Security Rules and Procedures).
 */
export const COUNTED_PAYMENT_STATUSES = ['paid'] as const;

/**
 * Disputes over successful payments (`COUNTED_PAYMENT_STATUSES`) in the same 30 days, or null when there
 * were none (a rate of nothing: alerting on "3 disputes, 0 payments" as infinity would be noise, and 0
 * would hide it).
 */
export function disputeRate(counts: { disputes30d: number; payments30d: number }): number | null {
  const { disputes30d, payments30d } = counts;
  for (const [name, v] of Object.entries(counts)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`disputeRate: ${name} must be a count (got ${v})`);
  }
  return payments30d > 0 ? disputes30d / payments30d : null;
}

/**
 * The highest threshold the rate reached (`threshold ≤ rate`), or null: the one level a message names,
 * however many the rate passed at once.
 */
export function rateLevel(
  rate: number | null,
  thresholds: readonly number[] = DEFAULT_RATE_THRESHOLDS,
): number | null {
  if (rate === null || !Number.isFinite(rate)) return null;
  const reached = thresholds.filter((t) => t <= rate);
  return reached.length ? Math.max(...reached) : null;
}

/** Default minimum sample: below this many payments in 30 days, a rate is given as counts. */
export const DEFAULT_RATE_MIN_PAYMENTS = 100;

/** "2 disputes on 1 payment in 30 days" (`days`: the window, default 30). */
export function disputeCountsWords(disputes: number, payments: number, days = 30): string {
  const d = `${disputes} ${disputes === 1 ? 'dispute' : 'disputes'}`;
  const p = `${payments} ${payments === 1 ? 'payment' : 'payments'}`;
  return `${d} on ${p} in ${days} days`;
}
