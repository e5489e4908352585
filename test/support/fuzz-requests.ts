/**
 * Hostile requests for the fuzz run (test/fuzz-intake.test.ts), as fast-check arbitraries that shrink
 * to a small input: webhook deliveries with broken, missing, repeated and oversized signature headers
 * and bodies built to hurt (random bytes, deep nesting, giant arrays, NULs, lone surrogates, correctly
 * signed envelopes with a wrong type in one field); access-event posts with wrong types, oversized
 * metadata, 10,001 events, bad NDJSON lines, unknown fields and dates far out; and raw bytes on a socket.
 * Each request says what it is (`kind`) and, where the answer is certain, which status it must get.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { ACCESS_EVENT_FIELDS } from '../../src/access-events/validate-access-event.js';

/** One HTTP request as sent over a socket (repeated headers as arrays), or raw bytes written as they are. */
export type FuzzRequest =
  | {
      kind: string;
      method: string;
      path: string;
      headers: Record<string, string | string[]>;
      body?: Buffer;
      /** Statuses it may be answered with; undefined: any non-5xx. */
      expect?: number[];
    }
  | { kind: string; raw: Buffer };

/** The Standard Webhooks `v1,<base64>` signature Whop sends, over the exact bytes (key: the secret's UTF-8). */
export function v1Signature(secret: string, id: string, timestamp: string, body: Buffer): string {
  const mac = createHmac('sha256', Buffer.from(secret)).update(`${id}.${timestamp}.`).update(body);
  return `v1,${mac.digest('base64')}`;
}

/** Header text Node's client will send: printable ASCII, tab, and Latin-1 (obs-text). */
const headerChar = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.constantFrom(0x09, 0x80, 0xa0, 0xff) },
);
const headerText = (maxLength = 80) =>
  fc.array(headerChar, { maxLength }).map((codes) => String.fromCharCode(...codes).trim());

/** Strings with what breaks naive code: NUL, lone surrogates, other control characters, emoji. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000b', 'x\ud83d', '\ud83d\ude00', '\u2028', '\ufeff'),
  fc
    .array(fc.constantFrom('a', '\u0000', '\ud800', '\udc00', '"', '\\', '\n'), { maxLength: 20 })
    .map((a) => a.join('')),
);

/** JSON values of every type, including nasty strings. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nastyString,
  fc.constantFrom(null, true, 0, -1, 1e308, [], {}, '', [null], { id: null }),
);

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/** A dispute.created envelope as Whop sends it. */
function validEnvelope(id: string) {
  return {
    id,
    api_version: 'v1',
    type: 'dispute.created',
    timestamp: new Date().toISOString(),
    company_id: 'biz_fuzz',
    data: {
      id: 'dspt_fuzz1',
      status: 'needs_response',
      amount: 12.5,
      currency: 'usd',
      payment: { id: 'pay_1' },
    },
  };
}
const ENVELOPE_FIELDS = ['id', 'api_version', 'type', 'timestamp', 'company_id', 'data'] as const;
const DATA_FIELDS = ['id', 'status', 'amount', 'currency', 'payment'] as const;

/** A webhook body, as bytes, and whether the intake would store it if signed (a valid handled envelope). */
type WebhookBody = { what: string; body: Buffer; valid: boolean };

