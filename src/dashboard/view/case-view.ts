import type { DeliveryRecord } from '../../alerts/alert-store.js';
import { formatDateTime, humanize } from '../../alerts/wording.js';
import { AWAITING_MERCHANT, type CaseRecord, type TimelineEntry } from '../../cases/case-record.js';
import type { EvidenceState } from '../../evidence/evidence-store.js';
import { EVIDENCE_TEXT_FIELDS } from '../../evidence/plan-evidence-update.js';

/** One evidence field: our latest draft, what Whop holds as staged, and what was submitted. */
export interface EvidenceFieldRow {
  field: string;
  label: string;
  draft: string | null;
  /**
   * What Whop holds for the field: the value we staged, or for a field the merchant wrote in Whop
   * (`merchantEdited`), Whop's value as last read.
   */
  staged: string | null;
  /** After a submission: what went to the bank (Whop's evidence is frozen then). Null before. */
  submitted: string | null;
  /** The draft differs from what is staged: the next run stages it (unless submitted already). */
  draftChanged: boolean;
  /** The merchant wrote this field in Whop; the autopilot leaves it alone. */
  merchantEdited: boolean;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * The evidence draft beside what was staged and what was submitted, field by field, with what changed.
 * Staging right before submitting is part of the submission step, so after a submission the staged
 * values (and the merchant's own fields in Whop) are what was submitted. Fields empty everywhere are
 * left out.
 */
export function evidenceRows(
  state: EvidenceState | undefined,
  whop: Record<string, unknown>,
): EvidenceFieldRow[] {
  const owned = new Set(state?.merchantOwned ?? []);
  const submitted = Boolean(state?.submission.submittedAt);
  const rows: EvidenceFieldRow[] = [];
  for (const field of EVIDENCE_TEXT_FIELDS) {
    const merchantEdited = owned.has(field);
    const draft = text(state?.draft?.fields[field]);
    const staged = merchantEdited ? text(whop[field]) : text(state?.staged?.fields[field]);
    if (draft === null && staged === null) continue;
    rows.push({
      field,
      label: humanize(field),
      draft,
      staged,
      submitted: submitted ? staged : null,
      draftChanged: !merchantEdited && draft !== null && draft !== staged,
      merchantEdited,
    });
  }
  return rows;
}

/** A timeline entry in words. */
export interface TimelineRow {
  at: string;
  source: string;
  changes: string[];
}

const show = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return /^\d{4}-\d\d-\d\dT/.test(v) ? formatDateTime(v) : v;
  return JSON.stringify(v);
};

/** "status: needs_response → under_review" lines; `details` changes name the inner fields. */
export function timelineRows(entries: readonly TimelineEntry[]): TimelineRow[] {
  return entries.map((e) => ({
    at: formatDateTime(e.at),
    source:
      e.source === 'webhook'
        ? 'Webhook'
        : e.source === 'sweep'
          ? 'Sweep (missed webhook recovered)'
          : 'Backfill',
    changes:
      e.change === 'created'
        ? ['First seen']
        : Object.entries(e.change).flatMap(([field, [before, after]]) => {
            if (
              field === 'details' &&
              before &&
              after &&
              typeof before === 'object' &&
              typeof after === 'object'
            ) {
              const b = before as Record<string, unknown>;
              const a = after as Record<string, unknown>;
              return [...new Set([...Object.keys(b), ...Object.keys(a)])]
                .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
                .map((k) => `${k}: ${show(b[k])} → ${show(a[k])}`);
            }
            return [`${field}: ${show(before)} → ${show(after)}`];
          }),
  }));
}

/**
 * The deliveries about one case. Alert ids carry the case id (`<caseId>.<event>`, `reminder.<caseId>.…`,
 * with `:` written as `.`), so a delivery is about a case when its id contains the id as a whole part.
 */
export function alertsForCase(rows: readonly DeliveryRecord[], caseId: string): DeliveryRecord[] {
  const id = caseId.replace(/:/g, '.');
  return rows.filter((r) => r.id.split('.').includes(id));
}

/** Why "Submit evidence now" is not offered for a record, or null when it is. */
export function submitBlocker(
  record: CaseRecord,
  state: EvidenceState | undefined,
  now: Date,
): string | null {
  if (record.kind !== 'dispute') return 'Only disputes take evidence.';
  if (state?.submission.submittedAt) return 'Evidence was already submitted.';
  if (!AWAITING_MERCHANT.dispute.has(record.status))
    return `Whop takes no evidence in status ${record.status}.`;
  if (record.details.editable === false) return 'Whop says this dispute is no longer editable.';
  if (record.dueAt && Date.parse(record.dueAt) <= now.getTime()) return 'The response deadline has passed.';
  return null;
}

/** Why "Refund" is not offered, or null: a payment is needed, and a disputed payment cannot be refunded. */
export function refundBlocker(record: CaseRecord): string | null {
  if (!record.paymentId) return 'No payment is linked to this record.';
  if (record.kind === 'dispute') return 'Whop refuses refunds on a disputed payment.';
  if (record.kind === 'refund') return 'This is a refund already.';
  return null;
}
