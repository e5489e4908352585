import { Counter, Histogram, Registry } from 'prom-client';
import { isHandledEventType } from '../webhooks/envelope.js';
import type { WhopCallObservation } from '../whop/whop-client.js';

/**
 * The `type` label of a webhook delivery: the event types the service acts on by name, anything else
 * `other`. Label values must be a bounded set: each new value is a new time series kept for the life of
 * the process, and a sender choosing the type (any signed event, or Whop adding types) would grow it
 * without end.
 */
export function webhookTypeLabel(type: string): string {
  return isHandledEventType(type) ? type : 'other';
}

/** Seconds: from a Redis round trip (ms) to a sweep of a large account (minutes). */
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
/** Seconds: Whop answers in tens to hundreds of ms; the client gives up at 30 s. */
const WHOP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Every metric one process records, in one registry per process (and per test app, so tests never
 * share counters). Which process records which is in the README (Operations → Metrics): the server
 * records webhooks and reads the queues at scrape (queue-gauges.ts); workers record jobs, alerts, the
 * sweep and refunds; both record the Whop calls they make. Every label has a bounded set of values.
 */
export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    webhooksReceived: new Counter({
      name: 'dispute_autopilot_webhooks_received_total',
      help: 'Webhook deliveries by outcome (accepted, duplicate, ignored, rejected reasons, unavailable) and type (handled types by name, else other)',
      labelNames: ['outcome', 'type'] as const,
      registers: [registry],
    }),
    inboxFlushSeconds: new Histogram({
      name: 'dispute_autopilot_inbox_flush_seconds',
      help: 'Time for one batched Redis round trip that stores webhook events',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 2],
      registers: [registry],
    }),
    jobSeconds: new Histogram({
      name: 'dispute_autopilot_job_duration_seconds',
      help: 'Time a worker spent on one job attempt, by queue and outcome (completed; delayed: put back on purpose, e.g. lock busy; failed: an error, retried or for good)',
      labelNames: ['queue', 'outcome'] as const,
      buckets: JOB_BUCKETS,
      registers: [registry],
    }),
    whopRequests: new Counter({
      name: 'dispute_autopilot_whop_requests_total',
      help: 'HTTP calls to the Whop API by route template (GET /disputes/:id) and status (the HTTP status, or error when no answer came)',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    whopRequestSeconds: new Histogram({
      name: 'dispute_autopilot_whop_request_duration_seconds',
      help: 'Time from sending a Whop API call to its response headers (or its failure), by route template',
      labelNames: ['route'] as const,
      buckets: WHOP_BUCKETS,
      registers: [registry],
    }),
    alertDeliveries: new Counter({
      name: 'dispute_autopilot_alert_deliveries_total',
      help: 'Alert deliveries by channel (slack, discord, email, terminal, log) and outcome (sent; failed: for good; uncertain: may have arrived, not sent again)',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    sweepRecovered: new Counter({
      name: 'dispute_autopilot_sweep_recovered_total',
      help: 'Cases the sweep recovered: changes Whop never delivered by webhook, found by listing',
      registers: [registry],
    }),
    refunds: new Counter({
      name: 'dispute_autopilot_refunds_total',
      help: 'Refund attempts settled, by outcome (refunded, found_refunded, failed, refused, not_refunded)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The Whop client's `onCall` that counts each call in `metrics`. */
export function countWhopCalls(metrics: Metrics): (call: WhopCallObservation) => void {
  return ({ route, status, seconds }) => {
    metrics.whopRequests.inc({ route, status });
    metrics.whopRequestSeconds.observe({ route }, seconds);
  };
}