const webhookBody: fc.Arbitrary<WebhookBody> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .uint8Array({ maxLength: 4096 })
      .map((b) => ({ what: 'random bytes', body: Buffer.from(b), valid: false })),
  },
  {
    weight: 2,
    arbitrary: anyJson.map((v) => ({
      what: 'random JSON',
      body: Buffer.from(JSON.stringify(v) ?? 'null'),
      valid: false,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ depth: fc.integer({ min: 60, max: 10_000 }), open: fc.constantFrom('[', '{"a":') })
      .map(({ depth, open }) => {
        const close = open === '[' ? ']' : '}';
        const inner = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const body = `{"id":"evt_deep","type":"dispute.created","timestamp":"2026-01-01T00:00:00Z","data":{"x":${inner}}}`;
        return { what: `JSON nested ${depth} deep`, body: Buffer.from(body), valid: false };
      }),
  },
  {
    weight: 1,
    // Up to 120,000 elements (240 KB), and now and then 600,000 (1.2 MB: over the 1 MiB limit).
    arbitrary: fc
      .oneof({ weight: 9, arbitrary: fc.integer({ min: 1_000, max: 120_000 }) }, fc.constant(600_000))
      .map((n) => {
        const data = `{"id":"dspt_big","items":[${'0,'.repeat(n - 1)}0]}`;
        const body = `{"id":"evt_big_${n}","type":"dispute.created","timestamp":"2026-01-01T00:00:00Z","data":${data}}`;
        return { what: `array of ${n}`, body: Buffer.from(body), valid: true };
      }),
  },
  {
    weight: 2,
    // NULs and lone surrogates in every string, escaped (valid JSON) or raw (invalid UTF-8 bytes).
    arbitrary: fc
      .record({ s: nastyString, field: fc.constantFrom(...ENVELOPE_FIELDS), raw: fc.boolean() })
      .map(({ s, field, raw }) => {
        const env: Record<string, unknown> = validEnvelope(`evt_nasty_${Math.random()}`);
        env[field] = s;
        let text = JSON.stringify(env);
        // JSON.stringify escapes lone surrogates; raw mode writes them as CESU-like bytes instead.
        if (raw)
          text = text.replace(/\\u(d[89a-f][0-9a-f]{2})/gi, (_m, hex) =>
            String.fromCharCode(Number.parseInt(hex, 16)),
          );
        const body = raw ? Buffer.from(text, 'latin1') : Buffer.from(text);
        return { what: `nasty ${field}${raw ? ' (raw bytes)' : ''}`, body, valid: false };
      }),
  },
  {
    weight: 4,
    // A correctly signed envelope with a wrong type (or nothing) in one field, top level or in data.
    arbitrary: fc
      .record({
        where: fc.constantFrom('envelope', 'data'),
        envField: fc.constantFrom(...ENVELOPE_FIELDS),
        dataField: fc.constantFrom(...DATA_FIELDS),
        value: fc.option(anyJson, { nil: undefined }),
        type: fc.constantFrom(
          'dispute.created',
          'refund.updated',
          'dispute_alert.created',
          'payment.succeeded',
          'x',
        ),
      })
      .map(({ where, envField, dataField, value, type }) => {
        const env: Record<string, unknown> = { ...validEnvelope(`evt_typed_${Math.random()}`), type };
        const target = where === 'envelope' ? env : (env.data as Record<string, unknown>);
        const field = where === 'envelope' ? envField : dataField;
        if (value === undefined) delete target[field];
        else target[field] = value;
        return {
          what: `${where}.${field} = ${JSON.stringify(value) ?? 'absent'}`,
          body: Buffer.from(JSON.stringify(env)),
          valid: false,
        };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constant(null).map(() => ({
      what: 'valid envelope',
      body: Buffer.from(JSON.stringify(validEnvelope(`evt_ok_${Math.random()}`))),
      valid: true,
    })),
  },
);

type SignatureMode =
  | 'valid'
  | 'wrong secret'
  | 'absent'
  | 'garbage'
  | 'repeated'
  | 'stale'
  | 'many signatures'
  | 'huge header';

const signatureMode = fc.oneof(
  { weight: 5, arbitrary: fc.constant<SignatureMode>('valid') },
  {
    weight: 5,
    arbitrary: fc.constantFrom<SignatureMode>(
      'wrong secret',
      'absent',
      'garbage',
      'repeated',
      'stale',
      'many signatures',
      'huge header',
    ),
  },
);

/** `POST /webhooks/whop` deliveries signed (or not) with `secret`. */
export function webhookRequest(secret: string, wrongSecret: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      body: webhookBody,
      mode: signatureMode,
      id: fc.oneof(fc.constant('msg_fuzz'), headerText(40)),
      garbage: fc.record({ id: headerText(), ts: headerText(20), sig: headerText(200) }),
      absent: fc.subarray(['webhook-id', 'webhook-timestamp', 'webhook-signature'], { minLength: 1 }),
      hugeBytes: fc.integer({ min: 4_000, max: 70_000 }),
      // Each entry is 8 bytes: at most ~12 KB, under Node's 16 KiB header limit.
      many: fc.integer({ min: 2, max: 1_500 }),
      contentType: fc.constantFrom(
        'application/json',
        undefined,
        'text/plain',
        'application/x-www-form-urlencoded',
      ),
    })
    .map(({ body: b, mode, id, garbage, absent, hugeBytes, many, contentType }) => {
      const msgId = id || 'msg_fuzz';
      const ts = mode === 'stale' ? String(Math.floor(Date.now() / 1000) - 3_600) : nowSeconds();
      const good = v1Signature(mode === 'wrong secret' ? wrongSecret : secret, msgId, ts, b.body);
      const headers: Record<string, string | string[]> = {
        'webhook-id': msgId,
        'webhook-timestamp': ts,
        'webhook-signature': good,
      };
      if (contentType) headers['content-type'] = contentType;
      if (mode === 'absent') for (const name of absent) delete headers[name];
      if (mode === 'garbage') {
        headers['webhook-id'] = garbage.id;
        headers['webhook-timestamp'] = garbage.ts;
        headers['webhook-signature'] = garbage.sig;
      }
      if (mode === 'repeated') {
        // Node joins repeated unknown headers with ", ": a valid signature repeated is one entry with a comma.
        headers['webhook-signature'] = [good, good];
        headers['webhook-id'] = [msgId, msgId];
      }
      if (mode === 'many signatures') {
        headers['webhook-signature'] = `${'v1,AAAA '.repeat(many)}${good}`;
      }
      if (mode === 'huge header') headers['x-padding'] = 'p'.repeat(hugeBytes);
      const signedOk =
        mode === 'valid' || mode === 'many signatures' || (mode === 'huge header' && hugeBytes < 15_000);
      return {
        kind: `webhook ${mode}: ${b.what}`,
        method: 'POST',
        path: '/webhooks/whop',
        headers,
        body: b.body,
        expect: expectedWebhookStatus(mode, signedOk, b, hugeBytes),
      };
    });
}

