import type { Config } from '../src/config/env.js';
import type { Logger } from '../src/logger/logger.js';
import { createWhopEventsQueue } from '../src/queue/whop-events-queue.js';
import { CaseReconciler } from '../src/reconcile/case-reconciler.js';
import { Sweeper } from '../src/reconcile/sweep.js';
import { createWorkerRedis } from '../src/redis/connection.js';
import { CaseStore } from '../src/store/case-store.js';
import { RateLimiter } from '../src/whop/rate-limiter.js';
import { createWhopClient } from '../src/whop/whop-client.js';
import { createInboxRelay } from './inbox-relay.js';
import { startSweeps } from './sweep-worker.js';
import { createWhopEventHandler } from './whop-event-handler.js';
import { createWhopEventWorker, type WhopEventHandler } from './whop-event-worker.js';

export interface RunningWorkers {
  /** Stops taking work, lets running jobs finish (bounded by the caller), closes Redis. */
  close(): Promise<void>;
}

export interface WorkerOverrides {
  /** Replaces the reconciling event handler (tests of the intake path count jobs with it). */
  handler?: WhopEventHandler;
  /** Retry pacing for Whop failures; tests shorten it. */
  backoffBaseMs?: number;
}

/** Everything a worker process runs. Any number of these may share one Redis. */
export async function startWorkers(
  config: Config,
  log: Logger,
  overrides: WorkerOverrides = {},
): Promise<RunningWorkers> {
  const commandRedis = createWorkerRedis(config.redisUrl);
  const relayRedis = createWorkerRedis(config.redisUrl);
  const workerRedis = createWorkerRedis(config.redisUrl);
  const sweepRedis = createWorkerRedis(config.redisUrl);

  const store = new CaseStore(commandRedis);
  const whop = createWhopClient({
    apiKey: config.whopApiKey,
    baseURL: config.whopBaseUrl,
    limiter: new RateLimiter(commandRedis, config.whopRateLimit),
  });
  const reconciler = new CaseReconciler(whop, store, log.child({ component: 'reconciler' }));
  const sweeper = new Sweeper(whop, store, reconciler, log.child({ component: 'sweep' }));

  const queue = createWhopEventsQueue(commandRedis);
  const relay = createInboxRelay(relayRedis, queue, log.child({ component: 'inbox-relay' }));
  await relay.start();
  const handler = overrides.handler ?? createWhopEventHandler({ reconciler, store, log });
  const worker = createWhopEventWorker(workerRedis, handler, log.child({ component: 'whop-event-worker' }), {
    ...(overrides.backoffBaseMs ? { backoffBaseMs: overrides.backoffBaseMs } : {}),
  });
  const sweeps = await startSweeps(
    sweepRedis,
    sweeper,
    {
      companyIds: config.companyIds,
      initialLookbackMs: config.sweepInitialLookbackMs,
      ...(overrides.backoffBaseMs ? { backoffBaseMs: overrides.backoffBaseMs } : {}),
    },
    config.sweepIntervalMs,
    log.child({ component: 'sweep' }),
  );
  log.info('workers started');

  return {
    async close() {
      await relay.stop();
      await Promise.all([worker.close(), sweeps.close()]);
      await queue.close();
      await Promise.allSettled([commandRedis, relayRedis, workerRedis, sweepRedis].map((r) => r.quit()));
    },
  };
}
