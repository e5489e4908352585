import { AWAITING_MERCHANT } from '../cases/case-record.js';
import type { AutoSubmitMode } from '../config/auto-submit.js';
import { fitText } from './format.js';

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

/**
 * Fields Whop itself may fill before the merchant or we write anything, and what we do with its value.
 * Decided per field from the `Dispute` doc comments in @whop/sdk 0.0.42 (src/resources/disputes.ts):
 * - `access_activity_log`: "A log of IP-based access activity for the customer on Whop" — Whop's own
 *   log. `append`: Whop's text is kept whole and ours (the merchant's own access records) follows it.
 * - `customer_email_address`, `customer_name` ("from their payment details … Editable before
 *   submission"), `billing_address` ("from their payment details"): one value each, which ours can only
 *   repeat or contradict. `keep`: Whop's value stays and ours is not sent.
 * Every other text field is described as the company's own ("submitted by the company", "the company's
 * refund policy", "an explanation from the company"); `product_description` and `service_date` name no
 * author, so the safe side is taken: a value we did not write there is the merchant's, never overwritten.
 */
export const WHOP_FILLED_FIELDS: Partial<Record<EvidenceTextField, 'append' | 'keep'>> = {
  access_activity_log: 'append',
  customer_email_address: 'keep',
  customer_name: 'keep',
  billing_address: 'keep',
};

/**
 * The line between Whop's text and ours in an `append` field: it tells the reader whose records follow,
 * and tells a later run where Whop's part ends.
 */
export const APPENDED_HEADING: Partial<Record<EvidenceTextField, string>> = {
  access_activity_log: "=== The merchant's own access records ===",
};
const DEFAULT_HEADING = '=== Added by the merchant ===';

/**
 * Characters Whop takes in one evidence text field. Whop documents no limit; Stripe's (which Whop's
 * evidence is forwarded to: `DisputeUpdateParams.evidence`, 20,000 per text field) is taken as the bound.
 * Our own text stays far shorter (FIELD_LIMIT in paragraph.ts); this bounds Whop's text plus ours.
 */
export const WHOP_TEXT_FIELD_MAX = 20_000;

/** Said where ours was cut so Whop's text and ours fit one field together. */
export const CUT_NOTE =
  "[The merchant's records were cut here to fit the field's limit after Whop's own log.]";

export interface EvidenceUpdatePlan {
  /** What to send with `update_evidence`, or null when Whop already shows exactly what we would stage. */
  update: (EvidenceFields & { uncategorized_attachment?: { id: string } }) | null;
  /** Fields the merchant filled or edited in Whop themselves: never touched. */
  merchantOwned: string[];
  /** Fields where Whop's own value is kept: whole (`keep`), or with ours after it (`append`). */
  whopFilled: string[];
  /** What each field will show once the update is sent, where that is ours (with Whop's part, if any). */
  staged: EvidenceFields;
  /**
   * Whop's own values, as found before we first staged (Whop-filled fields only): kept with the staged
   * state so every later run recognises Whop's part and replaces only ours.
   */
  whopDefaults: EvidenceFields;
  attachmentId: string | null;
}

const blank = (v: unknown): boolean =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

function separator(field: EvidenceTextField): string {
  return `\n\n${APPENDED_HEADING[field] ?? DEFAULT_HEADING}\n`;
}

/**
 * Whop's part of a Whop-filled field's value: all of it, or what comes before our heading when a run
 * that staged was interrupted before it could record what it sent.
 */
function whopPart(field: EvidenceTextField, value: string): string {
  const at = value.indexOf(separator(field));
  return at >= 0 ? value.slice(0, at) : value;
}

/**
 * The value a field should show: ours alone, Whop's alone (`keep`), or Whop's text, a blank line, a
 * heading and ours (`append`) within WHOP_TEXT_FIELD_MAX; when both do not fit, Whop's is kept whole and
 * ours is cut (whole lines first) with CUT_NOTE. Whop's alone when not even that fits.
 */
export function combineWithWhop(field: EvidenceTextField, whop: string | undefined, ours: string): string {
  if (whop === undefined) return ours;
  if (WHOP_FILLED_FIELDS[field] !== 'append') return whop;
  const head = `${whop}${separator(field)}`;
  if (head.length + ours.length <= WHOP_TEXT_FIELD_MAX) return head + ours;
  const room = WHOP_TEXT_FIELD_MAX - head.length - CUT_NOTE.length - 1;
  if (room < 40) return whop;
  return `${head}${fitText(ours, room)}\n${CUT_NOTE}`;
}

