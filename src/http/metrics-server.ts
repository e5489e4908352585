import { Hono } from 'hono';
import type { Config } from '../config/env.js';
import type { Logger } from '../logger/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { notFound, onError } from './error-answer.js';
import { metricsRoutes } from './routes/metrics.js';
import { startHttpServer } from './serve.js';

/**
 * A worker-only process's `GET /metrics` (and `/healthz`), on METRICS_PORT and HOST, behind
 * METRICS_TOKEN when set: what its workers record (job durations, Whop calls, alerts, sweep recoveries,
 * refunds) lives in that process. Queue depths are the server's to report.
 */
export async function startMetricsServer(
  metrics: Metrics,
  config: Pick<Config, 'host' | 'metricsToken'> & { metricsPort: number },
  logger: Logger,
): Promise<{ port: number; close(): Promise<void> }> {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/', metricsRoutes({ metrics, metricsToken: config.metricsToken }));
  app.notFound(notFound);
  app.onError(onError);
  const server = await startHttpServer(app, config.metricsPort, config.host);
  logger.info({ host: config.host, port: server.port }, 'worker metrics listening');
  return { port: server.port, close: () => server.close(1000) };
}
