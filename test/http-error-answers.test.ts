/**
 * Every error answer the HTTP service gives, recorded byte for byte: status, headers and the exact body.
 * Clients and scripts branch on these (Whop retries on a non-2xx; merchants' scripts read `error.code`),
 * so a refactor of how errors are raised or rendered must leave every row here unchanged.
 *
 * The app is the one production runs (`composeApp`), on a real Redis; the "store down" rows stop it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIntake } from './support/intake.js';
import { RedisServerProcess } from './support/redis-server.js';
import { signWebhook, testSecret, whopEvent } from './support/signed-webhook.js';

const SECRET = testSecret('error answers');
const ADMIN_TOKEN = 'error-answers-admin-token-0123';
const EVENTS_TOKEN = 'error-answers-events-token-0123';
const TOKENS = { ADMIN_TOKEN, ACCESS_EVENTS_TOKEN: EVENTS_TOKEN };
const MiB = 1024 * 1024;

type Intake = Awaited<ReturnType<typeof buildIntake>>;
type App = Intake['app'];

/** What a client sees. The request id is random, so only its presence is recorded. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One error answer: how to provoke it, and exactly what it is. */
interface Row {
  name: string;
  /** Which app answers: both APIs on (default), both off (no tokens), or on with Redis down. */
  app?: 'on' | 'off' | 'down';
  request: (app: App) => Response | Promise<Response>;
  status: number;
  body: string;
  /** Headers beyond Content-Type and X-Request-Id. */
  headers?: Record<string, string>;
  /** The outcome label `webhooks_received_total` counts for it, for webhook rows. */
  counted?: string;
  /** Logged as an unhandled error (only the 500s are). */
  unhandled?: boolean;
}

const REQUEST_ID = '<request id>';
const JSON_HEADERS = { 'content-type': 'application/json', 'x-request-id': REQUEST_ID };

async function answerOf(res: Response): Promise<Answer> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = name === 'x-request-id' && /^[0-9a-f-]{36}$/.test(value) ? REQUEST_ID : value;
  });
  return { status: res.status, headers, body: await res.text() };
}

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/** A body of `bytes` bytes streamed in 64 KiB chunks, without Content-Length (as chunked encoding). */
function streamed(bytes: number): RequestInit {
  let left = bytes;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const n = Math.min(left, 64 * 1024);
      left -= n;
      controller.enqueue(new Uint8Array(n).fill(0x7b));
    },
  });
  return { method: 'POST', body, duplex: 'half' } as RequestInit;
}

let n = 0;
/** A signed Whop delivery of `body` (a correctly signed delivery unless `headers` replaces some). */
function webhook(body: string, headers: Record<string, string> = {}) {
  return (app: App) => {
    const id = `msg_error_answers_${++n}`;
    return app.request('/webhooks/whop', {
      method: 'POST',
      body,
      headers: { ...signWebhook(SECRET, id, body), ...headers },
    });
  };
}

