/**
 * The dashboard's pages through `app.request()` on the real app factory and a real Redis: what the home
 * page lists (order, pages, filters, search), the case page and its PDF, the confirmations, insights and
 * health. The browser flow is in dashboard-browser.test.ts.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessEventStore } from '../src/access-events/access-event-store.js';
import { AlertStore } from '../src/alerts/alert-store.js';
import type { CaseRecord } from '../src/cases/case-record.js';
import { EVIDENCE_QUEUE, type EvidenceJob } from '../src/evidence/evidence-queue.js';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import type { App } from '../src/http/app.js';
import { CaseStore } from '../src/store/case-store.js';
import { sampleAlert } from './support/builders/alerts.js';
import { recordOf } from './support/builders/case-records.js';
import { whopCase, whopDispute, whopPaymentEmbed, whopRefund } from './support/builders/whop-cases.js';
import { dashboardTestApp } from './support/dashboard-app.js';
import { DashboardClient } from './support/dashboard-client.js';
import { pdfText } from './support/pdf-text.js';
import { startTestRedis } from './support/redis-server.js';

const TOKEN = 'dashboard-pages-admin-token-0123';
const HOUR = 3_600_000;
// One Redis for the file, seeded per describe (useTestRedis would empty it before every test).
let server: Awaited<ReturnType<typeof startTestRedis>>;
const redis = { client: undefined as unknown as Redis };
let evidenceQueue: Queue<EvidenceJob>;
let app: App;
let client: DashboardClient;
let store: CaseStore;

const due = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();

function disputeRecord(i: number, over: Parameters<typeof whopDispute>[0] = {}): CaseRecord {
  const n = String(i).padStart(3, '0');
  return recordOf(
    'dispute',
    whopDispute({
      id: `dspt_${n}`,
      needs_response_by: due(i + 1),
      payment: whopPaymentEmbed({
        id: `pay_${n}`,
        user: { id: `user_${n}`, email: `buyer${i % 7}@example.com`, name: null, username: `b${n}` },
      }),
      ...over,
    }),
  );
}

/** The ids of the rows of a home page, in order. */
async function homeIds(query = '') {
  const res = await client.get(`/${query}`);
  const html = await res.text();
  return {
    status: res.status,
    html,
    ids: [...html.matchAll(/<div class="small mono">([^<]+)<\/div>/g)].map((m) => m[1]!),
    next: /<a href="(\/\?[^"]*cursor=[^"]+)">(Next page|Keep searching)<\/a>/
      .exec(html)?.[1]
      ?.replaceAll('&amp;', '&'),
  };
}

beforeAll(async () => {
  server = await startTestRedis();
  redis.client = new Redis(server.url, { maxRetriesPerRequest: null });
  evidenceQueue = new Queue<EvidenceJob>(EVIDENCE_QUEUE, { connection: redis.client });
  app = dashboardTestApp(redis.client, { adminToken: TOKEN, evidenceQueue });
  store = new CaseStore(redis.client);
});
afterAll(async () => {
  await evidenceQueue.close();
  redis.client.disconnect();
  await server.close();
});

async function seed() {
  await redis.client.flushdb();
  // 40 chargebacks due 1..40 hours from now, 10 inquiries, 3 closed ones, a case and a refund.
  for (let i = 0; i < 40; i++) await store.apply(0, disputeRecord(i), undefined, []);
  for (let i = 40; i < 50; i++) {
    await store.apply(0, disputeRecord(i, { status: 'warning_needs_response' }), undefined, []);
  }
  for (let i = 50; i < 53; i++) await store.apply(0, disputeRecord(i, { status: 'won' }), undefined, []);
  await store.apply(0, recordOf('resolution_case', whopCase({ due_date: due(0.5) })), undefined, []);
  await store.apply(0, recordOf('refund', whopRefund()), undefined, []);
  client = new DashboardClient(app);
  expect((await client.login(TOKEN)).status).toBe(303);
}

