import { AWAITING_MERCHANT } from '../cases/case-record.js';
import type { AutoSubmitMode } from '../config/auto-submit.js';

/** The text evidence fields of a Whop dispute (`DisputeUpdateEvidenceParams`). */
export const EVIDENCE_TEXT_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy_disclosure',
  'customer_email_address',
  'customer_name',
  'notes',
  'product_description',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
] as const;

export type EvidenceTextField = (typeof EVIDENCE_TEXT_FIELDS)[number];
export type EvidenceFields = Partial<Record<EvidenceTextField, string>>;

export interface EvidenceUpdatePlan {
  /** What to send with `update_evidence`, or null when Whop already shows exactly what we would stage. */
  update: (EvidenceFields & { uncategorized_attachment?: { id: string } }) | null;
  /** Fields the merchant filled in Whop themselves: never touched. */
  merchantOwned: string[];
  /** What we will have staged once the update is sent (the record of our own values). */
  staged: EvidenceFields;
  attachmentId: string | null;
}

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * Decides which evidence fields to send. A field whose Whop value is non-empty and is not what we staged
 * last time was written by the merchant, and stays theirs. Everything else gets the new draft value, but
 * only if it differs from what Whop shows, so running again with the same facts sends nothing.
 * The access-log PDF goes to `uncategorized_attachment` on the same rule. `sending` is what an earlier
 * run was sending when it stopped (a crash between Whop's answer and our record of it): a Whop value
 * equal to it is ours too, not the merchant's.
 */
export function planEvidenceUpdate(input: {
  /** The dispute as Whop returns it now (evidence fields and attachments). */
  whop: Record<string, unknown>;
  /** What we staged last time, if anything. */
  lastStaged: EvidenceFields | null;
  lastAttachmentId: string | null;
  draft: EvidenceFields;
  /** The PDF to attach, if a new one was uploaded or the last one still applies. */
  attachmentId: string | null;
  /** What a run that stopped mid-update was sending, if any (its fields and attachment). */
  sending?: { fields: EvidenceFields; attachmentId: string | null } | null;
}): EvidenceUpdatePlan {
  const update: EvidenceFields & { uncategorized_attachment?: { id: string } } = {};
  const staged: EvidenceFields = {};
  const merchantOwned: string[] = [];
  for (const field of EVIDENCE_TEXT_FIELDS) {
    const current = input.whop[field];
    const ours = input.lastStaged?.[field];
    const ourUnrecorded = input.sending?.fields[field];
    if (!blank(current) && current !== ours && current !== ourUnrecorded) {
      merchantOwned.push(field);
      continue;
    }
    const next = input.draft[field];
    if (next === undefined || blank(next)) {
      // Nothing to say for this field now; what we staged before stays (Whop has no "clear" semantics).
      if (ours !== undefined && current === ours) staged[field] = ours;
      else if (ourUnrecorded !== undefined && current === ourUnrecorded) staged[field] = ourUnrecorded;
      continue;
    }
    staged[field] = next;
    if (current !== next) update[field] = next;
  }

  const whopAttachment =
    (input.whop.uncategorized_attachment as { id?: string } | null | undefined)?.id ?? null;
  let attachmentId: string | null = null;
  if (
    whopAttachment &&
    whopAttachment !== input.lastAttachmentId &&
    whopAttachment !== (input.sending?.attachmentId ?? null)
  ) {
    merchantOwned.push('uncategorized_attachment');
  } else if (input.attachmentId) {
    attachmentId = input.attachmentId;
    if (whopAttachment !== input.attachmentId) update.uncategorized_attachment = { id: input.attachmentId };
  } else {
    attachmentId = whopAttachment;
  }

  return { update: Object.keys(update).length ? update : null, merchantOwned, staged, attachmentId };
}

/** The configured submission mode (`AUTO_SUBMIT`, or the policy file's `auto_submit`). */
export type AutoSubmit = AutoSubmitMode;

/**
 * When to submit a dispute's evidence. `before_deadline`: `leadMs` before Whop's `needs_response_by`,
 * at once if that moment has passed (but never after the deadline: then it is too late and the merchant
 * is told instead). Null: do not submit automatically.
 */
export function submissionTime(input: {
  mode: AutoSubmit;
  leadMs: number;
  dueAt: string | null;
  now: Date;
}): Date | null {
  if (input.mode === 'never') return null;
  if (input.mode === 'immediately') return input.now;
  if (!input.dueAt) return null;
  const due = Date.parse(input.dueAt);
  if (due <= input.now.getTime()) return null;
  return new Date(Math.max(input.now.getTime(), due - input.leadMs));
}

/** Statuses in which Whop still takes evidence and a submission. */
export const NEEDS_RESPONSE = AWAITING_MERCHANT.dispute;
