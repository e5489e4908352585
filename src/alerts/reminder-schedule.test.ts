import { describe, expect, it } from 'vitest';
import { recordOf } from '../../test/support/builders/case-records.js';
import { whopCase, whopDispute } from '../../test/support/builders/whop-cases.js';
import { reminderKey, reminderTimes, shouldRemind } from './reminder-schedule.js';

const H = 3_600_000;
const OFFSETS = [72 * H, 24 * H, 6 * H];
const DUE = '2025-03-24T23:59:59.000Z';
const due = Date.parse(DUE);
const iso = (ms: number) => new Date(ms).toISOString();

describe('reminderTimes', () => {
  it('an item seen well before the due date gets every offset at due − offset, largest first', () => {
    const now = iso(due - 5 * 24 * H);
    expect(reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now, firstSeenAt: now })).toEqual([
      { offsetMs: 72 * H, fireAt: iso(due - 72 * H), delayMs: 48 * H, immediate: false },
      { offsetMs: 24 * H, fireAt: iso(due - 24 * H), delayMs: 96 * H, immediate: false },
      { offsetMs: 6 * H, fireAt: iso(due - 6 * H), delayMs: 114 * H, immediate: false },
    ]);
  });

  it('an item first seen past two offsets gets exactly one immediate reminder (the nearest), then the rest', () => {
    const seen = iso(due - 10 * H);
    const times = reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now: seen, firstSeenAt: seen });
    expect(times).toEqual([
      { offsetMs: 24 * H, fireAt: seen, delayMs: 0, immediate: true },
      { offsetMs: 6 * H, fireAt: iso(due - 6 * H), delayMs: 4 * H, immediate: false },
    ]);
    expect(times.filter((t) => t.immediate)).toHaveLength(1);
  });

  it('first seen past every offset: one immediate reminder, nothing else', () => {
    const seen = iso(due - 2 * H);
    expect(reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now: seen, firstSeenAt: seen })).toEqual([
      { offsetMs: 6 * H, fireAt: seen, delayMs: 0, immediate: true },
    ]);
  });

  it('exactly at an offset counts as passed: fired once, now', () => {
    const seen = iso(due - 24 * H);
    expect(reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now: seen, firstSeenAt: seen })[0]).toEqual({
      offsetMs: 24 * H,
      fireAt: seen,
      delayMs: 0,
      immediate: true,
    });
  });

  it.each([
    // seen (h before due), opening went out (h before due), the offsets reminded, [offset h, immediate]
    ['past two offsets: the opening covers them, only the later one is reminded', 10, 10, [[6, false]]],
    ['past every offset: the opening is the only message', 2, 2, []],
    ['an offset falling inside the coalescing window is covered too', 24.001, 23.999, [[6, false]]],
    [
      'seen in time: nothing covered',
      100,
      99.9,
      [
        [72, false],
        [24, false],
        [6, false],
      ],
    ],
  ] as const)('with the opening message: %s', (_, seenH, openedH, expected) => {
    const seen = iso(due - seenH * H);
    const times = reminderTimes({
      dueAt: DUE,
      offsetsMs: OFFSETS,
      now: seen,
      firstSeenAt: seen,
      coveredUntil: iso(due - openedH * H),
    });
    expect(times.map((t) => [t.offsetMs / H, t.immediate])).toEqual(expected);
  });

  it('the sweep recomputing after the opening: covered offsets stay covered, missed later ones collapse into one', () => {
    const firstSeenAt = iso(due - 30 * H);
    const opened = iso(due - 30 * H + 5000);
    // Down from 30 h to 5 h before the due date: the 24 h and 6 h offsets were missed, the 72 h one covered.
    const now = iso(due - 5 * H);
    const times = reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now, firstSeenAt, coveredUntil: opened });
    expect(times.map((t) => [t.offsetMs / H, t.immediate])).toEqual([[6, true]]);
  });

  it('recomputing later (scheduler down) does not burst: missed offsets collapse into one, same key as on time', () => {
    const firstSeenAt = iso(due - 5 * 24 * H);
    const now = iso(due - 10 * H);
    const times = reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now, firstSeenAt });
    expect(times.map((t) => [t.offsetMs / H, t.immediate])).toEqual([
      [24, true],
      [6, false],
    ]);
    // The same (item, offset, due) key as the on-time 24h reminder: if that one went out, this is dropped.
    expect(reminderKey('dspt_1', times[0]!.offsetMs, DUE)).toBe(reminderKey('dspt_1', 24 * H, DUE));
  });

  it('none at or after the due date', () => {
    for (const t of [due, due + 1, due + 24 * H]) {
      expect(reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now: iso(t), firstSeenAt: iso(t) })).toEqual([]);
    }
  });

  it('no due date, an unreadable one, or no offsets: nothing', () => {
    const now = iso(due - 5 * 24 * H);
    expect(reminderTimes({ dueAt: null, offsetsMs: OFFSETS, now, firstSeenAt: now })).toEqual([]);
    expect(reminderTimes({ dueAt: 'soon', offsetsMs: OFFSETS, now, firstSeenAt: now })).toEqual([]);
    expect(reminderTimes({ dueAt: DUE, offsetsMs: [], now, firstSeenAt: now })).toEqual([]);
  });

  it('ignores duplicate, zero, negative and non-finite offsets', () => {
    const now = iso(due - 5 * 24 * H);
    const times = reminderTimes({
      dueAt: DUE,
      offsetsMs: [24 * H, 24 * H, 0, -H, Number.NaN, Number.POSITIVE_INFINITY],
      now,
      firstSeenAt: now,
    });
    expect(times.map((t) => t.offsetMs)).toEqual([24 * H]);
  });

  it('a due date moved later starts over under new keys; moved closer, one immediate reminder', () => {
    const firstSeenAt = iso(due - 5 * 24 * H);
    const now = iso(due - 30 * H);
    const later = iso(due + 48 * H);
    const moved = reminderTimes({ dueAt: later, offsetsMs: OFFSETS, now, firstSeenAt });
    expect(moved.map((t) => t.fireAt)).toEqual([
      iso(due + 48 * H - 72 * H),
      iso(due + 48 * H - 24 * H),
      iso(due + 48 * H - 6 * H),
    ]);
    expect(moved.every((t) => !t.immediate)).toBe(true);
    expect(reminderKey('dspt_1', 24 * H, later)).not.toBe(reminderKey('dspt_1', 24 * H, DUE));

    const closer = iso(due - 28 * H); // 2 hours from now: 72h and 24h and 6h all passed
    expect(reminderTimes({ dueAt: closer, offsetsMs: OFFSETS, now, firstSeenAt })).toEqual([
      { offsetMs: 6 * H, fireAt: now, delayMs: 0, immediate: true },
    ]);
  });

  it('a firstSeenAt ahead of now (another host’s clock) is the reference, never a reminder in the past', () => {
    const now = iso(due - 25 * H);
    const firstSeenAt = iso(due - 23 * H);
    expect(reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now, firstSeenAt })).toEqual([
      { offsetMs: 24 * H, fireAt: firstSeenAt, delayMs: 2 * H, immediate: true },
      { offsetMs: 6 * H, fireAt: iso(due - 6 * H), delayMs: 19 * H, immediate: false },
    ]);
  });

  it('accepts Dates and epoch milliseconds as well as ISO strings', () => {
    const now = due - 10 * H;
    expect(reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now: new Date(now), firstSeenAt: now })).toEqual(
      reminderTimes({ dueAt: DUE, offsetsMs: OFFSETS, now: iso(now), firstSeenAt: iso(now) }),
    );
  });
});

