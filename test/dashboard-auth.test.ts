/**
 * The dashboard's door, through `app.request()` on the real app factory and a real Redis: login,
 * session cookies (signed, HttpOnly, SameSite, Secure behind TLS, expiring), CSRF on every form,
 * the failed-login limit, logout, and what is refused without a session.
 */
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoginLinks } from '../src/dashboard/login-links.js';
import { DashboardSessions, SESSION_COOKIE } from '../src/dashboard/session.js';
import { EVIDENCE_QUEUE, type EvidenceJob } from '../src/evidence/evidence-queue.js';
import type { App } from '../src/http/app.js';
import { CaseStore } from '../src/store/case-store.js';
import { recordOf } from './support/builders/case-records.js';
import { whopDispute } from './support/builders/whop-cases.js';
import { dashboardTestApp } from './support/dashboard-app.js';
import { csrfOf, DashboardClient, setCookies } from './support/dashboard-client.js';
import { useTestRedis } from './support/test-redis.js';

const TOKEN = 'dashboard-auth-admin-token-0123';
const redis = useTestRedis();
let evidenceQueue: Queue<EvidenceJob>;
let app: App;

const buildApp = (adminToken: string | undefined): App =>
  dashboardTestApp(redis.client, { adminToken, evidenceQueue });

beforeAll(() => {
  evidenceQueue = new Queue<EvidenceJob>(EVIDENCE_QUEUE, { connection: redis.client });
  app = buildApp(TOKEN);
});
afterAll(async () => {
  await evidenceQueue.close();
});

/** A dispute needing a response, due in three days. */
async function storeDispute(id = 'dspt_auth1') {
  const due = new Date(Date.now() + 3 * 86_400_000).toISOString();
  await new CaseStore(redis.client).apply(
    0,
    recordOf('dispute', whopDispute({ id, needs_response_by: due })),
    undefined,
    [],
  );
  return id;
}

async function loggedIn(): Promise<DashboardClient> {
  const client = new DashboardClient(app);
  const res = await client.login(TOKEN);
  expect(res.status).toBe(303);
  return client;
}

