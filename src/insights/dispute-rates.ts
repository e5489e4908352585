import type { InsightDispute } from './insight-dispute.js';

/**
 * The dispute rate at which Whop stops supporting an account: 2 % of payments (Whop's seller terms, as
 * the project brief states it). Drawn on the chart as the line not to cross.
 */
export const WHOP_DISPUTE_RATE_LINE = 0.02;

export const RATE_WINDOWS_DAYS = [30, 90] as const;
export type RateWindow = (typeof RATE_WINDOWS_DAYS)[number];

export interface DisputeRateRow {
  companyId: string;
  days: RateWindow;
  /** Disputes created in the window: chargebacks and inquiries, as the dispute-rate alert counts them. */
  disputes: number;
  /** Payments in the window, when known; null otherwise (we keep no payment records). */
  payments: number | null;
  /**
   * disputes ÷ payments; null without a payment count (or with none), and below the minimum sample
   * (`tooFewPayments`): there the counts say more than a percentage ("5 disputes on 3 payments").
   */
  rate: number | null;
  /** A payment count is known but under `minPayments` (DISPUTE_RATE_MIN_PAYMENTS), so no rate is given. */
  tooFewPayments: boolean;
  /** rate ≥ WHOP_DISPUTE_RATE_LINE; null when the rate is unknown. */
  overLine: boolean | null;
}

/**
 * Dispute rate per company over the last 30 and 90 days at `now`. Counts every dispute record created
 * in the window, inquiries included (the safe side: a higher rate warns earlier, and it is what the
 * dispute-rate alert counts). `payments` gives the window's payment count where the caller knows it.
 * Below `minPayments` payments (DISPUTE_RATE_MIN_PAYMENTS) no rate is given, as the dispute-rate alert
 * gives counts there (src/alerts/compose-operations.ts): 5 disputes on 3 payments is no "166.67 %".
 * Companies sort by id; each has one row per window.
 */
export function disputeRates(
  disputes: readonly InsightDispute[],
  now: Date,
  payments: (companyId: string, days: RateWindow) => number | null,
  minPayments = 0,
): DisputeRateRow[] {
  const counts = new Map<string, Record<RateWindow, number>>();
  const nowMs = now.getTime();
  for (const d of disputes) {
    if (!d.companyId) continue;
    const created = Date.parse(d.createdAt);
    if (!Number.isFinite(created) || created > nowMs) continue;
    const c = counts.get(d.companyId) ?? { 30: 0, 90: 0 };
    counts.set(d.companyId, c);
    for (const days of RATE_WINDOWS_DAYS) if (created >= nowMs - days * 86_400_000) c[days]++;
  }
  const rows: DisputeRateRow[] = [];
  for (const companyId of [...counts.keys()].sort()) {
    for (const days of RATE_WINDOWS_DAYS) {
      const n = counts.get(companyId)![days];
      const p = payments(companyId, days);
      const tooFewPayments = p !== null && p < minPayments;
      const rate = p !== null && p > 0 && !tooFewPayments ? n / p : null;
      rows.push({
        companyId,
        days,
        disputes: n,
        payments: p,
        rate,
        tooFewPayments,
        overLine: rate === null ? null : rate >= WHOP_DISPUTE_RATE_LINE,
      });
    }
  }
  return rows;
}
