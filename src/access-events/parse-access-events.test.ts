import { describe, expect, it } from 'vitest';
import { base, bodyError, opts } from '../../test/support/access-event-input.js';
import { parseAccessEvents } from './parse-access-events.js';

describe('parseAccessEvents (request bodies)', () => {
  const good = (i: number) => ({ ...base, event_id: `e${i}` });

  it('takes one JSON object', () => {
    const r = parseAccessEvents(JSON.stringify(good(1)), opts);
    expect(r.rejected).toEqual([]);
    expect(r.accepted.map((e) => e.eventId)).toEqual(['e1']);
    expect(parseAccessEvents(JSON.stringify({ ...base, action: '' }), opts)).toEqual({
      accepted: [],
      rejected: [{ line: 1, reason: 'action: must not be empty' }],
    });
  });

  it('takes an array, numbering rejections by 1-based position, keeping every valid neighbour', () => {
    const body = [good(1), { ...base, ip: 'bad' }, 'text', good(4), { ...base, occured_at: 'x' }, good(6)];
    const r = parseAccessEvents(JSON.stringify(body, null, 2), opts);
    expect(r.accepted.map((e) => e.eventId)).toEqual(['e1', 'e4', 'e6']);
    expect(r.rejected).toEqual([
      { line: 2, reason: 'ip: must be an IPv4 or IPv6 address' },
      { line: 3, reason: 'must be a JSON object' },
      { line: 5, reason: 'unknown field "occured_at" (did you mean "occurred_at"?)' },
    ]);
  });

  it('takes NDJSON by line number, skipping blank lines, with CRLF line ends', () => {
    const lines = [
      JSON.stringify(good(1)),
      '',
      '{"user_id": "user_1", "occurred_at": ',
      '   ',
      JSON.stringify({ ...base, action: 'a'.repeat(65) }),
      JSON.stringify(good(6)),
      '[1]',
      '',
    ];
    for (const sep of ['\n', '\r\n']) {
      for (const format of ['auto', 'json', 'ndjson'] as const) {
        const r = parseAccessEvents(lines.join(sep), { ...opts, format });
        expect(
          r.accepted.map((e) => e.eventId),
          `${format} ${JSON.stringify(sep)}`,
        ).toEqual(['e1', 'e6']);
        expect(r.rejected).toEqual([
          { line: 3, reason: 'is not valid JSON' },
          { line: 5, reason: 'action: must be at most 64 characters' },
          { line: 7, reason: 'must be a JSON object' },
        ]);
      }
    }
  });

  it('reads a body of one event per line as NDJSON, even when each line alone would be one event', () => {
    const r = parseAccessEvents(`${JSON.stringify(good(1))}\n${JSON.stringify(good(2))}\n`, opts);
    expect(r.accepted.map((e) => e.eventId)).toEqual(['e1', 'e2']);
  });

  it('with format ndjson, a one-line body that is not JSON is a rejected line, not an unreadable body', () => {
    expect(parseAccessEvents('{"user_id":', { ...opts, format: 'ndjson' })).toEqual({
      accepted: [],
      rejected: [{ line: 1, reason: 'is not valid JSON' }],
    });
    // A pretty-printed object is not NDJSON.
    const pretty = JSON.stringify(good(1), null, 2);
    expect(parseAccessEvents(pretty, { ...opts, format: 'ndjson' }).accepted).toEqual([]);
    expect(parseAccessEvents(pretty, opts).accepted.map((e) => e.eventId)).toEqual(['e1']);
  });

  it.each([
    ['an empty body', '', 'empty_body'],
    ['only whitespace', ' \n\r\n\t ', 'empty_body'],
    ['an empty array', '[]', 'empty_body'],
    ['a broken array', '[{"user_id": "user_1"}, {', 'invalid_json'],
    ['an array with a trailing comma', `[${JSON.stringify(good(1))},]`, 'invalid_json'],
    ['a broken single object', '{"user_id": "user_1", "action": }', 'invalid_json'],
    ['a broken pretty-printed object', '{\n  "user_id": "user_1",\n  "action": "x",\n}', 'invalid_json'],
    ['plain text', 'hello\nworld', 'invalid_json'],
    ['a JSON string', '"login"', 'invalid_body'],
    ['a JSON number', '42', 'invalid_body'],
    ['JSON null', 'null', 'invalid_body'],
  ])('refuses %s as a whole', (_label, body, code) => {
    expect(bodyError(() => parseAccessEvents(body, opts)).code).toBe(code);
  });

  it('refuses more than maxEvents as a whole (too_many_events), array or NDJSON; exactly maxEvents is fine', () => {
    const events = Array.from({ length: 4 }, (_, i) => good(i));
    const array = JSON.stringify(events);
    const ndjson = events.map((e) => JSON.stringify(e)).join('\n\n');
    expect(parseAccessEvents(array, { ...opts, maxEvents: 4 }).accepted).toHaveLength(4);
    expect(parseAccessEvents(ndjson, { ...opts, maxEvents: 4 }).accepted).toHaveLength(4);
    for (const body of [array, ndjson]) {
      const err = bodyError(() => parseAccessEvents(body, { ...opts, maxEvents: 3 }));
      expect(err.code).toBe('too_many_events');
      expect(err.message).toBe('4 events; at most 3 per request');
    }
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(parseAccessEvents(`\uFEFF${JSON.stringify([good(1)])}`, opts).accepted).toHaveLength(1);
  });
});
