/**
 * Inputs taken from failures other webhook consumers reported: each is answered 4xx with its reason, and
 * none of them holds up anyone else's request.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIntake } from './support/intake.js';
import { startTestRedis } from './support/redis-server.js';
import { signWebhook, TEST_SECRET, whopEvent } from './support/signed-webhook.js';

const TOKEN = 'poison-inputs-events-token-01';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let intake: Awaited<ReturnType<typeof buildIntake>>;
beforeAll(async () => {
  redis = await startTestRedis();
  intake = await buildIntake(redis.url, { env: { ACCESS_EVENTS_TOKEN: TOKEN } });
});
afterAll(async () => {
  await intake.close();
  await redis.close();
});

interface Answer {
  accepted?: number;
  rejected?: { line: number; reason: string }[];
  error?: { code: string };
}

function postEvents(body: string, type = 'application/json') {
  return intake.app.request('/access-events', {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type },
  });
}

const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
const event = (extra: Record<string, unknown> = {}, id = `poison_${Math.random()}`) => ({
  event_id: id,
  user_id: 'user_poison1',
  occurred_at: occurredAt,
  action: 'login',
  ...extra,
});
/** An event whose metadata nests `levels` objects deep, as text (building it as a value would be slow). */
const deepEventText = (levels: number) =>
  JSON.stringify(event({ metadata: 0 })).replace(
    '"metadata":0',
    `"metadata":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`,
  );

describe('POST /access-events with metadata nested thousands deep', () => {
  it('answers 4xx with the reason (once a 500 from a RangeError), and keeps the good events', async () => {
    const alone = await postEvents(deepEventText(4_100));
    expect(alone.status).toBe(422);
    expect(((await alone.json()) as Answer).rejected).toEqual([
      { line: 1, reason: 'metadata: must nest at most 64 levels deep' },
    ]);

    for (const [body, type] of [
      [`[${JSON.stringify(event())},${deepEventText(100_000)}]`, 'application/json'],
      [`${JSON.stringify(event())}\n${deepEventText(100_000)}`, 'application/x-ndjson'],
    ] as const) {
      const res = await postEvents(body, type);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [{ line: 2, reason: 'metadata: must nest at most 64 levels deep' }],
      });
    }
  });
});

describe('one request that would stall the server', () => {
  it('a 4 MB body of field names millions of characters long is answered 4xx quickly, and a webhook sent meanwhile is not held up', async () => {
    // Four events, each with an unknown field name of a million characters: the typo suggestion was
    // quadratic in the name's length (2-5 s of blocked event loop, and the name echoed back in full).
    const events = [0, 1, 2, 3].map((i) => event({ [`${i}_${'q'.repeat(1_000_000)}`]: true }, `long_${i}`));
    const body = JSON.stringify(events);
    expect(body.length).toBeGreaterThan(4_000_000);

    const webhookId = `msg_poison_${Date.now()}`;
    const webhookBody = JSON.stringify(whopEvent('dispute.updated', { id: 'dspt_poison' }));
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    const accessEvents = (async () => {
      const res = await postEvents(body);
      return { res, body: await res.text() };
    })();
    const webhook = (async () => {
      const res = await intake.app.request('/webhooks/whop', {
        method: 'POST',
        body: webhookBody,
        headers: signWebhook(TEST_SECRET, webhookId, webhookBody),
      });
      return { res, ms: performance.now() - started };
    })();
    const [a, w] = await Promise.all([accessEvents, webhook]);
    // The sampling timer records a blocked loop when it finally runs: give it the chance.
    await new Promise((r) => setTimeout(r, 50));
    delay.disable();

    expect(a.res.status).toBe(422);
    const answer = JSON.parse(a.body) as Answer;
    expect(answer.rejected).toHaveLength(4);
    for (const [i, r] of answer.rejected!.entries()) {
      expect(r.reason).toBe(`unknown field "${i}_${'q'.repeat(38)}…"`);
    }
    // Never the names back in full.
    expect(a.body.length).toBeLessThan(2_000);
    expect(w.res.status).toBe(200);
    // Correctness bounds, generous for a loaded machine: the fault held the loop for seconds.
    expect(w.ms).toBeLessThan(1_000);
    expect(delay.max / 1e6).toBeLessThan(1_000);
  });
});
