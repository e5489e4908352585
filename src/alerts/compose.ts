import { AWAITING_MERCHANT, type CaseEvent, type CaseKind, type CaseRecord } from '../cases/case-record.js';
import { financedProvider } from '../cases/financed.js';
import type { Alert, AlertField, AlertSeverity } from './alert.js';
import { reminderKey, shouldRemind } from './reminder-schedule.js';
import {
  formatDateTime,
  formatMoney,
  formatPercent,
  formatShortDate,
  humanize,
  type Instant,
  offsetWords,
  timeLeftWords,
  toMs,
} from './wording.js';

/**
 * Composers: facts in, a worded Alert out. Pure — `now` is a parameter, nothing reads a clock or the
 * network — so the same facts always make the same alert, with the same `id` (the dedupe key).
 * Event-driven alerts use the event's status and due date (what the transition was about) and the
 * record for everything else (amount, reason, Whop's details).
 */

const HOUR = 3_600_000;
/** Less time left than this makes a pending response urgent. */
const URGENT_WITHIN_MS = 48 * HOUR;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Alert ids never contain `:` (BullMQ rejects it in custom job ids); Whop ids never contain `.`. */
const idPart = (s: string) => s.replace(/:/g, '.');

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
function paymentMethodOf(record: CaseRecord): string | null {
  return str(obj(record.whop.payment)?.payment_method_type);
}

function productOf(record: CaseRecord): string | null {
  return str(obj(record.whop.product)?.title);
}

/** "$49.00", or "amount unknown". */
function money(record: Pick<CaseRecord, 'amount' | 'currency'>): string {
  return record.amount === null ? 'amount unknown' : formatMoney(record.amount, record.currency);
}

/** "a $49.00 payment for Trading Signals Pro", "a payment". */
function paymentPhrase(record: CaseRecord): string {
  const product = productOf(record);
  const amount = record.amount === null ? 'a payment' : `a ${money(record)} payment`;
  return product ? `${amount} for ${product}` : amount;
}

function dueSeverity(dueAt: string | null, now: Instant, otherwise: AlertSeverity): AlertSeverity {
  const left = toMs(dueAt) - toMs(now);
  return Number.isFinite(left) && left <= URGENT_WITHIN_MS ? 'urgent' : otherwise;
}