describe('reminderTimes across time zones and daylight-saving changes', () => {
  // Offsets are elapsed time: "24h before" is 24 real hours before the due date, whatever the clocks on
  // the wall do in between, and the same however Whop spells the date.
  it.each([
    // due date as Whop might write it, the same instant in UTC, a DST change within the 72 h before it
    ['2025-03-10T09:00:00-04:00', '2025-03-10T13:00:00.000Z', 'New York springs forward 9 Mar'],
    ['2025-11-03T09:00:00-05:00', '2025-11-03T14:00:00.000Z', 'New York falls back 2 Nov'],
    ['2025-03-31T09:00:00+01:00', '2025-03-31T08:00:00.000Z', 'London springs forward 30 Mar'],
    ['2025-10-06T09:00:00+11:00', '2025-10-05T22:00:00.000Z', 'Sydney springs forward 5 Oct'],
    ['2025-03-10T09:00:00+05:30', '2025-03-10T03:30:00.000Z', 'Kolkata, no DST'],
  ])('due %s (%s, %s): each reminder exactly its offset before, in elapsed time', (spelled, utc) => {
    const dueMs = Date.parse(utc);
    const now = iso(dueMs - 5 * 24 * H);
    const times = reminderTimes({ dueAt: spelled, offsetsMs: OFFSETS, now, firstSeenAt: now });
    expect(times).toEqual(reminderTimes({ dueAt: utc, offsetsMs: OFFSETS, now, firstSeenAt: now }));
    expect(times.map((t) => dueMs - Date.parse(t.fireAt))).toEqual(OFFSETS);
    expect(times.map((t) => t.delayMs)).toEqual(OFFSETS.map((o) => dueMs - o - Date.parse(now)));
    for (const o of OFFSETS) expect(reminderKey('dspt_1', o, spelled)).toBe(reminderKey('dspt_1', o, utc));
  });

  it('24 h before a due date just after New York springs forward is 08:00 the day before on the wall, not 09:00', () => {
    const due = '2025-03-09T09:00:00-04:00'; // EDT: clocks went forward at 02:00 that morning
    const now = '2025-03-04T12:00:00Z';
    const [, day] = reminderTimes({ dueAt: due, offsetsMs: OFFSETS, now, firstSeenAt: now });
    expect(day!.fireAt).toBe('2025-03-08T13:00:00.000Z');
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(Date.parse(day!.fireAt));
    // 13:00 UTC on 8 March is 08:00 EST: 24 real hours before, across the hour the clocks skipped.
    expect(wall).toBe('08:00');
  });

  it('a due date already past when first seen, whatever its zone: no reminder', () => {
    const now = '2025-03-10T14:00:00Z';
    for (const due of ['2025-03-10T09:59:59-04:00', '2025-03-10T15:00:00+01:00', '2025-03-10T13:00:00Z']) {
      expect(reminderTimes({ dueAt: due, offsetsMs: OFFSETS, now, firstSeenAt: now })).toEqual([]);
    }
  });
});

