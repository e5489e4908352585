import type Whop from '@whop/sdk';
import type { Redis } from 'ioredis';
import { AccessEventStore } from '../src/access-events/access-event-store.js';
import { AlertDispatcher } from '../src/alerts/alert-dispatcher.js';
import { alertPolicyLookup } from '../src/alerts/alert-routing.js';
import { AlertStore } from '../src/alerts/alert-store.js';
import { createAlertsQueue, scheduleDigest } from '../src/alerts/alerts-queue.js';
import { channelsFromConfig, type NamedChannel } from '../src/alerts/channels/index.js';
import type { Config } from '../src/config/env.js';
import { EvidenceAutopilot, type EvidenceAutopilotOptions } from '../src/evidence/evidence-autopilot.js';
import { createEvidenceQueue, EVIDENCE_QUEUE, scheduleSubmission } from '../src/evidence/evidence-queue.js';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import type { Logger } from '../src/logger/logger.js';
import { logErrors } from '../src/logger/throttled-errors.js';
import { countWhopCalls, createMetrics, type Metrics } from '../src/metrics/metrics.js';
import { EMPTY_POLICY, loadPolicyFile, type Policy, policyNotices } from '../src/policy/policy-file.js';
import { resolvePolicy } from '../src/policy/resolve-policy.js';
import { CaseReconciler } from '../src/reconcile/case-reconciler.js';
import { Sweeper } from '../src/reconcile/sweep.js';
import { createWhopEventsQueue, WHOP_EVENTS_QUEUE } from '../src/reconcile/whop-events-queue.js';
import { createWorkerRedis } from '../src/redis/connection.js';
import type { RefundDecisionRecord } from '../src/refunds/refund-record.js';
import { RefundService } from '../src/refunds/refund-service.js';
import { RefundStore } from '../src/refunds/refund-store.js';
import { createRefundsQueue, REFUNDS_QUEUE } from '../src/refunds/refunds-queue.js';
import { CaseStore } from '../src/store/case-store.js';
import { RateLimiter } from '../src/whop/rate-limiter.js';
import { createWhopClient } from '../src/whop/whop-client.js';
import type { PermissionDenial } from '../src/whop/whop-errors.js';
import { alertOnFailedForGood, createAlertsWorker, createCaseEventsToAlertsRelay } from './alerts-worker.js';
import { createCaseEventsToEvidenceRelay, createEvidenceWorker } from './evidence-worker.js';
import type { JobWorkerOptions } from './job-worker.js';
import { promisedWorkCheck } from './promised-work.js';
import { createCaseEventsToRefundsRelay, createRefundsWorker } from './refunds-worker.js';
import type { DeadLetterHandler } from './stream-relay.js';
import { startSweeps } from './sweep-worker.js';
import { createWhopEventHandler } from './whop-event-handler.js';
import { createInboxRelay, createWhopEventWorker, type WhopEventHandler } from './whop-event-worker.js';

export interface RunningWorkers {
  /** What the workers record (job durations, Whop calls, alerts, sweep recoveries, refunds). */
  metrics: Metrics;
  /** Stops taking work, lets running jobs finish (bounded by the caller), closes Redis. */
  close(): Promise<void>;
}

export interface WorkerOverrides {
  /** Replaces the reconciling event handler (tests of the intake path count jobs with it). */
  handler?: WhopEventHandler;
  /** Retry pacing for Whop failures; tests shorten it. */
  backoffBaseMs?: number;
  /**
   * Where the workers record their metrics: the server's, when one process runs both (`all`, the demo,
   * tests); otherwise their own, served on METRICS_PORT by `main.ts`.
   */
  metrics?: Metrics;
}

/** What every pipeline is built from. */
interface Shared {
  config: Config;
  log: Logger;
  /** For queues and stores; every relay and worker gets a connection of its own (they block theirs). */
  command: Redis;
  whop: Whop;
  store: CaseStore;
  reconciler: CaseReconciler;
  metrics: Metrics;
  /** Job settings every pipeline's worker shares: backoff base (tests shorten it), lock duration. */
  jobs: Omit<JobWorkerOptions, 'onFailedForGood'>;
}

