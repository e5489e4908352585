/**
 * Auth on every route the app serves, read from the app itself (`app.routes`), so a route added without
 * auth fails here unless it joins the explicit public list. The app is the one production composes, with
 * every part mounted, served on a real socket (what a header looks like on the wire is part of the test).
 *
 * Bearer routes (`/api/*` behind ADMIN_TOKEN, `/access-events` behind ACCESS_EVENTS_TOKEN, `/metrics`
 * behind METRICS_TOKEN, which this app sets) refuse with
 * 401 `unauthorized`; dashboard routes (pages, `/admin/queues`) send anyone without a session to the
 * login page. Two things are accepted on purpose, the same on every bearer route:
 * - the scheme in any case (`bearer`, `BEARER`): RFC 7235 §2.1 makes auth schemes case-insensitive,
 *   and clients do send `bearer`; refusing it would break them and protects nothing (the token is the
 *   secret, not the scheme's spelling);
 * - trailing whitespace after the token: RFC 9110 §5.5 says a field value has no leading or trailing
 *   whitespace, and Node's parser strips it before the app sees it, so on the wire it is the same header.
 */
import { request } from 'node:http';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardSessions, SESSION_COOKIE } from '../src/dashboard/session.js';
import { type RunningServer, startHttpServer } from '../src/http/serve.js';
import { DashboardClient, setCookies } from './support/dashboard-client.js';
import { buildIntake } from './support/intake.js';
import { startTestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'route-auth-admin-token-000000001';
const ACCESS_TOKEN = 'route-auth-access-token-00000001';
const METRICS_TOKEN = 'route-auth-metrics-token-0000001';
const ENV = {
  ADMIN_TOKEN,
  ACCESS_EVENTS_TOKEN: ACCESS_TOKEN,
  METRICS_TOKEN,
  // Refunds on request read Whop: nothing listens here, so a positive check fails fast.
  WHOP_BASE_URL: 'http://127.0.0.1:9/api/v1',
};

/** Routes anyone may call, each with why. Any other route must refuse a request without credentials. */
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'liveness probe',
  'GET /readyz': 'readiness probe',
  'POST /webhooks/whop': 'Whop cannot send a token: the Standard Webhooks signature is its auth',
  'GET /login': 'the login page',
  'POST /login': 'the login form (the admin token is what it checks)',
  'ALL /login': 'the login page’s headers and origin check',
  'ALL /login/*': 'single-use login links (the demo’s banner): the link is the credential',
  'GET /assets/dashboard.css': 'the stylesheet the login page needs',
};

type Guard = { kind: 'bearer'; token: string; other: string } | { kind: 'session' };

/** Which credentials a protected path takes. */
function guardOf(path: string): Guard {
  if (path.startsWith('/api/')) return { kind: 'bearer', token: ADMIN_TOKEN, other: ACCESS_TOKEN };
  if (path.startsWith('/access-events')) return { kind: 'bearer', token: ACCESS_TOKEN, other: ADMIN_TOKEN };
  if (path === '/metrics') return { kind: 'bearer', token: METRICS_TOKEN, other: ADMIN_TOKEN };
  return { kind: 'session' };
}

/** A concrete path for a route pattern: `:param` and `*` filled in. */
const concrete = (pattern: string) => pattern.replace(/:[A-Za-z]+/g, 'route_auth_1').replace(/\*/g, 'x');

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let intake: Awaited<ReturnType<typeof buildIntake>>;
let server: RunningServer;
let origin: string;
beforeAll(async () => {
  redis = await startTestRedis();
  intake = await buildIntake(redis.url, { env: ENV });
  server = await startHttpServer(intake.app, 0, '127.0.0.1');
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close(1000);
  await intake.close();
  await redis.close();
});

