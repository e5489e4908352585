/**
 * The due-date reminder: what awaits the merchant, how long is left, and what happens without an
 * answer. Pure: `now` is a parameter; the times it fires at come from `reminderTimes`.
 */
import type { CaseRecord } from '../cases/case-record.js';
import type { Alert } from './alert.js';
import { about, dueFields, field, HOUR, money, paymentPhrase, pendingWhat } from './compose-parts.js';
import { reminderKey, shouldRemind } from './reminder-schedule.js';
import { formatDateTime, humanize, type Instant, offsetWords, timeLeftWords, toMs } from './wording.js';

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
