/**
 * Validation of one access event as the merchant spells it (snake_case fields), into an AccessEvent:
 * the field rules, the timestamp check, a hint for a typo'd field, and the content-derived id of an
 * event sent without one. Pure: no I/O. The readers of whole bodies and files (parse-access-events.ts,
 * csv-access-event-reader.ts) judge each event with it, so one bad line never costs its neighbours.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { MAX_JSON_DEPTH } from '../json/json-depth.js';
import type { AccessEvent } from './access-event.js';

/** The fields an event may have, as the merchant spells them. Anything else is refused, not dropped. */
export const ACCESS_EVENT_FIELDS = [
  'event_id',
  'user_id',
  'membership_id',
  'email',
  'occurred_at',
  'action',
  'ip',
  'user_agent',
  'device_id',
  'session_id',
  'metadata',
] as const;

/** The known fields, for lookups. */
export const KNOWN_FIELDS = new Set<string>(ACCESS_EVENT_FIELDS);
const REQUIRED = new Set(['occurred_at', 'action']);

export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
export const EARLIEST_OCCURRED_AT_MS = Date.UTC(2000, 0, 1);
export const MAX_METADATA_BYTES = 2048;
/** Deeper metadata is refused before anything walks it recursively (JSON.stringify throws past ~4,000). */
export const MAX_METADATA_DEPTH = MAX_JSON_DEPTH;
/** Unknown fields named per event; the rest are counted. Each is quoted to at most 40 characters. */
const MAX_UNKNOWN_LISTED = 5;
/** A name longer than the longest field by more than two edits cannot be two edits from any field. */
const MAX_SUGGESTIBLE_LENGTH = Math.max(...ACCESS_EVENT_FIELDS.map((f) => f.length)) + 2;
export interface ValidateOptions {
  /** Reference time for the "not in the future" rule; defaults to the current time. */
  now?: number;
  /** Events before this are refused (the store's retention cutoff); 2000-01-01 is always the floor. */
  notBefore?: number;
}

const str = (what = 'a string') =>
  z.string({ error: (i) => (i.input === undefined ? 'is required' : `must be ${what}`) });
/**
 * Text that may reach the evidence sent to Whop and the access-log PDF: no control characters (a NUL, an
 * escape code; tabs and line breaks are whitespace, which the renderers fold) and no broken UTF-16 (a lone surrogate), which a bank's reader or a PDF font cannot show.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const printable = (v: string) => !CONTROL.test(v) && !LONE_SURROGATE.test(v);
const PRINTABLE = 'must be printable text (no control characters or broken Unicode)';
const bounded = (max: number) =>
  str()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(printable, PRINTABLE);

const schema = z.strictObject({
  event_id: bounded(128).optional(),
  user_id: str()
    .regex(/^user_[A-Za-z0-9]{1,60}$/, 'must be a Whop user id (user_…)')
    .optional(),
  membership_id: str()
    .regex(/^mem_[A-Za-z0-9]{1,60}$/, 'must be a Whop membership id (mem_…)')
    .optional(),
  // Bounded before the trim and the email pattern run over it (the body may be megabytes).
  email: str()
    .max(1024, 'must be at most 254 characters')
    .trim()
    .toLowerCase()
    .pipe(z.email('must be a valid email address').max(254, 'must be at most 254 characters'))
    .optional(),
  occurred_at: str('an ISO 8601 string with a time zone'),
  action: str()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .refine(printable, PRINTABLE),
  ip: str()
    .trim()
    .refine((v) => isIP(v) !== 0, 'must be an IPv4 or IPv6 address')
    .optional(),
  user_agent: str().max(512, 'must be at most 512 characters').refine(printable, PRINTABLE).optional(),
  device_id: bounded(128).optional(),
  session_id: bounded(128).optional(),
  metadata: z
    .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
    .refine(
      (m) => Buffer.byteLength(JSON.stringify(m)) <= MAX_METADATA_BYTES,
      `must be at most ${MAX_METADATA_BYTES} bytes as JSON`,
    )
    .optional(),
});

/**
 * ISO 8601 / RFC 3339 date-time with a zone: `2026-03-01T12:00:00Z`, `…T12:00:00.123+02:00`, `…T12:00Z`.
 * Checked against the calendar as well: JavaScript's Date quietly turns Feb 30 into Mar 2.
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[];
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms);
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo! - 1 ||
    check.getUTCDate() !== d ||
    h! > 23 ||
    mi! > 59 ||
    s! > 59
  ) {
    return undefined;
  }
  if (m[8]) return local;
  const [oh, om] = [Number(m[10]), Number(m[11])];
  if (oh > 23 || om > 59) return undefined;
  return local - (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
}

/**
 * For a typo'd field: the known field within two edits, if any. Only fields within two characters of
 * the name's length are compared (further ones are more than two edits away), so a name megabytes long
 * costs nothing: the comparison is quadratic in the lengths.
 */