/** Every method and path the app routes, middleware paths included (`ALL` is tried as GET and POST). */
function routeTable() {
  const rows = new Map<string, { method: string; pattern: string; path: string }>();
  for (const r of intake.app.routes) {
    // The app-wide middleware (request id, request log) is not a route.
    if (r.path === '/*' || r.path === '*') continue;
    const name = `${r.method} ${r.path}`;
    if (name in PUBLIC) continue;
    const methods = r.method === 'ALL' ? ['GET', 'POST'] : [r.method];
    for (const method of methods)
      rows.set(`${method} ${r.path}`, { method, pattern: r.path, path: concrete(r.path) });
  }
  return [...rows.values()];
}

/** One request over the socket, headers sent exactly as given (Node's client does not trim them). */
function send(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers: { origin, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(method === 'GET' || method === 'HEAD' ? undefined : '{}');
  });
}

type Answer = Awaited<ReturnType<typeof send>>;
const isLoginRedirect = (a: Answer) =>
  (a.status === 302 || a.status === 303) && String(a.headers.location).startsWith('/login');
const isUnauthorized = (a: Answer) =>
  a.status === 401 &&
  a.headers['www-authenticate'] === 'Bearer' &&
  JSON.parse(a.body).error?.code === 'unauthorized';

/** A session cookie (`name=value`) from a real login. */
async function loginCookie(): Promise<string> {
  const client = new DashboardClient(intake.app);
  expect((await client.login(ADMIN_TOKEN)).status).toBe(303);
  return `${SESSION_COOKIE}=${client.jar.get(SESSION_COOKIE)}`;
}

/** A correctly signed session cookie whose expiry passed, its Redis entry still there. */
async function expiredCookie(): Promise<string> {
  const past = new DashboardSessions(intake.redis, ADMIN_TOKEN, { now: () => Date.now() - 13 * 3_600_000 });
  const res = await new Hono()
    .get('/', async (c) => {
      await past.start(c);
      return c.text('');
    })
    .request('/');
  const line = setCookies(res).get(SESSION_COOKIE)!;
  return line.split(';')[0]!;
}

describe('the route table', () => {
  it('is read from the app: every part is mounted, and the public list names only routes that exist', () => {
    const table = routeTable();
    const patterns = new Set(table.map((r) => r.pattern));
    for (const p of [
      '/api/cases',
      '/access-events',
      '/',
      '/cases/:id',
      '/admin/queues',
      '/insights',
      '/health',
    ]) {
      expect(patterns, p).toContain(p);
    }
    const served = new Set(intake.app.routes.map((r) => `${r.method} ${r.path}`));
    for (const name of Object.keys(PUBLIC)) expect(served, name).toContain(name);
  });
});

