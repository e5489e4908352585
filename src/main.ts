import { existsSync } from 'node:fs';
import { startWorkers } from '../workers/index.js';
import { type Config, ConfigError, loadConfig } from './config/env.js';
import { startMetricsServer } from './http/metrics-server.js';
import { startServer } from './http/start-server.js';
import { createLogger } from './logger/logger.js';
import { secretsOf } from './logger/secrets.js';
import { routeConsoleToLog } from './logger/throttled-errors.js';
import { createMetrics } from './metrics/metrics.js';
import { PolicyError } from './policy/policy-error.js';
import { createIntakeRedis } from './redis/connection.js';
import { guardEviction } from './redis/eviction-guard.js';

type Role = 'all' | 'server' | 'worker';

async function main() {
  const role = (process.argv[2] ?? 'all') as Role;
  if (!['all', 'server', 'worker'].includes(role)) {
    console.error(`unknown role "${role}": use all, server or worker`);
    process.exit(2);
  }
  // A local .env is a convenience for running by hand; real deployments set the environment.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, undefined, { secrets: secretsOf(config) });
  // From here on every line is JSON, whatever a library prints.
  routeConsoleToLog(logger);
  await guardEviction({
    connect: () => createIntakeRedis(config.redisUrl),
    allow: config.allowRedisEviction,
    log: logger,
    refuse: (line) => {
      // Straight to stderr, like the other refusals at start: one plain line.
      process.stderr.write(`configuration error: ${line}\n`);
      logger.flush();
      process.exit(1);
    },
  });
  const closers: { close(): Promise<void> }[] = [];
  // One registry per process: with role `all` the server's /metrics also shows what the workers record.
  const metrics = createMetrics();
  if (role !== 'worker') closers.push(await startServer(config, logger, { metrics }));
  if (role !== 'server') {
    closers.push(await startWorkers(config, logger, { metrics }));
    const { metricsPort } = config;
    // A worker-only process serves its own metrics, when asked to.
    if (role === 'worker' && metricsPort !== undefined) {
      closers.push(await startMetricsServer(metrics, { ...config, metricsPort }, logger));
    }
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A hard stop if anything refuses to finish within the budget.
    setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5000).unref();
    for (const c of closers) await c.close();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  // A bad policy file is a configuration problem: one line naming it, like a bad variable. Written to
  // stderr directly: console is routed to the JSON log by then.
  if (err instanceof PolicyError || err instanceof ConfigError)
    process.stderr.write(`configuration error: ${err.message}\n`);
  else process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
