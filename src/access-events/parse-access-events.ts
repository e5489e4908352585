/**
 * Reading the merchant's access events from a request body (`POST /access-events`: one JSON event, a
 * JSON array, or NDJSON) or an NDJSON line of an imported file. Pure: no I/O. Each event is judged on
 * its own (validate-access-event.ts), so one bad line never costs its neighbours; CSV files are read by
 * csv-access-event-reader.ts.
 */
import type { AccessEvent } from './access-event.js';
import { type ValidateOptions, validateAccessEvent } from './validate-access-event.js';

export interface Rejection {
  /** 1-based: the line for NDJSON and CSV (where the record starts), the position in a JSON array. */
  line: number;
  reason: string;
}

export interface ParsedAccessEvents {
  accepted: AccessEvent[];
  rejected: Rejection[];
}

export type BodyErrorCode =
  | 'empty_body'
  | 'invalid_json'
  | 'invalid_body'
  | 'too_many_events'
  | 'invalid_csv';

/** The body as a whole cannot be read (as opposed to one event in it being invalid). */
export class AccessEventsBodyError extends Error {
  constructor(
    readonly code: BodyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AccessEventsBodyError';
  }
}

type LineResult = { event: AccessEvent } | { rejection: Rejection } | undefined;

/** One NDJSON line: undefined when blank (blank lines are allowed and skipped). */
export function parseAccessEventLine(text: string, line: number, options: ValidateOptions = {}): LineResult {
  if (text.trim() === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { rejection: { line, reason: 'is not valid JSON' } };
  }
  const v = validateAccessEvent(raw, options);
  return v.ok ? { event: v.event } : { rejection: { line, reason: v.reason } };
}

export type BodyFormat = 'json' | 'ndjson' | 'auto';

export interface ParseBodyOptions extends ValidateOptions {
  /** `ndjson` reads the body line by line; `json` and `auto` take one JSON value, else NDJSON. */
  format?: BodyFormat;
  /** More events than this fail the whole body with `too_many_events`, before any is validated. */
  maxEvents?: number;
}

/**
 * A request body: one JSON event, a JSON array of events, or NDJSON (one event per line). A body that is
 * not a single JSON value is read as NDJSON when at least one of its lines is a JSON object; a broken
 * array, or a broken object with no line readable on its own, is unreadable as a whole (`invalid_json`).
 */
export function parseAccessEvents(body: string, options: ParseBodyOptions = {}): ParsedAccessEvents {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const trimmed = text.trim();
  if (trimmed === '') throw new AccessEventsBodyError('empty_body', 'the body holds no events');
  const max = options.maxEvents ?? Number.POSITIVE_INFINITY;
  const out: ParsedAccessEvents = { accepted: [], rejected: [] };

  if (options.format !== 'ndjson') {
    let value: unknown;
    let readable = true;
    try {
      value = JSON.parse(text);
    } catch (err) {
      readable = false;
      if (trimmed.startsWith('[')) {
        throw new AccessEventsBodyError(
          'invalid_json',
          `the body is not a readable JSON array: ${errText(err)}`,
        );
      }
      // NDJSON only if some line is an event on its own: a broken pretty-printed object is not NDJSON.
      if (!someLineIsObject(text, max)) {
        throw new AccessEventsBodyError('invalid_json', `the body is not JSON: ${errText(err)}`);
      }
    }
    if (readable) {
      const items = Array.isArray(value) ? value : [value];
      if (!Array.isArray(value) && (typeof value !== 'object' || value === null)) {
        throw new AccessEventsBodyError(
          'invalid_body',
          'the body must be a JSON object, a JSON array of objects, or NDJSON',
        );
      }
      if (items.length === 0) throw new AccessEventsBodyError('empty_body', 'the array holds no events');
      if (items.length > max) throw tooMany(items.length, max);
      items.forEach((raw, i) => {
        const v = validateAccessEvent(raw, options);
        if (v.ok) out.accepted.push(v.event);
        else out.rejected.push({ line: i + 1, reason: v.reason });
      });
      return out;
    }
  }

  const lines = text.split('\n');
  let count = 0;
  for (const l of lines) if (l.trim() !== '') count++;
  if (count === 0) throw new AccessEventsBodyError('empty_body', 'the body holds no events');
  if (count > max) throw tooMany(count, max);
  lines.forEach((l, i) => {
    const r = parseAccessEventLine(l, i + 1, options);
    if (!r) return;
    if ('event' in r) out.accepted.push(r.event);
    else out.rejected.push(r.rejection);
  });
  return out;
}

const tooMany = (n: number, max: number) =>
  new AccessEventsBodyError('too_many_events', `${n} events; at most ${max} per request`);

const errText = (err: unknown) => (err as Error).message;

/**
 * Whether one of the first `maxLines` non-blank lines is a JSON object. Bounded because each failed
 * JSON.parse costs an exception (~15 µs): a 4 MB body of broken one-line objects took 9 s to look at.
 * A body with more lines than events allowed is refused either way.
 */
function someLineIsObject(text: string, maxLines: number): boolean {
  let looked = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (++looked > maxLines) return false;
    if (isJsonObject(line)) return true;
  }
  return false;
}

function isJsonObject(line: string): boolean {
  // Only a line that starts with { and ends with } can be an object: no exception for the others.
  const t = line.trim();
  if (t.charCodeAt(0) !== 0x7b || t.charCodeAt(t.length - 1) !== 0x7d) return false;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}
