/**
 * Refund decision records as the refund service stores them (src/refunds/refund-record.ts): by default
 * a $42.00 auto-refund on dispute alert `dpa_1` that Whop confirmed. Override what a test is about.
 */
import type { RefundDecisionRecord } from '../../../src/refunds/refund-record.js';

export function refundRecord(over: Partial<RefundDecisionRecord> = {}): RefundDecisionRecord {
  return {
    id: 'alert_dpa_1',
    trigger: 'alert',
    alertId: 'dpa_1',
    paymentId: 'pay_1',
    companyId: 'biz_1',
    decidedAt: '2025-03-20T12:00:00.000Z',
    round: 1,
    decision: {
      action: 'refund',
      code: 'refund',
      rule: 'max_amount',
      reason: 'Refunding $42.00 to head off a chargeback: rule max_amount $50.00.',
    },
    amount: { minor: 4200, currency: 'USD', decimal: '42.00' },
    requestReason: null,
    doneReason: 'Refunded $42.00 to head off a chargeback: rule max_amount $50.00.',
    dailyCap: null,
    reachesDailyCap: false,
    attempt: {
      at: '2025-03-20T12:00:00.000Z',
      day: '2025-03-20',
      before: { refundIds: [], refundedMinor: 0 },
    },
    outcome: {
      code: 'refunded',
      at: '2025-03-20T12:00:01.000Z',
      refundId: 'ref_1',
      reason: 'Refunded $42.00 to head off a chargeback: rule max_amount $50.00.',
    },
    membership: null,
    ...over,
  };
}

/** A decision that sent nothing: `code` and `reason` as decide-refund.ts words them. */
export function skippedRecord(code: string, reason: string, over: Partial<RefundDecisionRecord> = {}) {
  return refundRecord({
    decision: { action: code === 'dry_run' ? 'record' : 'skip', code, rule: 'max_amount', reason },
    amount: null,
    doneReason: null,
    attempt: null,
    outcome: null,
    ...over,
  });
}
