import type { InsightDispute } from './insight-dispute.js';
import { monthOf } from './outcomes.js';

export interface EscalationMonth {
  /** `YYYY-MM`, UTC, of the inquiry's creation. */
  month: string;
  inquiries: number;
  escalated: number;
}

export interface EscalationSummary {
  /** Disputes that were inquiries when we saw them. */
  inquiries: number;
  /** Of those, how many became chargebacks. */
  escalated: number;
  /** Closed as inquiries (`warning_closed`). */
  closed: number;
  /** Still inquiries awaiting the merchant or the bank. */
  open: number;
  /** escalated ÷ inquiries; null without inquiries. */
  rate: number | null;
  byMonth: EscalationMonth[];
}

/**
 * Inquiries that became chargebacks: a dispute seen as an inquiry (`warning_*`) whose status is now a
 * chargeback's. An inquiry Whop first showed us as a chargeback cannot be told from one and is not
 * counted. Months in time order.
 */
export function inquiryEscalations(disputes: readonly InsightDispute[]): EscalationSummary {
  let inquiries = 0;
  let escalated = 0;
  let closed = 0;
  const months = new Map<string, EscalationMonth>();
  for (const d of disputes) {
    if (!d.wasInquiry) continue;
    inquiries++;
    const up = !d.status.startsWith('warning_');
    if (up) escalated++;
    else if (d.status === 'warning_closed') closed++;
    const month = monthOf(d.createdAt) ?? 'Unknown month';
    const m = months.get(month) ?? { month, inquiries: 0, escalated: 0 };
    m.inquiries++;
    if (up) m.escalated++;
    months.set(month, m);
  }
  return {
    inquiries,
    escalated,
    closed,
    open: inquiries - escalated - closed,
    rate: inquiries > 0 ? escalated / inquiries : null,
    byMonth: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
  };
}
