/**
 * Issue 14, item 1: Redis SIGKILLed under a steady stream of signed deliveries (~200/s), restarted on the
 * same port with its data some seconds later. Every delivery answered 2xx is processed once Redis is back;
 * every other was answered 503 with Retry-After; none hung; the server and the workers recover by
 * themselves (no restart of either).
 *
 * Redis runs with AOF and `appendfsync always`: Redis fsyncs the file before it sends the reply, so a 200
 * (sent only after the intake's Lua script answered) means the event is on disk — the promise holds even
 * if the machine, not just the process, goes down. `everysec` survives a process kill too (the write()
 * happens before the reply), but may postpone that write while a background fsync is slow, and loses up
 * to a second on power loss: not what "acknowledged means kept" should rest on.
 *
 * The outage is 6 s, not the issue's 20 s, to keep the suite's budget: what matters is that every
 * connection has failed and is retrying at its longest backoff (the intake's reconnects cap at 1 s, the
 * workers' at 5 s), which 6 s already covers; a longer outage repeats the same state.
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { afterEach, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { startHttpServer } from '../../src/http/serve.js';
import { createLogger } from '../../src/logger/logger.js';
import { INBOX_STREAM } from '../../src/redis/keys.js';
import { type RunningWorkers, startWorkers } from '../../workers/index.js';
import { buildIntake } from '../support/intake.js';
import { RedisServerProcess } from '../support/redis-server.js';
import { signWebhook, TEST_SECRET, whopEvent } from '../support/signed-webhook.js';

const RATE_PER_S = 200;
const TICK_MS = 50;
const BEFORE_MS = 2_000;
const OUTAGE_MS = 6_000;
const AFTER_MS = 3_000;
/**
 * "Hung": no answer within this. Refusals take milliseconds on a quiet machine (the slowest answer per
 * phase is printed), seconds on a loaded CI machine where this test shares two cores with the load it
 * generates and another test file; a request held until Redis returns is caught by the check that none
 * sent well inside the outage was accepted.
 */
const HUNG_MS = 15_000;

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

interface Outcome {
  webhookId: string;
  phase: 'before' | 'outage' | 'after';
  sentAt: number;
  status: number | null;
  retryAfter: string | null;
  ms: number;
  error: string | null;
}