export function suggest(key: string): string | undefined {
  if (key.length > MAX_SUGGESTIBLE_LENGTH) return undefined;
  const name = key.toLowerCase();
  let best: { field: string; d: number } | undefined;
  for (const field of ACCESS_EVENT_FIELDS) {
    if (Math.abs(field.length - name.length) > 2) continue;
    const d = editDistanceUpTo(name, field, 2);
    if (d <= 2 && (!best || d < best.d)) best = { field, d };
  }
  return best?.field;
}

/** `"name"` (cut to 40 characters) and the field it probably meant: how a problem names an unknown field. */
function describeUnknownName(name: string): string {
  const hint = suggest(name);
  return `${quoteInput(name)}${hint ? ` (did you mean "${hint}"?)` : ''}`;
}

/** Two rows of the edit-distance table, reused: names compared here are at most MAX_SUGGESTIBLE_LENGTH long. */
const rows = [new Int32Array(64), new Int32Array(64)] as const;

/**
 * Levenshtein distance of `a` and `b` when it is at most `max`, else `max + 1`: stops as soon as a whole
 * row is past `max` (no later cell can come back under it). `b` must be shorter than 64.
 */
function editDistanceUpTo(a: string, b: string, max: number): number {
  let [prev, cur] = rows;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[b.length]!, max + 1);
}

/** A value for a problem text: JSON-quoted, cut to 40 characters (never a merchant's megabyte echoed back). */
export const quoteInput = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
};

/**
 * Why metadata cannot be taken, found without recursion and with work bounded by the limits rather than
 * by the input: deeper than MAX_METADATA_DEPTH, or surely over MAX_METADATA_BYTES (the walk counts a
 * lower bound of its JSON size and stops once past the limit). Undefined when the exact checks may run.
 */
function metadataBoundsProblem(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const tooBig = `must be at most ${MAX_METADATA_BYTES} bytes as JSON`;
  let bytes = 0;
  const stack: { v: object; depth: number }[] = [{ v: metadata, depth: 1 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.depth > MAX_METADATA_DEPTH) return `must nest at most ${MAX_METADATA_DEPTH} levels deep`;
    const isArray = Array.isArray(top.v);
    bytes += 2; // the brackets
    let n = 0;
    for (const k in top.v) {
      const child = (top.v as Record<string, unknown>)[k];
      // A comma after the first entry, a key its quotes and colon; a value at least its text length.
      bytes += (n++ > 0 ? 1 : 0) + (isArray ? 0 : k.length + 3);
      if (typeof child === 'object' && child !== null) stack.push({ v: child, depth: top.depth + 1 });
      else bytes += typeof child === 'string' ? child.length + 2 : String(child).length;
      if (bytes > MAX_METADATA_BYTES) return tooBig;
    }
  }
  return undefined;
}

export type Validated = { ok: true; event: AccessEvent } | { ok: false; reason: string };

