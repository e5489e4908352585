import { AWAITING_MERCHANT, type CaseRecord } from '../cases/case-record.js';
import { type Instant, toMs } from './wording.js';

/**
 * Whether a record deserves due-date reminders: a dispute or inquiry needing a response, or a case
 * awaiting the merchant. Never a case on a financed payment (`financed`, see src/cases/financed.ts): Whop refunds
 * those itself, and the caller is the one who knows the payment method.
 */
export function shouldRemind(record: Pick<CaseRecord, 'kind' | 'status'>, financed: boolean): boolean {
  if (financed && record.kind === 'resolution_case') return false;
  return AWAITING_MERCHANT[record.kind].has(record.status);
}

export interface ReminderTime {
  offsetMs: number;
  /** ISO 8601. */
  fireAt: string;
  /** From `now` to `fireAt`, never negative: a BullMQ `delay`. */
  delayMs: number;
  /** Fired at once because its moment had already passed (at most one per schedule). */
  immediate: boolean;
}

/**
 * When to remind about an item due at `dueAt`: each offset fires at `due − offset`. Offsets whose moment
 * has passed (the item was first seen late, the due date moved closer, or the scheduler was down) are
 * not sent as a burst of stale reminders: they collapse into ONE immediate reminder, for the smallest of
 * them (the one closest to the due date, whose wording fits best). Nothing is scheduled at or after the
 * due date. "Passed" is judged at the later of `now` and `firstSeenAt`, which also guards against a
 * `firstSeenAt` written by a host whose clock runs ahead.
 *
 * An opening message (`coveredUntil`: when the one about this item and due date went out) is itself the
 * catch-up: offsets whose moment came at or before it are not reminded at all, so the merchant never
 * gets "6 hours left" next to the message that already says so. Later offsets keep their times.
 *
 * Recomputing is harmless: the same inputs give the same reminders, and `reminderKey` makes each
 * (item, offset, due date) go out at most once per channel, so an immediate reminder for an offset that
 * was in fact already sent is dropped by its key.
 */
export function reminderTimes(input: {
  dueAt: string | null;
  offsetsMs: readonly number[];
  now: Instant;
  firstSeenAt: Instant;
  /** When the item's opening message for this due date went out (it covers the offsets passed by then). */
  coveredUntil?: Instant | null;
}): ReminderTime[] {
  const due = toMs(input.dueAt);
  const now = toMs(input.now);
  if (!Number.isFinite(due) || !Number.isFinite(now)) return [];
  const seen = toMs(input.firstSeenAt);
  const reference = Number.isFinite(seen) ? Math.max(now, seen) : now;
  if (due <= reference) return [];

  const covered = toMs(input.coveredUntil);
  const offsets = [...new Set(input.offsetsMs)].filter(
    (o) => Number.isFinite(o) && o > 0 && !(due - o <= covered),
  );
  const passed = offsets.filter((o) => due - o <= reference);
  const upcoming = offsets.filter((o) => due - o > reference).sort((a, b) => b - a);

  const out: ReminderTime[] = [];
  if (passed.length > 0) {
    out.push({
      offsetMs: Math.min(...passed),
      fireAt: new Date(reference).toISOString(),
      delayMs: reference - now,
      immediate: true,
    });
  }
  for (const offsetMs of upcoming) {
    const fireAt = due - offsetMs;
    out.push({ offsetMs, fireAt: new Date(fireAt).toISOString(), delayMs: fireAt - now, immediate: false });
  }
  return out;
}

/**
 * The dedupe key of one reminder: (item, offset, due date). A moved due date gives new keys (the
 * reminders start over for the new date) and orphans the old ones (`composeReminder` returns null for
 * them). No `:` in it, so it can be a BullMQ job id as it is.
 */
export function reminderKey(caseId: string, offsetMs: number, dueAt: string): string {
  const due = toMs(dueAt);
  if (!Number.isFinite(due)) throw new RangeError(`reminderKey: unreadable due date "${dueAt}"`);
  return `reminder.${caseId.replace(/:/g, '.')}.${offsetMs}.${due}`;
}
