import type { Redis } from 'ioredis';
import { AccessEventStore } from '../access-events/access-event-store.js';
import { AlertStore } from '../alerts/alert-store.js';
import { createAlertsQueue, queueRefundAlert } from '../alerts/alerts-queue.js';
import type { Config } from '../config/env.js';
import { DeadLetterStore } from '../dead-letters/dead-letter-store.js';
import { DoctorStore } from '../doctor/doctor-store.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { createEvidenceQueue } from '../evidence/evidence-queue.js';
import { evidenceRefresher } from '../evidence/evidence-refresh.js';
import { EvidenceStore } from '../evidence/evidence-store.js';
import { EventInbox } from '../intake/event-inbox.js';
import type { Logger } from '../logger/logger.js';
import { logErrors } from '../logger/throttled-errors.js';
import { countWhopCalls, createMetrics, type Metrics } from '../metrics/metrics.js';
import { registerQueueGauges } from '../metrics/queue-gauges.js';
import { createSweepQueue } from '../reconcile/sweep-queue.js';
import { createWhopEventsQueue } from '../reconcile/whop-events-queue.js';
import { RefundService } from '../refunds/refund-service.js';
import { RefundStore } from '../refunds/refund-store.js';
import { createRefundsQueue } from '../refunds/refunds-queue.js';
import { CaseStore } from '../store/case-store.js';
import { WebhookSignatureVerifier } from '../webhooks/verify-signature.js';
import { RateLimiter } from '../whop/rate-limiter.js';
import { createWhopClient } from '../whop/whop-client.js';
import { createApp } from './app.js';

/** Which alert channels the configuration turns on (the workers build and validate them). */
function configuredChannelNames(config: Config): string[] {
  const a = config.alertChannels;
  return [
    a.slackWebhookUrl && 'slack',
    a.discordWebhookUrl && 'discord',
    a.smtpUrl && a.emailFrom && a.emailTo && 'email',
    a.terminal && 'terminal',
  ].filter((x): x is string => Boolean(x));
}

/** What the process running the server adds to the configuration. */
export interface ComposeOptions {
  /** Where the server records; shared with the workers when one process runs both. Default: its own. */
  metrics?: Metrics;
  /** Accept single-use login links (`GET /login/<code>`, minted by the demo); off in production. */
  loginLinks?: boolean;
}

/**
 * The HTTP app with every dependency as the server process wires it, on the intake's fail-fast Redis
 * connection. `main.ts` serves it; tests call it to get exactly what production runs.
 */
export function composeApp(config: Config, logger: Logger, redis: Redis, options: ComposeOptions = {}) {
  const metrics = options.metrics ?? createMetrics();
  const evidence = new EvidenceStore(redis);
  const evidenceQueue = createEvidenceQueue(redis);
  const alertsQueue = createAlertsQueue(redis);
  const store = new CaseStore(redis);
  const refundDecisions = new RefundStore(redis, { lockMs: config.jobLockMs });
  // Refunds on request (the dashboard's button) and the health page's doctor read Whop.
  const whop = createWhopClient({
    apiKey: config.whopApiKey,
    baseURL: config.whopBaseUrl,
    limiter: new RateLimiter(redis, config.whopRateLimit),
    onCall: countWhopCalls(metrics),
  });
  // Refunds on request take the same path as the workers' auto-refunds.
  const refunds = new RefundService({
    whop,
    store: refundDecisions,
    cases: store,
    log: logger.child({ component: 'refunds' }),
    onRecorded: (record) => queueRefundAlert(alertsQueue, record),
    onOutcome: (outcome) => metrics.refunds.inc({ outcome }),
  });
  logErrors(evidenceQueue, logger, 'evidence queue');
  const alerts = new AlertStore(redis);
  const accessEvents = new AccessEventStore(redis, { retentionDays: config.accessLogRetentionDays });
  // The dashboard and the metrics show every queue; these handles only read (and queue "Submit evidence now").
  const queues = [
    createWhopEventsQueue(redis),
    evidenceQueue,
    createRefundsQueue(redis),
    alertsQueue,
    createSweepQueue(redis),
  ];
  // Read at scrape by the server only: every process would report the same depths.
  registerQueueGauges(metrics, queues, redis);
  const app = createApp({
    logger,
    metrics,
    metricsToken: config.metricsToken,
    verifier: new WebhookSignatureVerifier(config.webhookKeys),
    inbox: new EventInbox(redis, { onFlush: (s) => metrics.inboxFlushSeconds.observe(s) }),
    redis,
    alertChannels: configuredChannelNames(config),
    cases: {
      store,
      adminToken: config.adminToken,
      evidence,
      alerts,
      refundDecisions,
      refunds,
      deadLetters: new DeadLetterStore(redis),
    },
    accessEvents: {
      store: accessEvents,
      token: config.accessEventsToken,
      onStored: evidenceRefresher(evidence, evidenceQueue),
    },
    dashboard: {
      adminToken: config.adminToken,
      redis,
      store,
      evidence,
      alerts,
      accessEvents,
      evidenceQueue,
      queues,
      reminderOffsetsMs: config.reminderOffsetsMs,
      disputeRateMinPayments: config.disputeRateMinPayments,
      refunds,
      loginLinks: options.loginLinks ?? false,
      doctor: {
        run: () => runDoctor({ whop, redis, companyIds: config.companyIds }),
        store: new DoctorStore(redis),
      },
    },
  });
  return { app, metrics, close: async () => void (await Promise.all(queues.map((q) => q.close()))) };
}
