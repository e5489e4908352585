import type { DisputeStatuses } from '@whop/sdk/resources';
import { DAY_MS, toIso, toMs } from '../clock.js';
import { baseRecord, type EmitOptions, emit, type SimContext, touch } from '../context.js';
import { badRequest, invalidParam, unprocessable } from '../errors.js';
import { newId } from '../ids.js';
import { round2 } from '../money.js';
import { editable, serializeDispute } from '../serializers.js';
import {
  type DisputeRecord,
  EVIDENCE_ATTACHMENT_FIELDS,
  EVIDENCE_TEXT_FIELDS,
  type EvidenceAttachmentField,
  type EvidenceTextField,
} from '../state.js';
import { requireRecord } from './catalog.js';

export const DISPUTE_STATUSES: readonly DisputeStatuses[] = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'closed',
  'other',
];

/** Customer-communication evidence must be one of these (Whop's doc for update_evidence). */
const COMMUNICATION_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'application/pdf']);

export interface OpenDisputeInput {
  paymentId: string;
  /** Default: the payment total. */
  amount?: number;
  reason?: string | null;
  /** Default `needs_response`. Use `warning_needs_response` for an inquiry. */
  status?: DisputeStatuses;
  /** Default: 7 days from now for statuses that need a response, else null. */
  needsResponseBy?: Date | string | number | null;
  visaRdr?: boolean;
  createdAt?: Date | string | number;
}

export function openDispute(ctx: SimContext, input: OpenDisputeInput, opts?: EmitOptions): DisputeRecord {
  const payment = requireRecord(ctx.state.payments, input.paymentId, 'Payment', 'payment_id');
  const status = input.status ?? 'needs_response';
  const base = baseRecord(ctx, newId('dispute'), input.createdAt);
  const needsResponse = status === 'needs_response' || status === 'warning_needs_response';
  const user = payment.user_id ? ctx.state.users.get(payment.user_id) : undefined;
  const rec: DisputeRecord = {
    ...base,
    company_id: payment.company_id,
    payment_id: payment.id,
    amount: round2(input.amount ?? payment.total),
    currency: payment.currency,
    status,
    reason: input.reason === undefined ? 'Product Not Received' : input.reason,
    needs_response_by:
      input.needsResponseBy !== undefined
        ? input.needsResponseBy === null
          ? null
          : toIso(input.needsResponseBy)
        : needsResponse
          ? new Date(toMs(base.created_at) + ctx.config.disputeResponseDays * DAY_MS).toISOString()
          : null,
    visa_rdr: input.visaRdr ?? false,
    // Whop pre-fills what it knows from the payment; the merchant can change it before submitting.
    evidence: {
      access_activity_log: null,
      billing_address: payment.billing_address
        ? [payment.billing_address.line1, payment.billing_address.city, payment.billing_address.country]
            .filter(Boolean)
            .join(', ')
        : null,
      cancellation_policy_disclosure: null,
      customer_email_address: user?.email ?? null,
      customer_name: user?.name ?? null,
      notes: null,
      product_description: null,
      refund_policy_disclosure: null,
      refund_refusal_explanation: null,
      service_date: null,
    },
    attachments: {
      cancellation_policy_attachment: null,
      customer_communication_attachment: null,
      refund_policy_attachment: null,
      uncategorized_attachment: null,
    },
    submitted_at: null,
  };
  ctx.state.addDispute(rec);
  touch(ctx, payment);
  emit(ctx, opts, 'dispute.created', serializeDispute(ctx, rec), rec.company_id);
  return rec;
}

export function moveDispute(
  ctx: SimContext,
  id: string,
  status: DisputeStatuses,
  opts?: EmitOptions & { needsResponseBy?: Date | string | number | null },
): DisputeRecord {
  const d = requireRecord(ctx.state.disputes, id, 'Dispute');
  if (!DISPUTE_STATUSES.includes(status)) throw invalidParam('status', `Unknown dispute status: ${status}`);
  // An inquiry (warning_*) that escalates into a chargeback asks for a response again: the inquiry's
  // submission does not answer the chargeback (inferred from card-network practice; Whop does not say).
  if (status === 'needs_response' && d.status.startsWith('warning_')) d.submitted_at = null;
  d.status = status;
  if (opts?.needsResponseBy !== undefined) {
    d.needs_response_by = opts.needsResponseBy === null ? null : toIso(opts.needsResponseBy);
  }
  touch(ctx, d, ctx.state.payments.get(d.payment_id));
  emit(ctx, opts, 'dispute.updated', serializeDispute(ctx, d), d.company_id);
  return d;
}

function notEditableMessage(d: DisputeRecord): string {
  return d.submitted_at
    ? 'This dispute has already been submitted and can no longer be edited.'
    : `This dispute can no longer be edited (status: ${d.status}).`;
}

/** POST /disputes/{id}/update_evidence: only while `editable`; `null` clears a field. */
export function updateEvidence(
  ctx: SimContext,
  id: string,
  body: unknown,
  opts?: EmitOptions,
): DisputeRecord {
  const d = requireRecord(ctx.state.disputes, id, 'Dispute');
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw badRequest('Request body must be a JSON object.');
  }
  const input = (body ?? {}) as Record<string, unknown>;
  if (!editable(d)) throw unprocessable(notEditableMessage(d), 'dispute_not_editable');

  const text: Partial<Record<EvidenceTextField, string | null>> = {};
  for (const field of EVIDENCE_TEXT_FIELDS) {
    const v = input[field];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string') throw invalidParam(field, `${field} must be a string or null.`);
    text[field] = v;
  }
  const files: Partial<Record<EvidenceAttachmentField, string | null>> = {};
  for (const field of EVIDENCE_ATTACHMENT_FIELDS) {
    const v = input[field];
    if (v === undefined) continue;
    if (v === null) {
      files[field] = null;
      continue;
    }
    const fileId = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
    if (typeof fileId !== 'string') throw invalidParam(field, `${field} must be { id: <file id> } or null.`);
    const file = ctx.state.files.get(fileId);
    if (!file) throw invalidParam(field, `File not found: ${fileId}`);
    if (file.upload_status !== 'ready')
      throw invalidParam(field, `File ${fileId} has not finished uploading.`);
    if (field === 'customer_communication_attachment' && !COMMUNICATION_TYPES.has(file.content_type ?? '')) {
      throw invalidParam(field, 'customer_communication_attachment must be a JPEG, PNG, GIF, or PDF.');
    }
    files[field] = fileId;
  }
  Object.assign(d.evidence, text);
  Object.assign(d.attachments, files);
  touch(ctx, d, ctx.state.payments.get(d.payment_id));
  emit(ctx, opts, 'dispute.updated', serializeDispute(ctx, d), d.company_id);
  return d;
}

/** POST /disputes/{id}/submit_evidence: once; afterwards the dispute is under review and read-only. */
export function submitEvidence(ctx: SimContext, id: string, opts?: EmitOptions): DisputeRecord {
  const d = requireRecord(ctx.state.disputes, id, 'Dispute');
  if (d.submitted_at)
    throw unprocessable('This dispute has already been submitted.', 'dispute_already_submitted');
  if (!editable(d)) {
    throw unprocessable(`This dispute cannot be submitted (status: ${d.status}).`, 'dispute_not_editable');
  }
  d.submitted_at = ctx.clock.nowIso();
  d.status = d.status === 'warning_needs_response' ? 'warning_under_review' : 'under_review';
  touch(ctx, d, ctx.state.payments.get(d.payment_id));
  emit(ctx, opts, 'dispute.updated', serializeDispute(ctx, d), d.company_id);
  return d;
}
