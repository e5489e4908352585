import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../src/alerts/alert-store.js';
import type { CaseKind, CaseRecord, TimelineChange, TimelineEntry } from '../src/cases/case-record.js';
import { isoDate } from '../src/cases/from-whop.js';
import { webhookKeyFromSecret } from '../src/config/webhook-secret.js';
import { type App, createApp } from '../src/http/app.js';
import { EventInbox } from '../src/intake/event-inbox.js';
import { createLogger } from '../src/logger/logger.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { SWEEP_QUEUE } from '../src/reconcile/sweep-queue.js';
import { WebhookSignatureVerifier } from '../src/webhooks/verify-signature.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { testSecret } from './support/signed-webhook.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ADMIN_TOKEN = 'read-api-admin-token-0123456789';

type Row = Omit<CaseRecord, 'whop'> & { whop?: unknown };
interface ListBody {
  data: Row[];
  next_cursor: string | null;
}
interface ErrorBody {
  error: { code: string; message: string };
}
interface DetailBody {
  data: CaseRecord;
  timeline: TimelineEntry[];
}

/** What the test made on Whop's side, and what each record should say about it. */
interface Expected {
  id: string;
  kind: CaseKind;
  status: string;
  companyId: string | null;
  dueAt: string | null;
  open: boolean;
}

let h: ServiceHarness;
let app: App;
let expected: Expected[];
let companyA: string;
let companyB: string;
/** Opened as needs_response, then moved to under_review once its created webhook was processed. */
let movedDisputeId: string;

/** The real app, as `src/main.ts` builds it, reading the harness's Redis. */
function buildApp(adminToken: string | undefined): App {
  const metrics = createMetrics();
  return createApp({
    logger: createLogger('silent'),
    metrics,
    verifier: new WebhookSignatureVerifier([webhookKeyFromSecret(testSecret('read api'))]),
    inbox: new EventInbox(h.admin),
    redis: h.admin,
    cases: { store: h.store, adminToken, alerts: new AlertStore(h.admin) },
  });
}

