import { type Instant, toMs } from './wording.js';

/**
 * When the daily digest goes out: `DIGEST_AT` ('HH:MM', wall-clock time) in `TZ` (IANA), as a BullMQ job
 * scheduler's cron repeat. The scheduler (cron-parser) follows the zone's daylight-saving changes: one
 * digest per local day at that wall-clock time; on a spring-forward day whose `DIGEST_AT` does not exist
 * (02:30 in New York), an hour later; on a fall-back day whose `DIGEST_AT` occurs twice, at the first.
 * One zone it gets wrong: where the clocks jump by half an hour (Australia/Lord_Howe), a `DIGEST_AT`
 * inside the skipped half-hour skips that day's digest.
 */
export function digestRepeat(at: string, timeZone: string): { pattern: string; tz: string } {
  const [hour, minute] = at.split(':').map(Number);
  return { pattern: `${minute} ${hour} * * *`, tz: timeZone };
}

/**
 * The day a digest is for: the local calendar date (`YYYY-MM-DD`) in `timeZone` of the moment it was
 * scheduled for. It is part of the digest's alert id, so each day's digest goes out once — and only a
 * local date keeps two days apart: the UTC dates of two local days' digests can be the same (London's
 * 00:30 digests of 30 and 31 March 2025 are both on 30 March in UTC, 23 hours apart), which once
 * silently dropped the second as a duplicate. Throws RangeError on an unreadable instant or zone.
 */
export function digestPeriodKey(scheduledFor: Instant, timeZone: string): string {
  const ms = toMs(scheduledFor);
  if (!Number.isFinite(ms)) throw new RangeError(`digestPeriodKey: unreadable instant "${scheduledFor}"`);
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
}