/** What every alert about one record shares: company, case id, amount, link. */
function about(record: CaseRecord): Pick<Alert, 'companyId' | 'caseId' | 'amount' | 'link'> {
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

function field(label: string, value: string | null | undefined): AlertField[] {
  return value ? [{ label, value }] : [];
}

function dueFields(label: string, dueAt: string | null, now: Instant): AlertField[] {
  if (!dueAt) return [{ label, value: 'not given by Whop: check it in Whop' }];
  return [
    { label, value: formatDateTime(dueAt) },
    { label: 'Time left', value: timeLeftWords(dueAt, now) },
  ];
}

/** ", by Mon 24 Mar 2025, 23:59 UTC (3 days 4 hours left)" or "" without a due date. */
function byPhrase(dueAt: string | null, now: Instant): string {
  return dueAt ? ` by ${formatDateTime(dueAt)} (${timeLeftWords(dueAt, now)})` : '';
}

const titleDue = (verb: string, dueAt: string | null) =>
  dueAt ? ` — ${verb} by ${formatShortDate(dueAt)}` : '';

const withDue = (dueAt: string | null) => (dueAt ? { dueAt } : {});

// ---------------------------------------------------------------------------------------------------
// Case events
// ---------------------------------------------------------------------------------------------------

export interface CaseEventFacts {
  now: Instant;
  /** Where the evidence stands, worded by the evidence stage ("Drafted from 5 sources, not submitted"). */
  evidenceStatus?: string;
  /** What the dispute-alert policy did ("Refunded $49.00 and cancelled the membership", "Notify only"). */
  policyAction?: string;
  /** A short brief of a Resolution Center case (the customer's words, access facts), appended as is. */
  caseBrief?: string;
  /**
   * The payment's method type (`payments.retrieve`), for cases: Whop's case object does not carry it.
   * Disputes, alerts and refunds fall back to the payment embedded in the record.
   */
  paymentMethodType?: string | null;
  /** When the merchant's appeal window on a decided case closes, when the caller knows it. */
  appealBy?: string | null;
}

const DISPUTE_NEEDS_RESPONSE = AWAITING_MERCHANT.dispute;
const DISPUTE_FINAL = new Set(['won', 'lost', 'closed']);

/**
 * The alert a case transition deserves, or null when it deserves none — or another transition of the
 * same write already says it: a new dispute fires `dispute.opened` and `dispute.needs_response`
 * together and only the second alerts; likewise `case.opened` and `case.awaiting_merchant`. Under
 * review and refund succeeded are not news worth a ping; a request to answer is dropped when the record
 * (read now) no longer awaits the merchant. The alert's id is the event's id, so each transition alerts
 * at most once.
 */
export function composeCaseEventAlert(
  event: CaseEvent,
  record: CaseRecord,
  facts: CaseEventFacts,
): Alert | null {
  const financed = financedProvider(facts.paymentMethodType ?? paymentMethodOf(record));
  switch (event.type) {
    case 'dispute.opened':
      if (DISPUTE_NEEDS_RESPONSE.has(event.status) || DISPUTE_FINAL.has(event.status)) return null;
      return disputeOpened(event, record);
    case 'dispute.needs_response':
      return stillAwaiting(record) ? disputeNeedsResponse(event, record, facts) : null;
    case 'dispute.under_review':
      return null;
    case 'dispute.won':
    case 'dispute.lost':
    case 'dispute.closed':
      return disputeOutcome(event, record);
    case 'dispute_alert.opened':
      return disputeAlert(event, record, facts);
    case 'refund.succeeded':
      return null;
    case 'refund.failed':
      return refundFailed(event, record);
    case 'case.opened':
      return financed ? composeFinancedCase(event, record, financed) : null;
    case 'case.awaiting_merchant':
      return financed || !stillAwaiting(record) ? null : caseAwaitingMerchant(event, record, facts);
    case 'case.decided':
      return caseDecided(event, record, facts, financed);
    case 'dispute.due_changed':
      // Not news in itself: the reminders move with the new deadline.
      return null;
    default: {
      // A new event type fails to compile here; at run time (a stream entry from a newer version) it is
      // simply not alerted on.
      const unknown: never = event.type;
      void unknown;
      return null;
    }
  }
}

/**
 * A "please answer" alert composed after the merchant already answered (or Whop decided) — a lagging
 * consumer, a replayed stream — would be noise: the record, read now, has the last word.
 */
function stillAwaiting(record: CaseRecord): boolean {
  return shouldRemind(record, false);
}

function eventAlertId(event: CaseEvent): string {
  return idPart(event.id);
}

function disputeOpened(event: CaseEvent, record: CaseRecord): Alert {
  const inquiry = event.status.startsWith('warning_');
  const what = inquiry ? 'inquiry' : 'dispute';
  return {
    id: eventAlertId(event),
    kind: 'dispute_opened',
    severity: 'info',
    ...about(record),
    title: `New ${what}: ${money(record)} (${humanize(event.status).toLowerCase()})`,
    summary:
      `A ${what} on ${paymentPhrase(record)} (reason: ${record.reason ?? 'not given'}) is now tracked. ` +
      `It was already ${humanize(event.status).toLowerCase()} when first seen, so there is nothing to answer now.`,
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Reason', value: record.reason ?? 'not given' },
      { label: 'Status', value: humanize(event.status) },
      { label: 'Dispute', value: record.id },
      ...field('Payment', record.paymentId),
    ],
  };
}

