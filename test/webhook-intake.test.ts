import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger/logger.js';
import { jobIdForWebhook, WHOP_EVENTS_QUEUE, type WhopEventJob } from '../src/reconcile/whop-events-queue.js';
import { INBOX_STREAM } from '../src/redis/keys.js';
import { createInboxRelay } from '../workers/whop-event-worker.js';
import { buildIntake } from './support/intake.js';
import { startTestRedis } from './support/redis-server.js';
import { signWebhook, TEST_SECRET, testSecret, whopEvent } from './support/signed-webhook.js';

const SECRET = TEST_SECRET;
let redisUrl: string;
let closeRedis: () => Promise<void>;
let admin: Redis;

beforeAll(async () => {
  const r = await startTestRedis();
  redisUrl = r.url;
  closeRedis = r.close;
  admin = new Redis(redisUrl);
});
afterAll(async () => {
  admin.disconnect();
  await closeRedis();
});
beforeEach(async () => {
  await admin.flushall();
});

let n = 0;
function delivery(
  type = 'dispute.created',
  opts: { secret?: string; webhookId?: string; body?: string } = {},
) {
  const webhookId = opts.webhookId ?? `msg_${++n}_${Date.now()}`;
  const body = opts.body ?? JSON.stringify(whopEvent(type, { id: `dspt_${n}` }));
  return { webhookId, body, headers: signWebhook(opts.secret ?? SECRET, webhookId, body) };
}