/**
 * A running pipeline: a queue, what feeds it, and the worker that drains it. Shutdown stops every
 * pipeline before closing any, since a job finishing in one may still queue work in another.
 */
interface Pipeline {
  /** Stops taking work and lets running jobs finish. */
  stop(): Promise<void>;
  /** Closes the queue and the pipeline's own connections. */
  close(): Promise<void>;
}

/**
 * Everything a worker process runs: the five pipelines, alerts first since the others report to it.
 * Any number of these processes may share one Redis.
 */
export async function startWorkers(
  config: Config,
  log: Logger,
  overrides: WorkerOverrides = {},
): Promise<RunningWorkers> {
  // Read before anything starts: a bad policy file stops the process with the file's error.
  const policy = config.policyFile ? loadPolicyFile(config.policyFile) : EMPTY_POLICY;
  for (const notice of policyNotices(policy)) log.warn(`policy file: ${notice}`);
  // Built before anything starts: a partial email setup stops the process naming the missing variable.
  const channels = channelsFromConfig(config.alertChannels);
  const shared = connectShared(config, log, overrides);
  const alerts = await startAlertsPipeline(shared, policy, channels);
  const { dispatcher } = alerts;
  const onDeadLetters: DeadLetterHandler = (batch) => dispatcher.onDeadLetters(batch);
  const pipelines: Pipeline[] = [
    alerts,
    await startReconcilePipeline(
      shared,
      overrides.handler ??
        createWhopEventHandler({ reconciler: shared.reconciler, store: shared.store, log }),
      alertOnFailedForGood(dispatcher, WHOP_EVENTS_QUEUE),
      onDeadLetters,
    ),
    await startRefundsPipeline(
      shared,
      policy,
      (record) => dispatcher.onRefund(record),
      alertOnFailedForGood(dispatcher, REFUNDS_QUEUE),
    ),
  ];
  const evidence = await startEvidencePipeline(
    shared,
    policy,
    (what, state) => dispatcher.onEvidence(what, state),
    alertOnFailedForGood(dispatcher, EVIDENCE_QUEUE),
    onDeadLetters,
  );
  pipelines.push(
    evidence,
    await startSweepPipeline(
      shared,
      (runId, caseIds) => {
        shared.metrics.sweepRecovered.inc(caseIds.length);
        return dispatcher.onSweepRecovered(runId, caseIds);
      },
      (denials) => dispatcher.onSweepRefused(denials),
      promisedWorkCheck({ store: shared.store, autopilot: evidence.autopilot, dispatcher, log }),
    ),
  );
  log.info('workers started');
  return {
    metrics: shared.metrics,
    async close() {
      await Promise.all(pipelines.map((p) => p.stop()));
      await Promise.all(pipelines.map((p) => p.close()));
      await quitAll([shared.command]);
    },
  };
}

function connectShared(config: Config, log: Logger, overrides: WorkerOverrides): Shared {
  const command = createWorkerRedis(config.redisUrl);
  logErrors(command, log, 'redis (commands)');
  const store = new CaseStore(command);
  const metrics = overrides.metrics ?? createMetrics();
  const whop = createWhopClient({
    apiKey: config.whopApiKey,
    baseURL: config.whopBaseUrl,
    limiter: new RateLimiter(command, config.whopRateLimit),
    onCall: countWhopCalls(metrics),
  });
  const reconciler = new CaseReconciler(whop, store, log.child({ component: 'reconciler' }));
  const backoff = overrides.backoffBaseMs ? { backoffBaseMs: overrides.backoffBaseMs } : {};
  return {
    config,
    log,
    command,
    whop,
    store,
    reconciler,
    metrics,
    jobs: {
      ...backoff,
      lockDuration: config.jobLockMs,
      observeJob: (queue, outcome, seconds) => metrics.jobSeconds.observe({ queue, outcome }, seconds),
    },
  };
}