describe('reminderKey', () => {
  it('is (item, offset, due date), the same for any spelling of the date, and colon-free', () => {
    const a = reminderKey('dspt_5Vn8QxLk2m', 24 * H, '2025-03-24T23:59:59Z');
    expect(a).toBe(reminderKey('dspt_5Vn8QxLk2m', 24 * H, '2025-03-24T23:59:59.000Z'));
    expect(a).toBe(`reminder.dspt_5Vn8QxLk2m.${24 * H}.${due}`);
    expect(a).not.toContain(':');
    expect(reminderKey('dspt_5Vn8QxLk2m', 6 * H, DUE)).not.toBe(a);
    expect(reminderKey('dspt_other', 24 * H, DUE)).not.toBe(a);
  });

  it('refuses an unreadable due date', () => {
    expect(() => reminderKey('dspt_1', H, 'tomorrow')).toThrow(/unreadable due date/);
  });
});

describe('shouldRemind', () => {
  it('disputes and inquiries needing a response, cases awaiting the merchant', () => {
    expect(shouldRemind(recordOf('dispute', whopDispute()), false)).toBe(true);
    expect(shouldRemind(recordOf('dispute', whopDispute({ status: 'warning_needs_response' })), false)).toBe(
      true,
    );
    expect(shouldRemind(recordOf('resolution_case', whopCase()), false)).toBe(true);
    expect(
      shouldRemind(recordOf('resolution_case', whopCase({ status: 'merchant_info_needed' })), false),
    ).toBe(true);
  });

  it('nothing else, and never a case on a financed payment', () => {
    for (const status of [
      'under_review',
      'warning_under_review',
      'won',
      'lost',
      'closed',
      'warning_closed',
      'other',
    ] as const) {
      expect(shouldRemind(recordOf('dispute', whopDispute({ status })), false)).toBe(false);
    }
    for (const status of [
      'customer_response_needed',
      'under_platform_review',
      'customer_won',
      'merchant_won',
    ] as const) {
      expect(shouldRemind(recordOf('resolution_case', whopCase({ status })), false)).toBe(false);
    }
    expect(shouldRemind(recordOf('resolution_case', whopCase()), true)).toBe(false);
    expect(shouldRemind({ kind: 'refund', status: 'pending' }, false)).toBe(false);
    expect(shouldRemind({ kind: 'dispute_alert', status: 'alerted' }, false)).toBe(false);
  });
});