/**
 * Decides which evidence fields to send. Whose a field's value is:
 * - blank: nobody's; it gets the draft value.
 * - exactly what we staged last time: ours; it gets the new draft value (with Whop's part, if any).
 * - present before we first staged, in a field Whop may fill (WHOP_FILLED_FIELDS): Whop's default;
 *   kept, and ours is added after it (`append`) or not sent (`keep`). Recognised on every later run by
 *   `whopDefaults`, so re-staging replaces only our part.
 * - anything else (written by the merchant before we staged, in a field Whop does not fill; or changed
 *   after we staged): the merchant's, never touched.
 * - exactly what an interrupted run was sending (`sending`: it died between Whop's answer and our record
 *   of it): ours, with Whop's part as that run found it.
 * A field is sent only if its new value differs from what Whop shows, so running again with the same
 * facts sends nothing. The access-log PDF goes to `uncategorized_attachment` on the same rule. Pure.
 */
export function planEvidenceUpdate(input: {
  /** The dispute as Whop returns it now (evidence fields and attachments). */
  whop: Record<string, unknown>;
  /** What we staged last time (each field's whole value as sent); null if we never staged. */
  lastStaged: EvidenceFields | null;
  /** `whopDefaults` of the last plan; ignored when `lastStaged` is null (they are found now). */
  whopDefaults?: EvidenceFields | null;
  lastAttachmentId: string | null;
  draft: EvidenceFields;
  /** The PDF to attach, if a new one was uploaded or the last one still applies. */
  attachmentId: string | null;
  /** What a run that stopped mid-update was sending, if any: its fields, their Whop part, its PDF. */
  sending?: { fields: EvidenceFields; whopDefaults?: EvidenceFields; attachmentId: string | null } | null;
}): EvidenceUpdatePlan {
  const update: EvidenceFields & { uncategorized_attachment?: { id: string } } = {};
  const staged: EvidenceFields = {};
  const whopDefaults: EvidenceFields = {};
  const merchantOwned: string[] = [];
  const whopFilled: string[] = [];
  const firstStaging = input.lastStaged === null;
  for (const field of EVIDENCE_TEXT_FIELDS) {
    const raw = input.whop[field];
    const current = typeof raw === 'string' && !blank(raw) ? raw : null;
    const ours = input.lastStaged?.[field];
    // Whop's part: found now on the first run, else as recorded then; gone once the field was cleared.
    let whops: string | undefined;
    if (current !== null) {
      if (firstStaging) {
        whops = WHOP_FILLED_FIELDS[field] ? whopPart(field, current) : undefined;
      } else {
        whops = input.whopDefaults?.[field];
      }
    }
    if (whops !== undefined && blank(whops)) whops = undefined;

    const sent = input.sending?.fields[field];
    const wasSending = current !== null && current !== ours && sent !== undefined && current === sent;
    let owner: 'free' | 'ours' | 'whop' | 'merchant';
    if (current === null) owner = 'free';
    else if (current === ours || wasSending) owner = 'ours';
    // A first run after one that sent but could not record it: Whop's log is exactly our draft, which
    // must not be taken for Whop's own text and repeated after itself.
    else if (firstStaging && WHOP_FILLED_FIELDS[field] === 'append' && current === input.draft[field])
      owner = 'ours';
    else if (whops !== undefined && (firstStaging || current === whops)) owner = 'whop';
    else owner = 'merchant';
    if (owner === 'merchant') {
      merchantOwned.push(field);
      continue;
    }
    // What an interrupted run sent carries Whop's part as that run found it.
    if (wasSending) whops = firstStaging ? input.sending?.whopDefaults?.[field] : whops;
    else if (owner === 'ours' && firstStaging) whops = undefined;
    if (whops !== undefined) {
      whopDefaults[field] = whops;
      whopFilled.push(field);
    }
    const next = input.draft[field];
    if (next === undefined || blank(next)) {
      // Nothing to say for this field now; what we staged before stays (Whop has no "clear" semantics).
      if (owner === 'ours') staged[field] = current!;
      continue;
    }
    const value = combineWithWhop(field, whops, next);
    if (value !== whops) staged[field] = value;
    if (value !== current) update[field] = value;
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

  return {
    update: Object.keys(update).length ? update : null,
    merchantOwned,
    whopFilled,
    staged,
    whopDefaults,
    attachmentId,
  };
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
