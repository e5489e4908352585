import type { FriendlyReceiptStatus } from '@whop/sdk/resources/shared';
import { fromCents, toCents } from '../money.js';
import type { DisputeRecord, PaymentRecord, RefundRecord, ResolutionCaseRecord, SimState } from '../state.js';
import { processorAllowsRefunds } from './payment-methods.js';

/**
 * Everything on a payment that follows from its refunds, disputes and cases is derived here
 * at read time, so `substatus`, `refunded_amount`, `refunds[]`, `disputes[]` and
 * `resolutions[]` can never drift apart.
 */

/** Refunds that hold money: a failed or canceled refund frees its amount again. */
export const COUNTED_REFUND_STATUSES = new Set(['pending', 'requires_action', 'succeeded']);

export const OPEN_DISPUTE_STATUSES = new Set([
  'needs_response',
  'warning_needs_response',
  'under_review',
  'warning_under_review',
]);

export const OPEN_CASE_STATUSES = new Set([
  'merchant_response_needed',
  'customer_response_needed',
  'merchant_info_needed',
  'customer_info_needed',
  'under_platform_review',
]);

export function refundedCents(refunds: RefundRecord[]): number {
  return refunds
    .filter((r) => COUNTED_REFUND_STATUSES.has(r.status))
    .reduce((s, r) => s + toCents(r.amount), 0);
}

export interface PaymentDerived {
  refunds: RefundRecord[];
  disputes: DisputeRecord[];
  cases: ResolutionCaseRecord[];
  refundedAmount: number;
  remainingCents: number;
  refundedAt: string | null;
  autoRefunded: boolean;
  substatus: FriendlyReceiptStatus;
  refundable: boolean;
}

export function derivePayment(state: SimState, p: PaymentRecord): PaymentDerived {
  const refunds = state.refundsOf(p.id);
  const disputes = state.disputesOf(p.id);
  const cases = state.casesOf(p.id);
  const refunded = refundedCents(refunds);
  const remainingCents = Math.max(0, toCents(p.total) - refunded);
  const counted = refunds.filter((r) => COUNTED_REFUND_STATUSES.has(r.status));
  const autoRefunded = counted.length > 0 && counted.every((r) => r.auto) && remainingCents === 0;
  return {
    refunds,
    disputes,
    cases,
    refundedAmount: fromCents(refunded),
    remainingCents,
    refundedAt: counted.length ? (counted[counted.length - 1]?.created_at ?? null) : null,
    autoRefunded,
    substatus: substatusOf(p, disputes, cases, refunded, autoRefunded),
    // The SDK (shared.ts `Payment.refundable`): "True only for payments that are `paid`, have not been
    // fully refunded, and were processed by a payment processor that allows refunds". It does not
    // name disputes: a disputed payment stays `refundable: true` here although `payments.refund`
    // refuses it (DISPUTED_REFUND_MESSAGE). Not settled by the SDK or Whop's docs; this is the side
    // that does not let a product trust `refundable` alone.
    refundable: p.status === 'paid' && remainingCents > 0 && processorAllowsRefunds(p),
  };
}

/**
 * Precedence (inferred; Whop shows one "friendly" status): an open dispute, then an open
 * case, then a closed dispute's outcome, then refunds, then a decided case, then succeeded.
 */
function substatusOf(
  p: PaymentRecord,
  disputes: DisputeRecord[],
  cases: ResolutionCaseRecord[],
  refunded: number,
  autoRefunded: boolean,
): FriendlyReceiptStatus {
  if (p.status !== 'paid') return p.status === 'pending' ? 'pending' : 'failed';
  const latestDispute = disputes[disputes.length - 1];
  if (latestDispute && OPEN_DISPUTE_STATUSES.has(latestDispute.status)) {
    return `dispute_${latestDispute.status}` as FriendlyReceiptStatus;
  }
  const latestCase = cases[cases.length - 1];
  if (latestCase && OPEN_CASE_STATUSES.has(latestCase.status)) {
    return latestCase.status === 'merchant_response_needed' || latestCase.status === 'merchant_info_needed'
      ? 'resolution_needs_response'
      : 'resolution_under_review';
  }
  if (latestDispute) {
    switch (latestDispute.status) {
      case 'won':
        return 'dispute_won';
      case 'lost':
        return 'dispute_lost';
      case 'warning_closed':
        return 'dispute_warning_closed';
      default:
        return 'dispute_closed';
    }
  }
  if (refunded > 0) {
    if (refunded >= toCents(p.total)) return autoRefunded ? 'auto_refunded' : 'refunded';
    return 'partially_refunded';
  }
  if (latestCase?.status === 'merchant_won') return 'resolution_won';
  if (latestCase?.status === 'customer_won') return 'resolution_lost';
  return 'succeeded';
}
