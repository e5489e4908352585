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

/**
 * Attachment content types. The SDK states them for `customer_communication_attachment` ("Must be a
 * JPEG, PNG, GIF, or PDF"); for the other three it states none, so the same list is required of them
 * too (the stricter side; Stripe, which Whop's dispute statuses mimic, takes only PDF/JPEG/PNG evidence).
 */
export const EVIDENCE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'application/pdf',
]);

/**
 * Text limits. Not documented by Whop; Stripe's (`DisputeUpdateParams.evidence`: "The combined character
 * count of all fields is limited to 150,000", and 20,000 per text field) bound what Whop can forward.
 */
export const EVIDENCE_FIELD_MAX_CHARS = 20_000;
export const EVIDENCE_TOTAL_MAX_CHARS = 150_000;

/** `service_date`: a calendar date, `YYYY-MM-DD` (WHOP-REFERENCE.md; Whop's guide: ISO 8601, e.g. "2026-01-15"). */
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(v: string): boolean {
  const m = DATE_ONLY.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A plain address check: one `@`, no spaces, a dot in the domain. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Per-field formats beyond "a string or null" (`DisputeUpdateEvidenceParams` in disputes.ts). */
function checkTextFormat(field: EvidenceTextField, v: string): void {
  if (v.length > EVIDENCE_FIELD_MAX_CHARS) {
    throw invalidParam(
      field,
      `${field} must be at most ${EVIDENCE_FIELD_MAX_CHARS} characters (got ${v.length}).`,
    );
  }
  if (field === 'service_date' && !isCalendarDate(v)) {
    throw invalidParam(
      field,
      `service_date must be a date in YYYY-MM-DD format (got ${JSON.stringify(v.slice(0, 80))}).`,
    );
  }
  if (field === 'customer_email_address' && !EMAIL.test(v)) {
    throw invalidParam(
      field,
      `customer_email_address must be a valid email address (got ${JSON.stringify(v.slice(0, 80))}).`,
    );
  }
}

const EVIDENCE_FIELDS: ReadonlySet<string> = new Set([
  ...EVIDENCE_TEXT_FIELDS,
  ...EVIDENCE_ATTACHMENT_FIELDS,
]);

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
  /**
   * What Whop itself put in `access_activity_log` ("A log of IP-based access activity for the customer
   * on Whop", disputes.ts) before the merchant stages anything. Default null (Whop does not say when it
   * fills it; pass a value to test a product that must keep Whop's log).
   */
  accessActivityLog?: string | null;
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
      access_activity_log: input.accessActivityLog ?? null,
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

/**
 * POST /disputes/{id}/update_evidence: only while `editable` (422 otherwise); `null` clears a field,
 * an omitted field stays. All or nothing: any invalid field answers 400 (`param` = the field) and
 * nothing is stored. Checked: every field is a string or null; `service_date` a `YYYY-MM-DD` date;
 * `customer_email_address` an email; text within `EVIDENCE_FIELD_MAX_CHARS`, all text together within
 * `EVIDENCE_TOTAL_MAX_CHARS`; attachments `{ id }` of an existing, uploaded file of a type in
 * `EVIDENCE_CONTENT_TYPES`; no parameter outside `DisputeUpdateEvidenceParams` (a misspelt field would
 * otherwise be dropped without a word: inferred strictness).
 */
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
  const unknown = Object.keys(input).find((k) => !EVIDENCE_FIELDS.has(k));
  if (unknown !== undefined) {
    throw badRequest(`Unknown parameter: ${unknown}`, unknown, 'parameter_unknown');
  }

  const text: Partial<Record<EvidenceTextField, string | null>> = {};
  for (const field of EVIDENCE_TEXT_FIELDS) {
    const v = input[field];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string') throw invalidParam(field, `${field} must be a string or null.`);
    if (v !== null) checkTextFormat(field, v);
    text[field] = v;
  }
  const merged = { ...d.evidence, ...text };
  const total = Object.values(merged).reduce((n, v) => n + (v?.length ?? 0), 0);
  if (total > EVIDENCE_TOTAL_MAX_CHARS) {
    throw badRequest(
      `The evidence text fields together must be at most ${EVIDENCE_TOTAL_MAX_CHARS} characters (got ${total}).`,
      null,
      'evidence_too_long',
    );
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
    if (!EVIDENCE_CONTENT_TYPES.has(file.content_type ?? '')) {
      throw invalidParam(
        field,
        `${field} must be a JPEG, PNG, GIF, or PDF (file ${fileId} is ${file.content_type ?? 'of unknown type'}).`,
      );
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
