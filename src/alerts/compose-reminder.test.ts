import { describe, expect, it } from 'vitest';
import { advance, recordOf } from '../../test/support/builders/case-records.js';
import { whopCase, whopDispute } from '../../test/support/builders/whop-cases.js';
import { expectProduced, fieldValue, NOW, seen } from '../../test/support/compose-checks.js';
import { composeReminder } from './compose-reminder.js';
import { reminderKey } from './reminder-schedule.js';

describe('reminders', () => {
  const dispute = recordOf('dispute', whopDispute());
  const due = dispute.dueAt!;
  const DAY = 86_400_000;

  it('a reminder: time left, offset, keyed by (item, offset, due date)', () => {
    const a = seen(
      composeReminder({ record: dispute, offsetMs: 3 * DAY, dueAt: due, now: NOW, financed: false }),
    );
    expect(a).toMatchObject({
      id: reminderKey(dispute.id, 3 * DAY, due),
      kind: 'reminder',
      severity: 'warning',
      title: 'Reminder: 3 days 4 hours left to answer a $49.00 chargeback',
      dueAt: due,
    });
    expect(fieldValue(a, 'Reminder')).toBe('72 hours before the due date');
    expect(a.summary).toContain('still awaits your answer in Whop, due Mon 24 Mar 2025, 23:59 UTC');
    const late = composeReminder({
      record: dispute,
      offsetMs: 6 * 3_600_000,
      dueAt: due,
      now: '2025-03-24T18:00:00.000Z',
      financed: false,
    })!;
    expect(late.severity).toBe('urgent');
    expect(late.title).toBe('Reminder: 5 hours 59 minutes left to answer a $49.00 chargeback');
  });

  it('an obsolete reminder composes nothing: answered, due date moved, past due, financed case', () => {
    const base = { offsetMs: DAY, dueAt: due, now: NOW, financed: false };
    const answered = advance(dispute, whopDispute({ status: 'under_review' }), '2025-03-21T00:00:00.000Z');
    expect(composeReminder({ ...base, record: answered })).toBeNull();
    const moved = advance(
      dispute,
      whopDispute({ needs_response_by: '2025-03-26T23:59:59.000Z' }),
      '2025-03-21T00:00:00.000Z',
    );
    expect(composeReminder({ ...base, record: moved })).toBeNull();
    expect(composeReminder({ ...base, record: moved, dueAt: moved.dueAt! })).not.toBeNull();
    expect(composeReminder({ ...base, record: dispute, now: '2025-03-25T00:00:00.000Z' })).toBeNull();
    const kase = recordOf('resolution_case', whopCase());
    expect(
      composeReminder({ ...base, record: kase, dueAt: kase.dueAt!, now: '2025-03-12T00:00:00.000Z' }),
    ).not.toBeNull();
    expect(
      composeReminder({
        ...base,
        record: kase,
        dueAt: kase.dueAt!,
        now: '2025-03-12T00:00:00.000Z',
        financed: true,
      }),
    ).toBeNull();
  });
});

describe('alert kinds', () => {
  it('compose-reminder.ts produces exactly the kinds it is listed with', () => {
    expectProduced('compose-reminder');
  });
});
