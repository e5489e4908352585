import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessEventStore } from '../src/access-events/access-event-store.js';
import { webhookKeyFromSecret } from '../src/config/webhook-secret.js';
import { type App, createApp } from '../src/http/app.js';
import { ACCESS_EVENT_CONTENT_TYPES } from '../src/http/routes/access-events.js';
import { EventInbox } from '../src/intake/event-inbox.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { createIntakeRedis, waitUntilReady } from '../src/redis/connection.js';
import { WebhookSignatureVerifier } from '../src/webhooks/verify-signature.js';
import { captureLogger } from './support/intake.js';
import { RedisServerProcess, startTestRedis } from './support/redis-server.js';
import { testSecret } from './support/signed-webhook.js';

const TOKEN = 'access-events-token-0123456789';
const DAY = 86_400_000;

interface Answer {
  accepted: number;
  duplicates: number;
  rejected: { line: number; reason: string }[];
  error?: { code: string; message: string };
}

/** The real app as `src/main.ts` wires it, on the intake's fail-fast Redis connection. */
function buildApp(redis: Redis, token: string | undefined, retentionDays = 540) {
  const store = new AccessEventStore(redis, { retentionDays });
  const app = createApp({
    logger: captureLogger().logger,
    metrics: createMetrics(),
    verifier: new WebhookSignatureVerifier([webhookKeyFromSecret(testSecret('access events'))]),
    inbox: new EventInbox(redis),
    redis,
    accessEvents: { store, token },
  });
  return { app, store };
}