it('Redis SIGKILLed and restarted with its AOF under ~200 deliveries/s: every 2xx is processed, the rest were 503 with Retry-After, nothing hung', async () => {
  const redis = await RedisServerProcess.start(undefined, { appendfsync: 'always' });
  cleanup.push(() => redis.destroy());
  const intake = await buildIntake(redis.url);
  cleanup.push(() => intake.close());
  const server = await startHttpServer(intake.app, 0, '127.0.0.1');
  cleanup.push(() => server.close(1000));

  const processed = new Map<string, number>();
  const config = loadConfig({
    REDIS_URL: redis.url,
    WHOP_API_KEY: 'k',
    WHOP_WEBHOOK_SECRET: TEST_SECRET,
    // Jobs and stream entries a dead connection held are taken over soon after Redis is back.
    JOB_LOCK_DURATION: '2s',
  });
  const workers: RunningWorkers = await startWorkers(config, createLogger('silent'), {
    handler: async (job) => {
      processed.set(job.data.webhookId, (processed.get(job.data.webhookId) ?? 0) + 1);
    },
  });
  cleanup.push(() => workers.close());

  const url = `http://127.0.0.1:${server.port}/webhooks/whop`;
  // Plain node:http on kept-alive sockets: the load generator shares the CPU with the server and the
  // workers it loads, and fetch costs several times as much per request.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  cleanup.push(async () => agent.destroy());
  const outcomes: Outcome[] = [];
  const inFlight = new Set<Promise<void>>();
  let phase: Outcome['phase'] = 'before';
  let n = 0;
  const send = (): void => {
    const webhookId = `msg_kill_${++n}`;
    const body = JSON.stringify(whopEvent('dispute.updated', { id: `dspt_kill_${n}` }));
    const started = Date.now();
    const outcome: Outcome = {
      webhookId,
      phase,
      sentAt: started,
      status: null,
      retryAfter: null,
      ms: 0,
      error: null,
    };
    outcomes.push(outcome);
    const p = new Promise<void>((resolve) => {
      const done = (error: string | null) => {
        outcome.error = error;
        outcome.ms = Date.now() - started;
        inFlight.delete(p);
        resolve();
      };
      const req = request(url, { method: 'POST', agent, headers: signWebhook(TEST_SECRET, webhookId, body) });
      req.setTimeout(HUNG_MS, () => req.destroy(new Error('hung')));
      req.on('response', (res) => {
        outcome.status = res.statusCode ?? null;
        outcome.retryAfter = (res.headers['retry-after'] as string | undefined) ?? null;
        res.resume();
        res.on('end', () => done(null));
      });
      req.on('error', (err) => done(err.message));
      req.end(body);
    });
    inFlight.add(p);
  };
  /** Sends RATE_PER_S per second for `ms`, catching up every tick on what a late timer held back. */
  const stream = async (ms: number) => {
    const start = Date.now();
    let sent = 0;
    while (Date.now() - start < ms) {
      for (const due = Math.floor(((Date.now() - start) * RATE_PER_S) / 1000); sent < due; sent++) send();
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
  };

  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  await stream(BEFORE_MS);
  // BullMQ's last-resort console.error of each failed reconnect: the service routes it into throttled
  // JSON log lines (src/logger/throttled-errors.ts, checked in test/process.test.ts); here it is noise.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  cleanup.push(async () => vi.restoreAllMocks());
  // SIGKILL mid-stream: requests are in flight at the moment it dies.
  const killedAt = Date.now();
  const killed = redis.stop();
  phase = 'outage';
  await Promise.all([killed, stream(OUTAGE_MS)]);
  // Back on the same port, loading its append-only file, while deliveries keep coming.
  const restartedAt = Date.now();
  const restarted = redis.restart();
  phase = 'after';
  await Promise.all([restarted, stream(AFTER_MS)]);
  await Promise.all(inFlight);

  lag.disable();
  const by = (p: Outcome['phase']) => outcomes.filter((o) => o.phase === p);
  const slowest = (os: Outcome[]) => Math.max(0, ...os.map((o) => o.ms));
  const summary = {
    sent: outcomes.length,
    eventLoopDelayMaxMs: Math.round(lag.max / 1e6),
    ok: outcomes.filter((o) => o.status === 200).length,
    refused: outcomes.filter((o) => o.status === 503).length,
    perPhase: Object.fromEntries(
      (['before', 'outage', 'after'] as const).map((p) => [
        p,
        `${by(p).filter((o) => o.status === 200).length}/${by(p).length} ok, slowest ${slowest(by(p))} ms`,
      ]),
    ),
  };
  console.log('redis kill under load:', JSON.stringify(summary));

  // Every delivery got an answer (none hung, no connection reset), and the only refusal is 503 + Retry-After.
  expect(outcomes.filter((o) => o.error !== null)).toEqual([]);
  // None was held until Redis came back: a delivery sent well inside the outage was refused, not kept
  // waiting and then accepted.
  const heldBack = by('outage').filter(
    (o) => o.sentAt > killedAt + 2000 && o.sentAt < restartedAt - 2000 && o.status !== 503,
  );
  expect(heldBack).toEqual([]);
  expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([]);
  expect(outcomes.filter((o) => o.status === 503 && !/^\d+$/.test(o.retryAfter ?? ''))).toEqual([]);
  // Redis really was down for a while, and the server took deliveries again without a restart.
  expect(by('outage').filter((o) => o.status === 503).length).toBeGreaterThan(RATE_PER_S);
  expect(by('after').filter((o) => o.status === 200).length).toBeGreaterThan(0);
  expect((await intake.app.request('/readyz')).status).toBe(200);

  // Every acknowledged delivery is processed after Redis came back: the workers recovered by themselves.
  const acked = outcomes.filter((o) => o.status === 200).map((o) => o.webhookId);
  await expect
    .poll(() => acked.filter((id) => !processed.has(id)).length, { timeout: 60_000, interval: 250 })
    .toBe(0);
  // Nothing processed that no one sent; a 503 whose write had landed (Redis died before replying) may
  // be processed too: Whop retries it, and the retry is then a duplicate.
  const sent = new Set(outcomes.map((o) => o.webhookId));
  expect([...processed.keys()].filter((id) => !sent.has(id))).toEqual([]);
  const admin = new Redis(redis.url);
  cleanup.push(async () => admin.disconnect());
  await expect.poll(() => admin.xlen(INBOX_STREAM), { timeout: 20_000 }).toBe(0);
}, 120_000);
