import { Hono } from 'hono';
import type { Metrics } from '../../metrics/metrics.js';
import { bearerToken } from '../middleware/bearer-token/index.js';

export interface MetricsRouteDeps {
  metrics: Metrics;
  /** METRICS_TOKEN: when set, a scrape needs `Authorization: Bearer <token>` (401 `unauthorized` otherwise). */
  metricsToken?: string | undefined;
}

/**
 * `GET /metrics`: the process's Prometheus metrics in the text exposition format. Open when no
 * METRICS_TOKEN is configured (keep the port private then); served by the HTTP server and, with
 * METRICS_PORT, by a worker process (src/http/metrics-server.ts).
 */
export function metricsRoutes({ metrics, metricsToken }: MetricsRouteDeps) {
  const app = new Hono();
  if (metricsToken) app.use('/metrics', bearerToken(metricsToken, 'METRICS_TOKEN'));
  app.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });
  return app;
}