function accessEvents(body: string | Uint8Array, headers: Record<string, string> = {}) {
  return (app: App) =>
    app.request('/access-events', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${EVENTS_TOKEN}`, 'content-type': 'application/json', ...headers },
    });
}

const get =
  (path: string, headers: Record<string, string> = {}) =>
  (app: App) =>
    app.request(path, { headers });
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function counted(intake: Intake): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await intake.metrics.webhooksReceived.get()).values) {
    out[String(v.labels.outcome)] = (out[String(v.labels.outcome)] ?? 0) + v.value;
  }
  return out;
}

/** Sends the row's request and checks its answer, the metric it bumps and what the request logged. */
async function check(row: Row) {
  const intake = { on, off, down }[row.app ?? 'on'];
  const before = await counted(intake);
  const logFrom = intake.logLines.length;
  const answer = await answerOf(await row.request(intake.app));
  expect(answer).toEqual({
    status: row.status,
    headers: { ...JSON_HEADERS, ...row.headers },
    body: row.body,
  });

  const after = await counted(intake);
  const bumped = Object.keys(after).filter((k) => after[k] !== (before[k] ?? 0));
  expect(bumped).toEqual(row.counted ? [row.counted] : []);
  if (row.counted) expect(after[row.counted]).toBe((before[row.counted] ?? 0) + 1);

  const lines = intake.logLines.slice(logFrom);
  const requestLine = lines.find((l) => l.msg === 'request');
  expect(requestLine).toMatchObject({ status: row.status, level: row.status >= 500 ? 40 : 30 });
  expect(lines.filter((l) => l.msg === 'unhandled error').length).toBe(row.unhandled ? 1 : 0);
}

let redis: RedisServerProcess;
/** Both APIs on (tokens set). */
let on: Intake;
/** Both APIs off (no tokens). */
let off: Intake;
/** Both APIs on, with Redis down for the whole describe block that uses it. */
let down: Intake;

beforeAll(async () => {
  redis = await RedisServerProcess.start();
  [on, off, down] = await Promise.all([
    buildIntake(redis.url, { secrets: [SECRET], env: TOKENS }),
    buildIntake(redis.url, { secrets: [SECRET] }),
    buildIntake(redis.url, { secrets: [SECRET], env: TOKENS, commandTimeoutMs: 300 }),
  ]);
});
afterAll(async () => {
  await redis.restart();
  await Promise.all([on.close(), off.close(), down.close()]);
  await redis.destroy();
});

const NOT_FOUND = errorBody('not_found', 'no such route');
const UNAUTHORIZED = errorBody('unauthorized', 'missing or invalid bearer token');
const BEARER = { 'www-authenticate': 'Bearer' };
const ADMIN_OFF = errorBody('api_disabled', 'set ADMIN_TOKEN to enable this API');
const EVENTS_OFF = errorBody('api_disabled', 'set ACCESS_EVENTS_TOKEN to enable this API');
const SIGNATURE = (code: string) => errorBody(code, 'webhook signature verification failed');
const now = () => Math.floor(Date.now() / 1000);
const event = JSON.stringify(whopEvent('dispute.created', { id: 'dspt_error_answers' }));
const accessEvent = JSON.stringify({
  user_id: 'user_errans1',
  occurred_at: new Date(Date.now() - 86_400_000).toISOString(),
  action: 'login',
  event_id: 'error_answers_1',
});

const anyRoute: Row[] = [
  { name: 'GET an unknown path', request: get('/nope'), status: 404, body: NOT_FOUND },
  {
    name: 'POST a GET-only path',
    request: (app) => app.request('/healthz', { method: 'POST' }),
    status: 404,
    body: NOT_FOUND,
  },
  { name: 'GET the webhook path', request: get('/webhooks/whop'), status: 404, body: NOT_FOUND },
  {
    name: 'GET /webhooks/whop/ (trailing slash)',
    request: get('/webhooks/whop/'),
    status: 404,
    body: NOT_FOUND,
  },
  {
    name: 'HEAD an unknown path (headers only)',
    request: (app) => app.request('/nope', { method: 'HEAD' }),
    status: 404,
    body: '',
  },
];

const webhookRows: Row[] = [
  {
    name: 'a body over 1 MiB by Content-Length',
    request: webhook('x', { 'content-length': String(MiB + 1) }),
    status: 413,
    // The rest of the body is never read: the connection cannot carry another request.
    headers: { connection: 'close' },
    body: errorBody('payload_too_large', 'body is over 1 MiB'),
    counted: 'too_large',
  },
  {
    name: 'a streamed body passing 1 MiB',
    request: (app) => app.request('/webhooks/whop', streamed(MiB + 1)),
    status: 413,
    // The rest of the body is never read: the connection cannot carry another request.
    headers: { connection: 'close' },
    body: errorBody('payload_too_large', 'body is over 1 MiB'),
    counted: 'too_large',
  },
  {
    name: 'no signature headers',
    request: (app) => app.request('/webhooks/whop', { method: 'POST', body: event }),
    status: 401,
    body: SIGNATURE('missing_signature_headers'),
    counted: 'missing_signature_headers',
  },
  {
    name: 'a timestamp that is not digits',
    request: webhook(event, { 'webhook-timestamp': '12abc' }),
    status: 401,
    body: SIGNATURE('invalid_timestamp'),
    counted: 'invalid_timestamp',
  },
  {
    name: 'a timestamp an hour old',
    request: (app) => {
      const body = event;
      return app.request('/webhooks/whop', {
        method: 'POST',
        body,
        headers: signWebhook(SECRET, 'msg_error_answers_stale', body, now() - 3600),
      });
    },
    status: 401,
    body: SIGNATURE('timestamp_out_of_tolerance'),
    counted: 'timestamp_out_of_tolerance',
  },
  {
    name: 'a wrong signature',
    request: webhook(event, { 'webhook-signature': `v1,${'A'.repeat(43)}=` }),
    status: 401,
    body: SIGNATURE('invalid_signature'),
    counted: 'invalid_signature',
  },
  {
    name: 'a signed body that is not JSON',
    request: webhook('{not json'),
    status: 400,
    body: errorBody('invalid_json', 'body is not JSON'),
    counted: 'invalid_json',
  },
  {
    name: 'a signed body nested 10,000 deep',
    request: webhook(
      JSON.stringify({ ...whopEvent('dispute.created'), data: {} }).replace(
        '"data":{}',
        `"data":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
      ),
    ),
    status: 400,
    body: errorBody('json_too_deep', 'body nests deeper than 64 levels'),
    counted: 'json_too_deep',
  },
  {
    name: 'a signed JSON array',
    request: webhook('[]'),
    status: 400,
    body: errorBody('invalid_envelope', 'body must be a JSON object'),
    counted: 'invalid_envelope',
  },
  {
    name: 'a signed envelope without id',
    request: webhook(JSON.stringify({ ...whopEvent('dispute.created'), id: '' })),
    status: 400,
    body: errorBody('invalid_envelope', 'id must be a non-empty string'),
    counted: 'invalid_envelope',
  },
  {
    name: 'a signed envelope without type',
    request: webhook(JSON.stringify({ ...whopEvent('dispute.created'), type: 7 })),
    status: 400,
    body: errorBody('invalid_envelope', 'type must be a non-empty string'),
    counted: 'invalid_envelope',
  },
  {
    name: 'a signed envelope with a bad timestamp',
    request: webhook(JSON.stringify({ ...whopEvent('dispute.created'), timestamp: 'soon' })),
    status: 400,
    body: errorBody('invalid_envelope', 'timestamp must be an ISO 8601 date-time'),
    counted: 'invalid_envelope',
  },
  {
    name: 'a signed envelope whose data is not an object',
    request: webhook(JSON.stringify({ ...whopEvent('dispute.created'), data: 'x' })),
    status: 400,
    body: errorBody('invalid_envelope', 'data must be an object'),
    counted: 'invalid_envelope',
  },
];