/** Checks one event as the merchant sent it (snake_case fields) and turns it into an AccessEvent. */
export function validateAccessEvent(raw: unknown, options: ValidateOptions = {}): Validated {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: 'must be a JSON object' };
  }
  // Exporters write null or "" for a missing value: "not given" (an empty required field is still named).
  // Unknown fields are named here, not by the schema: at most a few per event, however many there are.
  const input: Record<string, unknown> = {};
  const unknown: string[] = [];
  let unknownMore = 0;
  let metadataProblem: string | undefined;
  for (const k of Object.keys(raw)) {
    const v = (raw as Record<string, unknown>)[k];
    if (!KNOWN_FIELDS.has(k)) {
      if (unknown.length < MAX_UNKNOWN_LISTED) unknown.push(k);
      else unknownMore++;
      continue;
    }
    if (v === null || (v === '' && !REQUIRED.has(k))) continue;
    if (k === 'metadata') {
      metadataProblem = metadataBoundsProblem(v);
      if (metadataProblem) continue;
    }
    input[k] = v;
  }

  const parsed = schema.safeParse(input);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  if (metadataProblem) problems.push(`metadata: ${metadataProblem}`);
  for (const key of unknown) problems.push(`unknown field ${describeUnknownName(key)}`);
  if (unknownMore > 0)
    problems.push(`and ${unknownMore} more unknown ${unknownMore === 1 ? 'field' : 'fields'}`);
  let occurredMs: number | undefined;
  if (typeof input.occurred_at === 'string') {
    occurredMs = parseTimestamp(input.occurred_at);
    const now = options.now ?? Date.now();
    if (occurredMs === undefined) {
      problems.push(
        `occurred_at: must be ISO 8601 with a time zone, e.g. 2026-03-01T12:00:00Z (got ${quoteInput(input.occurred_at)})`,
      );
    } else if (occurredMs > now + MAX_FUTURE_SKEW_MS) {
      problems.push(
        `occurred_at: is more than 5 minutes in the future (got ${quoteInput(input.occurred_at)})`,
      );
    } else if (occurredMs < EARLIEST_OCCURRED_AT_MS) {
      problems.push(`occurred_at: is before 2000 (got ${quoteInput(input.occurred_at)})`);
    } else if (options.notBefore !== undefined && occurredMs < options.notBefore) {
      problems.push(
        `occurred_at: is older than the retention period (before ${new Date(options.notBefore).toISOString()})`,
      );
    }
  }
  if (input.user_id === undefined && input.membership_id === undefined && input.email === undefined) {
    problems.push('needs at least one of user_id, membership_id, email');
  }
  if (problems.length > 0 || !parsed.success || occurredMs === undefined || metadataProblem) {
    return { ok: false, reason: [...new Set(problems)].join('; ') };
  }

  // Assigned one by one: ten conditional spreads cost more than all of zod's checks on this hot path.
  const e = parsed.data;
  const event = {} as Omit<AccessEvent, 'eventId'>;
  if (e.user_id !== undefined) event.userId = e.user_id;
  if (e.membership_id !== undefined) event.membershipId = e.membership_id;
  if (e.email !== undefined) event.email = e.email;
  event.occurredAt = new Date(occurredMs).toISOString();
  event.action = e.action;
  if (e.ip !== undefined) event.ip = e.ip;
  if (e.user_agent !== undefined) event.userAgent = e.user_agent;
  if (e.device_id !== undefined) event.deviceId = e.device_id;
  if (e.session_id !== undefined) event.sessionId = e.session_id;
  if (e.metadata !== undefined) event.metadata = e.metadata;
  return { ok: true, event: { eventId: e.event_id ?? deriveEventId(event), ...event } };
}

/** JSON with object keys sorted at every depth: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * An id for an event sent without one: a hash of its normalized content (UTC time, lower-cased email,
 * sorted metadata keys), so sending the same event twice stores it once.
 */
export function deriveEventId(event: Omit<AccessEvent, 'eventId'>): string {
  // canonicalJson(event), spelled out for the known keys (already sorted): this runs once per event.
  let text = '';
  for (const key of SORTED_EVENT_KEYS) {
    const v = event[key];
    if (v === undefined) continue;
    text += `${text ? ',' : '{'}"${key}":${key === 'metadata' ? canonicalJson(v) : JSON.stringify(v)}`;
  }
  return createHash('sha256').update(`${text}}`).digest('hex').slice(0, 32);
}

const SORTED_EVENT_KEYS = [
  'action',
  'deviceId',
  'email',
  'ip',
  'membershipId',
  'metadata',
  'occurredAt',
  'sessionId',
  'userAgent',
  'userId',
] as const satisfies readonly Exclude<keyof AccessEvent, 'eventId'>[];
