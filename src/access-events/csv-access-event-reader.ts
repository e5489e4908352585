/**
 * The merchant's access events from a CSV file (RFC 4180, a header row naming the event fields), read
 * a line at a time so a large file streams. Pure: no I/O. Each record is validated on its own.
 */
import { AccessEventsBodyError, type ParsedAccessEvents } from './parse-access-events.js';
import {
  ACCESS_EVENT_FIELDS,
  KNOWN_FIELDS,
  quoteInput,
  suggest,
  type ValidateOptions,
  validateAccessEvent,
} from './validate-access-event.js';

/**
 * CSV (RFC 4180) with a header row naming the event fields; `metadata` is a JSON string column. Fed one
 * physical line at a time so a large file streams: a quoted field may span lines, and a record's line
 * number is the line it starts on (the header is line 1). Empty cells mean "not given".
 */
export class CsvAccessEventReader {
  private header: string[] | undefined;
  private fields: string[] = [];
  private cur = '';
  private inQuotes = false;
  /** The current field was quoted and its closing quote has been read. */
  private closed = false;
  private quoted = false;
  private startLine = 0;
  private problem: string | undefined;

  constructor(private readonly options: ValidateOptions = {}) {}

  /** The line the last completed record started on. */
  get recordLine(): number {
    return this.startLine;
  }

  /** Feeds one line (without its line break). Throws `invalid_csv` for an unusable header. */
  push(text: string, line: number): ParsedAccessEvents {
    const out: ParsedAccessEvents = { accepted: [], rejected: [] };
    if (!this.inQuotes) {
      if (text.trim() === '') return out;
      this.startLine = line;
    }
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (this.inQuotes) {
        if (ch !== '"') this.cur += ch;
        else if (text[i + 1] === '"') {
          this.cur += '"';
          i++;
        } else {
          this.inQuotes = false;
          this.closed = true;
        }
      } else if (ch === ',') {
        this.endField();
      } else if (ch === '"' && this.cur === '' && !this.quoted) {
        this.inQuotes = true;
        this.quoted = true;
      } else {
        // Kept as text so the record still ends where it should; the record is refused below.
        if (this.closed) {
          this.problem ??= 'text after a closing quote (a field is either all quoted or not at all)';
        } else if (ch === '"') {
          this.problem ??=
            'a quote inside an unquoted field (quote the field and double the quote: "say ""hi""")';
        }
        this.cur += ch;
      }
    }
    if (this.inQuotes) {
      // The line break is part of the quoted field (a CRLF inside a field comes back as LF).
      this.cur += '\n';
      return out;
    }
    this.endField();
    const fields = this.fields;
    const problem = this.problem;
    this.fields = [];
    this.problem = undefined;
    this.record(fields, problem, out);
    return out;
  }

  /** After the last line: a quote still open means the last record never ended. */
  end(): ParsedAccessEvents {
    const out: ParsedAccessEvents = { accepted: [], rejected: [] };
    if (this.inQuotes) {
      out.rejected.push({ line: this.startLine, reason: 'a quoted field is never closed' });
      this.inQuotes = false;
      this.fields = [];
      this.cur = '';
    }
    return out;
  }

  private endField() {
    this.fields.push(this.cur);
    this.cur = '';
    this.quoted = false;
    this.closed = false;
  }

  private record(fields: string[], problem: string | undefined, out: ParsedAccessEvents) {
    const line = this.startLine;
    if (!this.header) {
      this.header = checkHeader(fields.map((f) => f.trim()));
      return;
    }
    if (problem) {
      out.rejected.push({ line, reason: problem });
      return;
    }
    if (fields.length !== this.header.length) {
      out.rejected.push({
        line,
        reason: `has ${fields.length} fields; the header has ${this.header.length}`,
      });
      return;
    }
    const raw: Record<string, unknown> = {};
    for (const [i, name] of this.header.entries()) {
      const value = fields[i]!;
      if (value === '') continue;
      if (name === 'metadata') {
        try {
          raw.metadata = JSON.parse(value);
        } catch {
          out.rejected.push({ line, reason: 'metadata: is not valid JSON' });
          return;
        }
      } else {
        raw[name] = value;
      }
    }
    const v = validateAccessEvent(raw, this.options);
    if (v.ok) out.accepted.push(v.event);
    else out.rejected.push({ line, reason: v.reason });
  }
}

function checkHeader(columns: string[]): string[] {
  for (const c of columns) {
    if (!KNOWN_FIELDS.has(c)) {
      const hint = suggest(c);
      throw new AccessEventsBodyError(
        'invalid_csv',
        `unknown column ${quoteInput(c)} in the header${hint ? ` (did you mean "${hint}"?)` : ''}; columns are ${ACCESS_EVENT_FIELDS.join(', ')}`,
      );
    }
  }
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) throw new AccessEventsBodyError('invalid_csv', `column "${dup}" appears twice in the header`);
  for (const required of ['occurred_at', 'action']) {
    if (!columns.includes(required)) {
      throw new AccessEventsBodyError('invalid_csv', `the header has no "${required}" column`);
    }
  }
  if (!columns.some((c) => c === 'user_id' || c === 'membership_id' || c === 'email')) {
    throw new AccessEventsBodyError(
      'invalid_csv',
      'the header needs at least one of the user_id, membership_id, email columns',
    );
  }
  return columns;
}

/** A whole CSV text (see CsvAccessEventReader). */
export function parseCsv(text: string, options: ValidateOptions = {}): ParsedAccessEvents {
  const reader = new CsvAccessEventReader(options);
  const out: ParsedAccessEvents = { accepted: [], rejected: [] };
  const add = (r: ParsedAccessEvents) => {
    out.accepted.push(...r.accepted);
    out.rejected.push(...r.rejected);
  };
  text.split('\n').forEach((l, i) => {
    add(reader.push(l.endsWith('\r') ? l.slice(0, -1) : l, i + 1));
  });
  add(reader.end());
  return out;
}