const readApiRows: Row[] = [
  ...['/api/cases', '/api/cases/pay_1', '/api/alerts', '/api/nope'].map((path) => ({
    name: `GET ${path} without ADMIN_TOKEN configured`,
    app: 'off' as const,
    request: get(path, admin),
    status: 503,
    body: ADMIN_OFF,
  })),
  ...['/api/cases', '/api/cases/pay_1', '/api/alerts', '/api/nope', '/api'].map((path) => ({
    name: `GET ${path} without a token`,
    request: get(path),
    status: 401,
    body: UNAUTHORIZED,
    headers: BEARER,
  })),
  {
    name: 'GET /api/cases with a wrong token',
    request: get('/api/cases', { authorization: 'Bearer wrong-wrong-wrong-wrong' }),
    status: 401,
    body: UNAUTHORIZED,
    headers: BEARER,
  },
  {
    name: 'GET /api/alerts with another scheme',
    request: get('/api/alerts', { authorization: `Basic ${ADMIN_TOKEN}` }),
    status: 401,
    body: UNAUTHORIZED,
    headers: BEARER,
  },
  ...(
    [
      [
        'kind=bogus',
        'kind: Invalid option: expected one of "dispute"|"dispute_alert"|"refund"|"resolution_case"',
      ],
      ['limit=0', 'limit: Too small: expected number to be >=1'],
      ['limit=201', 'limit: Too big: expected number to be <=200'],
      ['limit=abc', 'limit: Invalid input: expected number, received NaN'],
      ['limit=1.5', 'limit: Invalid input: expected int, received number'],
      ['open=yes', 'open: Invalid option: expected one of "true"|"false"'],
      ['status=', 'status: Too small: expected string to have >=1 characters'],
      [`company_id=${'x'.repeat(65)}`, 'company_id: Too big: expected string to have <=64 characters'],
      ['cursor=garbage', 'cursor: must be a next_cursor from a previous page'],
      ['kind=dispute&limit=0', 'limit: Too small: expected number to be >=1'],
    ] as const
  ).map(([query, message]) => ({
    name: `GET /api/cases?${query}`,
    request: get(`/api/cases?${query}`, admin),
    status: 400,
    body: errorBody('invalid_query', message),
  })),
  {
    name: 'GET /api/cases/:id for an unknown id',
    request: get('/api/cases/pay_unknown', admin),
    status: 404,
    body: errorBody('not_found', 'no case pay_unknown'),
  },
  {
    name: 'GET /api/cases/:id for an id that needs escaping in JSON',
    request: get('/api/cases/a%22b%5Cc', admin),
    status: 404,
    body: errorBody('not_found', 'no case a"b\\c'),
  },
  {
    name: 'GET /api/cases/ (trailing slash)',
    request: get('/api/cases/', admin),
    status: 404,
    body: NOT_FOUND,
  },
  { name: 'GET /api/nope with the token', request: get('/api/nope', admin), status: 404, body: NOT_FOUND },
  {
    name: 'POST /api/cases with the token',
    request: (app) => app.request('/api/cases', { method: 'POST', headers: admin }),
    status: 404,
    body: NOT_FOUND,
  },
];