function disputeNeedsResponse(event: CaseEvent, record: CaseRecord, facts: CaseEventFacts): Alert {
  const inquiry = event.status === 'warning_needs_response';
  const escalated = !inquiry && (event.previousStatus?.startsWith('warning_') ?? false);
  const dueAt = event.dueAt ?? record.dueAt;
  const reason = record.reason ?? 'not given';
  const head = inquiry ? 'Inquiry' : escalated ? 'Inquiry escalated to a chargeback' : 'Chargeback';
  const by = byPhrase(dueAt, facts.now);
  const summary = inquiry
    ? `The customer's bank is asking about ${paymentPhrase(record)} (reason: ${reason}). ` +
      `Answer it in Whop${by}: an unanswered inquiry can become a chargeback.`
    : `${escalated ? 'The bank inquiry became a chargeback' : "The customer's bank opened a chargeback"} on ` +
      `${paymentPhrase(record)} (reason: ${reason}). Submit evidence in Whop${by}. ` +
      `A chargeback left unanswered is lost, with a $15 fee, and counts toward the 2% dispute rate at which ` +
      `Whop stops supporting an account.`;
  return {
    id: eventAlertId(event),
    kind: 'dispute_opened',
    severity: inquiry ? dueSeverity(dueAt, facts.now, 'warning') : 'urgent',
    ...about(record),
    ...withDue(dueAt),
    title: `${head}: ${money(record)}${titleDue('respond', dueAt)}`,
    summary,
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Reason', value: reason },
      ...dueFields('Respond by', dueAt, facts.now),
      ...field('Evidence', facts.evidenceStatus),
      ...field('Product', productOf(record)),
      { label: inquiry ? 'Inquiry' : 'Dispute', value: record.id },
      ...field('Payment', record.paymentId),
    ],
  };
}

function disputeOutcome(event: CaseEvent, record: CaseRecord): Alert {
  const reason = record.reason ?? 'not given';
  const base = { id: eventAlertId(event), kind: 'outcome' as const, ...about(record) };
  const fields = [
    { label: 'Amount', value: money(record) },
    { label: 'Reason', value: reason },
    { label: 'Outcome', value: humanize(event.status) },
    { label: 'Dispute', value: record.id },
    ...field('Payment', record.paymentId),
  ];
  switch (event.status) {
    case 'won':
      return {
        ...base,
        severity: 'info',
        title: `Dispute won: ${money(record)}`,
        summary: `The bank decided the dispute on ${paymentPhrase(record)} (reason: ${reason}) in your favour: the money stays with you.`,
        fields,
      };
    case 'lost':
      return {
        ...base,
        severity: 'warning',
        title: `Dispute lost: ${money(record)}`,
        summary:
          `The bank decided the dispute on ${paymentPhrase(record)} (reason: ${reason}) for the customer: ` +
          'the payment is reversed and the dispute fee charged.',
        fields,
      };
    case 'warning_closed':
      return {
        ...base,
        severity: 'info',
        title: `Inquiry closed: ${money(record)}`,
        summary:
          `The bank closed its inquiry about ${paymentPhrase(record)} (reason: ${reason}). ` +
          'It can still become a chargeback; you will be alerted if it does.',
        fields,
      };
    default:
      return {
        ...base,
        severity: 'info',
        title: `Dispute closed: ${money(record)}`,
        summary: `Whop reports the dispute on ${paymentPhrase(record)} (reason: ${reason}) as closed.`,
        fields,
      };
  }
}

const ALERT_TYPES: Record<string, { label: string; explain: string }> = {
  dispute: {
    label: 'dispute warning',
    explain:
      'The card network warned that the customer is disputing this payment; a chargeback may follow unless it is refunded.',
  },
  dispute_rdr: {
    label: 'Visa RDR',
    explain:
      'Visa Rapid Dispute Resolution took up the customer’s dispute; such disputes are usually settled by an automatic refund instead of a chargeback.',
  },
  fraud: {
    label: 'fraud report',
    explain:
      'A fraud report was filed on this payment; refunding it or cutting access may prevent a chargeback.',
  },
};

