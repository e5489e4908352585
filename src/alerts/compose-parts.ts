/**
 * What the alert composers share: the phrases every alert about a record uses (amount, payment, product,
 * due date and time left), its common fields and link, and how alert ids are made. Pure.
 */
import type { CaseEvent, CaseRecord } from '../cases/case-record.js';
import type { CaseStrength, RecommendedAction } from '../evidence/case-strength.js';
import type { EvidenceState } from '../evidence/evidence-store.js';
import type { Alert, AlertField, AlertSeverity } from './alert.js';
import { shouldRemind } from './reminder-schedule.js';
import {
  formatDateTime,
  formatMoney,
  formatShortDate,
  type Instant,
  timeLeftWords,
  toMs,
} from './wording.js';

export const HOUR = 3_600_000;
/** Less time left than this makes a pending response urgent. */
const URGENT_WITHIN_MS = 48 * HOUR;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null ? (v as Obj) : null);
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Alert ids never contain `:` (BullMQ rejects it in custom job ids); Whop ids never contain `.`. */
export const idPart = (s: string) => s.replace(/:/g, '.');

/**
 * The Whop dashboard page of the payment a dispute, alert, refund or case belongs to. A best guess:
 * Whop documents no URL scheme for its dashboard, and this follows the shape of the company dashboard's
 * payment pages (`https://whop.com/dashboard/<companyId>/payments/<paymentId>`), where disputes and cases
 * on a payment are answered. Check it against a real account before relying on it; every alert reads
 * complete without the link.
 */
export function whopDashboardLink(companyId: string | null, paymentId: string | null): string | undefined {
  if (!companyId || !paymentId) return undefined;
  return `https://whop.com/dashboard/${encodeURIComponent(companyId)}/payments/${encodeURIComponent(paymentId)}`;
}

/** The payment method Whop embeds in disputes, alerts and refunds (cases carry none: the caller looks). */
export function paymentMethodOf(record: CaseRecord): string | null {
  return str(obj(record.whop.payment)?.payment_method_type);
}

export function productOf(record: CaseRecord): string | null {
  return str(obj(record.whop.product)?.title);
}

/** "$49.00", or "amount unknown". */
export function money(record: Pick<CaseRecord, 'amount' | 'currency'>): string {
  return record.amount === null ? 'amount unknown' : formatMoney(record.amount, record.currency);
}

/** "a $49.00 payment for Trading Signals Pro", "a payment". */
export function paymentPhrase(record: CaseRecord): string {
  const product = productOf(record);
  const amount = record.amount === null ? 'a payment' : `a ${money(record)} payment`;
  return product ? `${amount} for ${product}` : amount;
}

export function dueSeverity(dueAt: string | null, now: Instant, otherwise: AlertSeverity): AlertSeverity {
  const left = toMs(dueAt) - toMs(now);
  return Number.isFinite(left) && left <= URGENT_WITHIN_MS ? 'urgent' : otherwise;
}

/** What every alert about one record shares: company, case id, amount, link. */
export function about(record: CaseRecord): Pick<Alert, 'companyId' | 'caseId' | 'amount' | 'link'> {
  const link = whopDashboardLink(record.companyId, record.paymentId);
  return {
    companyId: record.companyId,
    caseId: record.id,
    ...(record.amount !== null && record.currency
      ? { amount: { value: record.amount, currency: record.currency.toUpperCase() } }
      : {}),
    ...(link ? { link } : {}),
  };
}

export function field(label: string, value: string | null | undefined): AlertField[] {
  return value ? [{ label, value }] : [];
}

export function dueFields(label: string, dueAt: string | null, now: Instant): AlertField[] {
  if (!dueAt) return [{ label, value: 'not given by Whop: check it in Whop' }];
  return [
    { label, value: formatDateTime(dueAt) },
    { label: 'Time left', value: timeLeftWords(dueAt, now) },
  ];
}

/** ", by Mon 24 Mar 2025, 23:59 UTC (3 days 4 hours left)" or "" without a due date. */
export function byPhrase(dueAt: string | null, now: Instant): string {
  return dueAt ? ` by ${formatDateTime(dueAt)} (${timeLeftWords(dueAt, now)})` : '';
}

export const titleDue = (verb: string, dueAt: string | null) =>
  dueAt ? ` — ${verb} by ${formatShortDate(dueAt)}` : '';

export const withDue = (dueAt: string | null) => (dueAt ? { dueAt } : {});