describe('without a session', () => {
  it.each(['/', '/insights', '/health', '/cases/dspt_x', '/admin/queues', '/admin/queues/api/queues'])(
    'GET %s redirects to the login page',
    async (path) => {
      const res = await new DashboardClient(app).get(path);
      expect(res.status).toBe(302);
      const location = res.headers.get('location')!;
      expect(location.startsWith('/login')).toBe(true);
      if (path !== '/') expect(new URL(location, 'http://x').searchParams.get('next')).toBe(path);
    },
  );

  it('an action is refused: redirected to the login page and nothing is queued', async () => {
    const id = await storeDispute();
    const res = await new DashboardClient(app).post(`/cases/${id}/submit`, { csrf: 'whatever' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(await evidenceQueue.count()).toBe(0);
  });

  it('leaves the rest of the service alone: unknown paths are JSON 404s, /api wants its bearer token', async () => {
    const nope = await app.request('/nope');
    expect(nope.status).toBe(404);
    expect(await nope.json()).toEqual({ error: { code: 'not_found', message: 'no such route' } });
    expect((await app.request('/api/cases')).status).toBe(401);
    expect((await app.request('/healthz')).status).toBe(200);
  });
});

describe('login', () => {
  it('sets a signed, HttpOnly, SameSite=Lax session cookie with an expiry, and lets the merchant in', async () => {
    const client = new DashboardClient(app);
    const page = await client.get('/login');
    expect(page.status).toBe(200);
    const login = await client.post('/login', { token: TOKEN, csrf: csrfOf(await page.text()) });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');
    const cookie = setCookies(login).get(SESSION_COOKIE)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toMatch(/Secure/);
    // Signed: the value carries an HMAC after the payload.
    expect(decodeURIComponent(client.jar.get(SESSION_COOKIE)!)).toMatch(/^[\w-]+\.\d+\.[A-Za-z0-9+/=]+$/);
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('What needs you now');
  });

  it('marks the cookie Secure when the request came over TLS (X-Forwarded-Proto: https)', async () => {
    const client = new DashboardClient(app, { 'x-forwarded-proto': 'https' });
    const page = await client.get('/login');
    const res = await client.post(
      '/login',
      { token: TOKEN, csrf: csrfOf(await page.text()) },
      { origin: 'https://localhost' },
    );
    expect(res.status).toBe(303);
    expect(setCookies(res).get(SESSION_COOKIE)).toMatch(/Secure/);
  });

  it('refuses a wrong token with the form again (401), and sets no session', async () => {
    const client = new DashboardClient(app);
    const res = await client.login('not-the-admin-token-at-all');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('That is not the admin token.');
    expect(client.jar.has(SESSION_COOKIE)).toBe(false);
  });

  it('refuses a login form without its CSRF token, or posted from another origin', async () => {
    const client = new DashboardClient(app);
    const page = await client.get('/login');
    const csrf = csrfOf(await page.text());
    expect((await client.post('/login', { token: TOKEN })).status).toBe(403);
    expect(
      (await client.post('/login', { token: TOKEN, csrf }, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(client.jar.has(SESSION_COOKIE)).toBe(false);
    // The same form from this origin still works.
    expect((await client.post('/login', { token: TOKEN, csrf })).status).toBe(303);
  });

  it('goes back to the page asked for, but never off the site', async () => {
    const client = new DashboardClient(app);
    const page = await client.get('/login?next=%2Finsights');
    const html = await page.text();
    expect(html).toContain('name="next" value="/insights"');
    expect(
      (await client.post('/login', { token: TOKEN, csrf: csrfOf(html), next: '/insights' })).headers.get(
        'location',
      ),
    ).toBe('/insights');
    const other = new DashboardClient(app);
    const csrf = csrfOf(await (await other.get('/login')).text());
    const res = await other.post('/login', { token: TOKEN, csrf, next: '//evil.example/x' });
    expect(res.headers.get('location')).toBe('/');
  });
});

describe('failed logins', () => {
  beforeEach(async () => {
    await redis.client.flushdb();
  });

  it('are limited per address: the 11th try is refused (429) even with the right token, other addresses are not', async () => {
    const attacker = new DashboardClient(app, { 'x-test-ip': '198.51.100.7' });
    for (let i = 0; i < 10; i++) expect((await attacker.login('wrong-token-wrong-token')).status).toBe(401);
    const blocked = await attacker.login(TOKEN);
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toMatch(
      /Too many failed logins from your address\. Try again in 1\d minutes/,
    );
    expect(attacker.jar.has(SESSION_COOKIE)).toBe(false);
    const ttl = await redis.client.pttl('da:dashboard:login-failures:198.51.100.7');
    expect(ttl).toBeGreaterThan(14 * 60_000);
    const merchant = new DashboardClient(app, { 'x-test-ip': '203.0.113.9' });
    expect((await merchant.login(TOKEN)).status).toBe(303);
  });

  it('a good login clears the count', async () => {
    const client = new DashboardClient(app, { 'x-test-ip': '198.51.100.8' });
    for (let i = 0; i < 9; i++) await client.login('wrong-token-wrong-token');
    expect((await client.login(TOKEN)).status).toBe(303);
    expect(await redis.client.exists('da:dashboard:login-failures:198.51.100.8')).toBe(0);
  });
});

describe('login links (the demo’s one-click login)', () => {
  beforeEach(async () => {
    await redis.client.flushdb();
  });
  const linkApp = () =>
    dashboardTestApp(redis.client, { adminToken: TOKEN, evidenceQueue, extra: { loginLinks: true } });

  it('a minted link logs in once, with the same session cookie as the form; Redis keeps only its hash', async () => {
    const code = await new LoginLinks(redis.client).mint();
    expect(await redis.client.keys(`*${code}*`)).toEqual([]);
    const client = new DashboardClient(linkApp());
    const res = await client.get(`/login/${code}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect(setCookies(res).get(SESSION_COOKIE)).toMatch(/HttpOnly; SameSite=Lax/);
    expect((await client.get('/')).status).toBe(200);
    const again = await new DashboardClient(linkApp()).get(`/login/${code}`);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('This login link has expired or was already used');
  });

  it('an expired or made-up link is refused and counts as a failed login', async () => {
    const code = await new LoginLinks(redis.client).mint(50);
    await new Promise((r) => setTimeout(r, 120));
    const client = new DashboardClient(linkApp(), { 'x-test-ip': '198.51.100.20' });
    expect((await client.get(`/login/${code}`)).status).toBe(401);
    expect((await client.get(`/login/${'x'.repeat(43)}`)).status).toBe(401);
    expect((await client.get('/login/short')).status).toBe(401);
    expect(client.jar.has(SESSION_COOKIE)).toBe(false);
    expect(await redis.client.get('da:dashboard:login-failures:198.51.100.20')).toBe('3');
  });

  it('is not accepted where the dashboard was built without login links (production)', async () => {
    const code = await new LoginLinks(redis.client).mint();
    const res = await new DashboardClient(app).get(`/login/${code}`);
    expect(res.status).toBe(404);
    // Not used up either.
    expect((await new DashboardClient(linkApp()).get(`/login/${code}`)).status).toBe(302);
  });
});

describe('the session cookie', () => {
  it('a tampered cookie is no session', async () => {
    const client = await loggedIn();
    const value = decodeURIComponent(client.jar.get(SESSION_COOKIE)!);
    const [id, expires, sig] = value.split('.');
    // A later expiry with the old signature, and a flipped signature character.
    client.jar.set(SESSION_COOKIE, encodeURIComponent(`${id}.${Number(expires) + 86_400_000}.${sig}`));
    expect((await client.get('/')).status).toBe(302);
    const flipped = sig!.startsWith('A') ? `B${sig!.slice(1)}` : `A${sig!.slice(1)}`;
    client.jar.set(SESSION_COOKIE, encodeURIComponent(`${id}.${expires}.${flipped}`));
    expect((await client.get('/')).status).toBe(302);
  });

  it('a cookie signed with another ADMIN_TOKEN is no session', async () => {
    const client = new DashboardClient(buildApp('another-admin-token-0000000000'));
    await client.login('another-admin-token-0000000000');
    const stranger = new DashboardClient(app);
    stranger.jar.set(SESSION_COOKIE, client.jar.get(SESSION_COOKIE)!);
    expect((await stranger.get('/')).status).toBe(302);
  });

  it('an expired cookie is no session, even with a valid signature and its Redis entry still there', async () => {
    // A session started 13 hours ago by the same key (sessions last 12).
    const past = new DashboardSessions(redis.client, TOKEN, { now: () => Date.now() - 13 * 3_600_000 });
    const issuer = new Hono().get('/issue', async (c) => {
      await past.start(c);
      return c.text('ok');
    });
    const res = await issuer.request('/issue');
    const line = setCookies(res).get(SESSION_COOKIE)!;
    const value = line.slice(SESSION_COOKIE.length + 1).split(';')[0]!;
    expect(await redis.client.keys('da:dashboard:session:*')).toHaveLength(1);
    const client = new DashboardClient(app);
    client.jar.set(SESSION_COOKIE, value);
    expect((await client.get('/')).status).toBe(302);
  });

  it('logout ends the session for every copy of the cookie', async () => {
    const client = await loggedIn();
    const copy = client.jar.get(SESSION_COOKIE)!;
    const res = await client.post('/logout', { csrf: await client.csrf() });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?out=1');
    const other = new DashboardClient(app);
    other.jar.set(SESSION_COOKIE, copy);
    expect((await other.get('/')).status).toBe(302);
  });

  it('logout without the CSRF token is refused and keeps the session', async () => {
    const client = await loggedIn();
    expect((await client.post('/logout', {})).status).toBe(403);
    expect((await client.get('/')).status).toBe(200);
  });
});

describe('CSRF on actions', () => {
  it('"Submit evidence now" without the token, with another session’s token or from another origin is refused; with it, one job is queued', async () => {
    const id = await storeDispute();
    const client = await loggedIn();
    const csrf = await client.csrf();
    const other = await (await loggedIn()).csrf();
    expect(other).not.toBe(csrf);

    const missing = await client.post(`/cases/${id}/submit`, {});
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('csrf_failed');
    expect((await client.post(`/cases/${id}/submit`, { csrf: other })).status).toBe(403);
    expect(
      (await client.post(`/cases/${id}/submit`, { csrf }, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(await evidenceQueue.count()).toBe(0);

    const ok = await client.post(`/cases/${id}/submit`, { csrf });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/cases/${id}?done=submit`);
    const jobs = await evidenceQueue.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((j) => j.data)).toEqual([{ type: 'submit', disputeId: id, scheduledFor: null }]);
    // A second press in the same minute is the same job.
    await client.post(`/cases/${id}/submit`, { csrf });
    expect(await evidenceQueue.count()).toBe(1);
  });
});

describe('pages', () => {
  it('carry a strict Content-Security-Policy (no script), no-store, and no external asset', async () => {
    const client = await loggedIn();
    const visitor = new DashboardClient(app);
    for (const path of ['/', '/login', '/insights', '/health']) {
      const res = await (path === '/login' ? visitor : client).get(path);
      expect(res.status, path).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('script-src');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    const css = await client.get('/assets/dashboard.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('say the dashboard is disabled without ADMIN_TOKEN', async () => {
    const off = buildApp(undefined);
    for (const path of ['/', '/login', '/cases/dspt_1', '/admin/queues']) {
      const res = await off.request(path);
      expect(res.status, path).toBe(503);
      expect(await res.text()).toContain('The dashboard is disabled: set ADMIN_TOKEN to enable it.');
    }
  });
});