describe('POST /webhooks/whop', () => {
  it('answers 200 once the event is stored, with its delivery metadata', async () => {
    const intake = await buildIntake(redisUrl);
    const d = delivery();
    const res = await intake.app.request('/webhooks/whop', {
      method: 'POST',
      body: d.body,
      headers: d.headers,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'accepted' });

    const entries = await admin.xrange(INBOX_STREAM, '-', '+');
    expect(entries).toHaveLength(1);
    const stored = JSON.parse(entries[0]![1][1]!) as WhopEventJob;
    expect(stored.webhookId).toBe(d.webhookId);
    expect(stored.attemptTimestamp).toBe(Number(d.headers['webhook-timestamp']));
    expect(Date.parse(stored.receivedAt)).toBeGreaterThan(Date.now() - 10_000);
    expect(stored.event).toEqual(JSON.parse(d.body));
    await intake.close();
  });

  it('answers 401 for a missing or wrong signature, a stale timestamp or a forged body, and stores nothing', async () => {
    const intake = await buildIntake(redisUrl);
    const d = delivery();
    const cases: [Record<string, string>, string, string][] = [
      [{ 'content-type': 'application/json' }, d.body, 'missing_signature_headers'],
      [signWebhook(testSecret('someone else'), d.webhookId, d.body), d.body, 'invalid_signature'],
      [{ ...d.headers }, d.body.replace('dispute', 'refund'), 'invalid_signature'],
      [
        signWebhook(SECRET, d.webhookId, d.body, Math.floor(Date.now() / 1000) - 301),
        d.body,
        'timestamp_out_of_tolerance',
      ],
      [
        signWebhook(SECRET, d.webhookId, d.body, Math.floor(Date.now() / 1000) + 301),
        d.body,
        'timestamp_out_of_tolerance',
      ],
      [{ ...d.headers, 'webhook-timestamp': 'soon' }, d.body, 'invalid_timestamp'],
    ];
    for (const [headers, body, code] of cases) {
      const res = await intake.app.request('/webhooks/whop', { method: 'POST', body, headers });
      expect(res.status).toBe(401);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      // Nothing that helps a forger: no expected signature, no key material.
      expect(JSON.stringify(json)).not.toMatch(/v1,|ws_/);
    }
    expect(await admin.xlen(INBOX_STREAM)).toBe(0);
    await intake.close();
  });

  it('accepts a signature made with any rotated secret', async () => {
    const intake = await buildIntake(redisUrl, { secrets: [testSecret('old'), testSecret('new')] });
    for (const secret of [testSecret('old'), testSecret('new')]) {
      const d = delivery('refund.updated', { secret });
      const res = await intake.app.request('/webhooks/whop', {
        method: 'POST',
        body: d.body,
        headers: d.headers,
      });
      expect(res.status).toBe(200);
    }
    const bad = delivery('refund.updated', { secret: testSecret('retired') });
    expect(
      (await intake.app.request('/webhooks/whop', { method: 'POST', body: bad.body, headers: bad.headers }))
        .status,
    ).toBe(401);
    expect(await admin.xlen(INBOX_STREAM)).toBe(2);
    await intake.close();
  });

  it('answers 400 for a body that is not JSON or not a Whop event envelope', async () => {
    const intake = await buildIntake(redisUrl);
    const bodies: [string, string][] = [
      ['not json at all', 'invalid_json'],
      ['[1,2,3]', 'invalid_envelope'],
      [
        JSON.stringify({ id: 'evt_1', type: 'dispute.created', timestamp: new Date().toISOString() }),
        'invalid_envelope',
      ],
      [
        JSON.stringify({ id: 'evt_1', type: 'dispute.created', timestamp: 'yesterday', data: {} }),
        'invalid_envelope',
      ],
      [
        JSON.stringify({ type: 'dispute.created', timestamp: new Date().toISOString(), data: {} }),
        'invalid_envelope',
      ],
    ];
    for (const [body, code] of bodies) {
      const d = delivery('x', { body });
      const res = await intake.app.request('/webhooks/whop', { method: 'POST', body, headers: d.headers });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect(await admin.xlen(INBOX_STREAM)).toBe(0);
    await intake.close();
  });

  it('answers 400 json_too_deep for a signed body nested past 64 levels, before storing it', async () => {
    const intake = await buildIntake(redisUrl);
    /** An envelope (depth 1) whose data (depth 2) holds `levels` more nested objects. */
    const nestedBody = (levels: number) =>
      JSON.stringify(whopEvent('dispute.created', { id: 'dspt_deep' })).replace(
        '"data":{',
        `"data":{"deep":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)},`,
      );
    const post = (body: string) => {
      const d = delivery('dispute.created', { body });
      return intake.app.request('/webhooks/whop', { method: 'POST', body, headers: d.headers });
    };
    for (const levels of [10_000, 63]) {
      const res = await post(nestedBody(levels));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 'json_too_deep', message: 'body nests deeper than 64 levels' },
      });
    }
    expect(await admin.xlen(INBOX_STREAM)).toBe(0);
    // 64 levels in all is still taken.
    expect((await post(nestedBody(62))).status).toBe(200);
    expect(await admin.xlen(INBOX_STREAM)).toBe(1);
    const metrics = await (await intake.app.request('/metrics')).text();
    expect(metrics).toContain('dispute_autopilot_webhooks_received_total{outcome="json_too_deep",type=""} 2');
    await intake.close();
  });

  it('answers 413 for a body over 1 MiB, by Content-Length or while streaming', async () => {
    const intake = await buildIntake(redisUrl);
    const big = JSON.stringify(whopEvent('dispute.created', { pad: 'x'.repeat(1024 * 1024) }));
    const d = delivery('dispute.created', { body: big });
    const withLength = await intake.app.request('/webhooks/whop', {
      method: 'POST',
      body: big,
      headers: { ...d.headers, 'content-length': String(Buffer.byteLength(big)) },
    });
    expect(withLength.status).toBe(413);

    // Chunked: no Content-Length, so the limit must be enforced as bytes arrive.
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 4 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const chunked = await intake.app.request('/webhooks/whop', {
      method: 'POST',
      body: stream,
      headers: d.headers,
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThan(4 * 1024 * 1024);
    expect(await admin.xlen(INBOX_STREAM)).toBe(0);
    await intake.close();
  });

  it('acknowledges event types it does not act on with 200, counts them and queues nothing', async () => {
    const intake = await buildIntake(redisUrl);
    const d = delivery('membership.activated');
    const res = await intake.app.request('/webhooks/whop', {
      method: 'POST',
      body: d.body,
      headers: d.headers,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ignored' });
    expect(await admin.xlen(INBOX_STREAM)).toBe(0);
    // Counted as `other`, as every type we do not act on: one series however many types are sent.
    for (let i = 0; i < 20; i++) {
      const odd = delivery(`made.up.type_${i}`);
      await intake.app.request('/webhooks/whop', { method: 'POST', body: odd.body, headers: odd.headers });
    }
    const metrics = await (await intake.app.request('/metrics')).text();
    expect(metrics).toContain('dispute_autopilot_webhooks_received_total{outcome="ignored",type="other"} 21');
    expect(metrics).not.toContain('made.up');
    expect(metrics).not.toContain('membership.activated');
    expect(intake.logLines.some((l) => l.level === 20 && l.type === 'membership.activated')).toBe(true);
    await intake.close();
  });

  it('deduplicates redeliveries by webhook-id, also across a restart of the service', async () => {
    const first = await buildIntake(redisUrl);
    const d = delivery();
    const send = (app: typeof first.app) =>
      app.request('/webhooks/whop', { method: 'POST', body: d.body, headers: d.headers });
    expect(await (await send(first.app)).json()).toEqual({ status: 'accepted' });
    expect(await (await send(first.app)).json()).toEqual({ status: 'duplicate' });
    await first.close();

    const restarted = await buildIntake(redisUrl);
    const again = await send(restarted.app);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(await admin.xlen(INBOX_STREAM)).toBe(1);
    expect(await admin.ttl(`da:seen:${d.webhookId}`)).toBeGreaterThan(6 * 24 * 3600);
    await restarted.close();
  });

  it('still deduplicates after the job was processed and cleaned up', async () => {
    const intake = await buildIntake(redisUrl);
    const queueRedis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const relayRedis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue<WhopEventJob>(WHOP_EVENTS_QUEUE, { connection: queueRedis });
    const relay = createInboxRelay(relayRedis, queue, createLogger('silent'), { blockMs: 50 });
    await relay.start();
    const d = delivery();
    await intake.app.request('/webhooks/whop', { method: 'POST', body: d.body, headers: d.headers });
    await expect.poll(() => queue.getJobCounts('waiting').then((c) => c.waiting)).toBe(1);
    const job = await queue.getJob(jobIdForWebhook(d.webhookId));
    expect(job?.data.webhookId).toBe(d.webhookId);
    expect(job?.data.event.type).toBe('dispute.created');
    await queue.obliterate({ force: true });

    const again = await intake.app.request('/webhooks/whop', {
      method: 'POST',
      body: d.body,
      headers: d.headers,
    });
    expect(await again.json()).toEqual({ status: 'duplicate' });
    await new Promise((r) => setTimeout(r, 200));
    expect(await queue.count()).toBe(0);
    await relay.stop();
    await queue.close();
    queueRedis.disconnect();
    relayRedis.disconnect();
    await intake.close();
  });
});

describe('GET /healthz and /readyz', () => {
  it('reports alive, and ready while Redis answers', async () => {
    const intake = await buildIntake(redisUrl);
    expect((await intake.app.request('/healthz')).status).toBe(200);
    const ready = await intake.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    await intake.close();
  });
});
