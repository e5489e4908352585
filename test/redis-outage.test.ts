import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_STREAM } from '../src/redis/keys.js';
import { buildIntake } from './support/intake.js';
import { RedisServerProcess } from './support/redis-server.js';
import { signWebhook, TEST_SECRET, whopEvent } from './support/signed-webhook.js';

// These tests stop and freeze Redis, so they run their own redis-server, never a shared one.
let server: RedisServerProcess;
beforeAll(async () => {
  server = await RedisServerProcess.start();
});
afterAll(async () => {
  await server.destroy();
});

let n = 0;
function delivery() {
  const webhookId = `msg_outage_${++n}`;
  const body = JSON.stringify(whopEvent('dispute.updated', { id: `dspt_${n}` }));
  return { webhookId, body, headers: signWebhook(TEST_SECRET, webhookId, body) };
}

async function post(app: Awaited<ReturnType<typeof buildIntake>>['app'], d: ReturnType<typeof delivery>) {
  return app.request('/webhooks/whop', { method: 'POST', body: d.body, headers: d.headers });
}

describe('when Redis cannot take the event', () => {
  it('answers 503 with Retry-After while Redis is down, then recovers without a restart', async () => {
    const intake = await buildIntake(server.url);
    expect((await post(intake.app, delivery())).status).toBe(200);

    await server.stop();
    const refused = delivery();
    const res = await post(intake.app, refused);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
    expect((await intake.app.request('/readyz')).status).toBe(503);

    await server.restart();
    // ioredis reconnects by itself; the same delivery retried (as Whop would) is now stored.
    await expect.poll(async () => (await post(intake.app, refused)).status, { timeout: 10_000 }).toBe(200);
    expect((await intake.app.request('/readyz')).status).toBe(200);
    const admin = new Redis(server.url);
    const stored = await admin.xrange(INBOX_STREAM, '-', '+');
    expect(stored.map(([, f]) => JSON.parse(f[1]!).webhookId)).toEqual([refused.webhookId]);
    admin.disconnect();
    await intake.close();
  });

  it('answers 503 instead of hanging while Redis is frozen, and the retry after it thaws is not doubled', async () => {
    const intake = await buildIntake(server.url, { commandTimeoutMs: 300 });
    await server.restart();
    await expect
      .poll(async () => (await intake.app.request('/readyz')).status, { timeout: 10_000 })
      .toBe(200);

    server.freeze();
    const d = delivery();
    try {
      const res = await post(intake.app, d);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
    } finally {
      server.thaw();
    }
    // The timed-out command may still have run once Redis woke up: the retry must then be a duplicate,
    // never a second copy.
    await expect.poll(async () => (await post(intake.app, d)).status, { timeout: 10_000 }).toBe(200);
    const admin = new Redis(server.url);
    const ids = (await admin.xrange(INBOX_STREAM, '-', '+')).map(([, f]) => JSON.parse(f[1]!).webhookId);
    expect(ids.filter((id) => id === d.webhookId)).toHaveLength(1);
    admin.disconnect();
    await intake.close();
  });

  it('answers 503 while Redis refuses writes (CLIENT PAUSE), and 200 after', async () => {
    const intake = await buildIntake(server.url, { commandTimeoutMs: 300 });
    const admin = new Redis(server.url);
    await admin.client('PAUSE', 2000, 'WRITE');
    const d = delivery();
    const res = await post(intake.app, d);
    expect(res.status).toBe(503);
    await admin.client('UNPAUSE');
    await expect.poll(async () => (await post(intake.app, d)).status, { timeout: 10_000 }).toBe(200);
    const ids = (await admin.xrange(INBOX_STREAM, '-', '+')).map(([, f]) => JSON.parse(f[1]!).webhookId);
    expect(ids.filter((id) => id === d.webhookId)).toHaveLength(1);
    admin.disconnect();
    await intake.close();
  });

  it('/readyz answers 503 while Redis is full and refuses writes (it still answers PING), and 200 after', async () => {
    const intake = await buildIntake(server.url, { commandTimeoutMs: 300 });
    const admin = new Redis(server.url);
    await expect
      .poll(async () => (await intake.app.request('/readyz')).status, { timeout: 10_000 })
      .toBe(200);
    // Full under noeviction: used memory past maxmemory, so Redis refuses every write with OOM.
    await admin.config('SET', 'maxmemory', '1');
    try {
      expect(await admin.ping()).toBe('PONG');
      const res = await intake.app.request('/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not_ready', redis: expect.stringMatching(/^OOM /) });
      expect((await post(intake.app, delivery())).status).toBe(503);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    expect((await intake.app.request('/readyz')).status).toBe(200);
    admin.disconnect();
    await intake.close();
  });
});
