/**
 * How alerts say times, money and Whop's codes. Pure and locale-independent: the same facts always read
 * the same, whatever machine renders them. Times are in UTC and say so, since we do not know the
 * merchant's time zone (Slack messages also carry a local-time rendering, see format-slack.ts).
 */

/** A point in time as callers have it: a Date, an ISO string, or epoch milliseconds. */
export type Instant = Date | string | number;

/** Epoch milliseconds, or NaN when unreadable. */
export function toMs(t: Instant | null | undefined): number {
  if (t === null || t === undefined) return Number.NaN;
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'number') return t;
  return Date.parse(t);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * A duration in the two largest units, rounded down so it never promises more time than there is:
 * "3 days 4 hours", "5 hours 12 minutes", "12 minutes", "less than a minute".
 */
export function durationWords(ms: number): string {
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day');
  if (hours > 0)
    return minutes > 0 ? `${plural(hours, 'hour')} ${plural(minutes, 'minute')}` : plural(hours, 'hour');
  if (minutes > 0) return plural(minutes, 'minute');
  return 'less than a minute';
}

/** "3 days 4 hours left", or "due date passed 2 hours ago". */
export function timeLeftWords(dueAt: Instant, now: Instant): string {
  const left = toMs(dueAt) - toMs(now);
  if (!Number.isFinite(left)) return 'unknown';
  if (left > 0) return `${durationWords(left)} left`;
  return `due date passed ${durationWords(-left)} ago`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "Mon 24 Mar 2025, 23:59 UTC". */
export function formatDateTime(t: Instant): string {
  const ms = toMs(t);
  if (!Number.isFinite(ms)) return String(t);
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "Mon 24 Mar", for titles. */
export function formatShortDate(t: Instant): string {
  const ms = toMs(t);
  if (!Number.isFinite(ms)) return String(t);
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** "$49.00", "€19.50"; an unknown currency code as "49.00 XYZ". Amounts are in the major unit. */
export function formatMoney(value: number, currency: string | null | undefined): string {
  const code = (currency ?? '').toUpperCase();
  if (/^[A-Z]{3}$/.test(code)) {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).format(value);
    } catch {
      // Intl rejects codes it does not know; fall through to the plain form.
    }
  }
  return code ? `${value.toFixed(2)} ${code}` : value.toFixed(2);
}

/** 0.0075 → "0.75%", 0.015 → "1.5%", 0.02 → "2%". */
export function formatPercent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

/** Whop's snake_case codes in words: "forgot_to_cancel" → "Forgot to cancel". */
export function humanize(code: string): string {
  const words = code.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * `phrase` with its indefinite article: "an evidence job", "an inquiry", "a chargeback", "a $49.00
 * payment". By the first letter (a vowel takes "an"), except words said with a consonant sound first
 * ("a user", "a unit", "a one-off", "a euro"); a phrase starting with a digit or a symbol takes "a".
 * `capital`: "An"/"A", to open a sentence.
 */
export function withArticle(phrase: string, capital = false): string {
  const vowel = /^[aeiou]/i.test(phrase) && !/^(u[bcdfgklmnprstvz][aeiou]|uni|eu|one\b|once\b)/i.test(phrase);
  const article = vowel ? 'an' : 'a';
  return `${capital ? article.charAt(0).toUpperCase() + article.slice(1) : article} ${phrase}`;
}

/** A reminder offset in words: 72h → "72 hours", 7d → "7 days", 30m → "30 minutes". */
export function offsetWords(ms: number): string {
  if (ms % DAY === 0 && ms >= 4 * DAY) return plural(ms / DAY, 'day');
  if (ms % HOUR === 0) return plural(ms / HOUR, 'hour');
  if (ms % MINUTE === 0) return plural(ms / MINUTE, 'minute');
  return plural(Math.round(ms / 1000), 'second');
}
