import type { PaymentProvider, RefundStatus } from '@whop/sdk/resources';
import { baseRecord, type EmitOptions, emit, type SimContext, touch } from '../context.js';
import { invalidParam, unprocessable } from '../errors.js';
import { newId } from '../ids.js';
import { fromCents, toCents } from '../money.js';
import { serializeRefund } from '../serializers.js';
import type { RefundRecord } from '../state.js';
import { requireRecord } from './catalog.js';
import { processorAllowsRefunds } from './payment-methods.js';
import { derivePayment } from './payment-status.js';

export const DISPUTED_REFUND_MESSAGE = 'This payment has been disputed. Therefore, it cannot be refunded.';

export interface CreateRefundInput {
  paymentId: string;
  /** Decimal; default: everything not yet refunded. */
  amount?: number | null;
  status?: RefundStatus;
  provider?: PaymentProvider;
  /** Refunded by Whop itself (RDR alert, financed payment): the payment shows `auto_refunded`. */
  auto?: boolean;
  /** Scripting only: skip Whop's rules to build odd states on purpose. Default true. */
  enforceRules?: boolean;
}

function referenceFields(status: RefundStatus, rec?: RefundRecord) {
  if (status === 'succeeded') {
    return {
      reference_status: 'available' as const,
      reference_type: 'acquirer_reference_number' as const,
      reference_value:
        rec?.reference_value ?? String(Math.floor(10_000_000_000 + Math.random() * 89_999_999_999)),
    };
  }
  if (status === 'failed' || status === 'canceled') {
    return { reference_status: 'unavailable' as const, reference_type: null, reference_value: null };
  }
  return { reference_status: 'pending' as const, reference_type: null, reference_value: null };
}

/**
 * Whop's refund rules: only paid payments; never a disputed one (any dispute, open or closed: "This
 * payment has been disputed. Therefore, it cannot be refunded."); not where the processor allows no
 * refunds (crypto, inferred); refunds add up to at most the payment total (failed/canceled refunds
 * free their amount again).
 */
export function createRefund(ctx: SimContext, input: CreateRefundInput, opts?: EmitOptions): RefundRecord {
  const payment = requireRecord(ctx.state.payments, input.paymentId, 'Payment');
  const derived = derivePayment(ctx.state, payment);
  const enforce = input.enforceRules !== false;

  if (input.amount !== undefined && input.amount !== null) {
    if (typeof input.amount !== 'number' || !Number.isFinite(input.amount) || toCents(input.amount) <= 0) {
      throw invalidParam('partial_amount', 'partial_amount must be a positive amount.');
    }
  }
  if (enforce) {
    if (payment.status !== 'paid') {
      throw unprocessable(
        'This payment cannot be refunded because it has not been paid.',
        'payment_not_refundable',
      );
    }
    if (derived.disputes.length > 0) throw unprocessable(DISPUTED_REFUND_MESSAGE, 'payment_disputed');
    if (!processorAllowsRefunds(payment)) {
      throw unprocessable(
        "This payment cannot be refunded: its payment processor doesn't support refunds.",
        'payment_not_refundable',
      );
    }
    if (derived.remainingCents === 0) {
      throw unprocessable('This payment has already been fully refunded.', 'payment_already_refunded');
    }
  }
  const cents = input.amount != null ? toCents(input.amount) : derived.remainingCents;
  if (enforce && cents > derived.remainingCents) {
    throw unprocessable(
      `The refund amount (${fromCents(cents).toFixed(2)}) exceeds the amount left to refund on this payment (${fromCents(derived.remainingCents).toFixed(2)} ${payment.currency}).`,
      'refund_amount_too_large',
      'partial_amount',
    );
  }

  const status = input.status ?? ctx.config.refundInitialStatus;
  const base = baseRecord(ctx, newId('refund'));
  const rec: RefundRecord = {
    ...base,
    company_id: payment.company_id,
    payment_id: payment.id,
    amount: fromCents(cents),
    currency: payment.currency,
    status,
    provider: input.provider ?? payment.provider,
    provider_created_at: base.created_at,
    ...referenceFields(status),
    auto: input.auto ?? false,
  };
  ctx.state.addRefund(rec);
  touch(ctx, payment);
  emit(ctx, opts, 'refund.created', serializeRefund(ctx, rec), rec.company_id);

  const settleMs = ctx.config.refundSettleAfterMs;
  if (status === 'pending' && settleMs !== null) {
    ctx.schedule(settleMs, () => {
      if (ctx.state.refunds.get(rec.id)?.status === 'pending')
        setRefundStatus(ctx, rec.id, 'succeeded', opts);
    });
  }
  return rec;
}

export function setRefundStatus(
  ctx: SimContext,
  id: string,
  status: RefundStatus,
  opts?: EmitOptions,
): RefundRecord {
  const rec = requireRecord(ctx.state.refunds, id, 'Refund');
  rec.status = status;
  Object.assign(rec, referenceFields(status, rec));
  touch(ctx, rec, ctx.state.payments.get(rec.payment_id));
  emit(ctx, opts, 'refund.updated', serializeRefund(ctx, rec), rec.company_id);
  return rec;
}