describe('every bearer route', () => {
  const refusals = (g: Extract<Guard, { kind: 'bearer' }>): [string, Record<string, string>, string?][] => [
    ['no Authorization header', {}],
    ['a wrong token of the same length', { authorization: `Bearer ${g.token.replace(/.$/, 'x')}` }],
    ['the other API’s token', { authorization: `Bearer ${g.other}` }],
    ['the token in the query string', {}, `token=${g.token}&access_token=${g.token}&api_key=${g.token}`],
    ['the token without a scheme', { authorization: g.token }],
    [
      'the token as Basic credentials',
      { authorization: `Basic ${Buffer.from(`x:${g.token}`).toString('base64')}` },
    ],
    ['the token with one more character', { authorization: `Bearer ${g.token}x` }],
    ['the token and a second word', { authorization: `Bearer ${g.token} ${g.token}` }],
    ['the token after a non-breaking space', { authorization: `Bearer\u00a0${g.token}` }],
    ['the token as a cookie', { cookie: `token=${g.token}` }],
  ];

  it('refuses every way of not sending its token: 401 unauthorized with WWW-Authenticate', async () => {
    const cookie = await loginCookie();
    const failures: string[] = [];
    const bearer = routeTable().filter((r) => guardOf(r.path).kind === 'bearer');
    expect(bearer.length).toBeGreaterThanOrEqual(6);
    for (const route of bearer) {
      const g = guardOf(route.path) as Extract<Guard, { kind: 'bearer' }>;
      const cases = [
        ...refusals(g),
        ['a dashboard session cookie', { cookie }] as [string, Record<string, string>],
      ];
      for (const [label, headers, query] of cases) {
        const a = await send(route.method, query ? `${route.path}?${query}` : route.path, headers);
        if (!isUnauthorized(a))
          failures.push(
            `${route.method} ${route.pattern} with ${label}: ${a.status} ${a.body.slice(0, 100)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('takes its token as `Bearer`, `bearer` or `BEARER`, with or without trailing whitespace, on every route alike', async () => {
    const failures: string[] = [];
    for (const route of routeTable().filter((r) => guardOf(r.path).kind === 'bearer')) {
      const g = guardOf(route.path) as Extract<Guard, { kind: 'bearer' }>;
      for (const authorization of [
        `Bearer ${g.token}`,
        `bearer ${g.token}`,
        `BEARER ${g.token}`,
        `Bearer ${g.token} `,
        `Bearer ${g.token}\t`,
      ]) {
        const a = await send(route.method, route.path, { authorization });
        if (a.status === 401 || /"api_disabled"/.test(a.body))
          failures.push(
            `${route.method} ${route.pattern} with ${JSON.stringify(authorization)}: ${a.status}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('every dashboard route', () => {
  it('sends anyone without a live session to the login page, whatever else they send', async () => {
    const good = await loginCookie();
    const value = good.slice(SESSION_COOKIE.length + 1);
    const decoded = decodeURIComponent(value);
    const [id, expires, sig] = decoded.split('.');
    const flipped = `${sig!.startsWith('A') ? 'B' : 'A'}${sig!.slice(1)}`;
    const loggedOut = await loginCookie();
    const outClient = new DashboardClient(intake.app);
    outClient.jar.set(SESSION_COOKIE, loggedOut.slice(SESSION_COOKIE.length + 1));
    expect((await outClient.post('/logout', { csrf: await outClient.csrf() })).status).toBe(303);

    const cases: [string, Record<string, string>, string?][] = [
      ['no cookie', {}],
      ['the admin token as a bearer token', { authorization: `Bearer ${ADMIN_TOKEN}` }],
      ['the admin token in the query string', {}, `token=${ADMIN_TOKEN}&access_token=${ADMIN_TOKEN}`],
      ['the admin token as the session cookie', { cookie: `${SESSION_COOKIE}=${ADMIN_TOKEN}` }],
      [
        'a session cookie with a tampered signature',
        { cookie: `${SESSION_COOKIE}=${encodeURIComponent(`${id}.${expires}.${flipped}`)}` },
      ],
      [
        'a session cookie with a later expiry and the old signature',
        { cookie: `${SESSION_COOKIE}=${encodeURIComponent(`${id}.${Number(expires) + 86_400_000}.${sig}`)}` },
      ],
      [
        'a session cookie without its signature',
        { cookie: `${SESSION_COOKIE}=${encodeURIComponent(`${id}.${expires}`)}` },
      ],
      ['an expired session cookie', { cookie: await expiredCookie() }],
      ['a logged-out session cookie', { cookie: loggedOut }],
      ['a session cookie in another case', { cookie: `${SESSION_COOKIE.toUpperCase()}=${value}` }],
    ];
    const failures: string[] = [];
    const session = routeTable().filter((r) => guardOf(r.path).kind === 'session');
    expect(session.length).toBeGreaterThanOrEqual(20);
    for (const route of session) {
      for (const [label, headers, query] of cases) {
        const a = await send(route.method, query ? `${route.path}?${query}` : route.path, headers);
        if (!isLoginRedirect(a))
          failures.push(`${route.method} ${route.pattern} with ${label}: ${a.status} ${a.body.slice(0, 80)}`);
      }
      // The positive control: the live session gets past the door (the page, a 404, a CSRF refusal…).
      const a = await send(route.method, route.path, { cookie: good });
      if (isLoginRedirect(a) || a.status === 401)
        failures.push(`${route.method} ${route.pattern} refused a live session: ${a.status}`);
    }
    expect(failures).toEqual([]);
  });
});