function expectedWebhookStatus(mode: SignatureMode, signedOk: boolean, b: WebhookBody, hugeBytes: number) {
  const tooLarge = b.body.length > 1024 * 1024 ? [413] : [];
  // Node's own header limit (16 KiB by default) answers before the app.
  if (mode === 'huge header' && hugeBytes >= 17_000) return [431];
  if (mode === 'huge header') return undefined;
  if (!signedOk) return [401, ...tooLarge];
  return b.valid && tooLarge.length === 0 ? [200] : undefined;
}

const DAY = 86_400_000;
/** A minimal valid access event, `occurred_at` an hour ago. */
const validEvent = (n: number) => ({
  event_id: `fz_${n}_${Math.random()}`,
  user_id: 'user_fuzz1',
  occurred_at: new Date(Date.now() - 3_600_000).toISOString(),
  action: 'login',
});
const EVENT_FIELDS = ACCESS_EVENT_FIELDS;

const bigBodies = new Map<number, Buffer>();
/** A JSON array of `n` valid events, built once per `n` (sent again, its events are duplicates). */
function manyEvents(n: number): Buffer {
  let body = bigBodies.get(n);
  if (!body) {
    body = Buffer.from(JSON.stringify(Array.from({ length: n }, (_, i) => validEvent(i))));
    bigBodies.set(n, body);
  }
  return body;
}

/** Dates far in the future and the past, as text the merchant might send. */
const farDate = fc.oneof(
  fc
    .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.integer({ min: -1e6, max: 1e6 }).map((days) => new Date(Date.now() + days * DAY).toISOString()),
  fc.constantFrom(
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '2026-02-30T00:00:00Z',
    '1970-01-01T00:00:00Z',
    'now',
    '',
  ),
  fc.integer().map(String),
);

/** One event, valid or broken one way. */
const accessEvent = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map(validEvent) },
  {
    weight: 3,
    arbitrary: fc
      .record({ field: fc.constantFrom(...EVENT_FIELDS), value: anyJson, n: fc.nat() })
      .map(({ field, value, n }) => ({ ...validEvent(n), [field]: value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ size: fc.integer({ min: 1_000, max: 200_000 }), n: fc.nat() })
      .map(({ size, n }) => ({ ...validEvent(n), metadata: { blob: 'm'.repeat(size) } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ names: fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 10 }), n: fc.nat() })
      .map(({ names, n }) => ({ ...validEvent(n), ...Object.fromEntries(names.map((k) => [k, 1])) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ at: farDate, n: fc.nat() })
      .map(({ at, n }) => ({ ...validEvent(n), occurred_at: at })),
  },
  { weight: 1, arbitrary: anyJson },
);

