import type { AlertStore } from '../alerts/alert-store.js';
import type { CaseStore } from '../store/case-store.js';
import { type DisputeRateRow, disputeRates } from './dispute-rates.js';
import { type EscalationSummary, inquiryEscalations } from './escalations.js';
import { type InsightDispute, toInsightDispute } from './insight-dispute.js';
import { type OutcomeRow, outcomesBy } from './outcomes.js';

export interface Insights {
  /** When computed (ISO), and how long it took (ms). */
  at: string;
  ms: number;
  disputes: number;
  byReason: OutcomeRow[];
  byProduct: OutcomeRow[];
  byMonth: OutcomeRow[];
  rates: DisputeRateRow[];
  /** DISPUTE_RATE_MIN_PAYMENTS: below it a rate is given as counts. */
  rateMinPayments: number;
  /** When each company's 30-day payment count was taken from Whop (ISO), for the companies that have one. */
  paymentsCountedAt: Record<string, string>;
  escalations: EscalationSummary;
}

/**
 * Reads every dispute in the store, a chunk at a time, into small projections (`InsightDispute`), then
 * lets the pure functions compute. Payment counts: the last 30 days' count the dispute-rate alert keeps
 * per company (taken from Whop when a dispute arrives and kept for an hour, so payments made since are
 * not in it: the page says when each was taken); no 90-day count is kept, so the 90-day rate is shown
 * as unknown. Below `rateMinPayments` payments a rate is given as counts. Cost: one pass over the store, a thousand records per Redis command, plus the fired
 * transitions of the chargebacks (batched the same way).
 */
export async function loadInsights(
  store: CaseStore,
  alerts: AlertStore,
  now: Date,
  rateMinPayments = 0,
): Promise<Insights> {
  const started = performance.now();
  const disputes: InsightDispute[] = [];
  for await (const chunk of store.scan(1000)) {
    const records = chunk.filter((r) => r.kind === 'dispute');
    // Only a chargeback's history can hold an inquiry it once was; an inquiry says so itself.
    const needHistory = records.filter((r) => !r.status.startsWith('warning_'));
    const fired = await store.firedTransitions(needHistory.map((r) => r.id));
    const firedById = new Map(needHistory.map((r, i) => [r.id, fired[i] ?? []]));
    for (const r of records) disputes.push(toInsightDispute(r, firedById.get(r.id) ?? []));
  }
  const companies = [...new Set(disputes.map((d) => d.companyId).filter((c): c is string => c !== null))];
  const payments30d = new Map<string, number>();
  const paymentsCountedAt: Record<string, string> = {};
  await Promise.all(
    companies.map(async (c) => {
      const cached = await alerts.cachedPayments30dAt(c, now);
      if (!cached) return;
      payments30d.set(c, cached.count);
      paymentsCountedAt[c] = cached.countedAt;
    }),
  );
  return {
    at: now.toISOString(),
    ms: Math.round(performance.now() - started),
    disputes: disputes.length,
    byReason: outcomesBy(disputes, 'reason'),
    byProduct: outcomesBy(disputes, 'product'),
    byMonth: outcomesBy(disputes, 'month'),
    rates: disputeRates(
      disputes,
      now,
      (companyId, days) => (days === 30 ? (payments30d.get(companyId) ?? null) : null),
      rateMinPayments,
    ),
    rateMinPayments,
    paymentsCountedAt,
    escalations: inquiryEscalations(disputes),
  };
}