/** Case events, evidence, sweeps and failed jobs → alerts, reminders and the digest → the channels. */
async function startAlertsPipeline(s: Shared, policy: Policy, channels: NamedChannel[]) {
  const [relayRedis, workerRedis] = [connect(s), connect(s)];
  const queue = createAlertsQueue(s.command);
  logErrors(queue, s.log, 'alerts queue');
  const log = s.log.child({ component: 'alerts' });
  const dispatcher = new AlertDispatcher(
    {
      whop: s.whop,
      store: s.store,
      evidence: new EvidenceStore(s.command),
      refunds: new RefundStore(s.command),
      alerts: new AlertStore(s.command),
      queue,
      log,
    },
    {
      channels,
      alertPolicyFor: alertPolicyLookup(policy),
      reminderOffsetsMs: s.config.reminderOffsetsMs,
      timeZone: s.config.timeZone,
      rateThresholds: s.config.disputeRateThresholds,
      rateMinPayments: s.config.disputeRateMinPayments,
      coalesceMs: s.config.alertCoalesceMs,
      onDelivery: (channel, outcome) => s.metrics.alertDeliveries.inc({ channel, outcome }),
    },
  );
  const relay = createCaseEventsToAlertsRelay(
    relayRedis,
    queue,
    s.log.child({ component: 'alerts-relay' }),
    s.config.jobLockMs,
    (batch) => dispatcher.onDeadLetters(batch),
  );
  await relay.start();
  const worker = createAlertsWorker(workerRedis, dispatcher, log, s.jobs);
  await scheduleDigest(queue, s.config.digestAt, s.config.timeZone);
  if (channels.length === 0) s.log.warn('no alert channel configured: alerts go to the log');
  const parts = pipeline(relay, worker, queue, [relayRedis, workerRedis]);
  return {
    dispatcher,
    stop: parts.stop,
    async close() {
      await parts.close();
      await Promise.all(channels.map((c) => (c.channel as { close?: () => Promise<void> }).close?.()));
    },
  };
}

/** Webhooks stored by the intake → the `whop-events` queue → reconciled against Whop into the case store. */
async function startReconcilePipeline(
  s: Shared,
  handler: WhopEventHandler,
  onFailedForGood: NonNullable<JobWorkerOptions['onFailedForGood']>,
  onDeadLetters: DeadLetterHandler,
): Promise<Pipeline> {
  const [relayRedis, workerRedis] = [connect(s), connect(s)];
  const queue = createWhopEventsQueue(s.command);
  logErrors(queue, s.log, 'whop-events queue');
  const relay = createInboxRelay(relayRedis, queue, s.log.child({ component: 'inbox-relay' }), {
    claimIdleMs: s.config.jobLockMs,
    onDeadLetters,
  });
  await relay.start();
  const worker = createWhopEventWorker(
    workerRedis,
    handler,
    s.log.child({ component: 'whop-event-worker' }),
    {
      ...s.jobs,
      onFailedForGood,
    },
  );
  return pipeline(relay, worker, queue, [relayRedis, workerRedis]);
}

/** Case events → the `evidence` queue → evidence staged (and submitted) in Whop, and case briefs. */
async function startEvidencePipeline(
  s: Shared,
  policy: Policy,
  onEvidence: NonNullable<EvidenceAutopilotOptions['onEvidence']>,
  onFailedForGood: NonNullable<JobWorkerOptions['onFailedForGood']>,
  onDeadLetters: DeadLetterHandler,
): Promise<Pipeline & { autopilot: EvidenceAutopilot }> {
  const [relayRedis, workerRedis] = [connect(s), connect(s)];
  const queue = createEvidenceQueue(s.command);
  logErrors(queue, s.log, 'evidence queue');
  const log = s.log.child({ component: 'evidence' });
  const autopilot = new EvidenceAutopilot(
    s.whop,
    new EvidenceStore(s.command, { lockMs: s.config.jobLockMs }),
    new AccessEventStore(s.command, { retentionDays: s.config.accessLogRetentionDays }),
    log,
    {
      defaultMode: s.config.autoSubmit,
      defaultLeadMs: s.config.submitLeadMs,
      policy,
      caseStrength: { minFightAmounts: s.config.minFightAmounts },
      scheduleSubmission: (disputeId, at, n) => scheduleSubmission(queue, disputeId, at, n),
      onEvidence,
    },
  );
  const relay = createCaseEventsToEvidenceRelay(
    relayRedis,
    queue,
    s.log.child({ component: 'evidence-relay' }),
    s.config.jobLockMs,
    onDeadLetters,
  );
  await relay.start();
  const worker = createEvidenceWorker(workerRedis, autopilot, log, { ...s.jobs, onFailedForGood });
  return { ...pipeline(relay, worker, queue, [relayRedis, workerRedis]), autopilot };
}

