/**
 * Alerts about Resolution Center cases, composed from their case events (see `composeCaseEventAlert`):
 * a case awaiting the merchant, a case on a financed payment Whop refunds by itself, and a decided case
 * with its appeal. Pure: `now` is a parameter.
 */
import type { CaseEvent, CaseRecord } from '../cases/case-record.js';
import type { Alert, AlertField } from './alert.js';
import {
  about,
  byPhrase,
  type CaseEventFacts,
  dueFields,
  dueSeverity,
  eventAlertId,
  field,
  money,
  paymentPhrase,
  titleDue,
  withDue,
} from './compose-parts.js';
import { formatDateTime, formatShortDate, humanize, timeLeftWords, toMs, withArticle } from './wording.js';

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
    title: `Resolution Center case on ${withArticle(provider)} payment: ${money(record)} — no action needed`,
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

/**
 * A case that awaits the merchant's answer (new, again, or Whop asking for more information): warning,
 * urgent within 48 hours of its due date.
 */
export function composeCaseAwaitingMerchant(
  event: CaseEvent,
  record: CaseRecord,
  facts: CaseEventFacts,
): Alert {
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

/**
 * A decided case: for the merchant or withdrawn (info), or for the customer (warning, unless Whop refunds
 * a financed payment by itself), saying whether and until when the merchant can appeal.
 */
export function composeCaseDecided(
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
