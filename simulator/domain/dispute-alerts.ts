import type { DisputeAlertType } from '@whop/sdk/resources';
import { toIso } from '../clock.js';
import { baseRecord, type EmitOptions, emit, type SimContext, touch } from '../context.js';
import { newId } from '../ids.js';
import { round2 } from '../money.js';
import { serializeDisputeAlert } from '../serializers.js';
import type { DisputeAlertRecord } from '../state.js';
import { requireRecord } from './catalog.js';
import { derivePayment } from './payment-status.js';
import { createRefund } from './refunds.js';

export interface CreateDisputeAlertInput {
  paymentId: string;
  /** Default `dispute`. */
  alertType?: DisputeAlertType;
  /** Default: the payment total. */
  amount?: number;
  disputeId?: string | null;
  chargeForAlert?: boolean;
  transactionDate?: Date | string | number | null;
  /**
   * Whop refunds the rest of the payment itself, at once (its early-alert auto-refund): the refund is
   * `succeeded`, the payment shows `substatus: 'auto_refunded'`, `auto_refunded: true`,
   * `refundable: false`, and refund.created is sent after dispute_alert.created. Default: true for
   * `dispute_rdr` (Visa Rapid Dispute Resolution settles by refunding, so a merchant's own refund comes
   * too late; not stated by Whop: the less kind default for a refund feature), false otherwise.
   */
  autoRefund?: boolean;
  createdAt?: Date | string | number;
}

export function createDisputeAlert(
  ctx: SimContext,
  input: CreateDisputeAlertInput,
  opts?: EmitOptions,
): DisputeAlertRecord {
  const payment = requireRecord(ctx.state.payments, input.paymentId, 'Payment', 'payment_id');
  if (input.disputeId) requireRecord(ctx.state.disputes, input.disputeId, 'Dispute', 'dispute_id');
  const rec: DisputeAlertRecord = {
    ...baseRecord(ctx, newId('disputeAlert'), input.createdAt),
    company_id: payment.company_id,
    payment_id: payment.id,
    dispute_id: input.disputeId ?? null,
    alert_type: input.alertType ?? 'dispute',
    amount: round2(input.amount ?? payment.total),
    currency: payment.currency,
    charge_for_alert: input.chargeForAlert ?? true,
    transaction_date:
      input.transactionDate === null
        ? null
        : input.transactionDate !== undefined
          ? toIso(input.transactionDate)
          : (payment.paid_at ?? payment.created_at),
  };
  ctx.state.disputeAlerts.set(rec.id, rec);
  payment.dispute_alerted_at ??= rec.created_at;
  touch(ctx, payment);
  emit(ctx, opts, 'dispute_alert.created', serializeDisputeAlert(ctx, rec), rec.company_id);
  const autoRefund = input.autoRefund ?? rec.alert_type === 'dispute_rdr';
  if (autoRefund && derivePayment(ctx.state, payment).remainingCents > 0) {
    // Whop's own refund: not bound by the merchant-side rules (an open dispute on the payment).
    createRefund(ctx, { paymentId: payment.id, auto: true, status: 'succeeded', enforceRules: false }, opts);
  }
  return rec;
}
