import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startWhopSimulator, type WhopSimulatorOptions } from '../../simulator/index.js';
import { type Config, loadConfig } from '../../src/config/env.js';
import { startHttpServer } from '../../src/http/serve.js';
import { createLogger, type Logger } from '../../src/logger/logger.js';
import { CaseReconciler } from '../../src/reconcile/case-reconciler.js';
import { Sweeper } from '../../src/reconcile/sweep.js';
import { SWEEP_QUEUE } from '../../src/reconcile/sweep-queue.js';
import { WHOP_EVENTS_QUEUE } from '../../src/reconcile/whop-events-queue.js';
import { CASE_EVENTS_STREAM, INBOX_STREAM } from '../../src/redis/keys.js';
import { CaseStore } from '../../src/store/case-store.js';
import { createWhopClient } from '../../src/whop/whop-client.js';
import { startWorkers } from '../../workers/index.js';
import { buildIntake } from './intake.js';
import { startTestRedis } from './redis-server.js';
import { testSecret } from './signed-webhook.js';

export const HARNESS_ADMIN_TOKEN = 'harness-admin-token-000000';
export const HARNESS_ACCESS_TOKEN = 'harness-access-token-00000';

/**
 * The whole service as it runs in production — real HTTP intake, real Redis, real BullMQ workers, the
 * real @whop/sdk client — against the Whop simulator, which sends signed webhooks to the intake.
 */
export async function startServiceHarness(
  opts: {
    sim?: WhopSimulatorOptions;
    env?: Record<string, string>;
    backoffBaseMs?: number;
    /** false: no in-process workers (a test runs worker processes itself, or starts them later). */
    workers?: boolean;
    /** Where the server and the workers log (default: TEST_LOG_LEVEL, silent). */
    logger?: Logger;
    /** Accept login links (`GET /login/<code>`), as the demo does. */
    loginLinks?: boolean;
  } = {},
) {
  const redis = await startTestRedis();
  const secret = testSecret('harness');
  const sim = await startWhopSimulator({
    ...opts.sim,
    webhook: { retryDelaysMs: [50, 100, 200], ...opts.sim?.webhook, secret },
  });
  const tokens = { ADMIN_TOKEN: HARNESS_ADMIN_TOKEN, ACCESS_EVENTS_TOKEN: HARNESS_ACCESS_TOKEN };
  // The server reads Whop too (refunds on request): the simulator, as the workers do.
  const whopEnv = { WHOP_API_KEY: sim.apiKey, WHOP_BASE_URL: sim.baseURL, WHOP_RATE_LIMIT: '1000' };
  const intake = await buildIntake(redis.url, {
    secrets: [secret],
    env: { ...whopEnv, ...tokens, ...opts.env },
    logger: opts.logger,
    loginLinks: opts.loginLinks,
  });
  const server = await startHttpServer(intake.app, 0, '127.0.0.1');
  sim.setWebhookTarget(`http://127.0.0.1:${server.port}/webhooks/whop`);

  const config: Config = loadConfig({
    REDIS_URL: redis.url,
    WHOP_API_KEY: sim.apiKey,
    WHOP_WEBHOOK_SECRET: secret,
    WHOP_BASE_URL: sim.baseURL,
    WHOP_RATE_LIMIT: '1000',
    SWEEP_INTERVAL: '1h',
    ...tokens,
    ...opts.env,
  });
  const log = opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const admin = new Redis(redis.url);
  const running: { close(): Promise<void> }[] = [];
  const launchWorkers = async (launch: { waitForSweep?: boolean } = {}) => {
    // One process's metrics, as with role `all`: the server's /metrics shows the workers' too.
    running.push(
      await startWorkers(config, log, { backoffBaseMs: opts.backoffBaseMs ?? 20, metrics: intake.metrics }),
    );
    if (launch.waitForSweep === false) return;
    // Let the start-up sweep finish, so tests decide what happens next.
    const sweeps = new Queue(SWEEP_QUEUE, { connection: admin });
    for (const deadline = Date.now() + 10_000; ; ) {
      const c = await sweeps.getJobCounts('waiting', 'active', 'prioritized', 'completed');
      if (c.completed! > 0 && c.waiting === 0 && c.active === 0 && c.prioritized === 0) break;
      if (Date.now() > deadline) throw new Error(`start-up sweep did not finish: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await sweeps.close();
  };
  if (opts.workers !== false) await launchWorkers();
  const store = new CaseStore(admin);
  const whop = createWhopClient({ apiKey: sim.apiKey, baseURL: sim.baseURL });
  const queue = new Queue(WHOP_EVENTS_QUEUE, { connection: admin });
  const reconciler = new CaseReconciler(whop, store, log);
  const sweeper = new Sweeper(whop, store, reconciler, log);

  return {
    sim,
    /** The HTTP app (webhooks, access events, read API) as the server runs it. */
    app: intake.app,
    /** Sends access events as the merchant would. */
    postAccessEvents: (events: unknown[]) =>
      intake.app.request('/access-events', {
        method: 'POST',
        body: events.map((e) => JSON.stringify(e)).join('\n'),
        headers: { authorization: `Bearer ${HARNESS_ACCESS_TOKEN}`, 'content-type': 'application/x-ndjson' },
      }),
    /** `GET /api/cases/:id` as the merchant would read it. */
    async readCase(id: string) {
      const res = await intake.app.request(`/api/cases/${id}`, {
        headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` },
      });
      return (await res.json()) as Record<string, unknown>;
    },
    admin,
    store,
    whop,
    queue,
    sweeper,
    config,
    redisUrl: redis.url,
    /**
     * Starts the in-process workers (when the harness was started without them), by default waiting
     * for their start-up sweep to finish.
     */
    startWorkers: launchWorkers,
    /** Runs one sweep, as the periodic job does. */
    sweep: (extra: { backoffBaseMs?: number; companyIds?: string[] } = {}) =>
      sweeper.run({
        companyIds: [...config.companyIds, ...(extra.companyIds ?? [])],
        initialLookbackMs: config.sweepInitialLookbackMs,
        source: 'sweep',
        backoffBaseMs: extra.backoffBaseMs ?? 20,
      }),
    /** Until every webhook is delivered (or given up) and every resulting job is finished. */
    async settle(timeoutMs = 30_000) {
      await sim.flushWebhooks();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const pending = Object.values(counts).reduce((a, b) => a + b, 0) + (await admin.xlen(INBOX_STREAM));
        if (pending === 0) return;
        if (Date.now() > deadline) throw new Error(`jobs still pending: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    /** Every case event fired so far, oldest first. */
    async caseEvents() {
      const entries = await admin.xrange(CASE_EVENTS_STREAM, '-', '+');
      return entries.map(
        ([, fields]) =>
          JSON.parse(fields[1]!) as { id: string; type: string; caseId: string; source: string },
      );
    },
    async close() {
      for (const w of running) await w.close();
      await server.close(1000);
      await intake.close();
      await queue.close();
      admin.disconnect();
      await sim.close();
      await redis.close();
    },
  };
}

export type ServiceHarness = Awaited<ReturnType<typeof startServiceHarness>>;
