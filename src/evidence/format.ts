/**
 * Text helpers shared by the evidence builder and the case brief: dates, amounts, plurals, sentences and
 * lists, and fitting text into Whop's field limits without cutting a line in half.
 */
import { isoDate } from '../cases/from-whop.js';

/** Whop's dates (ISO, date-only or Unix seconds) → epoch ms, or null. */
export function toMs(v: unknown): number | null {
  const iso = isoDate(v);
  return iso === null ? null : Date.parse(iso);
}

/** `2025-02-14` */
export function fmtDate(ms: number | string): string {
  return new Date(typeof ms === 'string' ? Date.parse(ms) : ms).toISOString().slice(0, 10);
}

/** `2025-02-14 16:02 UTC` */
export function fmtDateTime(ms: number | string): string {
  const iso = new Date(typeof ms === 'string' ? Date.parse(ms) : ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `49.00 USD`. Whop amounts are in major units; never rounds away digits the amount really has. */
export function fmtAmount(
  amount: number | null | undefined,
  currency: string | null | undefined,
): string | null {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return null;
  const code = (currency ?? '').toUpperCase();
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits!;
  } catch {
    // Not an ISO-shaped code (e.g. whop_usd): two decimals.
  }
  const fixed = amount.toFixed(digits);
  const text = Number(fixed) === amount ? fixed : String(amount);
  return code ? `${text} ${code}` : text;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `your 3 recorded events for this customer are all from before it` (or the singular). */
export function beforeOnly(n: number, whose: string): string {
  return n === 1
    ? `${whose} only recorded event for this customer is from before it`
    : `${whose} ${n} recorded events for this customer are all from before it`;
}

/** `paid_subscriber` → `paid subscriber`. */
export function humanize(value: string): string {
  return value.replace(/_/g, ' ');
}

/** A rough, honest duration: `4 minutes`, `3 hours`, `12 days`. */
export function fmtDelay(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.round(hours / 24), 'day');
}

/** Cuts a single long text at a sentence or word boundary so that it (with the ellipsis) fits `max`. */
export function excerpt(text: string, max: number): string {
  const t = text.trim();
  if (t.length <= max) return t;
  const room = t.slice(0, Math.max(0, max - 1));
  const sentence = Math.max(room.lastIndexOf('. '), room.lastIndexOf('.\n'));
  if (sentence > max * 0.6) return `${room.slice(0, sentence + 1)}…`;
  const space = room.lastIndexOf(' ');
  return `${(space > max * 0.5 ? room.slice(0, space) : room).trimEnd()}…`;
}

/**
 * Fits text into `max` characters by dropping whole trailing lines (and saying so); only a first line
 * longer than `max` on its own is cut, at a word boundary.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = '[…]';
  const lines = text.split('\n');
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const next = length + (kept.length ? 1 : 0) + line.length;
    if (next + 1 + marker.length > max) break;
    kept.push(line);
    length = next;
  }
  if (kept.length === 0) return excerpt(lines[0] ?? '', max);
  return `${kept.join('\n').trimEnd()}\n${marker}`;
}

/** A left-aligned fixed-width table; each cell already short. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** Shortens a table cell, marking the cut. */
export function cell(value: string | null, max: number): string {
  if (!value) return '-';
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** For names that may start a sentence ("the customer" → "The customer"). */
export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Merchant-written text used as a sentence: ends with a full stop. */
export const sentence = (s: string): string => (/[.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** `47 of the 52 later events` or `all 47 later events`. */
export const share = (n: number, of: number, what: string): string =>
  n === of
    ? `${n === 1 ? 'the one' : `all ${n}`} ${n === 1 ? what : `${what}s`}`
    : `${n} of the ${plural(of, what)}`;

/** `a, b, c and 4 more`: at most `max` values listed. */
export function listWithMore(values: string[], max: number): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}
