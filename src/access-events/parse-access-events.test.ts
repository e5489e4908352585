import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AccessEventsBodyError,
  CsvAccessEventReader,
  canonicalJson,
  deriveEventId,
  parseAccessEvents,
  parseCsv,
  parseTimestamp,
  validateAccessEvent,
} from './parse-access-events.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const opts = { now: NOW };
const base = { user_id: 'user_abc123', occurred_at: '2026-05-31T10:00:00Z', action: 'login' };

function accept(raw: Record<string, unknown>, options: Parameters<typeof validateAccessEvent>[1] = opts) {
  const v = validateAccessEvent(raw, options);
  if (!v.ok) throw new Error(`expected accepted, got: ${v.reason}`);
  return v.event;
}
function reason(raw: unknown, options: Parameters<typeof validateAccessEvent>[1] = opts) {
  const v = validateAccessEvent(raw, options);
  if (v.ok) throw new Error(`expected rejected, got ${JSON.stringify(v.event)}`);
  return v.reason;
}
function bodyError(fn: () => unknown): AccessEventsBodyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AccessEventsBodyError) return err;
    throw err;
  }
  throw new Error('expected an AccessEventsBodyError');
}

describe('validateAccessEvent', () => {
  it('turns a full event into an AccessEvent: camelCase, email lower-cased, time in UTC', () => {
    const event = accept({
      event_id: 'evt-1',
      user_id: 'user_abc123',
      membership_id: 'mem_XYZ9',
      email: '  Ann.Lee@Example.COM ',
      occurred_at: '2026-05-31T12:30:15.250+02:00',
      action: 'lesson_viewed',
      ip: '203.0.113.7',
      user_agent: 'Mozilla/5.0 (Macintosh)',
      device_id: 'dev-1',
      session_id: 'sess-1',
      metadata: { lesson: 'intro', seconds: 312 },
    });
    expect(event).toEqual({
      eventId: 'evt-1',
      userId: 'user_abc123',
      membershipId: 'mem_XYZ9',
      email: 'ann.lee@example.com',
      occurredAt: '2026-05-31T10:30:15.250Z',
      action: 'lesson_viewed',
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Macintosh)',
      deviceId: 'dev-1',
      sessionId: 'sess-1',
      metadata: { lesson: 'intro', seconds: 312 },
    });
  });

  it('sets no key for an absent field, and treats null and "" as absent', () => {
    const event = accept({ ...base, ip: null, user_agent: '', email: null, metadata: null });
    expect(Object.keys(event).sort()).toEqual(['action', 'eventId', 'occurredAt', 'userId']);
  });

  describe('customer identifiers', () => {
    it('needs at least one of user_id, membership_id, email', () => {
      expect(reason({ occurred_at: base.occurred_at, action: 'login' })).toBe(
        'needs at least one of user_id, membership_id, email',
      );
      expect(reason({ occurred_at: base.occurred_at, action: 'login', user_id: null, email: '' })).toBe(
        'needs at least one of user_id, membership_id, email',
      );
    });

    it('takes any one of them alone', () => {
      const { user_id: _, ...rest } = base;
      expect(accept({ ...rest, membership_id: 'mem_1' }).membershipId).toBe('mem_1');
      expect(accept({ ...rest, email: 'a@b.co' }).email).toBe('a@b.co');
      expect(accept(base).userId).toBe('user_abc123');
    });

    it.each([
      ['usr_abc', 'user_id: must be a Whop user id (user_…)'],
      ['user_', 'user_id: must be a Whop user id (user_…)'],
      ['user_ab-c', 'user_id: must be a Whop user id (user_…)'],
      ['mem_abc', 'user_id: must be a Whop user id (user_…)'],
      [42, 'user_id: must be a string'],
    ])('refuses user_id %j', (userId, want) => {
      expect(reason({ ...base, user_id: userId })).toBe(want);
    });

    it.each(['user_1', 'membership_1', 'mem_', 'mem_a b'])('refuses membership_id %j', (id) => {
      expect(reason({ ...base, membership_id: id })).toBe(
        'membership_id: must be a Whop membership id (mem_…)',
      );
    });

    it.each(['nope', 'a@', '@b.co', 'a b@c.co', 'a@b'])('refuses email %j', (email) => {
      expect(reason({ ...base, email })).toBe('email: must be a valid email address');
    });
  });

  describe('occurred_at', () => {
    it.each([
      ['2026-05-31T10:00:00Z', '2026-05-31T10:00:00.000Z'],
      ['2026-05-31t10:00:00z', '2026-05-31T10:00:00.000Z'],
      ['2026-05-31 10:00:00Z', '2026-05-31T10:00:00.000Z'],
      ['2026-05-31T10:00Z', '2026-05-31T10:00:00.000Z'],
      ['2026-05-31T10:00:00.123456789Z', '2026-05-31T10:00:00.123Z'],
      ['2026-05-31T10:00:00.5Z', '2026-05-31T10:00:00.500Z'],
      ['2026-05-31T12:00:00+02:00', '2026-05-31T10:00:00.000Z'],
      ['2026-05-31T12:00:00+0200', '2026-05-31T10:00:00.000Z'],
      ['2026-05-31T05:30:00-04:30', '2026-05-31T10:00:00.000Z'],
      ['2026-06-01T00:30:00+14:00', '2026-05-31T10:30:00.000Z'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ])('reads %s as %s', (text, iso) => {
      expect(accept({ ...base, occurred_at: text }).occurredAt).toBe(iso);
    });

    it.each([
      '2026-05-31T10:00:00',
      '2026-05-31',
      '31/05/2026 10:00 UTC',
      'yesterday',
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-05-31T24:00:00Z',
      '2026-05-31T10:60:00Z',
      '2026-05-31T10:00:60Z',
      '2026-05-31T10:00:00+25:00',
      '2026-05-31T10:00:00 Z',
    ])('refuses %j as not ISO 8601 with a time zone', (text) => {
      expect(reason({ ...base, occurred_at: text })).toBe(
        `occurred_at: must be ISO 8601 with a time zone, e.g. 2026-03-01T12:00:00Z (got "${text}")`,
      );
    });

    it('is required, and must be a string', () => {
      const { occurred_at: _, ...rest } = base;
      expect(reason(rest)).toBe('occurred_at: is required');
      expect(reason({ ...rest, occurred_at: NOW })).toBe(
        'occurred_at: must be an ISO 8601 string with a time zone',
      );
    });

    it('refuses more than 5 minutes in the future, takes up to 5', () => {
      const at = (ms: number) => new Date(ms).toISOString();
      expect(accept({ ...base, occurred_at: at(NOW + 5 * 60_000) }).occurredAt).toBe(at(NOW + 5 * 60_000));
      expect(reason({ ...base, occurred_at: at(NOW + 5 * 60_000 + 1) })).toMatch(
        /^occurred_at: is more than 5 minutes in the future/,
      );
    });

    it('refuses anything before 2000', () => {
      expect(accept({ ...base, occurred_at: '2000-01-01T00:00:00Z' }).occurredAt).toBe(
        '2000-01-01T00:00:00.000Z',
      );
      expect(reason({ ...base, occurred_at: '1999-12-31T23:59:59.999Z' })).toBe(
        'occurred_at: is before 2000 (got "1999-12-31T23:59:59.999Z")',
      );
      // 00:30 on Jan 1 in UTC+1 is still 1999 in UTC.
      expect(reason({ ...base, occurred_at: '2000-01-01T00:30:00+01:00' })).toMatch(/before 2000/);
    });

    it('refuses events older than notBefore (the retention)', () => {
      const notBefore = Date.parse('2026-01-01T00:00:00Z');
      expect(accept({ ...base, occurred_at: '2026-01-01T00:00:00Z' }, { now: NOW, notBefore })).toBeDefined();
      expect(reason({ ...base, occurred_at: '2025-12-31T23:59:59Z' }, { now: NOW, notBefore })).toBe(
        'occurred_at: is older than the retention period (before 2026-01-01T00:00:00.000Z)',
      );
    });

    it('parseTimestamp is the same check, for any caller', () => {
      expect(parseTimestamp('2026-05-31T10:00:00Z')).toBe(Date.parse('2026-05-31T10:00:00Z'));
      expect(parseTimestamp('2026-02-30T10:00:00Z')).toBeUndefined();
    });
  });

  describe('action', () => {
    it('is required, non-empty, at most 64 characters, trimmed', () => {
      const { action: _, ...rest } = base;
      expect(reason(rest)).toBe('action: is required');
      expect(reason({ ...base, action: '   ' })).toBe('action: must not be empty');
      expect(reason({ ...base, action: 7 })).toBe('action: must be a string');
      expect(reason({ ...base, action: 'a'.repeat(65) })).toBe('action: must be at most 64 characters');
      expect(accept({ ...base, action: 'a'.repeat(64) }).action).toHaveLength(64);
      expect(accept({ ...base, action: ' download ' }).action).toBe('download');
    });
  });

  describe('optional fields', () => {
    it.each(['192.0.2.1', '::1', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1'])('takes ip %s', (ip) => {
      expect(accept({ ...base, ip }).ip).toBe(ip);
    });

    it.each(['192.0.2.256', '1.2.3', 'localhost', '2001:db8:::1', '10.0.0.1/24'])('refuses ip %j', (ip) => {
      expect(reason({ ...base, ip })).toBe('ip: must be an IPv4 or IPv6 address');
    });

    it('bounds user_agent at 512 characters, and ids at 128', () => {
      expect(accept({ ...base, user_agent: 'u'.repeat(512) }).userAgent).toHaveLength(512);
      expect(reason({ ...base, user_agent: 'u'.repeat(513) })).toBe(
        'user_agent: must be at most 512 characters',
      );
      for (const field of ['device_id', 'session_id', 'event_id']) {
        expect(accept({ ...base, [field]: 'x'.repeat(128) })).toBeDefined();
        expect(reason({ ...base, [field]: 'x'.repeat(129) })).toBe(
          `${field}: must be at most 128 characters`,
        );
        expect(reason({ ...base, [field]: 5 })).toBe(`${field}: must be a string`);
      }
    });

    it('takes metadata as a JSON object of at most 2 KiB serialized', () => {
      // {"k":"…"} is 8 bytes of punctuation and key around the value.
      const fits = { k: 'x'.repeat(2048 - 8) };
      expect(JSON.stringify(fits)).toHaveLength(2048);
      expect(accept({ ...base, metadata: fits }).metadata).toEqual(fits);
      expect(reason({ ...base, metadata: { k: 'x'.repeat(2048 - 7) } })).toBe(
        'metadata: must be at most 2048 bytes as JSON',
      );
      // Bytes, not characters: 1,000 two-byte characters are over.
      expect(reason({ ...base, metadata: { k: 'é'.repeat(1100) } })).toMatch(/^metadata: must be at most/);
      for (const bad of [[1, 2], 'text', 3, true]) {
        expect(reason({ ...base, metadata: bad })).toBe('metadata: must be a JSON object');
      }
    });
  });

  describe('unknown fields', () => {
    it('refuses a typo instead of dropping it, naming the field it probably meant', () => {
      const { occurred_at, ...rest } = base;
      expect(reason({ ...rest, occured_at: occurred_at })).toBe(
        'occurred_at: is required; unknown field "occured_at" (did you mean "occurred_at"?)',
      );
      expect(reason({ ...base, userAgent: 'Mozilla' })).toBe(
        'unknown field "userAgent" (did you mean "user_agent"?)',
      );
      expect(reason({ ...base, ipaddr: '1.2.3.4' })).toBe('unknown field "ipaddr"');
    });

    it('refuses an unknown field even when its value is null', () => {
      expect(reason({ ...base, colour: null })).toBe('unknown field "colour"');
    });
  });

  it('lists every problem of an event in one reason', () => {
    expect(reason({ user_id: 'nope', occurred_at: 'soon', action: '', ip: 'x', extra: 1 })).toBe(
      [
        'user_id: must be a Whop user id (user_…)',
        'action: must not be empty',
        'ip: must be an IPv4 or IPv6 address',
        'unknown field "extra"',
        'occurred_at: must be ISO 8601 with a time zone, e.g. 2026-03-01T12:00:00Z (got "soon")',
      ].join('; '),
    );
  });

  it.each([[null], [[]], ['login'], [3]])('refuses %j: not an object', (raw) => {
    expect(reason(raw)).toBe('must be a JSON object');
  });

  describe('event_id', () => {
    it('keeps the merchant’s id', () => {
      expect(accept({ ...base, event_id: 'log-42' }).eventId).toBe('log-42');
    });

    it('derives a stable 32-hex id from the normalized content when there is none', () => {
      const a = accept({
        ...base,
        email: 'Ann@Example.com',
        metadata: { b: 1, a: { y: 2, x: 1 } },
      });
      expect(a.eventId).toMatch(/^[0-9a-f]{32}$/);
      // Same event: other key order, other time zone for the same instant, other email case.
      const b = accept({
        metadata: { a: { x: 1, y: 2 }, b: 1 },
        email: 'ann@example.COM',
        action: 'login',
        occurred_at: '2026-05-31T12:00:00+02:00',
        user_id: 'user_abc123',
      });
      expect(b.eventId).toBe(a.eventId);
      // sha256 over the canonical JSON (keys sorted at every depth), first 32 hex digits.
      const { eventId: _, ...content } = a;
      expect(deriveEventId(content)).toBe(a.eventId);
      expect(a.eventId).toBe(createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32));
      expect(canonicalJson(content)).toBe(
        '{"action":"login","email":"ann@example.com","metadata":{"a":{"x":1,"y":2},"b":1},"occurredAt":"2026-05-31T10:00:00.000Z","userId":"user_abc123"}',
      );
      // Any difference in content is another event.
      expect(accept({ ...base, email: 'ann@example.com', metadata: { b: 1, a: { x: 1 } } }).eventId).not.toBe(
        a.eventId,
      );
      expect(accept({ ...base, occurred_at: '2026-05-31T10:00:01Z' }).eventId).not.toBe(accept(base).eventId);
      expect(accept({ ...base, action: 'logout' }).eventId).not.toBe(accept(base).eventId);
    });
  });
});

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

