import { AccessEventStore } from '../src/access-events/access-event-store.js';
import { EvidenceAutopilot } from '../src/autopilot/evidence-autopilot.js';
import type { Config } from '../src/config/env.js';
import { EMPTY_POLICY, loadPolicyFile } from '../src/evidence/policy.js';
import type { Logger } from '../src/logger/logger.js';
import { createEvidenceQueue, scheduleSubmission } from '../src/queue/evidence-queue.js';
import { createWhopEventsQueue } from '../src/queue/whop-events-queue.js';
import { CaseReconciler } from '../src/reconcile/case-reconciler.js';
import { Sweeper } from '../src/reconcile/sweep.js';
import { createWorkerRedis } from '../src/redis/connection.js';
import { CaseStore } from '../src/store/case-store.js';
import { EvidenceStore } from '../src/store/evidence-store.js';
import { RateLimiter } from '../src/whop/rate-limiter.js';
import { createWhopClient } from '../src/whop/whop-client.js';
import { createCaseEventsToEvidenceRelay, createEvidenceWorker } from './evidence-worker.js';
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
  // Read before anything starts: a bad policy file stops the process with the file's error.
  const policy = config.policyFile ? loadPolicyFile(config.policyFile) : EMPTY_POLICY;
  const redis = {
    command: createWorkerRedis(config.redisUrl),
    inboxRelay: createWorkerRedis(config.redisUrl),
    eventWorker: createWorkerRedis(config.redisUrl),
    sweep: createWorkerRedis(config.redisUrl),
    evidenceRelay: createWorkerRedis(config.redisUrl),
    evidenceWorker: createWorkerRedis(config.redisUrl),
  };
  const backoff = overrides.backoffBaseMs ? { backoffBaseMs: overrides.backoffBaseMs } : {};

  const store = new CaseStore(redis.command);
  const whop = createWhopClient({
    apiKey: config.whopApiKey,
    baseURL: config.whopBaseUrl,
    limiter: new RateLimiter(redis.command, config.whopRateLimit),
  });
  const reconciler = new CaseReconciler(whop, store, log.child({ component: 'reconciler' }));
  const sweeper = new Sweeper(whop, store, reconciler, log.child({ component: 'sweep' }));

  // Webhooks → reconciliation.
  const queue = createWhopEventsQueue(redis.command);
  const relay = createInboxRelay(redis.inboxRelay, queue, log.child({ component: 'inbox-relay' }));
  await relay.start();
  const handler = overrides.handler ?? createWhopEventHandler({ reconciler, store, log });
  const worker = createWhopEventWorker(
    redis.eventWorker,
    handler,
    log.child({ component: 'whop-event-worker' }),
    { ...backoff, lockDuration: config.jobLockMs },
  );

  // Case events → evidence and case briefs.
  const evidenceQueue = createEvidenceQueue(redis.command);
  const autopilot = new EvidenceAutopilot(
    whop,
    new EvidenceStore(redis.command, { lockMs: config.jobLockMs }),
    new AccessEventStore(redis.command, { retentionDays: config.accessLogRetentionDays }),
    log.child({ component: 'evidence' }),
    {
      defaultMode: config.autoSubmit,
      defaultLeadMs: config.submitLeadMs,
      policy,
      scheduleSubmission: (disputeId, at) => scheduleSubmission(evidenceQueue, disputeId, at),
    },
  );
  const evidenceRelay = createCaseEventsToEvidenceRelay(
    redis.evidenceRelay,
    evidenceQueue,
    log.child({ component: 'evidence-relay' }),
  );
  await evidenceRelay.start();
  const evidenceWorker = createEvidenceWorker(
    redis.evidenceWorker,
    autopilot,
    log.child({ component: 'evidence' }),
    {
      ...backoff,
      lockDuration: config.jobLockMs,
    },
  );

  const sweeps = await startSweeps(
    redis.sweep,
    sweeper,
    { companyIds: config.companyIds, initialLookbackMs: config.sweepInitialLookbackMs, ...backoff },
    config.sweepIntervalMs,
    log.child({ component: 'sweep' }),
  );
  log.info('workers started');

  return {
    async close() {
      await Promise.all([relay.stop(), evidenceRelay.stop()]);
      await Promise.all([worker.close(), evidenceWorker.close(), sweeps.close()]);
      await Promise.all([queue.close(), evidenceQueue.close()]);
      await Promise.allSettled(Object.values(redis).map((r) => r.quit()));
    },
  };
}
