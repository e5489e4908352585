import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config/env.js';
import { startHttpServer } from '../src/http/serve.js';
import { createLogger } from '../src/logger/logger.js';
import { startWorkers } from '../workers/index.js';
import { buildIntake } from './support/intake.js';
import { startTestRedis } from './support/redis-server.js';
import { signWebhook, TEST_SECRET, whopEvent } from './support/signed-webhook.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.close();
});

it('a burst from 50 concurrent senders, each event delivered twice, leaves exactly one job per event', async () => {
  const intake = await buildIntake(redis.url);
  const server = await startHttpServer(intake.app, 0, '127.0.0.1');
  const processed: string[] = [];
  const config = loadConfig({
    REDIS_URL: redis.url,
    WHOP_API_KEY: 'k',
    WHOP_WEBHOOK_SECRET: TEST_SECRET,
  });
  const workers = await startWorkers(config, createLogger('silent'), {
    handler: async (job) => {
      processed.push(job.data.webhookId);
    },
  });

  const events = Array.from({ length: 600 }, (_, i) => {
    const webhookId = `msg_burst_${i}`;
    const body = JSON.stringify(whopEvent(i % 2 ? 'dispute.updated' : 'refund.created', { id: `obj_${i}` }));
    return { webhookId, body };
  });
  // Every event twice, the copies spread out so some arrive concurrently and some later.
  const deliveries = [...events, ...events.slice().reverse()];
  const url = `http://127.0.0.1:${server.port}/webhooks/whop`;
  const statuses: number[] = [];
  const refusedWithoutRetryAfter: number[] = [];
  // A 503 (Redis slower than the store's deadline, as on a loaded machine) is a refusal Whop retries:
  // re-deliver it, as Whop would. Anything else is a fault.
  const queue = deliveries.slice();
  let sending = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (queue.length || sending) {
        const d = queue.shift();
        if (!d) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        sending++;
        const res = await fetch(url, {
          method: 'POST',
          body: d.body,
          headers: signWebhook(TEST_SECRET, d.webhookId, d.body),
        });
        statuses.push(res.status);
        if (res.status === 503) {
          if (!res.headers.get('retry-after')) refusedWithoutRetryAfter.push(res.status);
          queue.push(d);
        }
        await res.arrayBuffer();
        sending--;
      }
    }),
  );
  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  expect(refusedWithoutRetryAfter).toEqual([]);
  expect(statuses.filter((s) => s === 200)).toHaveLength(deliveries.length);

  await expect.poll(() => processed.length, { timeout: 20_000 }).toBe(events.length);
  await new Promise((r) => setTimeout(r, 300)); // would any duplicate still arrive?
  expect(new Set(processed).size).toBe(events.length);
  expect(processed).toHaveLength(events.length);

  await workers.close();
  await server.close(1000);
  await intake.close();
});
