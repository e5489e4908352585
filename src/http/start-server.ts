import type { Config } from '../config/env.js';
import type { Logger } from '../logger/logger.js';
import { logErrors } from '../logger/throttled-errors.js';
import { createIntakeRedis, waitUntilReady } from '../redis/connection.js';
import { type ComposeOptions, composeApp } from './compose-app.js';
import { startHttpServer } from './serve.js';

/**
 * The HTTP server role: the app on its fail-fast Redis connection, bound to `config.host` and
 * `config.port`. Used by
 * `main.ts` and the demo, so both run exactly what production runs.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  options: ComposeOptions = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const redis = createIntakeRedis(config.redisUrl);
  logErrors(redis, logger, 'intake redis');
  const composed = composeApp(config, logger, redis, options);
  if (!(await waitUntilReady(redis, 5000))) logger.warn('redis not reachable yet; answering 503 until it is');
  const server = await startHttpServer(composed.app, config.port, config.host);
  logger.info({ host: config.host, port: server.port }, 'http server listening');
  return {
    port: server.port,
    async close() {
      await server.close(config.shutdownTimeoutMs);
      await composed.close();
      redis.disconnect();
    },
  };
}
