import { defaultRepeatStrategy, type RepeatOptions } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { digestPeriodKey, digestRepeat } from './digest-schedule.js';

/** The next `n` moments the digest's job scheduler fires, computed as BullMQ computes them. */
function firings(at: string, timeZone: string, fromIso: string, n: number): number[] {
  const repeat = digestRepeat(at, timeZone) as RepeatOptions;
  const out: number[] = [];
  for (let t = Date.parse(fromIso); out.length < n; ) {
    t = defaultRepeatStrategy(t, repeat)!;
    out.push(t);
  }
  return out;
}

const wallClock = (ms: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    ms,
  );

const nextDay = (ymd: string) =>
  new Date(Date.parse(`${ymd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('the daily digest across daylight-saving changes and zones', () => {
  it.each([
    // zone, DIGEST_AT, from (a few days before a change), the wall-clock time on the change's day
    ['Europe/London', '00:30', '2025-03-27T12:00:00Z', '00:30'], // spring forward at 01:00
    ['Europe/London', '01:30', '2025-10-23T12:00:00Z', '01:30'], // fall back: 01:30 happens twice
    ['America/New_York', '02:30', '2025-03-06T12:00:00Z', '03:30'], // spring forward: 02:30 never happens
    ['America/New_York', '19:30', '2025-03-06T12:00:00Z', '19:30'],
    ['America/New_York', '01:30', '2025-10-30T12:00:00Z', '01:30'], // fall back: 01:30 happens twice
    ['Australia/Sydney', '09:00', '2025-04-03T12:00:00Z', '09:00'], // fall back (southern autumn)
    ['Australia/Sydney', '02:30', '2025-10-02T12:00:00Z', '03:30'], // spring forward at 02:00
    ['Asia/Kolkata', '09:00', '2025-03-06T12:00:00Z', '09:00'], // no daylight saving, UTC+05:30
    ['UTC', '09:00', '2025-03-27T12:00:00Z', '09:00'],
  ])('%s at %s: one digest per local day, each for its own day', (zone, at, from, onChangeDay) => {
    const times = firings(at, zone, from, 8);
    const days = times.map((t) => digestPeriodKey(t, zone));
    // Eight consecutive local days: none skipped, none twice.
    for (let i = 1; i < days.length; i++) expect(days[i]).toBe(nextDay(days[i - 1]!));
    // At DIGEST_AT local time, except where that time does not exist that day (an hour later, then).
    const clocks = times.map((t) => wallClock(t, zone));
    expect(clocks.filter((c) => c !== at).every((c) => c === onChangeDay)).toBe(true);
    expect(clocks.filter((c) => c !== at).length).toBeLessThanOrEqual(1);
  });

  it('two local days whose digests fall on one UTC date keep apart (they once shared an id, and the second was dropped)', () => {
    // London: 00:30 GMT on 30 March, then 00:30 BST on 31 March = 23:30 UTC on 30 March.
    const [a, b] = firings('00:30', 'Europe/London', '2025-03-29T12:00:00Z', 2) as [number, number];
    expect([new Date(a).toISOString(), new Date(b).toISOString()]).toEqual([
      '2025-03-30T00:30:00.000Z',
      '2025-03-30T23:30:00.000Z',
    ]);
    expect([digestPeriodKey(a, 'Europe/London'), digestPeriodKey(b, 'Europe/London')]).toEqual([
      '2025-03-30',
      '2025-03-31',
    ]);
    // New York at 19:30: 8 March EST and 9 March EDT are both 9 March in UTC.
    const [c, d] = firings('19:30', 'America/New_York', '2025-03-08T12:00:00Z', 2) as [number, number];
    expect(new Date(c).toISOString().slice(0, 10)).toBe(new Date(d).toISOString().slice(0, 10));
    expect(digestPeriodKey(c, 'America/New_York')).not.toBe(digestPeriodKey(d, 'America/New_York'));
  });

  it('a zone east of UTC names the local day, not the UTC one', () => {
    // 08:00 in Tokyo on 10 March is 23:00 UTC on 9 March.
    expect(digestPeriodKey('2025-03-09T23:00:00Z', 'Asia/Tokyo')).toBe('2025-03-10');
    expect(digestPeriodKey('2025-03-09T23:00:00Z', 'UTC')).toBe('2025-03-09');
  });

  it('refuses an unreadable instant or zone', () => {
    expect(() => digestPeriodKey('soon', 'UTC')).toThrow(RangeError);
    expect(() => digestPeriodKey(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