/** What a case event's alert is composed with besides the event and the record. */
export interface CaseEventFacts {
  now: Instant;
  /** Where the evidence stands, worded by the evidence stage ("Drafted from 5 sources, not submitted"). */
  evidenceStatus?: string;
  /** What the dispute-alert policy did ("Refunded $49.00 and cancelled the membership", "Notify only"). */
  policyAction?: string;
  /**
   * A dispute alert's auto-refund decision made within its opening's coalescing window
   * (compose-refund.ts `refundForOpening`): `handled` makes the message informational.
   */
  refund?: { handled: boolean; said: string; rule: string | null };
  /** A short brief of a Resolution Center case (the customer's words, access facts), appended as is. */
  caseBrief?: string;
  /**
   * The payment's method type (`payments.retrieve`), for cases: Whop's case object does not carry it.
   * Disputes, alerts and refunds fall back to the payment embedded in the record.
   */
  paymentMethodType?: string | null;
  /** When the merchant's appeal window on a decided case closes, when the caller knows it. */
  appealBy?: string | null;
  /**
   * When the autopilot submitted the dispute's evidence, if it did so before the opening message went
   * out (ISO 8601): the opening then tells of the dispute as answered, not as a request to answer.
   */
  submittedAt?: string;
  /** A dispute's case strength, when the evidence stage assessed it: for the merchant's eyes only. */
  strength?: Pick<CaseStrength, 'strength' | 'reasons' | 'recommendation'>;
}

/** A case strength as alert fields: the word and its main reasons, the recommendation, the first way to strengthen it. */
export function strengthFields(s: CaseEventFacts['strength']): AlertField[] {
  if (!s) return [];
  const reasons = s.reasons.slice(0, 3).join(' ');
  return [
    { label: 'Case strength', value: `${strengthWords(s)}${reasons ? `. ${reasons}` : ''}` },
    { label: 'Recommendation', value: s.recommendation.text },
    ...field('Would strengthen it', s.recommendation.strengthen[0]),
  ];
}

/**
 * A "please answer" alert composed after the merchant already answered (or Whop decided) — a lagging
 * consumer, a replayed stream — would be noise: the record, read now, has the last word.
 */
export function stillAwaiting(record: CaseRecord): boolean {
  return shouldRemind(record, false);
}

/** An event's alert has the event's id, so each transition alerts at most once. */
export function eventAlertId(event: CaseEvent): string {
  return idPart(event.id);
}

/** What awaits the merchant's answer: an inquiry, a chargeback or a Resolution Center case. */
export function pendingWhat(record: Pick<CaseRecord, 'kind' | 'status'>): string {
  if (record.kind === 'resolution_case') return 'Resolution Center case';
  return record.status === 'warning_needs_response' ? 'inquiry' : 'chargeback';
}

const ADVICE: Record<RecommendedAction, string> = {
  fight: 'fight it',
  refund_inquiry: 'consider refunding',
  let_close: 'consider letting it close',
  none: '',
};

/** "Strong case, fight it", "Weak case, consider refunding": a case strength in a few words. */
export function strengthWords(s: Pick<CaseStrength, 'strength' | 'recommendation'>): string {
  const advice = ADVICE[s.recommendation.action];
  return `${s.strength.charAt(0).toUpperCase()}${s.strength.slice(1)} case${advice ? `, ${advice}` : ''}`;
}

/**
 * Where a new dispute's evidence stands, for its opening message. `folded`: staged within the window,
 * so the message carries it. Otherwise the status is told only when no "evidence ready" message is
 * still to follow (the evidence was dealt with before, e.g. for the inquiry this chargeback escalated
 * from); else the merchant is told one follows.
 */
export function openingEvidenceStatus(
  record: CaseRecord,
  state: EvidenceState | undefined,
  folded: boolean,
): string | undefined {
  if (record.kind !== 'dispute') return undefined;
  if (state?.submission.submittedAt) return `Submitted ${formatDateTime(state.submission.submittedAt)}`;
  if (!state?.staged || (!folded && state.stagedAlert !== 'queued')) {
    return 'Being drafted from your access logs and the payment: a message follows when it is ready';
  }
  const fields = Object.keys(state.staged.fields).length;
  const drafted = `Staged in Whop (${fields} ${fields === 1 ? 'field' : 'fields'}${state.staged.attachmentFileId ? ', access log attached' : ''})`;
  const missing = state.draft?.missingFacts?.length
    ? `. Built without: ${state.draft.missingFacts.map((f) => f.note).join('; ')}`
    : '';
  return state.submission.scheduledFor
    ? `${drafted}; submits automatically ${formatDateTime(state.submission.scheduledFor)} unless you change it in Whop${missing}`
    : `${drafted}; review and submit it in Whop${missing}`;
}

/**
 * A reminder's or later message's evidence line for a dispute (undefined for other records): its times
 * in the one human format (formatDateTime), never as ISO strings.
 */
export function evidenceStatusLine(record: CaseRecord, state: EvidenceState | undefined): string | undefined {
  if (record.kind !== 'dispute') return undefined;
  if (!state?.staged) return 'Evidence not staged yet';
  if (state.submission.submittedAt)
    return `Evidence submitted ${formatDateTime(state.submission.submittedAt)}`;
  if (state.submission.scheduledFor) {
    return `Evidence staged; submits automatically ${formatDateTime(state.submission.scheduledFor)}`;
  }
  return 'Evidence staged in Whop; not submitted automatically';
}