const accessEventRows: Row[] = [
  {
    name: 'POST without ACCESS_EVENTS_TOKEN configured',
    app: 'off',
    request: accessEvents(accessEvent),
    status: 503,
    body: EVENTS_OFF,
  },
  {
    name: 'GET without ACCESS_EVENTS_TOKEN configured',
    app: 'off',
    request: get('/access-events'),
    status: 503,
    body: EVENTS_OFF,
  },
  {
    name: 'POST without a token',
    request: (app) => app.request('/access-events', { method: 'POST', body: accessEvent }),
    status: 401,
    body: UNAUTHORIZED,
    headers: BEARER,
  },
  {
    name: 'POST with a wrong token',
    request: accessEvents(accessEvent, { authorization: 'Bearer wrong-wrong-wrong-wrong' }),
    status: 401,
    body: UNAUTHORIZED,
    headers: BEARER,
  },
  {
    name: 'GET with the token',
    request: get('/access-events', { authorization: `Bearer ${EVENTS_TOKEN}` }),
    status: 404,
    body: NOT_FOUND,
  },
  {
    name: 'a body over 5 MiB by Content-Length',
    request: accessEvents(accessEvent, { 'content-length': String(5 * MiB + 1) }),
    status: 413,
    // The rest of the body is never read: the connection cannot carry another request.
    headers: { connection: 'close' },
    body: errorBody('payload_too_large', 'body is over 5 MiB; send smaller batches'),
  },
  {
    name: 'a streamed body passing 5 MiB',
    request: (app) =>
      app.request('/access-events', {
        ...streamed(5 * MiB + 1),
        headers: { authorization: `Bearer ${EVENTS_TOKEN}` },
      }),
    status: 413,
    // The rest of the body is never read: the connection cannot carry another request.
    headers: { connection: 'close' },
    body: errorBody('payload_too_large', 'body is over 5 MiB; send smaller batches'),
  },
  {
    name: 'a content type it does not read',
    request: accessEvents('user_id,action\n', { 'content-type': 'text/csv' }),
    status: 415,
    body: errorBody(
      'unsupported_media_type',
      // Names the two read by their content too (the README's accepted types, since the newcomer review).
      'send Content-Type: application/json (one event or an array) or application/x-ndjson (text/plain or none: told by the content)',
    ),
  },
  {
    name: 'a body that is not UTF-8',
    request: accessEvents(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])),
    status: 400,
    body: errorBody('invalid_encoding', 'the body is not UTF-8'),
  },
  {
    name: 'an empty body',
    request: accessEvents(''),
    status: 400,
    body: errorBody('empty_body', 'the body holds no events'),
  },
  {
    name: 'an empty array',
    request: accessEvents('[]'),
    status: 400,
    body: errorBody('empty_body', 'the array holds no events'),
  },
  {
    name: 'blank NDJSON',
    request: accessEvents('\n \n', { 'content-type': 'application/x-ndjson' }),
    status: 400,
    body: errorBody('empty_body', 'the body holds no events'),
  },
  {
    name: 'a broken array',
    request: accessEvents('[{"user_id": "u",'),
    status: 400,
    body: errorBody(
      'invalid_json',
      'the body is not a readable JSON array: Expected double-quoted property name in JSON at position 17',
    ),
  },
  {
    name: 'a broken object',
    request: accessEvents('{"user_id": '),
    status: 400,
    body: errorBody('invalid_json', 'the body is not JSON: Unexpected end of JSON input'),
  },
  {
    name: 'a JSON string',
    request: accessEvents('"hello"'),
    status: 400,
    body: errorBody('invalid_body', 'the body must be a JSON object, a JSON array of objects, or NDJSON'),
  },
  {
    name: '10,001 events',
    request: accessEvents('{}\n'.repeat(10_001), { 'content-type': 'application/x-ndjson' }),
    status: 413,
    body: errorBody('too_many_events', '10001 events; at most 10000 per request'),
  },
  {
    name: 'every event refused',
    request: accessEvents(JSON.stringify([{ action: 'x' }, { user_id: 'u', bad: 1 }])),
    status: 422,
    body: JSON.stringify({
      error: { code: 'all_rejected', message: 'all 2 events were rejected; see rejected' },
      accepted: 0,
      duplicates: 0,
      rejected: [
        { line: 1, reason: 'occurred_at: is required; needs at least one of user_id, membership_id, email' },
        {
          line: 2,
          reason:
            'user_id: must be a Whop user id (user_…); occurred_at: is required; action: is required; unknown field "bad"',
        },
      ],
    }),
  },
];

