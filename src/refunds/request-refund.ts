import { APIError, NotFoundError, WhopError } from '@whop/sdk';
import { HttpError, type HttpErrorCode } from '../errors/http-error.js';
import type { Logger } from '../logger/logger.js';
import { RetryableWhopError, whopMessage } from '../whop/whop-errors.js';
import type { RefundDecisionRecord } from './refund-record.js';
import { RefundInDoubt, RefundNotRecorded, type RefundService } from './refund-service.js';
import { RefundBusy, RefundStoreUnavailable } from './refund-store.js';

/** The guard codes a refusal answers with (each is an HTTP code of its own, 422). */
const GUARD_CODES = new Set<HttpErrorCode>([
  'payment_disputed',
  'disputes_unknown',
  'invalid_amount',
  'already_refunded',
  'not_refundable',
  'amount_exceeds_remaining',
]);

/** What was done, as the answer and the dashboard show it. Amounts: decimal strings in `currency`. */
export function refundView(record: RefundDecisionRecord) {
  return {
    id: record.id,
    payment_id: record.paymentId,
    status: record.outcome?.code ?? null,
    amount: record.amount?.decimal ?? null,
    currency: record.amount?.currency ?? null,
    refund_id: record.outcome?.refundId ?? null,
    reason: record.outcome?.reason ?? record.decision.reason,
    requested_reason: record.requestReason,
    decided_at: record.decidedAt,
  };
}

/** A failure of the refund path as the answer's error (nothing was sent unless the code says so). */
function refundError(err: unknown, paymentId: string): HttpError {
  if (err instanceof RefundBusy) {
    return new HttpError(
      'refund_in_flight',
      `a refund of payment ${paymentId} is in progress: nothing was sent`,
    );
  }
  if (err instanceof RefundInDoubt) {
    return err.sentNow
      ? new HttpError(
          'refund_unconfirmed',
          `the refund was sent but Whop did not confirm it and the payment does not show it yet (decision ${err.decisionId}); it is checked again before any new refund of this payment: look at the payment in Whop before retrying`,
          { decision_id: err.decisionId },
        )
      : new HttpError(
          'refund_in_flight',
          `an earlier refund of payment ${paymentId} (decision ${err.decisionId}) is not confirmed by Whop yet: nothing was sent; try again in a minute`,
          { decision_id: err.decisionId },
        );
  }
  if (err instanceof RefundStoreUnavailable) {
    return new HttpError(
      'store_unavailable',
      'the refund store (Redis) is unavailable: nothing was sent; retry later',
    );
  }
  if (err instanceof NotFoundError) return new HttpError('not_found', `Whop has no payment ${paymentId}`);
  if (err instanceof RetryableWhopError || err instanceof WhopError) {
    const said = err instanceof APIError ? ` (${err.status ?? 'no answer'}: ${whopMessage(err)})` : '';
    return new HttpError(
      'whop_unavailable',
      `Whop could not be reached or read${said}: nothing was sent; retry later`,
    );
  }
  throw err;
}

/**
 * A refund a person asks for (`POST /api/payments/:id/refund`, the dashboard's "Refund" button), through
 * the one exactly-once path auto-refunds take. `input.amount` is a decimal string in the payment's
 * currency (null/absent: all that is left). Returns the decision record of a refund made (or found made).
 * Throws HttpError: 409 `refund_in_flight`; 422 with the guard's code (`payment_disputed`,
 * `already_refunded`, `not_refundable`, `amount_exceeds_remaining`, `invalid_amount`, `disputes_unknown`)
 * or `whop_refused`; 503 `store_unavailable` / `whop_unavailable` (nothing sent); 502 `refund_unconfirmed`.
 */
export async function requestRefund(
  refunds: RefundService,
  paymentId: string,
  input: { amount?: string | null; reason?: string | null },
  log: Pick<Logger, 'info' | 'error'>,
): Promise<RefundDecisionRecord> {
  let record: RefundDecisionRecord;
  try {
    record = await refunds.refundOnRequest(paymentId, input);
  } catch (err) {
    if (err instanceof RefundNotRecorded) {
      // Whop refunded; Redis could not record it (the attempt marker makes the next run find it).
      log.error({ paymentId, err: err.message }, 'refund made but not recorded');
      return err.record;
    }
    throw refundError(err, paymentId);
  }
  const { decision, outcome } = record;
  if (decision.action === 'refuse') {
    const code = decision.code as HttpErrorCode;
    if (!GUARD_CODES.has(code)) throw new Error(`unexpected refusal ${decision.code}`);
    throw new HttpError(code, decision.reason, { decision_id: record.id });
  }
  if (outcome?.code === 'refused' || outcome?.code === 'failed') {
    throw new HttpError('whop_refused', outcome.reason, { refund: refundView(record) });
  }
  log.info({ paymentId, decisionId: record.id, outcome: outcome?.code }, 'refund made on request');
  return record;
}