describe('home page', () => {
  beforeAll(seed);

  it('lists open disputes, inquiries and cases by deadline, 25 a page, and pages on by keyset', async () => {
    const first = await homeIds();
    expect(first.status).toBe(200);
    expect(first.ids).toHaveLength(25);
    expect(first.ids.slice(0, 3)).toEqual(['reso_2Wq9ErTy6u', 'dspt_000', 'dspt_001']);
    const second = await homeIds(first.next!.slice(1));
    expect(second.ids).toHaveLength(25);
    expect(second.ids[0]).toBe('dspt_024');
    const third = await homeIds(second.next!.slice(1));
    expect(third.ids).toEqual(['dspt_049']);
    expect(third.next).toBeUndefined();
    const all = [...first.ids, ...second.ids, ...third.ids];
    expect(new Set(all).size).toBe(51);
    // Neither the won disputes nor the refund: nothing to do there.
    expect(
      all.some((id) => id.startsWith('rfnd_') || ['dspt_050', 'dspt_051', 'dspt_052'].includes(id)),
    ).toBe(false);
  });

  it('shows time left, red under 24 hours', async () => {
    const { html } = await homeIds();
    expect(html).toMatch(/class="due-urgent">(\d+ minutes?|\d+ hours?( \d+ minutes?)?) left</);
    const page = await homeIds('?kind=inquiry');
    expect(page.html).not.toContain('class="due-urgent"');
    expect(page.html).toContain('class="due-normal">1 day 16 hours left');
  });

  it('filters by kind, status, company and open or all', async () => {
    expect((await homeIds('?kind=inquiry')).ids).toEqual(
      Array.from({ length: 10 }, (_, i) => `dspt_0${40 + i}`),
    );
    expect((await homeIds('?kind=chargeback&show=all&status=won')).ids).toEqual([
      'dspt_050',
      'dspt_051',
      'dspt_052',
    ]);
    expect((await homeIds('?kind=resolution_case')).ids).toEqual(['reso_2Wq9ErTy6u']);
    expect((await homeIds('?kind=refund')).ids).toEqual(['rfnd_0Pl5KjHg3f']);
    expect((await homeIds('?company=biz_other')).ids).toEqual([]);
    expect((await homeIds('?kind=chargeback&company=biz_4Tq8mXv2Lp')).ids).toHaveLength(25);
  });

  it('searches by id and by customer email (normalised), within the filters', async () => {
    expect((await homeIds('?q=dspt_007')).ids).toEqual(['dspt_007']);
    expect((await homeIds('?q=dspt_nope')).html).toContain('Nothing matches');
    const byEmail = await homeIds(`?q=${encodeURIComponent(' Buyer3@Example.COM ')}`);
    expect(byEmail.ids).toEqual([
      'dspt_003',
      'dspt_010',
      'dspt_017',
      'dspt_024',
      'dspt_031',
      'dspt_038',
      'dspt_045',
    ]);
    expect((await homeIds('?q=buyer3%40example.com&kind=inquiry')).ids).toEqual(['dspt_045']);
    expect((await homeIds('?q=buyer3%40example.com&show=all&status=won')).ids).toEqual(['dspt_052']);
  });

  it('answers a bad filter with a 400 page naming it', async () => {
    const res = await client.get('/?kind=bogus');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('invalid_query');
    expect(html).toContain('kind:');
  });
});

describe('home page on a large store', () => {
  it('a rare filter looks through a bounded part of the index per page and offers to keep searching', async () => {
    await redis.client.flushdb();
    // 2,500 open chargebacks, then one inquiry due last.
    const pipe = [];
    for (let i = 0; i < 2_500; i++) pipe.push(store.apply(0, disputeRecord(i), undefined, []));
    await Promise.all(pipe);
    await store.apply(0, disputeRecord(3_000, { status: 'warning_needs_response' }), undefined, []);
    client = new DashboardClient(app);
    await client.login(TOKEN);
    const first = await homeIds('?kind=inquiry');
    expect(first.ids).toEqual([]);
    expect(first.html).toContain('Keep searching');
    const second = await homeIds(first.next!.slice(1));
    expect(second.ids).toEqual(['dspt_3000']);
    expect(second.next).toBeUndefined();
  });
});

