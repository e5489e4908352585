import type { Job } from 'bullmq';
import { AccessEventStore } from '../src/access-events/access-event-store.js';
import { AlertDispatcher } from '../src/alerts/alert-dispatcher.js';
import { alertPolicyLookup } from '../src/alerts/alert-routing.js';
import { AlertStore } from '../src/alerts/alert-store.js';
import { createAlertsQueue, scheduleDigest } from '../src/alerts/alerts-queue.js';
import { channelsFromConfig } from '../src/alerts/channels/index.js';
import type { Config } from '../src/config/env.js';
import { EvidenceAutopilot } from '../src/evidence/evidence-autopilot.js';
import { createEvidenceQueue, scheduleSubmission } from '../src/evidence/evidence-queue.js';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { EMPTY_POLICY, loadPolicyFile } from '../src/evidence/policy.js';
import type { Logger } from '../src/logger/logger.js';
import { CaseReconciler } from '../src/reconcile/case-reconciler.js';
import { Sweeper } from '../src/reconcile/sweep.js';
import { createWhopEventsQueue } from '../src/reconcile/whop-events-queue.js';
import { createWorkerRedis } from '../src/redis/connection.js';
import { CaseStore } from '../src/store/case-store.js';
import { RateLimiter } from '../src/whop/rate-limiter.js';
import { createWhopClient } from '../src/whop/whop-client.js';
import { createAlertsWorker, createCaseEventsToAlertsRelay } from './alerts-worker.js';
import { createCaseEventsToEvidenceRelay, createEvidenceWorker } from './evidence-worker.js';

import { startSweeps } from './sweep-worker.js';
import { createWhopEventHandler } from './whop-event-handler.js';
import { createInboxRelay, createWhopEventWorker, type WhopEventHandler } from './whop-event-worker.js';

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
  // Built before anything starts: a partial email setup stops the process naming the missing variable.
  const channels = channelsFromConfig(config.alertChannels);
  const alertPolicies = alertPolicyLookup(policy);
  const redis = {
    alertsRelay: createWorkerRedis(config.redisUrl),
    alertsWorker: createWorkerRedis(config.redisUrl),
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

  // Case events, evidence, sweeps and failures → alerts.
  const alertsQueue = createAlertsQueue(redis.command);
  const dispatcher = new AlertDispatcher(
    {
      whop,
      store,
      evidence: new EvidenceStore(redis.command),
      queue: alertsQueue,
      alerts: new AlertStore(redis.command),
      log: log.child({ component: 'alerts' }),
    },
    {
      channels,
      alertPolicyFor: alertPolicies,
      reminderOffsetsMs: config.reminderOffsetsMs,
      rateThresholds: config.disputeRateThresholds,
    },
  );
  const alertsRelay = createCaseEventsToAlertsRelay(
    redis.alertsRelay,
    alertsQueue,
    log.child({ component: 'alerts-relay' }),
  );
  await alertsRelay.start();
  const alertsWorker = createAlertsWorker(
    redis.alertsWorker,
    dispatcher,
    log.child({ component: 'alerts' }),
    {
      ...backoff,
      lockDuration: config.jobLockMs,
    },
  );
  await scheduleDigest(alertsQueue, config.digestAt, config.timeZone);
  if (channels.length === 0) log.warn('no alert channel configured: alerts go to the log');
  const onFailedForGood = (queueName: string) => async (job: Job, err: Error) => {
    const data = job.data as { disputeId?: string; caseId?: string; event?: { data?: { id?: string } } };
    await dispatcher.onJobFailed({
      queue: queueName,
      jobId: job.id ?? '',
      jobName: job.name,
      attempts: job.attemptsMade,
      reason: err.message,
      ...((data.disputeId ?? data.caseId ?? data.event?.data?.id)
        ? { caseId: data.disputeId ?? data.caseId ?? data.event?.data?.id }
        : {}),
    });
  };

  // Webhooks → reconciliation.
  const queue = createWhopEventsQueue(redis.command);
  const relay = createInboxRelay(redis.inboxRelay, queue, log.child({ component: 'inbox-relay' }));
  await relay.start();
  const handler = overrides.handler ?? createWhopEventHandler({ reconciler, store, log });
  const worker = createWhopEventWorker(
    redis.eventWorker,
    handler,
    log.child({ component: 'whop-event-worker' }),
    { ...backoff, lockDuration: config.jobLockMs, onFailedForGood: onFailedForGood('whop-events') },
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
      onEvidence: (what, state) => dispatcher.onEvidence(what, state),
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
    (runId, caseIds) => dispatcher.onSweepRecovered(runId, caseIds),
  );
  log.info('workers started');

  return {
    async close() {
      await Promise.all([relay.stop(), evidenceRelay.stop(), alertsRelay.stop()]);
      await Promise.all([worker.close(), evidenceWorker.close(), alertsWorker.close(), sweeps.close()]);
      await Promise.all([queue.close(), evidenceQueue.close(), alertsQueue.close()]);
      await Promise.all(channels.map((c) => (c.channel as { close?: () => Promise<void> }).close?.()));
      await Promise.allSettled(Object.values(redis).map((r) => r.quit()));
    },
  };
}
