import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base, NOW, opts } from '../../test/support/access-event-input.js';
import {
  canonicalJson,
  deriveEventId,
  parseTimestamp,
  validateAccessEvent,
} from './validate-access-event.js';

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

    it('refuses metadata nested past 64 levels with a reason, never a RangeError, at any depth', () => {
      const nested = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`);
      expect(accept({ ...base, metadata: nested(64) }).metadata).toEqual(nested(64));
      for (const levels of [65, 4_100, 100_000]) {
        expect(reason({ ...base, metadata: nested(levels) })).toBe(
          'metadata: must nest at most 64 levels deep',
        );
      }
      // Arrays count as levels too.
      const arrays = JSON.parse(`{"a":${'['.repeat(200)}${']'.repeat(200)}}`);
      expect(reason({ ...base, metadata: arrays })).toBe('metadata: must nest at most 64 levels deep');
    });

    it('refuses metadata over the size limit exactly when its JSON is, however it is shaped', () => {
      const leaf = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
      );
      const value = fc.letrec((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          leaf,
          fc.array(tie('node'), { maxLength: 8 }),
          fc.dictionary(fc.string({ maxLength: 40 }), tie('node'), { maxKeys: 8 }),
        ),
      })).node;
      const metadata = fc.dictionary(fc.string({ maxLength: 40 }), value, { maxKeys: 12 });
      fc.assert(
        fc.property(metadata, (m) => {
          const fits = Buffer.byteLength(JSON.stringify(m)) <= 2048;
          const v = validateAccessEvent({ ...base, metadata: m }, opts);
          expect(v.ok ? 'accepted' : v.reason).toBe(
            fits ? 'accepted' : 'metadata: must be at most 2048 bytes as JSON',
          );
        }),
        { numRuns: 300 },
      );
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

    it('names at most five unknown fields, each cut to 40 characters, and counts the rest', () => {
      const long = `occurred${'x'.repeat(2_000_000)}`;
      const extra = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`extra_${i}`, i]));
      const why = reason({ ...base, [long]: 1, ...extra });
      expect(why).toBe(
        [
          `unknown field "${long.slice(0, 40)}…"`,
          ...[0, 1, 2, 3].map((i) => `unknown field "extra_${i}"`),
          'and 8 more unknown fields',
        ].join('; '),
      );
    });
  });

  it.each([
    ['action', 'lo\u0000gin'],
    ['action', '\ud800'],
    ['action', 'a\udc00b'],
    ['user_agent', 'Mozilla\u001b[2J'],
    ['device_id', 'dev\u0000'],
    ['event_id', 'ev\ud83d'],
  ])('refuses %s %j: text that reaches the evidence and the PDF must be printable', (field, value) => {
    expect(reason({ ...base, [field]: value })).toBe(
      `${field}: must be printable text (no control characters or broken Unicode)`,
    );
  });

  it('keeps printable text from any script, emoji (surrogate pairs) included', () => {
    expect(accept({ ...base, action: 'leçon_vue 📘', user_agent: 'Mozilla/5.0 (日本語)\tx' }).action).toBe(
      'leçon_vue 📘',
    );
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
