/**
 * An entry no job can be made of, end to end: the whole service (intake, workers, alerts to the log)
 * sets it aside, processes the rest, alerts, and shows it in `GET /api/dead-letters` and `/readyz`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_STREAM } from '../src/redis/keys.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { whopEvent } from './support/signed-webhook.js';

let h: ServiceHarness;
beforeAll(async () => {
  h = await startServiceHarness();
});
afterAll(async () => {
  await h?.close();
});

const admin = { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` };
const getJson = async (path: string, headers: Record<string, string> = admin) => {
  const res = await h.app.request(path, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

interface DeadLettersBody {
  total: number;
  by_stream: Record<string, number>;
  data: { stream: string; group: string; entryId: string; reason: string; length: number; preview: string }[];
}

describe('an inbox entry no job can be made of', () => {
  it('is set aside with its reason while the rest is processed, alerted, and listed by the API and /readyz', async () => {
    // Stored as an older version of the intake (no depth limit) would have stored it: a signed delivery
    // whose data nests 10,000 deep. JSON.stringify of its job throws.
    const event = JSON.stringify(whopEvent('dispute.updated', {})).replace(
      '"data":{}',
      `"data":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
    );
    const poison = `{"webhookId":"msg_poison","receivedAt":"${new Date().toISOString()}","attemptTimestamp":${Math.floor(Date.now() / 1000)},"event":${event}}`;
    const entryId = await h.admin.xadd(INBOX_STREAM, '*', 'e', poison);
    // And right behind it in the same stream, an ordinary dispute from Whop.
    const dispute = h.sim.openDispute({ paymentId: h.sim.createPayment({ total: 25 }).id });
    await h.settle();

    expect((await h.store.get(dispute.id))?.status).toBe('needs_response');
    const listed = await getJson('/api/dead-letters');
    expect(listed.status).toBe(200);
    const body = listed.body as unknown as DeadLettersBody;
    expect(body.total).toBe(1);
    expect(body.by_stream).toEqual({ 'da:inbox': 1, 'da:case-events': 0 });
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      stream: 'da:inbox',
      group: 'relay',
      entryId,
      length: poison.length,
    });
    expect(body.data[0]!.reason).toMatch(/^job could not be added: Maximum call stack size exceeded/);
    expect(body.data[0]!.preview).toBe(`${poison.slice(0, 1000)}…`);

    const ready = await getJson('/readyz', {});
    expect(ready).toEqual({
      status: 200,
      body: {
        status: 'ready',
        redis: 'ok',
        alerts: 'log only: no alert channel configured',
        dead_letters: 1,
      },
    });

    await expect
      .poll(async () => {
        const alerts = (await getJson('/api/alerts')).body as { sent: { kind: string; id: string }[] };
        return alerts.sent.filter((a) => a.kind === 'dead_letter').map((a) => a.id);
      })
      .toEqual([`dead_letter.da.inbox.relay.${entryId}`]);
  });

  it('GET /api/dead-letters needs the admin token and a sane limit', async () => {
    expect((await getJson('/api/dead-letters', {})).status).toBe(401);
    expect(await getJson('/api/dead-letters?limit=0')).toEqual({
      status: 400,
      body: { error: { code: 'invalid_query', message: 'limit: Too small: expected number to be >=1' } },
    });
    const one = (await getJson('/api/dead-letters?limit=1')).body as unknown as DeadLettersBody;
    expect(one.data).toHaveLength(1);
  });
});