async function call<T>(target: App, path: string, authorization?: string | null) {
  const headers: Record<string, string> = {};
  const auth = authorization === undefined ? `Bearer ${ADMIN_TOKEN}` : authorization;
  if (auth !== null) headers.authorization = auth;
  const res = await target.request(path, { headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as T };
}

const list = (query = '') => call<ListBody>(app, `/api/cases${query ? `?${query}` : ''}`);

/** Follows next_cursor until the last page; fails on a page over the limit or a runaway cursor. */
async function allPages(query: string, limit: number) {
  const pages: Row[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const q = [query, `limit=${limit}`, cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&');
    const res = await list(q);
    expect(res.status, q).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.data);
    cursor = res.body.next_cursor;
    if (cursor === null) return pages;
  }
  throw new Error(`pagination did not end for ${query}`);
}

/** Expected ids in list order: by due date ascending, undated after every dated one. */
function dated(items: Expected[]) {
  return items
    .filter((e) => e.dueAt !== null)
    .sort((a, b) => (a.dueAt! < b.dueAt! ? -1 : a.dueAt! > b.dueAt! ? 1 : 0))
    .map((e) => e.id);
}
function undated(items: Expected[]) {
  return items
    .filter((e) => e.dueAt === null)
    .map((e) => e.id)
    .sort();
}

/** The order is checked exactly for dated records; undated ones (equal sort key) only as a set, last. */
function expectListOrder(rows: Row[], items: Expected[]) {
  const ids = rows.map((r) => r.id);
  const d = dated(items);
  expect(ids.slice(0, d.length)).toEqual(d);
  expect([...ids.slice(d.length)].sort()).toEqual(undated(items));
  expect(ids).toHaveLength(items.length);
}

/**
 * The workers sweep once at start. Waiting for that keeps every record below learnt from a webhook
 * (a sweep racing the first webhooks could create some with source `sweep`).
 */
async function startupSweepDone() {
  const sweeps = new Queue(SWEEP_QUEUE, { connection: h.admin });
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const c = await sweeps.getJobCounts('waiting', 'active', 'prioritized', 'completed', 'failed');
      if (c.waiting! + c.active! + c.prioritized! === 0 && c.completed! + c.failed! >= 1) return;
      if (Date.now() > deadline) throw new Error(`start-up sweep not done: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await sweeps.close();
  }
}

beforeAll(async () => {
  // Evidence is never submitted here: a submission moves disputes to under_review under the test's feet.
  h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
  await startupSweepDone();
  const sim = h.sim;
  const a = sim.createCompany({ title: 'Alpha Courses' });
  const b = sim.createCompany({ title: 'Beta Signals' });
  companyA = a.id;
  companyB = b.id;
  const pay = (companyId: string, total = 40) => sim.createPayment({ companyId, total }).id;
  const now = Date.now();

  const moved = sim.openDispute({ paymentId: pay(companyA), needsResponseBy: now + 48 * HOUR });
  movedDisputeId = moved.id;
  const dA2 = sim.openDispute({ paymentId: pay(companyA), needsResponseBy: now + 24 * HOUR });
  const dA3 = sim.openDispute({ paymentId: pay(companyA), needsResponseBy: now + 72 * HOUR });
  sim.moveDispute(dA3.id, 'won');
  const dB1 = sim.openDispute({ paymentId: pay(companyB), needsResponseBy: now + 12 * HOUR });
  sim.moveDispute(dB1.id, 'lost');
  const dB2 = sim.openDispute({ paymentId: pay(companyB), needsResponseBy: now + 96 * HOUR });
  sim.moveDispute(dB2.id, 'closed');

  const alert = sim.createDisputeAlert({ paymentId: pay(companyA), alertType: 'dispute' });
  const rPending = sim.createRefund({ paymentId: pay(companyA), amount: 5 });
  const rSucceeded = sim.createRefund({ paymentId: pay(companyB), amount: 6 });
  sim.setRefundStatus(rSucceeded.id, 'succeeded');
  const rFailed = sim.createRefund({ paymentId: pay(companyA), amount: 7 });
  sim.setRefundStatus(rFailed.id, 'failed');

  const cOpen = sim.openCase({ paymentId: pay(companyA), dueDate: now + 5 * DAY });
  const cDecided = sim.openCase({ paymentId: pay(companyB), dueDate: now + 6 * DAY });
  sim.moveCase(cDecided.id, 'under_platform_review');
  sim.decideCase(cDecided.id, 'merchant_won');
  await h.settle();

  // Its dispute.created was processed above, so this move is a change of an existing record.
  sim.moveDispute(moved.id, 'under_review');
  await h.settle();

  const dispute = (id: string, open: boolean): Expected => {
    const d = sim.getDispute(id);
    return {
      id,
      kind: 'dispute',
      status: d.status,
      companyId: d.company?.id ?? null,
      dueAt: isoDate(d.needs_response_by),
      open,
    };
  };
  // Whop's refund and alert objects name no company: the record takes it from the webhook envelope.
  const refund = (id: string, companyId: string, open: boolean): Expected => ({
    id,
    kind: 'refund',
    status: sim.getRefund(id).status,
    companyId,
    dueAt: null,
    open,
  });
  const rcase = (id: string, open: boolean): Expected => {
    const c = sim.getCase(id);
    return {
      id,
      kind: 'resolution_case',
      status: c.status,
      companyId: c.company?.id ?? null,
      dueAt: isoDate(c.due_date),
      open,
    };
  };
  expected = [
    dispute(moved.id, true),
    dispute(dA2.id, true),
    dispute(dA3.id, false),
    dispute(dB1.id, false),
    dispute(dB2.id, false),
    { id: alert.id, kind: 'dispute_alert', status: 'alerted', companyId: companyA, dueAt: null, open: false },
    refund(rPending.id, companyA, true),
    refund(rSucceeded.id, companyB, false),
    refund(rFailed.id, companyA, false),
    rcase(cOpen.id, true),
    rcase(cDecided.id, false),
  ];
  // The scenario is what the test means it to be.
  expect(expected.map((e) => e.status)).toEqual([
    'under_review',
    'needs_response',
    'won',
    'lost',
    'closed',
    'alerted',
    'pending',
    'succeeded',
    'failed',
    'merchant_response_needed',
    'merchant_won',
  ]);
  app = buildApp(ADMIN_TOKEN);
});

afterAll(async () => {
  await h?.close();
});

describe('read API authentication', () => {
  it('answers 503 api_disabled on every route when no ADMIN_TOKEN is configured', async () => {
    const off = buildApp(undefined);
    for (const path of ['/api/cases', `/api/cases/${movedDisputeId}`, '/api/cases/nope']) {
      for (const auth of [null, `Bearer ${ADMIN_TOKEN}`, 'Bearer ']) {
        const res = await call<ErrorBody>(off, path, auth);
        expect(res.status, `${path} ${auth}`).toBe(503);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.body.error.code).toBe('api_disabled');
        expect(res.body.error.message).toContain('ADMIN_TOKEN');
      }
    }
    // An empty token is no token: it must not open the API to an empty bearer value.
    const empty = buildApp('');
    expect((await call<ErrorBody>(empty, '/api/cases', 'Bearer ')).status).toBe(503);
  });

  const rejected: [string, string | null][] = [
    ['no Authorization header', null],
    ['an empty header', ''],
    ['the Basic scheme', `Basic ${ADMIN_TOKEN}`],
    ['the token without a scheme', ADMIN_TOKEN],
    ['another scheme', `Token ${ADMIN_TOKEN}`],
    ['Bearer without a token', 'Bearer'],
    ['Bearer and spaces only', 'Bearer    '],
    ['a wrong token', 'Bearer not-the-admin-token-at-all'],
    ['a token differing in its last character', `Bearer ${ADMIN_TOKEN.slice(0, -1)}X`],
    ['a token one character shorter', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
    ['a token one character longer', `Bearer ${ADMIN_TOKEN}0`],
    ['a token with a different first character', `Bearer X${ADMIN_TOKEN.slice(1)}`],
    ['the token twice', `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}`],
    ['the token in a different case', `Bearer ${ADMIN_TOKEN.toUpperCase()}`],
  ];
  it.each(rejected)('answers 401 with a JSON error for %s', async (_label, auth) => {
    for (const path of ['/api/cases', `/api/cases/${movedDisputeId}`, '/api/cases/unknown_id']) {
      const res = await call<ErrorBody>(app, path, auth);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      // Nothing of the records leaks in a refusal.
      expect(JSON.stringify(res.body)).not.toContain(movedDisputeId);
    }
  });

  it('answers 200 with the right token (scheme case-insensitive, surrounding spaces tolerated)', async () => {
    for (const auth of [`Bearer ${ADMIN_TOKEN}`, `bearer ${ADMIN_TOKEN}`, `Bearer   ${ADMIN_TOKEN}  `]) {
      const res = await call<ListBody>(app, '/api/cases', auth);
      expect(res.status, auth).toBe(200);
      expect(res.body.data.length).toBe(expected.length);
    }
    const one = await call<DetailBody>(app, `/api/cases/${movedDisputeId}`);
    expect(one.status).toBe(200);
  });
});

describe('GET /api/cases', () => {
  it('lists every record made through the pipeline, by due date ascending, undated last, without the Whop object', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expectListOrder(res.body.data, expected);
    for (const row of res.body.data) {
      const e = expected.find((x) => x.id === row.id)!;
      expect(
        { kind: row.kind, status: row.status, dueAt: row.dueAt, open: row.open, lastSource: row.lastSource },
        row.id,
      ).toEqual({ kind: e.kind, status: e.status, dueAt: e.dueAt, open: e.open, lastSource: 'webhook' });
      if (e.companyId) expect(row.companyId).toBe(e.companyId);
      expect(row).not.toHaveProperty('whop');
    }
    const dueTimes = res.body.data.filter((r) => r.dueAt).map((r) => Date.parse(r.dueAt!));
    expect(dueTimes).toEqual([...dueTimes].sort((x, y) => x - y));
    const firstUndated = res.body.data.findIndex((r) => r.dueAt === null);
    expect(firstUndated).toBeGreaterThan(0);
    expect(res.body.data.slice(firstUndated).every((r) => r.dueAt === null)).toBe(true);
  });

  it('filters by kind', async () => {
    for (const kind of ['dispute', 'dispute_alert', 'refund', 'resolution_case'] as const) {
      const res = await list(`kind=${kind}`);
      expect(res.status).toBe(200);
      const want = expected.filter((e) => e.kind === kind);
      expect(want.length).toBeGreaterThan(0);
      expectListOrder(res.body.data, want);
      expect(res.body.data.every((r) => r.kind === kind)).toBe(true);
    }
  });

  it('filters by status, alone and with kind', async () => {
    for (const status of ['under_review', 'needs_response', 'won', 'pending', 'failed', 'merchant_won']) {
      const res = await list(`status=${status}`);
      expect(res.status).toBe(200);
      expectListOrder(
        res.body.data,
        expected.filter((e) => e.status === status),
      );
    }
    expect((await list('status=no_such_status')).body).toEqual({ data: [], next_cursor: null });
    expect((await list('status=won&kind=refund')).body).toEqual({ data: [], next_cursor: null });
    const succeeded = await list('status=succeeded&kind=refund');
    expect(succeeded.body.data.map((r) => r.id)).toEqual(
      expected.filter((e) => e.kind === 'refund' && e.status === 'succeeded').map((e) => e.id),
    );
  });

  it('filters by company_id', async () => {
    for (const company of [companyA, companyB]) {
      const res = await list(`company_id=${company}`);
      expect(res.status).toBe(200);
      expect(res.body.data.every((r) => r.companyId === company)).toBe(true);
      // Every kind is listed under its company (refunds and alerts through the event's company_id).
      const carrying = expected.filter((e) => e.companyId === company);
      expect(carrying.length).toBeGreaterThan(0);
      expectListOrder(res.body.data, carrying);
    }
    const other = expected.filter((e) => e.companyId === companyB).map((e) => e.id);
    const a = (await list(`company_id=${companyA}`)).body.data.map((r) => r.id);
    expect(a.some((id) => other.includes(id))).toBe(false);
    expect((await list('company_id=biz_nobody')).body).toEqual({ data: [], next_cursor: null });
  });

  it('open=true lists only what is still open: no won/lost/closed disputes, finished refunds, decided cases or alerts', async () => {
    const res = await list('open=true');
    expect(res.status).toBe(200);
    const open = expected.filter((e) => e.open);
    expectListOrder(res.body.data, open);
    expect(res.body.data.map((r) => r.status).sort()).toEqual([
      'merchant_response_needed',
      'needs_response',
      'pending',
      'under_review',
    ]);
    expect(res.body.data.every((r) => r.open)).toBe(true);

    // open=false is no filter at all.
    expect((await list('open=false')).body.data).toHaveLength(expected.length);
    // Combined with the other filters.
    const openDisputes = await list('open=true&kind=dispute');
    expect(openDisputes.body.data.map((r) => r.id)).toEqual(
      dated(expected.filter((e) => e.open && e.kind === 'dispute')),
    );
    const openA = (await list(`open=true&company_id=${companyA}`)).body.data;
    const openOfA = expected.filter((e) => e.open && e.companyId === companyA);
    expect(openA.every((r) => r.open && r.companyId === companyA)).toBe(true);
    expectListOrder(
      openA.filter((r) => openOfA.some((e) => e.id === r.id)),
      openOfA,
    );
    expect((await list('open=true&kind=dispute_alert')).body).toEqual({ data: [], next_cursor: null });
  });

  it('pages with limit and next_cursor, covering every record exactly once in list order', async () => {
    const full = (await list()).body.data.map((r) => r.id);
    expect(full).toHaveLength(expected.length);
    for (const limit of [1, 2, 3, 4, 10, 11, 12, 200]) {
      const pages = await allPages('', limit);
      // Unfiltered, every page but the last is full and no empty page is handed out.
      expect(pages).toHaveLength(Math.ceil(expected.length / limit));
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
      expect(pages.flat().map((r) => r.id)).toEqual(full);
    }
  });

  it('pages through a filtered listing without losing or repeating a record', async () => {
    const cases: [string, Expected[]][] = [
      ['kind=refund', expected.filter((e) => e.kind === 'refund')],
      ['kind=dispute', expected.filter((e) => e.kind === 'dispute')],
      ['open=true', expected.filter((e) => e.open)],
      [`company_id=${companyB}`, expected.filter((e) => e.companyId === companyB)],
    ];
    for (const [query, want] of cases) {
      const single = (await list(query)).body.data.map((r) => r.id);
      for (const limit of [1, 2, 3]) {
        const ids = (await allPages(query, limit)).flat().map((r) => r.id);
        expect(ids, `${query} limit=${limit}`).toEqual(single);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(expect.arrayContaining(want.map((e) => e.id)));
      }
    }
  });

  it('a cursor past the end answers an empty last page', async () => {
    const res = await list(`cursor=${Buffer.from('9000000000000000:zz').toString('base64url')}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], next_cursor: null });
  });

  it('a record closing between two pages makes no other record skip or repeat', async () => {
    const first = await list('open=true&limit=1');
    const firstId = first.body.data[0]!.id;
    const openBefore = (await list('open=true&limit=200')).body.data.map((r) => r.id);
    expect(openBefore.length).toBeGreaterThan(2);
    // The record just listed closes on Whop before the next page is asked for.
    const closing = expected.find((e) => e.id === firstId)!;
    expect(closing.kind).toBe('dispute');
    h.sim.moveDispute(firstId, 'won');
    await h.settle();
    const rest: string[] = [];
    let cursor = first.body.next_cursor;
    while (cursor) {
      const page = await list(`open=true&limit=1&cursor=${cursor}`);
      rest.push(...page.body.data.map((r) => r.id));
      cursor = page.body.next_cursor;
    }
    expect(rest).toEqual(openBefore.slice(1));
    // Put it back as the other tests expect it.
    expected = expected.map((e) => (e.id === firstId ? { ...e, status: 'won', open: false } : e));
  });

  const invalid: [string, string][] = [
    ['kind=nope', 'kind'],
    ['kind=', 'kind'],
    ['kind=DISPUTE', 'kind'],
    ['limit=0', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=201', 'limit'],
    ['limit=1000', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['cursor=abc', 'cursor'],
    ['cursor=-1', 'cursor'],
    ['cursor=', 'cursor'],
    ['open=yes', 'open'],
    ['open=1', 'open'],
    ['status=', 'status'],
    [`status=${'s'.repeat(65)}`, 'status'],
    [`company_id=biz_${'x'.repeat(64)}`, 'company_id'],
  ];
  it.each(invalid)('answers 400 invalid_query naming the parameter for %s', async (query, param) => {
    const res = await call<ErrorBody>(app, `/api/cases?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.error.code).toBe('invalid_query');
    expect(res.body.error.message.startsWith(`${param}: `), res.body.error.message).toBe(true);
  });

  it('names the bad parameter even when the others are valid', async () => {
    const res = await call<ErrorBody>(app, '/api/cases?kind=dispute&open=true&limit=5000');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^limit: /);
  });
});

describe('GET /api/cases/:id', () => {
  it('returns the record with the full Whop object and its timeline: created, then the status change from the webhook', async () => {
    const res = await call<DetailBody>(app, `/api/cases/${movedDisputeId}`);
    expect(res.status).toBe(200);
    const { data, timeline } = res.body;
    expect(data).toMatchObject({
      id: movedDisputeId,
      kind: 'dispute',
      status: 'under_review',
      companyId: companyA,
      open: true,
      final: false,
      lastSource: 'webhook',
    });
    // Created, changed; later reads that changed nothing may bump the version, never the timeline.
    expect(data.version).toBeGreaterThanOrEqual(2);
    // The full object as Whop returns it today (retrieve shape, not the slimmer list shape). A private
    // attachment's url is signed afresh on every read (it expires): compared without its signature.
    const unsigned = (o: unknown) =>
      JSON.parse(JSON.stringify(o).replace(/\?expires=\d+&signature=[0-9a-f]+/g, '?signed'));
    const live = JSON.parse(JSON.stringify(await h.whop.disputes.retrieve(movedDisputeId)));
    expect(unsigned(data.whop)).toEqual(unsigned(live));
    // Fields only the retrieve shape has: the evidence and the embedded payment with its customer.
    expect(data.whop).toHaveProperty('customer_email_address');
    expect(data.whop).toHaveProperty('uncategorized_attachment');
    expect(data.whop).toHaveProperty('payment.user.id');

    expect(timeline).toHaveLength(2);
    const [created, changed] = timeline as [TimelineChange, TimelineChange];
    expect(created).toMatchObject({ source: 'webhook', change: 'created' });
    expect(changed.source).toBe('webhook');
    expect(changed.change).toMatchObject({ status: ['needs_response', 'under_review'] });
    expect(Date.parse(created.at)).toBeLessThanOrEqual(Date.parse(changed.at));
    expect(changed.at).toBe(data.lastChangedAt);
    expect(created.at).toBe(data.firstSeenAt);

    // Each entry names the webhook it came from: dispute.created, then the dispute.updated of the move
    // (staging evidence also makes Whop send dispute.updated, which changes nothing in the record).
    const webhooks = h.sim.webhookEvents.filter((e) => JSON.parse(e.body).data?.id === movedDisputeId);
    expect(webhooks[0]!.type).toBe('dispute.created');
    expect(webhooks.slice(1).every((e) => e.type === 'dispute.updated')).toBe(true);
    expect([created.webhookId, changed.webhookId]).toEqual([webhooks[0]!.id, webhooks.at(-1)!.id]);
  });

  it('returns every kind of record with its Whop object and a created timeline entry', async () => {
    for (const e of expected) {
      const res = await call<DetailBody>(app, `/api/cases/${e.id}`);
      expect(res.status, e.id).toBe(200);
      expect(res.body.data).toMatchObject({ id: e.id, kind: e.kind, status: e.status, dueAt: e.dueAt });
      expect((res.body.data.whop as { id?: string }).id).toBe(e.id);
      expect(res.body.timeline[0]).toMatchObject({ source: 'webhook', change: 'created' });
      // Every change was learnt from a webhook (a dispute alert's refund decision is an action, not a change).
      const changes = res.body.timeline.filter((t) => t.change !== 'action');
      expect(changes.every((t) => t.source === 'webhook')).toBe(true);
    }
  });

  it('answers 404 not_found for an unknown id', async () => {
    for (const id of ['dspt_doesnotexist', 'nope', encodeURIComponent('a b/../c')]) {
      const res = await call<ErrorBody>(app, `/api/cases/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});
