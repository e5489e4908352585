/**
 * What auto-refund cost and saved, per company: alerts refunded and the money that went back, the
 * chargebacks that still came on payments we refunded, and the dispute fees the refunds avoided. Read
 * by the dashboard; `refundInsights` is pure, `readRefundInsights` gathers its facts from the stores.
 *
 * Amounts are integer minor units per upper-case currency code (src/money/money.ts).
 */
import type { CaseRecord } from '../cases/case-record.js';
import { MONEY_MOVED, type RefundDecisionRecord } from '../refunds/refund-record.js';
import type { RefundStore } from '../refunds/refund-store.js';
import type { CaseStore } from '../store/case-store.js';

/**
 * The fee a dispute costs the merchant, win or lose: $15 (USD), per Whop's disputes help ("a $15 fee"
 * per dispute), as the project brief states it. An estimate of what a prevented dispute saves: the
 * fee Whop charges an account may differ; the amount itself is not counted as saved (it went back to
 * the customer either way).
 */
export const DISPUTE_FEE = Object.freeze({
  minor: 1500,
  currency: 'USD',
  source: 'Whop’s $15 fee per dispute (Whop help, “Disputes”; the project brief)',
});

export interface RefundInsights {
  companyId: string;
  /** ISO 8601: decisions made at or after this are counted; null: all. */
  since: string | null;
  /** Dispute alerts decided (each once, whatever the outcome). */
  alertsDecided: number;
  /** Alerts this service refunded (Whop confirmed the refund). */
  alertsRefunded: number;
  /** What those refunds gave back, per currency. */
  refundedMinor: Record<string, number>;
  /** Dry runs: what the rules would have refunded, per currency. */
  wouldRefundMinor: Record<string, number>;
  /** Alerts Whop refunded itself (`auto_refunded`, `rdr_resolved`): recorded, no refund of ours. */
  refundedByWhop: number;
  /** Alerts not refunded, by decision code (`over_max_amount`, `daily_cap_reached`, `disabled` …). */
  skipped: Record<string, number>;
  /** Refunds Whop refused or that failed. */
  refundsNotMade: number;
  /** Disputes that still came on payments we refunded on an alert (their ids). */
  chargebacksAfterRefund: string[];
  /** Refunded alerts whose payment has no dispute: the chargebacks the refunds headed off. */
  disputesPrevented: number;
  /** `disputesPrevented` × DISPUTE_FEE. */
  feesAvoided: { minor: number; currency: string; source: string };
}

const add = (map: Record<string, number>, key: string, n: number) => {
  map[key] = (map[key] ?? 0) + n;
};

/**
 * Sums a company's dispute-alert decisions (manual refunds are people's choices, not auto-refund's) and
 * matches the refunded payments against the company's disputes. Pure.
 */
export function refundInsights(input: {
  companyId: string;
  since?: string | null;
  decisions: readonly RefundDecisionRecord[];
  /** The company's disputes (their payment ids), e.g. case records of kind `dispute`. */
  disputes: readonly Pick<CaseRecord, 'id' | 'paymentId'>[];
}): RefundInsights {
  const out: RefundInsights = {
    companyId: input.companyId,
    since: input.since ?? null,
    alertsDecided: 0,
    alertsRefunded: 0,
    refundedMinor: {},
    wouldRefundMinor: {},
    refundedByWhop: 0,
    skipped: {},
    refundsNotMade: 0,
    chargebacksAfterRefund: [],
    disputesPrevented: 0,
    feesAvoided: { minor: 0, currency: DISPUTE_FEE.currency, source: DISPUTE_FEE.source },
  };
  const refundedPayments = new Set<string>();
  for (const d of input.decisions) {
    if (d.trigger !== 'alert') continue;
    out.alertsDecided++;
    const { decision, outcome, amount } = d;
    if (decision.action === 'refund') {
      if (outcome && MONEY_MOVED.has(outcome.code)) {
        out.alertsRefunded++;
        if (amount) add(out.refundedMinor, amount.currency, amount.minor);
        if (d.paymentId) refundedPayments.add(d.paymentId);
      } else if (outcome && outcome.code !== 'not_refunded') {
        out.refundsNotMade++;
      }
    } else if (decision.code === 'dry_run') {
      if (amount) add(out.wouldRefundMinor, amount.currency, amount.minor);
    } else if (decision.code === 'auto_refunded' || decision.code === 'rdr_resolved') {
      out.refundedByWhop++;
    } else {
      add(out.skipped, decision.code, 1);
    }
  }
  const disputed = new Set<string>();
  for (const dispute of input.disputes) {
    if (dispute.paymentId && refundedPayments.has(dispute.paymentId)) {
      out.chargebacksAfterRefund.push(dispute.id);
      disputed.add(dispute.paymentId);
    }
  }
  out.disputesPrevented = refundedPayments.size - disputed.size;
  out.feesAvoided.minor = out.disputesPrevented * DISPUTE_FEE.minor;
  return out;
}

/** A company's refund insights from what Redis holds: its decisions since `sinceMs` and its disputes. */
export async function readRefundInsights(
  stores: { refunds: RefundStore; cases: CaseStore },
  companyId: string,
  sinceMs = 0,
): Promise<RefundInsights> {
  const decisions = await stores.refunds.forCompany(companyId, sinceMs);
  const disputes: CaseRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await stores.cases.list({
      kind: 'dispute',
      companyId,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    disputes.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return refundInsights({
    companyId,
    since: sinceMs > 0 ? new Date(sinceMs).toISOString() : null,
    decisions,
    disputes,
  });
}
