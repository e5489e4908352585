import { Counter, Histogram, Registry } from 'prom-client';
import { isHandledEventType } from '../webhooks/envelope.js';

/**
 * The `type` label of a webhook delivery: the event types the service acts on by name, anything else
 * `other`. Label values must be a bounded set: each new value is a new time series kept for the life of
 * the process, and a sender choosing the type (any signed event, or Whop adding types) would grow it
 * without end.
 */
export function webhookTypeLabel(type: string): string {
  return isHandledEventType(type) ? type : 'other';
}

/** One registry per process (and per test app), so tests never share counters. */
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
