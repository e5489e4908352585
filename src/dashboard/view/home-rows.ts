import { reminderTimes, shouldRemind } from '../../alerts/reminder-schedule.js';
import { formatDateTime, formatMoney, humanize, offsetWords, timeLeftWords } from '../../alerts/wording.js';
import { AWAITING_MERCHANT, type CaseRecord } from '../../cases/case-record.js';
import type { EvidenceState } from '../../evidence/evidence-store.js';
import { type CaseLabel, caseLabel, statusLabel } from './case-labels.js';
import {
  type CaseStrengthView,
  caseStrength,
  type EvidenceStatus,
  evidenceStatus,
} from './evidence-status.js';

const DAY_MS = 24 * 3_600_000;

/** How close a due date is: past, under 24 hours (shown red), later, or none given. */
export type DueTone = 'overdue' | 'urgent' | 'normal' | 'none';

export interface Due {
  /** "Mon 24 Mar 2025, 23:59 UTC", or "No due date". */
  at: string;
  /** "3 days 4 hours left", "due date passed 2 hours ago", or "". */
  left: string;
  tone: DueTone;
}

/** One row of the home page, every value already worded. */
export interface HomeRow {
  id: string;
  href: string;
  label: CaseLabel;
  status: string;
  companyId: string | null;
  due: Due;
  amount: string;
  reason: string | null;
  strength: CaseStrengthView | null;
  /** Disputes only. */
  evidence: EvidenceStatus | null;
  /** "Tue 25 Mar 2025, 09:00 UTC (24 hours before)", or null when none is due. */
  nextReminder: string | null;
}

/**
 * A due date and the time left to it. `awaiting`: whether Whop still waits for the merchant (see
 * AWAITING_MERCHANT); once answered, the date is history and shows no countdown.
 */
export function dueOf(dueAt: string | null, now: Date, awaiting = true): Due {
  if (!dueAt) return { at: 'No due date', left: '', tone: 'none' };
  if (!awaiting) return { at: formatDateTime(dueAt), left: '', tone: 'none' };
  const left = Date.parse(dueAt) - now.getTime();
  const tone: DueTone = !Number.isFinite(left)
    ? 'none'
    : left <= 0
      ? 'overdue'
      : left < DAY_MS
        ? 'urgent'
        : 'normal';
  return { at: formatDateTime(dueAt), left: timeLeftWords(dueAt, now), tone };
}

/**
 * The next reminder still to go out for a record, by the same schedule the alerts worker uses
 * (`reminderTimes` over REMINDER_OFFSETS). Offsets whose moment has passed went out already (or were
 * folded into the one sent when the item was first seen), so the next is the first one still ahead.
 * Null when none is ahead or the record gets no reminders. Financed cases get none either, but the
 * payment method is not in a case record, so one may show a reminder the worker will skip.
 */
export function nextReminder(record: CaseRecord, offsetsMs: readonly number[], now: Date): string | null {
  if (!shouldRemind(record, false)) return null;
  const times = reminderTimes({ dueAt: record.dueAt, offsetsMs, now, firstSeenAt: record.firstSeenAt });
  const next = times.find((t) => !t.immediate);
  return next ? `${formatDateTime(next.fireAt)} (${offsetWords(next.offsetMs)} before)` : null;
}

export function amountOf(record: Pick<CaseRecord, 'amount' | 'currency'>): string {
  return record.amount === null ? '—' : formatMoney(record.amount, record.currency);
}

export function homeRow(
  record: CaseRecord,
  evidence: EvidenceState | undefined,
  now: Date,
  offsetsMs: readonly number[],
): HomeRow {
  return {
    id: record.id,
    href: `/cases/${encodeURIComponent(record.id)}`,
    label: caseLabel(record),
    status: statusLabel(record.status),
    companyId: record.companyId,
    due: dueOf(record.dueAt, now, AWAITING_MERCHANT[record.kind].has(record.status)),
    amount: amountOf(record),
    reason: record.reason ? (record.kind === 'dispute' ? record.reason : humanize(record.reason)) : null,
    strength: caseStrength(evidence),
    evidence: record.kind === 'dispute' ? evidenceStatus(evidence, record.status) : null,
    nextReminder: nextReminder(record, offsetsMs, now),
  };
}