describe('case page', () => {
  beforeAll(seed);

  it('shows the facts, the evidence columns, the alerts sent about it and the timeline', async () => {
    const id = 'dspt_002';
    const evidence = new EvidenceStore(redis.client);
    const state = EvidenceStore.empty(id, 'biz_4Tq8mXv2Lp', 'never');
    state.draft = {
      fields: { notes: 'Drafted <b>notes</b>' },
      category: 'fraud',
      statements: [],
      accessEvents: 3,
      ce3: null,
      builtAt: new Date().toISOString(),
    };
    state.staged = {
      fields: { notes: 'Staged notes' },
      attachmentFileId: null,
      attachmentEventsHash: null,
      stagedAt: new Date().toISOString(),
      updates: 1,
    };
    await evidence.put(state);
    const alerts = new AlertStore(redis.client);
    await alerts.recordSent(sampleAlert({ id: `${id}.needs_response.needs_response` }), 'slack', new Date());
    await alerts.recordFailure(
      sampleAlert({ id: `reminder.${id}.86400000.1`, kind: 'reminder' }),
      'email',
      'SMTP 550',
      new Date(),
    );
    await alerts.recordSent(
      sampleAlert({ id: 'dspt_0020.needs_response.needs_response' }),
      'slack',
      new Date(),
    );
    const record = (await store.get(id))!;
    await store.apply(
      record.version,
      { ...record, status: 'needs_response', dueAt: due(10) },
      { at: new Date().toISOString(), source: 'sweep', change: { dueAt: [record.dueAt, due(10)] } },
      [],
    );

    const res = await client.get(`/cases/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Chargeback <span class="mono">dspt_002</span>');
    expect(html).toContain('buyer2@example.com');
    expect(html).toContain('Drafted &lt;b&gt;notes&lt;/b&gt;');
    expect(html).toMatch(/<td class="changed" data-label="Draft">Drafted/);
    expect(html).toContain('Staged notes');
    expect(html).toContain('Not submitted yet');
    expect(html).toContain('3 access events from your log');
    expect(html).toContain('href="/cases/dspt_002/access-log.pdf"');
    // Its two deliveries, not dspt_0020's.
    expect(html.match(/data-label="Channel"/g)).toHaveLength(2);
    expect(html).toContain('SMTP 550');
    expect(html).toContain('Sweep (missed webhook recovered)');
    expect(html).toContain('href="/cases/dspt_002/submit"');
  });

  it('serves the access-log PDF from the merchant’s events', async () => {
    await new AccessEventStore(redis.client, { retentionDays: 30 }).add([
      {
        eventId: 'ev_pdf_1',
        userId: 'user_004',
        occurredAt: new Date(Date.now() - HOUR).toISOString(),
        action: 'lesson_viewed',
        ip: '203.0.113.9',
      },
    ]);
    const res = await client.get('/cases/dspt_004/access-log.pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('dspt_004');
    expect(text).toContain('lesson_viewed');
  });

  it('answers an unknown id with a 404 page', async () => {
    const res = await client.get('/cases/dspt_unknown');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('No dispute, inquiry or case with id dspt_unknown.');
  });

  it('confirms before submitting, and refuses when Whop takes no evidence', async () => {
    const confirm = await client.get('/cases/dspt_003/submit');
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('Submit evidence now?');
    expect(html).toMatch(/<form method="post" action="\/cases\/dspt_003\/submit"/);
    expect(await evidenceQueue.count()).toBe(0);
    const won = await client.get('/cases/dspt_050/submit');
    expect(won.status).toBe(409);
    expect(await won.text()).toContain('Whop takes no evidence in status won.');
    expect((await client.post('/cases/dspt_050/submit', { csrf: await client.csrf() })).status).toBe(409);
    expect(await evidenceQueue.count()).toBe(0);
  });

  it('confirms a refund with a form to the case’s refund action; a disputed payment offers none', async () => {
    const ok = await client.get('/cases/reso_2Wq9ErTy6u/refund');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/<form method="post" action="\/cases\/reso_2Wq9ErTy6u\/refund"/);
    const disputed = await client.get('/cases/dspt_003/refund');
    expect(disputed.status).toBe(409);
  });

  it('shows a Resolution Center case’s brief', async () => {
    await new EvidenceStore(redis.client).putBrief('reso_2Wq9ErTy6u', {
      suggestion: 'deny',
      reasons: ['Used the product on 6 days after purchase.'],
      text: 'Brief text',
      builtAt: new Date().toISOString(),
    });
    const html = await (await client.get('/cases/reso_2Wq9ErTy6u')).text();
    expect(html).toContain('Case brief');
    expect(html).toContain('Used the product on 6 days after purchase.');
    expect(html).toContain('>Deny<');
  });

  it('shows auto-refund decisions when the refunds feature provides them', async () => {
    const withRefunds = dashboardTestApp(redis.client, {
      adminToken: TOKEN,
      evidenceQueue,
      extra: {
        refundDecisions: async (id) => (id === 'dspt_001' ? [{ action: 'refund', rule: 'rdr_alert' }] : []),
      },
    });
    const c = new DashboardClient(withRefunds);
    await c.login(TOKEN);
    const html = await (await c.get('/cases/dspt_001')).text();
    expect(html).toContain('Auto-refund decisions');
    expect(html).toContain('rdr_alert');
    expect(await (await client.get('/cases/dspt_001')).text()).not.toContain('Auto-refund decisions');
  });
});

describe('insights and health', () => {
  beforeAll(seed);

  it('insights: charts with a table of the same numbers beside each', async () => {
    const html = await (await client.get('/insights')).text();
    expect(html).toContain('From 53 disputes in the store');
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(6);
    // Three won chargebacks, $49.00 each: $147.00 recovered, on the reason's row and the total's.
    expect(html).toMatch(/<th scope="row">Product Not Received<\/th><td class="num">3<\/td>/);
    expect(html.match(/\$147\.00/g)!.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('Inquiries that became chargebacks');
  });

  it('insights: below DISPUTE_RATE_MIN_PAYMENTS the rate is counts, and the payment count says when it was taken', async () => {
    await new AlertStore(redis.client).cachePayments30d('biz_4Tq8mXv2Lp', 3);
    const withMin = dashboardTestApp(redis.client, {
      adminToken: TOKEN,
      evidenceQueue,
      extra: { disputeRateMinPayments: 100 },
    });
    const c = new DashboardClient(withMin);
    await c.login(TOKEN);
    const html = await (await c.get('/insights')).text();
    await redis.client.del('da:company:biz_4Tq8mXv2Lp:payments30d');
    const row = /<th scope="row" class="mono">biz_4Tq8mXv2Lp<\/th>.*?<\/tr>/s.exec(html)?.[0] ?? '';
    expect(row).toMatch(/<td class="num">3<span class="small muted"> \(as of /);
    expect(row).toMatch(/<td class="num">\d+ on 3<\/td>/);
    expect(row).not.toContain('%');
    expect(html).toMatch(/\d+ disputes on 3 payments in 30 days \(fewer than 100 payments/);
    expect(html).not.toContain('id="rate30"');
  });

  it('health: every queue with its counts and failures, Redis and its eviction policy', async () => {
    const failing = new Queue('alerts', { connection: redis.client });
    const workerRedis = new Redis(server.url, { maxRetriesPerRequest: null });
    const worker = new Worker(
      'alerts',
      async () => {
        throw new Error('slack answered 500');
      },
      { connection: workerRedis },
    );
    await failing.add('deliver', {});
    await expect.poll(() => failing.getFailedCount()).toBe(1);
    await worker.close();
    workerRedis.disconnect();
    const withQueues = dashboardTestApp(redis.client, {
      adminToken: TOKEN,
      evidenceQueue,
      queues: [evidenceQueue, failing],
    });
    const c = new DashboardClient(withQueues);
    await c.login(TOKEN);
    const html = await (await c.get('/health')).text();
    await failing.close();
    expect(html).toContain('<th scope="row">evidence</th>');
    expect(html).toContain('<th scope="row">alerts</th>');
    expect(html).toContain('Latest failed jobs in alerts');
    expect(html).toContain('slack answered 500');
    expect(html).toContain('Eviction policy');
    expect(html).toContain('da:inbox:dead');
  });
});
