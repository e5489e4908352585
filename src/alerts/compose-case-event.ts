/**
 * Composers: facts in, a worded Alert out. Pure — `now` is a parameter, nothing reads a clock or the
 * network — so the same facts always make the same alert, with the same `id` (the dedupe key).
 * Event-driven alerts use the event's status and due date (what the transition was about) and the
 * record for everything else (amount, reason, Whop's details). This file: the alert each case event
 * deserves, and those about disputes, dispute alerts and refunds; Resolution Center cases are worded in
 * compose-resolution-case.ts.
 */
import { AWAITING_MERCHANT, type CaseEvent, type CaseRecord } from '../cases/case-record.js';
import { financedProvider } from '../cases/financed.js';
import type { Alert } from './alert.js';
import {
  about,
  byPhrase,
  type CaseEventFacts,
  dueFields,
  dueSeverity,
  eventAlertId,
  field,
  money,
  paymentMethodOf,
  paymentPhrase,
  productOf,
  stillAwaiting,
  str,
  strengthFields,
  titleDue,
  withDue,
} from './compose-parts.js';
import {
  composeCaseAwaitingMerchant,
  composeCaseDecided,
  composeFinancedCase,
} from './compose-resolution-case.js';
import { formatDateTime, humanize, withArticle } from './wording.js';

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
      if (stillAwaiting(record)) return disputeNeedsResponse(event, record, facts);
      return facts.submittedAt ? disputeAnsweredByAutopilot(event, record, facts, facts.submittedAt) : null;
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
      return financed || !stillAwaiting(record) ? null : composeCaseAwaitingMerchant(event, record, facts);
    case 'case.decided':
      return composeCaseDecided(event, record, facts, financed);
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
      `${withArticle(what, true)} on ${paymentPhrase(record)} (reason: ${record.reason ?? 'not given'}) is now tracked. ` +
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
      ...strengthFields(facts.strength),
      ...field('Product', productOf(record)),
      { label: inquiry ? 'Inquiry' : 'Dispute', value: record.id },
      ...field('Payment', record.paymentId),
    ],
  };
}

/**
 * A new dispute or inquiry the autopilot already answered (evidence submitted within the opening's
 * coalescing window): told once, as news, with what was submitted and the case strength. Info.
 */
function disputeAnsweredByAutopilot(
  event: CaseEvent,
  record: CaseRecord,
  facts: CaseEventFacts,
  submittedAt: string,
): Alert {
  const inquiry = event.status === 'warning_needs_response';
  const dueAt = event.dueAt ?? record.dueAt;
  const reason = record.reason ?? 'not given';
  const what = inquiry ? 'an inquiry' : 'a chargeback';
  return {
    id: eventAlertId(event),
    kind: 'dispute_opened',
    severity: 'info',
    ...about(record),
    ...withDue(dueAt),
    title: `${inquiry ? 'Inquiry' : 'Chargeback'}: ${money(record)} — evidence submitted automatically`,
    summary:
      `The customer's bank opened ${what} on ${paymentPhrase(record)} (reason: ${reason}). The autopilot ` +
      `submitted the evidence on ${formatDateTime(submittedAt)}; it can no longer be changed, and the bank decides next. ` +
      'Nothing to do now: you will hear the outcome.',
    fields: [
      { label: 'Amount', value: money(record) },
      { label: 'Reason', value: reason },
      ...field('Was due', dueAt ? formatDateTime(dueAt) : null),
      ...field('Evidence', facts.evidenceStatus),
      ...strengthFields(facts.strength),
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
  const label = known?.label ?? humanize(type).toLowerCase();
  const { refund } = facts;
  // Folded in from auto-refund (issue 12): refunded is news, not a request; not refunded says why.
  const title = !refund
    ? `Dispute alert: ${money(record)} (${label})`
    : refund.handled
      ? `Dispute alert refunded automatically: ${money(record)} (${label})`
      : `Dispute alert: ${money(record)} (${label}) — not refunded`;
  const next = !refund
    ? ''
    : refund.handled
      ? `Auto-refund: ${refund.said} Nothing to do.`
      : `Auto-refund: ${refund.said} Refund it in Whop or contact the customer to head off a chargeback.`;
  return {
    id: eventAlertId(event),
    kind: 'dispute_alert',
    severity: refund?.handled ? 'info' : 'warning',
    ...about(record),
    title,
    summary: [
      `${known?.explain ?? `Whop raised ${withArticle(humanize(type).toLowerCase())} alert on this payment.`}`,
      record.amount === null && !productOf(record) ? '' : `It was ${paymentPhrase(record)}.`,
      facts.policyAction ? `What we did: ${facts.policyAction}.` : '',
      next,
    ]
      .filter(Boolean)
      .join(' '),
    fields: [
      { label: 'Type', value: known?.label ?? humanize(type) },
      { label: 'Amount', value: money(record) },
      ...field('What we did', facts.policyAction),
      ...field('Auto-refund', refund?.said),
      ...field('Rule', refund?.rule),
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
