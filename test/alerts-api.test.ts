import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIntake } from './support/intake.js';
import { startTestRedis } from './support/redis-server.js';

const ADMIN_TOKEN = 'alerts-api-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

let server: Awaited<ReturnType<typeof startTestRedis>>;
let intake: Awaited<ReturnType<typeof buildIntake>>;

beforeAll(async () => {
  server = await startTestRedis();
  intake = await buildIntake(server.url, { env: { ADMIN_TOKEN } });
});
afterAll(async () => {
  await intake?.close();
  await server?.close();
});

/** A delivery row as the alert dispatcher records it: newest at the head of the list. */
const row = (list: 'sent' | 'failed' | 'uncertain', i: number) => ({
  id: `alert_${list}_${i}`,
  kind: 'dispute_opened',
  destination: 'slack',
  ...(list === 'failed' ? { reason: 'HTTP 500 from Slack' } : {}),
  ...(list === 'uncertain' ? { reason: 'slack webhook timed out after 10000 ms' } : {}),
  at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
});

/** Records `count` deliveries, oldest first (LPUSH of several values pushes each in turn). */
async function record(list: 'sent' | 'failed' | 'uncertain', count: number) {
  const rows = Array.from({ length: count }, (_, i) => JSON.stringify(row(list, i)));
  await intake.redis.lpush(`da:alerts:${list}`, ...rows);
}

async function getAlerts() {
  const res = await intake.app.request('/api/alerts', { headers: auth });
  return {
    status: res.status,
    body: (await res.json()) as { sent: unknown[]; failed: unknown[]; uncertain: unknown[] },
  };
}

describe('GET /api/alerts', () => {
  it('answers empty lists before any alert was delivered', async () => {
    expect(await getAlerts()).toEqual({ status: 200, body: { sent: [], failed: [], uncertain: [] } });
  });

  it('lists sent and failed deliveries apart, newest first, the newest 200 of each', async () => {
    await record('sent', 250);
    await record('failed', 3);
    const { status, body } = await getAlerts();
    expect(status).toBe(200);
    expect(body.sent).toHaveLength(200);
    expect(body.sent[0]).toEqual(row('sent', 249));
    expect(body.sent[199]).toEqual(row('sent', 50));
    expect(body.failed).toEqual([row('failed', 2), row('failed', 1), row('failed', 0)]);
    expect(body.uncertain).toEqual([]);
  });

  it('lists deliveries whose outcome is unknown apart, with what happened', async () => {
    await record('uncertain', 2);
    const { body } = await getAlerts();
    expect(body.uncertain).toEqual([row('uncertain', 1), row('uncertain', 0)]);
  });
});
