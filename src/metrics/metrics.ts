import { Counter, Histogram, Registry } from 'prom-client';

/** One registry per process (and per test app), so tests never share counters. */
export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    webhooksReceived: new Counter({
      name: 'dispute_autopilot_webhooks_received_total',
      help: 'Webhook deliveries by outcome (accepted, duplicate, ignored, rejected reasons, unavailable) and type',
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