async function post(
  app: App,
  body: string | Uint8Array,
  opts: { type?: string | null; auth?: string | null } = {},
) {
  const headers: Record<string, string> = {};
  const type = opts.type === undefined ? 'application/json' : opts.type;
  if (type !== null) headers['content-type'] = type;
  const auth = opts.auth === undefined ? `Bearer ${TOKEN}` : opts.auth;
  if (auth !== null) headers.authorization = auth;
  const res = await app.request('/access-events', { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer };
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
let seq = 0;
const event = (fields: Record<string, unknown> = {}) => ({
  user_id: 'user_api1',
  occurred_at: ago(DAY),
  action: 'login',
  event_id: `api_${++seq}`,
  ...fields,
});
const ndjson = (lines: unknown[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

let server: Awaited<ReturnType<typeof startTestRedis>>;
let redis: Redis;
let app: App;
let store: AccessEventStore;

beforeAll(async () => {
  server = await startTestRedis();
  redis = createIntakeRedis(server.url);
  redis.on('error', () => {});
  await waitUntilReady(redis, 5000);
  ({ app, store } = buildApp(redis, TOKEN));
});
afterAll(async () => {
  redis?.disconnect();
  await server?.close();
});
beforeEach(async () => {
  await redis.flushdb();
});

describe('POST /access-events authentication', () => {
  it('answers 503 api_disabled naming ACCESS_EVENTS_TOKEN when no token is configured', async () => {
    const off = buildApp(redis, undefined).app;
    for (const auth of [null, `Bearer ${TOKEN}`]) {
      const res = await post(off, JSON.stringify(event()), { auth });
      expect(res.status).toBe(503);
      expect(res.body.error?.code).toBe('api_disabled');
      expect(res.body.error?.message).toContain('ACCESS_EVENTS_TOKEN');
    }
    expect(await redis.dbsize()).toBe(0);
  });

  it.each([
    ['no header', null],
    ['a wrong token', 'Bearer wrong-token-wrong-token-00'],
    ['another scheme', `Basic ${TOKEN}`],
  ])('answers 401 for %s, storing nothing', async (_label, auth) => {
    const res = await post(app, JSON.stringify(event()), { auth });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body.error?.code).toBe('unauthorized');
    expect(await redis.dbsize()).toBe(0);
  });
});

describe('POST /access-events', () => {
  it('stores one JSON event: 200 with the counts', async () => {
    const e = event({ email: 'Ann@Example.com', ip: '203.0.113.9' });
    const res = await post(app, JSON.stringify(e));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const [stored] = await store.forCustomer({ email: 'ann@example.com' });
    expect(stored).toMatchObject({ eventId: e.event_id, userId: 'user_api1', email: 'ann@example.com' });
  });

  it('stores the valid lines of a mixed NDJSON body and says why each other line was refused', async () => {
    const body = ndjson([
      event({ action: 'login', occurred_at: ago(2 * DAY) }),
      '',
      event({ occured_at: ago(DAY) }),
      '{"user_id": "user_api1", ',
      event({ ip: '999.1.1.1', action: 'download' }),
      event({ action: 'download' }),
      { occurred_at: ago(DAY), action: 'login' },
      event({ occurred_at: ago(-DAY) }),
      event({ occurred_at: ago(600 * DAY) }),
    ]);
    // No content type: told by the content (a string body gets text/plain, as with fetch()).
    const types = ['application/x-ndjson', 'application/x-ndjson; charset=utf-8', 'application/json', null];
    for (const type of types) {
      await redis.flushdb();
      const res = await post(app, body, { type });
      expect(res.status, String(type)).toBe(200);
      expect(res.body.accepted).toBe(2);
      expect(res.body.duplicates).toBe(0);
      expect(res.body.rejected).toEqual([
        {
          line: 3,
          reason: expect.stringContaining('unknown field "occured_at" (did you mean "occurred_at"?)'),
        },
        { line: 4, reason: 'is not valid JSON' },
        { line: 5, reason: 'ip: must be an IPv4 or IPv6 address' },
        { line: 7, reason: 'needs at least one of user_id, membership_id, email' },
        { line: 8, reason: expect.stringMatching(/^occurred_at: is more than 5 minutes in the future/) },
        { line: 9, reason: expect.stringMatching(/^occurred_at: is older than the retention period/) },
      ]);
      expect((await store.forCustomer({ userId: 'user_api1' })).map((e) => e.action)).toEqual([
        'login',
        'download',
      ]);
    }
  });

  it('answers a re-send with duplicates, storing nothing twice (also for events sent without an id)', async () => {
    const { event_id: _, ...noId } = event({ action: 'no_id' });
    const body = JSON.stringify([event(), event(), noId, { bad: true }]);
    const first = await post(app, body);
    expect(first.body).toMatchObject({ accepted: 3, duplicates: 0 });
    const again = await post(app, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      accepted: 0,
      duplicates: 3,
      rejected: [{ line: 4, reason: expect.stringMatching(/unknown field "bad"/) }],
    });
    expect(await store.countForCustomer({ userId: 'user_api1' })).toBe(3);
  });

  it('answers 422 when every event was refused, with the reasons, storing nothing', async () => {
    const res = await post(app, JSON.stringify([{ action: 'x' }, event({ user_id: 'bob' })]));
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('all_rejected');
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected.map((r) => r.line)).toEqual([1, 2]);
    expect(await redis.dbsize()).toBe(0);
  });

  it.each([
    ['an empty body', '', 'empty_body'],
    ['a body of blank lines', '\n \n', 'empty_body'],
    ['an empty array', '[]', 'empty_body'],
    ['a broken array', '[{"user_id": "user_1"},', 'invalid_json'],
    ['a broken object', '{"user_id": ', 'invalid_json'],
    ['a JSON string', '"hello"', 'invalid_body'],
  ])('answers 400 for %s', async (_label, body, code) => {
    const res = await post(app, body);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe(code);
  });

  it('answers 400 invalid_encoding for a body that is not UTF-8', async () => {
    const res = await post(app, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('invalid_encoding');
  });

  it('answers 415 for a content type it does not read', async () => {
    for (const type of ['text/csv', 'application/x-www-form-urlencoded']) {
      const res = await post(app, JSON.stringify(event()), { type });
      expect(res.status).toBe(415);
      expect(res.body.error?.code).toBe('unsupported_media_type');
    }
  });

  it('reads text/plain and no content type by the content, and the README says which types it takes', async () => {
    for (const type of ['text/plain', 'text/plain; charset=utf-8', null]) {
      await redis.flushdb();
      expect((await post(app, JSON.stringify(event()), { type })).status, String(type)).toBe(200);
      // Read, not refused: an empty object is an event missing its fields.
      const empty = await post(app, '{}', { type });
      expect(empty.status, String(type)).toBe(422);
      expect(empty.body.error?.code).toBe('all_rejected');
    }
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| `POST /access-events`'));
    const refused = /\*\*415\*\*(.*?)\*\*503\*\*/.exec(row ?? '')?.[1] ?? '';
    for (const type of Object.keys(ACCESS_EVENT_CONTENT_TYPES))
      expect(refused, type).toContain(`\`${type}\``);
    expect(refused).toContain('no `Content-Type`');
  });

  it('answers 413 too_many_events past 10,000 events, and takes exactly 10,000', async () => {
    const line = (i: number) =>
      JSON.stringify({ user_id: `user_n${i % 50}`, occurred_at: ago(DAY + i), action: 'api_call' });
    const lines = Array.from({ length: 10_001 }, (_, i) => line(i));
    const over = await post(app, lines.join('\n'), { type: 'application/x-ndjson' });
    expect(over.status).toBe(413);
    expect(over.body.error?.code).toBe('too_many_events');
    expect(await redis.dbsize()).toBe(0);
    const exact = await post(app, lines.slice(0, 10_000).join('\n'), { type: 'application/x-ndjson' });
    expect(exact.status).toBe(200);
    expect(exact.body).toEqual({ accepted: 10_000, duplicates: 0, rejected: [] });
  });

  it('answers 413 payload_too_large for a body over 5 MiB, declared or streamed', async () => {
    const big = `[${JSON.stringify(event({ metadata: { pad: 'x'.repeat(1900) } }))}${`,${JSON.stringify(event())}`.repeat(60_000)}]`;
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    const declared = await post(app, big);
    expect(declared.status).toBe(413);
    expect(declared.body.error?.code).toBe('payload_too_large');
    const bytes = new TextEncoder().encode(big);
    const streamed = await app.request('/access-events', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024)
            controller.enqueue(bytes.subarray(i, i + 64 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await redis.dbsize()).toBe(0);
  });
});

describe('POST /access-events when Redis cannot store', () => {
  // This test stops Redis, so it runs its own redis-server, never a shared one.
  it('answers 503 with Retry-After while Redis is down, and stores the retried body once it is back', async () => {
    const own = await RedisServerProcess.start();
    const conn = createIntakeRedis(own.url, 300);
    conn.on('error', () => {});
    try {
      await waitUntilReady(conn, 5000);
      const { app: outageApp, store: outageStore } = buildApp(conn, TOKEN);
      const body = ndjson([event({ user_id: 'user_outage' }), event({ user_id: 'user_outage' })]);
      await own.stop();
      const res = await post(outageApp, body);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(res.body.error?.code).toBe('store_unavailable');

      await own.restart();
      await expect.poll(async () => (await post(outageApp, body)).status, { timeout: 10_000 }).toBe(200);
      expect(await outageStore.countForCustomer({ userId: 'user_outage' })).toBe(2);
    } finally {
      conn.disconnect();
      await own.destroy();
    }
  });
});
