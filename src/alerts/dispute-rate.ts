/**
 * Watching a company's dispute rate: Whop stops supporting an account at 2 % of payments disputed, so
 * the merchant hears of it well before, at each threshold (0.75 %, then 1.5 % by default).
 */
export const DEFAULT_RATE_THRESHOLDS: readonly number[] = [0.0075, 0.015];

/**
 * Disputes over payments in the same 30 days, or null when there were no payments (a rate of nothing:
 * alerting on "3 disputes, 0 payments" as infinity would be noise, and 0 would hide it).
 */
export function disputeRate(counts: { disputes30d: number; payments30d: number }): number | null {
  const { disputes30d, payments30d } = counts;
  for (const [name, v] of Object.entries(counts)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`disputeRate: ${name} must be a count (got ${v})`);
  }
  return payments30d > 0 ? disputes30d / payments30d : null;
}

/**
 * The thresholds the rate newly reached or passed on its way up, lowest first: `previous < t ≤ current`.
 * Stateless, so "alert once per crossing" and "re-arm when the rate falls back below" both follow from
 * passing the last rate seen as `previousRate`: staying above alerts nothing, dipping below and coming
 * back alerts again. An unknown previous rate (null: first measurement) counts as below every
 * threshold; an unknown current rate crosses nothing.
 */
export function rateCrossings(
  previousRate: number | null,
  currentRate: number | null,
  thresholds: readonly number[] = DEFAULT_RATE_THRESHOLDS,
): number[] {
  if (currentRate === null || !Number.isFinite(currentRate)) return [];
  const previous = previousRate !== null && Number.isFinite(previousRate) ? previousRate : -1;
  return [...new Set(thresholds)].filter((t) => previous < t && t <= currentRate).sort((a, b) => a - b);
}