function disputeAlert(event: CaseEvent, record: CaseRecord, facts: CaseEventFacts): Alert {
  const type = str(record.details.alertType) ?? record.reason ?? 'dispute';
  const known = ALERT_TYPES[type];
  const charged = record.details.chargeForAlert;
  const transactionDate = str(record.details.transactionDate);
  return {
    id: eventAlertId(event),
    kind: 'dispute_alert',
    severity: 'warning',
    ...about(record),
    title: `Dispute alert: ${money(record)} (${known?.label ?? humanize(type).toLowerCase()})`,
    summary: [
      `${known?.explain ?? `Whop raised a ${humanize(type).toLowerCase()} alert on this payment.`}`,
      `Payment: ${paymentPhrase(record)}.`,
      facts.policyAction ? `What we did: ${facts.policyAction}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    fields: [
      { label: 'Type', value: known?.label ?? humanize(type) },
      { label: 'Amount', value: money(record) },
      ...field('What we did', facts.policyAction),
      ...field('Transaction date', transactionDate ? formatDateTime(transactionDate) : null),
      ...field('Alert fee', typeof charged === 'boolean' ? (charged ? 'charged' : 'not charged') : null),
      ...field('Dispute', str(record.details.disputeId)),
      { label: 'Alert', value: record.id },
      ...field('Payment', record.paymentId),
    ],
  };
}

function refundFailed(event: CaseEvent, record: CaseRecord): Alert {
  const provider = str(record.details.provider);
  return {
    id: eventAlertId(event),
    kind: 'refund_failed',
    severity: 'warning',
    ...about(record),
    title: `Refund failed: ${money(record)}`,
    summary:
      `Whop could not refund ${money(record)} to the customer${provider ? ` (provider: ${provider})` : ''}. ` +
      'The customer has not been paid back and may dispute the payment instead: retry the refund in Whop or contact them.',
    fields: [
      { label: 'Amount', value: money(record) },
      ...field('Provider', provider),
      { label: 'Refund', value: record.id },
      ...field('Payment', record.paymentId),
    ],
  };
}

/**
 * A Resolution Center case on a financed payment: Whop refunds it by itself, so this only informs (no due
 * date, no reminders). Fired from `case.opened`; the case's `awaiting_merchant` transition stays silent.
 */
export function composeFinancedCase(event: CaseEvent, record: CaseRecord, provider: string): Alert {
  const issue = record.reason ? humanize(record.reason) : 'no issue given';
  return {
    id: eventAlertId(event),
    kind: 'case_awaiting_merchant',
    severity: 'info',
    ...about(record),
    title: `Resolution Center case on a ${provider} payment: ${money(record)} — no action needed`,
    summary:
      `A customer opened a Resolution Center case (${issue}) on ${paymentPhrase(record)} made with ${provider}. ` +
      'Whop refunds cases on financed payments (Splitit, Sezzle, Klarna, Afterpay, Zip) automatically; ' +
      'there is nothing to answer.',
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Issue', value: issue },
      { label: 'Paid with', value: provider },
      { label: 'Case', value: record.id },
      ...field('Payment', record.paymentId),
    ],
  };
}

function caseAwaitingMerchant(event: CaseEvent, record: CaseRecord, facts: CaseEventFacts): Alert {
  const issue = record.reason ? humanize(record.reason) : 'no issue given';
  const dueAt = event.dueAt ?? record.dueAt;
  const infoNeeded = event.status === 'merchant_info_needed';
  const again = event.previousStatus !== null;
  const by = byPhrase(dueAt, facts.now);
  const what = `the Resolution Center case about ${paymentPhrase(record)} (${issue})`;
  const lead = infoNeeded
    ? `Whop asked you for more information on ${what}. Answer in Whop${by}`
    : again
      ? `${what.charAt(0).toUpperCase()}${what.slice(1)} is waiting for your answer again. Accept, deny or ask for more information in Whop${by}`
      : `A customer opened a Resolution Center case about ${paymentPhrase(record)} (${issue}). ` +
        `Accept, deny or ask for more information in Whop${by}`;
  const summary = `${lead}; without an answer Whop decides the case.${facts.caseBrief ? `\n\n${facts.caseBrief}` : ''}`;
  return {
    id: eventAlertId(event),
    kind: 'case_awaiting_merchant',
    severity: dueSeverity(dueAt, facts.now, 'warning'),
    ...about(record),
    ...withDue(dueAt),
    title: infoNeeded
      ? `Whop needs more information: ${money(record)} case${titleDue('answer', dueAt)}`
      : `Resolution Center case: ${money(record)} (${issue})${titleDue('answer', dueAt)}`,
    summary,
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Issue', value: issue },
      ...dueFields('Answer by', dueAt, facts.now),
      { label: 'Case', value: record.id },
      ...field('Payment', record.paymentId),
    ],
  };
}

function caseDecided(
  event: CaseEvent,
  record: CaseRecord,
  facts: CaseEventFacts,
  financed: string | null,
): Alert {
  const issue = record.reason ? humanize(record.reason) : 'no issue given';
  const actions = Array.isArray(record.details.merchantResponseActions)
    ? (record.details.merchantResponseActions as unknown[])
    : [];
  const merchantAppealed = record.details.merchantAppealed === true;
  const customerAppealed = record.details.customerAppealed === true;
  const what = `the Resolution Center case about ${paymentPhrase(record)} (${issue})`;
  const base = { id: eventAlertId(event), kind: 'outcome' as const, ...about(record) };
  const fields: AlertField[] = [
    { label: 'Amount', value: money(record) },
    { label: 'Issue', value: issue },
    { label: 'Decision', value: humanize(event.status) },
  ];
  const ids = [{ label: 'Case', value: record.id }, ...field('Payment', record.paymentId)];

  if (event.status === 'merchant_won') {
    return {
      ...base,
      severity: 'info',
      title: `Case decided for you: ${money(record)}`,
      summary:
        `Whop decided ${what} in your favour.` +
        (customerAppealed
          ? ' This was the decision on the customer’s appeal, so it is final.'
          : ' The customer may still appeal once.'),
      fields: [...fields, ...ids],
    };
  }
  if (event.status === 'customer_withdrew') {
    return {
      ...base,
      severity: 'info',
      title: `Case withdrawn: ${money(record)}`,
      summary: `The customer withdrew ${what}. Nothing more to do.`,
      fields: [...fields, ...ids],
    };
  }

  // Decided for the customer. Whop lists `appeal` among the merchant's actions while an appeal is open.
  const appealOpen = actions.includes('appeal');
  const appealBy = appealOpen ? appealDeadline(event, record, facts) : null;
  const appealText = appealOpen
    ? ` You can appeal once in Whop${appealBy ? ` until ${formatDateTime(appealBy)} (${timeLeftWords(appealBy, facts.now)})` : ''}; the appeal’s decision is final.`
    : merchantAppealed
      ? ' Your appeal has been decided: this decision is final.'
      : '';
  const financedText = financed
    ? ` The payment was made with ${financed}; Whop refunds such cases automatically.`
    : '';
  return {
    ...base,
    severity: financed ? 'info' : appealBy ? dueSeverity(appealBy, facts.now, 'warning') : 'warning',
    ...withDue(appealBy),
    title: `Case decided for the customer: ${money(record)}${appealOpen ? (appealBy ? ` — appeal by ${formatShortDate(appealBy)}` : ' — appeal open') : ''}`,
    summary: `Whop decided ${what} for the customer.${appealText}${financedText}`,
    fields: [
      ...fields,
      ...(appealOpen
        ? [{ label: 'Appeal', value: appealBy ? `open until ${formatDateTime(appealBy)}` : 'open' }]
        : merchantAppealed
          ? [{ label: 'Appeal', value: 'used' }]
          : []),
      ...ids,
    ],
  };
}

/**
 * The appeal deadline: what the caller knows, else the case's due date when it lies after the decision.
 * An inference: Whop documents no appeal window, but a due date later than the decision can only be for
 * what comes next; an earlier one is the stale answer deadline and is not shown.
 */
function appealDeadline(event: CaseEvent, record: CaseRecord, facts: CaseEventFacts): string | null {
  if (facts.appealBy) return facts.appealBy;
  const dueAt = event.dueAt ?? record.dueAt;
  return dueAt && toMs(dueAt) > toMs(event.at) ? dueAt : null;
}

// ---------------------------------------------------------------------------------------------------
// Evidence
// ---------------------------------------------------------------------------------------------------

/**
 * Evidence drafted into Whop (via update_evidence) and not yet submitted. Warning when the merchant has to
 * review and submit it; info when it will go out by itself at `autoSubmitAt`.
 */
export function composeEvidenceStaged(input: {
  record: CaseRecord;
  now: Instant;
  /** When this version of the evidence was staged: part of the id, so a re-staging alerts again. */
  stagedAt: Instant;
  evidenceStatus?: string;
  /** Whop evidence fields filled, e.g. `product_description`. */
  fieldsFilled?: readonly string[];
  attachments?: number;
  autoSubmitAt?: string | null;
}): Alert {
  const { record, now } = input;
  const dueAt = record.dueAt;
  const next = input.autoSubmitAt
    ? `It will be submitted automatically at ${formatDateTime(input.autoSubmitAt)} unless you change it in Whop first.`
    : `Review it and submit it in Whop${byPhrase(dueAt, now)}: evidence that is not submitted does not count.`;
  return {
    id: `${idPart(record.id)}.evidence_staged.${toMs(input.stagedAt)}`,
    kind: 'evidence_staged',
    severity: input.autoSubmitAt ? 'info' : dueSeverity(dueAt, now, 'warning'),
    ...about(record),
    ...withDue(dueAt),
    title: `Evidence ready for review: ${money(record)} dispute${titleDue('submit', dueAt)}`,
    summary: `Evidence for the dispute on ${paymentPhrase(record)} (reason: ${record.reason ?? 'not given'}) is drafted in Whop. ${next}`,
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Reason', value: record.reason ?? 'not given' },
      ...dueFields('Submit by', dueAt, now),
      ...field('Evidence', input.evidenceStatus),
      ...field(
        'Fields filled',
        input.fieldsFilled?.length ? input.fieldsFilled.map(humanize).join(', ') : null,
      ),
      ...field('Attachments', input.attachments !== undefined ? String(input.attachments) : null),
      ...field('Submits automatically', input.autoSubmitAt ? formatDateTime(input.autoSubmitAt) : null),
      { label: 'Dispute', value: record.id },
    ],
  };
}

/** Evidence submitted to Whop: final (Whop accepts no edits after), so one alert per dispute. */
export function composeEvidenceSubmitted(input: {
  record: CaseRecord;
  submittedAt: Instant;
  fieldsSubmitted?: readonly string[];
  attachments?: number;
}): Alert {
  const { record } = input;
  return {
    id: `${idPart(record.id)}.evidence_submitted`,
    kind: 'evidence_submitted',
    severity: 'info',
    ...about(record),
    title: `Evidence submitted: ${money(record)} dispute`,
    summary:
      `Evidence for the dispute on ${paymentPhrase(record)} (reason: ${record.reason ?? 'not given'}) was submitted ` +
      `on ${formatDateTime(input.submittedAt)}. It can no longer be changed; the bank decides next.`,
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Submitted', value: formatDateTime(input.submittedAt) },
      ...field(
        'Fields',
        input.fieldsSubmitted?.length ? input.fieldsSubmitted.map(humanize).join(', ') : null,
      ),
      ...field('Attachments', input.attachments !== undefined ? String(input.attachments) : null),
      { label: 'Dispute', value: record.id },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// Operations: sweep, failed jobs, dispute rate
// ---------------------------------------------------------------------------------------------------

const KIND_WORDS: Record<CaseKind, [string, string]> = {
  dispute: ['dispute', 'disputes'],
  dispute_alert: ['dispute alert', 'dispute alerts'],
  refund: ['refund', 'refunds'],
  resolution_case: ['Resolution Center case', 'Resolution Center cases'],
};

const countOf = (n: number, kind: CaseKind) => `${n} ${KIND_WORDS[kind][n === 1 ? 0 : 1]}`;

const MAX_LISTED = 10;

type RecoveredItem = Pick<CaseRecord, 'kind' | 'id' | 'status' | 'dueAt' | 'amount' | 'currency'>;

/**
 * Items the sweep found that no webhook had delivered (null when there are none). Each also fires its
 * own transitions, so this is the "webhooks are missing" signal, not the per-item alert. Warning when
 * one of them awaits the merchant.
 */
export function composeSweepRecovered(input: {
  /** The sweep run (e.g. its BullMQ job id): part of the alert id. */
  runId: string;
  companyId: string | null;
  recovered: readonly RecoveredItem[];
  now: Instant;
}): Alert | null {
  const { recovered, now } = input;
  if (recovered.length === 0) return null;
  const byKind = new Map<CaseKind, number>();
  for (const r of recovered) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  const counts = [...byKind].map(([kind, n]) => countOf(n, kind)).join(', ');
  const awaiting = recovered.filter((r) => shouldRemind(r, false)).length;
  const n = recovered.length;
  const listed: AlertField[] = recovered.slice(0, MAX_LISTED).map((r) => ({
    label: `${humanize(KIND_WORDS[r.kind][0])} ${r.id}`,
    value:
      `${humanize(r.status)}${r.amount !== null ? `, ${money(r)}` : ''}` +
      (r.dueAt && shouldRemind(r, false)
        ? `, due ${formatDateTime(r.dueAt)} (${timeLeftWords(r.dueAt, now)})`
        : ''),
  }));
  if (n > MAX_LISTED) listed.push({ label: 'More', value: `and ${n - MAX_LISTED} more` });
  return {
    id: `sweep_recovered.${idPart(input.runId)}.${idPart(input.companyId ?? 'all')}`,
    kind: 'sweep_recovered',
    severity: awaiting > 0 ? 'warning' : 'info',
    companyId: input.companyId,
    title: `Sweep recovered ${n} ${n === 1 ? 'item' : 'items'} Whop never delivered`,
    summary:
      `The periodic sweep found ${counts} that no webhook had told us about; they are tracked now.` +
      (awaiting > 0 ? ` ${awaiting} of them ${awaiting === 1 ? 'needs' : 'need'} your response.` : '') +
      ' Many missed webhooks may mean the webhook in Whop is misconfigured or the service was unreachable.',
    fields: listed,
  };
}

/** A job that exhausted its attempts (or failed permanently): something is not being processed. */
export function composeJobFailed(input: {
  queue: string;
  jobId: string;
  jobName?: string;
  attempts: number;
  reason: string;
  caseId?: string;
  companyId?: string | null;
}): Alert {
  const name = input.jobName ?? input.queue;
  return {
    id: `job_failed.${idPart(input.queue)}.${idPart(input.jobId)}`,
    kind: 'job_failed',
    severity: 'urgent',
    companyId: input.companyId ?? null,
    ...(input.caseId ? { caseId: input.caseId } : {}),
    title: `Job failed for good: ${name}`,
    summary:
      `A ${input.queue} job (${input.jobId}) failed after ${input.attempts} ${input.attempts === 1 ? 'attempt' : 'attempts'} ` +
      `and will not be retried: ${input.reason}. It stays in the queue's failed set; fix the cause ` +
      '(for a 401 or 403 from Whop, the API key or its permissions) and retry it.',
    fields: [
      { label: 'Queue', value: input.queue },
      { label: 'Job', value: input.jobName ? `${input.jobName} (${input.jobId})` : input.jobId },
      { label: 'Attempts', value: String(input.attempts) },
      { label: 'Reason', value: input.reason },
      ...field('Case', input.caseId),
    ],
  };
}

/**
 * The dispute rate crossed `threshold` upward (see `rateCrossings`). `asOf` is when the rate was measured:
 * part of the id, so a retried job re-sends nothing while a later crossing (after a dip) alerts again.
 */
export function composeDisputeRate(input: {
  companyId: string | null;
  rate: number;
  threshold: number;
  disputes30d: number;
  payments30d: number;
  asOf: Instant;
}): Alert {
  const { rate, threshold } = input;
  return {
    id: `dispute_rate.${idPart(input.companyId ?? 'all')}.${threshold}.${toMs(input.asOf)}`,
    kind: 'dispute_rate',
    severity: threshold >= 0.015 ? 'urgent' : 'warning',
    companyId: input.companyId,
    title: `Dispute rate ${formatPercent(rate)}: past the ${formatPercent(threshold)} alert level`,
    summary:
      `${input.disputes30d} of ${input.payments30d} payments in the last 30 days were disputed (${formatPercent(rate)}). ` +
      'Whop stops supporting an account at a 2% dispute rate. Answering every dispute, and refunding ' +
      'customers who ask before they go to their bank, keeps it down.',
    fields: [
      { label: 'Dispute rate', value: formatPercent(rate) },
      { label: 'Alert level', value: formatPercent(threshold) },
      { label: 'Disputes (30 days)', value: String(input.disputes30d) },
      { label: 'Payments (30 days)', value: String(input.payments30d) },
      { label: 'Whop’s limit', value: '2%' },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// Reminders and digests
// ---------------------------------------------------------------------------------------------------

function pendingWhat(record: Pick<CaseRecord, 'kind' | 'status'>): string {
  if (record.kind === 'resolution_case') return 'Resolution Center case';
  return record.status === 'warning_needs_response' ? 'inquiry' : 'chargeback';
}

/**
 * A due-date reminder, scheduled by `reminderTimes` for (`record`, `offsetMs`, `dueAt`). Null when it is
 * obsolete by the time it fires: the item no longer awaits the merchant (answered, decided, financed),
 * its due date moved (the new date has reminders of its own), or the due date has passed.
 */
export function composeReminder(input: {
  record: CaseRecord;
  offsetMs: number;
  /** The due date the reminder was scheduled for. */
  dueAt: string;
  now: Instant;
  financed: boolean;
  evidenceStatus?: string;
}): Alert | null {
  const { record, now, dueAt } = input;
  if (!shouldRemind(record, input.financed)) return null;
  if (toMs(record.dueAt) !== toMs(dueAt)) return null;
  if (!(toMs(dueAt) > toMs(now))) return null;
  const what = pendingWhat(record);
  const left = timeLeftWords(dueAt, now);
  const reasonLabel = record.kind === 'resolution_case' ? 'Issue' : 'Reason';
  const reason = record.reason
    ? record.kind === 'resolution_case'
      ? humanize(record.reason)
      : record.reason
    : 'not given';
  return {
    id: reminderKey(record.id, input.offsetMs, dueAt),
    kind: 'reminder',
    severity: toMs(dueAt) - toMs(now) <= 24 * HOUR ? 'urgent' : 'warning',
    ...about(record),
    dueAt,
    title: `Reminder: ${left} to answer a ${money(record)} ${what}`,
    summary:
      `The ${what} on ${paymentPhrase(record)} (${reasonLabel.toLowerCase()}: ${reason}) still awaits your answer in Whop, ` +
      `due ${formatDateTime(dueAt)}. ` +
      (record.kind === 'resolution_case'
        ? 'Without an answer Whop decides the case.'
        : what === 'inquiry'
          ? 'An unanswered inquiry can become a chargeback.'
          : 'An unanswered chargeback is lost, with a $15 fee.'),
    fields: [
      { label: 'Amount', value: money(record) },
      { label: reasonLabel, value: reason },
      ...dueFields('Respond by', dueAt, now),
      ...field('Evidence', input.evidenceStatus),
      { label: 'Reminder', value: `${offsetWords(input.offsetMs)} before the due date` },
      { label: humanize(what), value: record.id },
    ],
  };
}

/** Sort key: soonest due first, no due date last. */
function dueOrder(r: CaseRecord): number {
  const due = toMs(r.dueAt);
  return Number.isFinite(due) ? due : Number.POSITIVE_INFINITY;
}

/**
 * Everything awaiting the merchant, soonest due first (null when nothing is). `periodKey` names the
 * digest's period (e.g. `2025-03-10` for a daily one): part of the id, so each period sends once.
 */
export function composeDigest(input: {
  companyId: string | null;
  periodKey: string;
  records: readonly CaseRecord[];
  now: Instant;
  /** Cases on financed payments: left out, Whop refunds them. */
  financedCaseIds?: ReadonlySet<string>;
}): Alert | null {
  const { now } = input;
  const pending = input.records
    .filter((r) => shouldRemind(r, input.financedCaseIds?.has(r.id) ?? false))
    .sort((a, b) => dueOrder(a) - dueOrder(b));
  if (pending.length === 0) return null;
  const first = pending[0]!;
  const n = pending.length;
  const fields: AlertField[] = pending.slice(0, MAX_LISTED).map((r) => ({
    label: `${humanize(pendingWhat(r))} ${money(r)}`,
    value: r.dueAt
      ? `due ${formatDateTime(r.dueAt)} (${timeLeftWords(r.dueAt, now)}), ${r.id}`
      : `no due date, ${r.id}`,
  }));
  if (n > MAX_LISTED) fields.push({ label: 'More', value: `and ${n - MAX_LISTED} more` });
  return {
    id: `digest.${idPart(input.companyId ?? 'all')}.${idPart(input.periodKey)}`,
    kind: 'digest',
    severity: dueSeverity(first.dueAt, now, 'warning'),
    companyId: input.companyId,
    title: `${n} ${n === 1 ? 'item awaits' : 'items await'} your answer in Whop`,
    summary:
      `${n} ${n === 1 ? 'dispute or case is' : 'disputes and cases are'} waiting for your answer in Whop.` +
      (first.dueAt
        ? ` The first is due ${formatDateTime(first.dueAt)} (${timeLeftWords(first.dueAt, now)}).`
        : ''),
    fields,
  };
}