type AccessAuth = 'valid' | 'lower-case scheme' | 'none' | 'wrong' | 'query string';
const accessAuth = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<AccessAuth>('valid', 'lower-case scheme') },
  { weight: 2, arbitrary: fc.constantFrom<AccessAuth>('none', 'wrong', 'query string') },
);

const accessBody: fc.Arbitrary<{ what: string; body: Buffer; type: string | undefined }> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.array(accessEvent, { maxLength: 20 }).map((events) => ({
      what: `array of ${events.length}`,
      body: Buffer.from(JSON.stringify(events)),
      type: 'application/json',
    })),
  },
  {
    weight: 4,
    arbitrary: accessEvent.map((e) => ({
      what: 'one event',
      body: Buffer.from(JSON.stringify(e) ?? ''),
      type: 'application/json',
    })),
  },
  {
    weight: 6,
    arbitrary: fc
      .array(
        fc.oneof(
          accessEvent.map((e) => JSON.stringify(e) ?? ''),
          fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/\n/g, ' ')),
          fc.constantFrom('', '\r', '{', '[]', 'null', '{"action":'),
        ),
        { maxLength: 30 },
      )
      .map((lines) => ({
        what: `NDJSON of ${lines.length} lines`,
        body: Buffer.from(lines.join('\n')),
        type: 'application/x-ndjson',
      })),
  },
  {
    weight: 1,
    arbitrary: fc.oneof({ weight: 4, arbitrary: fc.constant(10_001) }, fc.constant(10_000)).map((n) => ({
      what: `${n} events`,
      body: manyEvents(n),
      type: 'application/json',
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        bytes: fc.uint8Array({ maxLength: 2048 }),
        type: fc.constantFrom('application/json', 'application/x-ndjson', undefined, 'text/csv'),
      })
      .map(({ bytes, type }) => ({ what: 'random bytes', body: Buffer.from(bytes), type })),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 60, max: 10_000 }).map((depth) => ({
      what: `JSON nested ${depth} deep`,
      body: Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`),
      type: 'application/json',
    })),
  },
);

/** `POST /access-events` with `token` (or without it, or wrong). */
export function accessEventsRequest(token: string): fc.Arbitrary<FuzzRequest> {
  return fc.record({ auth: accessAuth, b: accessBody }).map(({ auth, b }) => {
    const headers: Record<string, string> = {};
    if (b.type) headers['content-type'] = b.type;
    if (auth === 'valid') headers.authorization = `Bearer ${token}`;
    if (auth === 'lower-case scheme') headers.authorization = `bearer ${token}`;
    if (auth === 'wrong') headers.authorization = `Bearer ${token.slice(0, -1)}x`;
    const authorized = auth === 'valid' || auth === 'lower-case scheme';
    return {
      kind: `access-events ${auth}: ${b.what}`,
      method: 'POST',
      path:
        auth === 'query string' ? `/access-events?token=${token}&access_token=${token}` : '/access-events',
      headers,
      body: b.body,
      expect: authorized ? (b.what === '10001 events' ? [413] : undefined) : [401],
    };
  });
}

/** Bytes on a raw socket: garbage, a broken request line, or a real request head cut short or bloated. */
export const rawRequest: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    fc
      .uint8Array({ minLength: 1, maxLength: 512 })
      .map((b) => ({ what: 'random bytes', raw: Buffer.from(b) })),
    fc.uint8Array({ maxLength: 64 }).map((b) => ({
      what: 'request line with garbage',
      raw: Buffer.concat([
        Buffer.from('POST /webhooks/whop HTTP/1.1\r\nHost: x\r\n'),
        Buffer.from(b),
        Buffer.from('\r\n\r\n'),
      ]),
    })),
    fc.integer({ min: 1, max: 20 }).map((n) => ({
      what: `${n} Content-Length headers that disagree`,
      raw: Buffer.from(
        `POST /webhooks/whop HTTP/1.1\r\nHost: x\r\n${Array.from({ length: n + 1 }, (_, i) => `Content-Length: ${i}\r\n`).join('')}\r\n{}`,
      ),
    })),
    fc
      .constantFrom(
        'GET / HTTP/9.9\r\n\r\n',
        'GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
        'POST /access-events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      )
      .map((s) => ({ what: 'broken framing', raw: Buffer.from(s) })),
  )
  .map(({ what, raw }) => ({ kind: `raw ${what}`, raw }));