/** New dispute alerts → the `refunds` queue → decided by the company's rules, refunded exactly once. */
async function startRefundsPipeline(
  s: Shared,
  policy: Policy,
  onRecorded: (record: RefundDecisionRecord) => Promise<void>,
  onFailedForGood: NonNullable<JobWorkerOptions['onFailedForGood']>,
): Promise<Pipeline> {
  const [relayRedis, workerRedis] = [connect(s), connect(s)];
  const queue = createRefundsQueue(s.command);
  const log = s.log.child({ component: 'refunds' });
  const service = new RefundService({
    whop: s.whop,
    store: new RefundStore(s.command, { lockMs: s.config.jobLockMs }),
    cases: s.store,
    log,
    rulesFor: (companyId) => resolvePolicy(policy, companyId, null).dispute_alerts,
    onRecorded,
    onOutcome: (outcome) => s.metrics.refunds.inc({ outcome }),
  });
  const relay = createCaseEventsToRefundsRelay(
    relayRedis,
    queue,
    s.log.child({ component: 'refunds-relay' }),
  );
  await relay.start();
  const worker = createRefundsWorker(workerRedis, service, log, { ...s.jobs, onFailedForGood });
  return pipeline(relay, worker, queue, [relayRedis, workerRedis]);
}

/**
 * At start and every SWEEP_INTERVAL: what Whop never delivered, listed and reconciled; then every
 * promise in the store checked for its job (`afterSweep`).
 */
async function startSweepPipeline(
  s: Shared,
  onRecovered: (runId: string, caseIds: string[]) => Promise<void>,
  onRefused: (denials: PermissionDenial[]) => Promise<void>,
  afterSweep: () => Promise<Record<string, number>>,
): Promise<Pipeline> {
  const redis = connect(s);
  const log = s.log.child({ component: 'sweep' });
  const sweeper = new Sweeper(s.whop, s.store, s.reconciler, log);
  const sweepOptions = {
    companyIds: s.config.companyIds,
    initialLookbackMs: s.config.sweepInitialLookbackMs,
    ...(s.jobs.backoffBaseMs ? { backoffBaseMs: s.jobs.backoffBaseMs } : {}),
  };
  const sweeps = await startSweeps(
    redis,
    sweeper,
    sweepOptions,
    s.config.sweepIntervalMs,
    log,
    onRecovered,
    onRefused,
    afterSweep,
    // Twice a job's: a sweep runs longer (60 s by default).
    2 * s.config.jobLockMs,
    s.jobs.observeJob,
  );
  return { stop: () => sweeps.close(), close: () => quitAll([redis]) };
}

/** A connection of a pipeline's own; its errors (every reconnect attempt in an outage) are logged throttled. */
function connect(s: Shared): Redis {
  const redis = createWorkerRedis(s.config.redisUrl);
  logErrors(redis, s.log, 'redis');
  return redis;
}

function pipeline(
  relay: { stop(): Promise<void> },
  worker: { close(): Promise<void> },
  queue: { close(): Promise<void> },
  connections: Redis[],
): Pipeline {
  return {
    async stop() {
      await relay.stop();
      await worker.close();
    },
    async close() {
      await queue.close();
      await quitAll(connections);
    },
  };
}

async function quitAll(connections: Redis[]): Promise<void> {
  await Promise.allSettled(connections.map((r) => r.quit()));
}