describe('parseCsv', () => {
  const header = 'user_id,email,occurred_at,action,ip,user_agent,metadata';

  it('reads a header row and records, empty cells absent, metadata as a JSON column', () => {
    const csv = [
      header,
      'user_1,,2026-05-31T10:00:00Z,login,203.0.113.7,curl/8.0,',
      ',Ann@Example.com,2026-05-31T11:00:00+01:00,download,,,"{""file"":""guide.pdf"",""bytes"":1024}"',
    ].join('\n');
    const r = parseCsv(csv, opts);
    expect(r.rejected).toEqual([]);
    expect(r.accepted.map(({ eventId: _, ...e }) => e)).toEqual([
      {
        userId: 'user_1',
        occurredAt: '2026-05-31T10:00:00.000Z',
        action: 'login',
        ip: '203.0.113.7',
        userAgent: 'curl/8.0',
      },
      {
        email: 'ann@example.com',
        occurredAt: '2026-05-31T10:00:00.000Z',
        action: 'download',
        metadata: { file: 'guide.pdf', bytes: 1024 },
      },
    ]);
    // The same event as JSON and as CSV derives the same id.
    expect(r.accepted[0]!.eventId).toBe(
      parseAccessEvents(
        JSON.stringify({
          user_id: 'user_1',
          occurred_at: '2026-05-31T10:00:00Z',
          action: 'login',
          ip: '203.0.113.7',
          user_agent: 'curl/8.0',
        }),
        opts,
      ).accepted[0]!.eventId,
    );
  });

  it('follows RFC 4180 quoting: commas, doubled quotes and line breaks inside quoted fields', () => {
    const csv = [
      'user_id,occurred_at,action,user_agent',
      'user_1,2026-05-31T10:00:00Z,login,"Mozilla/5.0 (X11, Linux) ""quoted"""',
      'user_2,2026-05-31T10:00:00Z,login,"first line',
      'second line, with a comma',
      '',
      'third after a blank line"',
      '"user_3","2026-05-31T10:00:00Z","login",""',
      'user_4,not-a-date,login,x',
    ].join('\r\n');
    const r = parseCsv(csv, opts);
    expect(r.accepted.map((e) => [e.userId, e.userAgent])).toEqual([
      ['user_1', 'Mozilla/5.0 (X11, Linux) "quoted"'],
      ['user_2', 'first line\nsecond line, with a comma\n\nthird after a blank line'],
      ['user_3', undefined],
    ]);
    // Line numbers count physical lines, so the record after a multi-line one is still found in the file.
    expect(r.rejected).toEqual([
      { line: 8, reason: expect.stringMatching(/^occurred_at: must be ISO 8601/) },
    ]);
  });

  it('refuses a malformed record by its first line and keeps reading', () => {
    const csv = [
      'user_id,occurred_at,action,metadata',
      'user_1,2026-05-31T10:00:00Z,login',
      'user_2,2026-05-31T10:00:00Z,say "hi",',
      'user_3,2026-05-31T10:00:00Z,"login"x,',
      'user_4,2026-05-31T10:00:00Z,login,{not json}',
      'user_5,2026-05-31T10:00:00Z,login,"[1,2]"',
      '',
      'user_6,2026-05-31T10:00:00Z,login,',
      'user_7,2026-05-31T10:00:00Z,login,"{""a"":',
      '1}"',
      'user_8,2026-05-31T10:00:00Z,"never closed,',
      'user_9,2026-05-31T10:00:00Z,login,',
    ].join('\n');
    const r = parseCsv(csv, opts);
    expect(r.accepted.map((e) => [e.userId, e.metadata])).toEqual([
      ['user_6', undefined],
      ['user_7', { a: 1 }],
    ]);
    expect(r.rejected).toEqual([
      { line: 2, reason: 'has 3 fields; the header has 4' },
      { line: 3, reason: expect.stringMatching(/^a quote inside an unquoted field/) },
      { line: 4, reason: expect.stringMatching(/^text after a closing quote/) },
      { line: 5, reason: 'metadata: is not valid JSON' },
      { line: 6, reason: 'metadata: must be a JSON object' },
      { line: 11, reason: 'a quoted field is never closed' },
    ]);
  });

  it.each([
    [
      'an unknown column',
      'user_id,occured_at,action',
      /^unknown column "occured_at" in the header \(did you mean "occurred_at"\?\)/,
    ],
    ['no occurred_at column', 'user_id,action', /^the header has no "occurred_at" column$/],
    ['no action column', 'user_id,occurred_at', /^the header has no "action" column$/],
    ['no identifier column', 'occurred_at,action,ip', /^the header needs at least one of the user_id/],
    ['a column twice', 'user_id,occurred_at,action,user_id', /^column "user_id" appears twice/],
  ])('refuses a header with %s (invalid_csv)', (_label, headerRow, message) => {
    const err = bodyError(() => parseCsv(`${headerRow}\nuser_1,2026-05-31T10:00:00Z,login\n`, opts));
    expect(err.code).toBe('invalid_csv');
    expect(err.message).toMatch(message);
  });

  it('takes a header with a byte order mark and spaces around names; a header alone is no events', () => {
    expect(parseCsv('\uFEFF user_id , occurred_at,action\r\n', opts)).toEqual({ accepted: [], rejected: [] });
    expect(
      parseCsv('\uFEFFuser_id,occurred_at,action\nuser_1,2026-05-31T10:00:00Z,x', opts).accepted,
    ).toHaveLength(1);
    expect(parseCsv('', opts)).toEqual({ accepted: [], rejected: [] });
  });

  it('streams: the reader takes one line at a time and says where each record started', () => {
    const reader = new CsvAccessEventReader(opts);
    expect(reader.push('user_id,occurred_at,action,user_agent', 1)).toEqual({ accepted: [], rejected: [] });
    expect(reader.push('user_1,2026-05-31T10:00:00Z,login,"two', 2).accepted).toEqual([]);
    const done = reader.push('lines"', 3);
    expect(done.accepted.map((e) => e.userAgent)).toEqual(['two\nlines']);
    expect(reader.recordLine).toBe(2);
    expect(reader.end()).toEqual({ accepted: [], rejected: [] });
  });
});