const INTERNAL = errorBody('internal_error', 'internal error');
const STORE_DOWN = errorBody('store_unavailable', 'event store unavailable; retry later');

/** Answers while Redis is down: what Whop and the merchant's scripts retry on. */
const redisDownRows: Row[] = [
  {
    name: 'POST /webhooks/whop, a valid delivery',
    app: 'down',
    request: webhook(event),
    status: 503,
    body: STORE_DOWN,
    headers: { 'retry-after': '10' },
    counted: 'unavailable',
  },
  {
    name: 'POST /access-events, a valid event',
    app: 'down',
    request: accessEvents(accessEvent),
    status: 503,
    body: STORE_DOWN,
    headers: { 'retry-after': '10' },
  },
  ...['/api/cases', '/api/cases/pay_1', '/api/alerts'].map((path) => ({
    name: `GET ${path}`,
    app: 'down' as const,
    request: get(path, admin),
    status: 500,
    body: INTERNAL,
    unhandled: true,
  })),
];

describe('error answers', () => {
  it.each(anyRoute)('any route: $name', check);
  it.each(webhookRows)('POST /webhooks/whop: $name', check);
  it.each(readApiRows)('read API: $name', check);
  it.each(accessEventRows)('POST /access-events: $name', check);
});

describe('error answers while Redis is down', () => {
  beforeAll(async () => {
    await redis.stop();
  });
  it.each(redisDownRows)('$name', check);

  // Not an error answer but a readiness report (its own shape); recorded so it stays out of the error path.
  it('GET /readyz answers 503 not_ready with why', async () => {
    const answer = await answerOf(await down.app.request('/readyz'));
    expect({ ...answer, body: JSON.parse(answer.body) }).toEqual({
      status: 503,
      headers: JSON_HEADERS,
      body: {
        status: 'not_ready',
        redis: expect.any(String),
        alerts: 'log only: no alert channel configured',
      },
    });
    expect(answer.body.startsWith('{"status":"not_ready","redis":')).toBe(true);
  });
});
