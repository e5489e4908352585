import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AccessEventStore } from '../../src/access-events/access-event-store.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import { webhookKeyFromSecret } from '../../src/config/webhook-secret.js';
import type { DashboardDeps } from '../../src/dashboard/dashboard-deps.js';
import type { EvidenceJob } from '../../src/evidence/evidence-queue.js';
import { EvidenceStore } from '../../src/evidence/evidence-store.js';
import { type App, createApp } from '../../src/http/app.js';
import { EventInbox } from '../../src/intake/event-inbox.js';
import { createLogger } from '../../src/logger/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { CaseStore } from '../../src/store/case-store.js';
import { WebhookSignatureVerifier } from '../../src/webhooks/verify-signature.js';
import { testSecret } from './signed-webhook.js';

/**
 * The real app factory with the read API and the dashboard on one Redis, for `app.request()` tests.
 * Failed logins are counted by the `x-test-ip` header, so tests can say which address a request is from.
 */
export function dashboardTestApp(
  redis: Redis,
  opts: {
    adminToken: string | undefined;
    evidenceQueue: Queue<EvidenceJob>;
    queues?: Queue[];
    extra?: Partial<DashboardDeps>;
  },
): App {
  return createApp({
    logger: createLogger('silent'),
    metrics: createMetrics(),
    verifier: new WebhookSignatureVerifier([webhookKeyFromSecret(testSecret('dashboard tests'))]),
    inbox: new EventInbox(redis),
    redis,
    cases: { store: new CaseStore(redis), adminToken: opts.adminToken, alerts: new AlertStore(redis) },
    dashboard: {
      adminToken: opts.adminToken,
      redis,
      store: new CaseStore(redis),
      evidence: new EvidenceStore(redis),
      alerts: new AlertStore(redis),
      accessEvents: new AccessEventStore(redis, { retentionDays: 30 }),
      evidenceQueue: opts.evidenceQueue,
      queues: opts.queues ?? [opts.evidenceQueue],
      reminderOffsetsMs: [72 * 3_600_000, 24 * 3_600_000, 6 * 3_600_000],
      clientIp: (c) => c.req.header('x-test-ip') ?? '192.0.2.1',
      ...opts.extra,
    },
  });
}
