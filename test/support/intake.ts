import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/env.js';
import { composeApp } from '../../src/http/compose-app.js';
import { createLogger, type Logger } from '../../src/logger/logger.js';
import { createIntakeRedis, waitUntilReady } from '../../src/redis/connection.js';
import { TEST_SECRET } from './signed-webhook.js';

/** A logger whose JSON lines the test can read, parsed (`lines`) and exactly as written (`text`). */
export function captureLogger(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const text: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        text.push(line);
        lines.push(JSON.parse(line));
      }
      cb();
    },
  });
  return { logger: createLogger(level, sink), lines, text };
}

/** The real HTTP app wired to a real Redis, exactly as `npm run start:server` composes it. */
export async function buildIntake(
  redisUrl: string,
  opts: {
    secrets?: string[];
    commandTimeoutMs?: number;
    env?: Record<string, string>;
    /** Log here instead of to `logLines` (which then stays empty). */
    logger?: Logger;
    /** Accept login links (`GET /login/<code>`), as the demo does. */
    loginLinks?: boolean;
  } = {},
) {
  const redis: Redis = createIntakeRedis(redisUrl, opts.commandTimeoutMs ?? 500);
  redis.on('error', () => {});
  const config = loadConfig({
    REDIS_URL: redisUrl,
    WHOP_API_KEY: 'whop_key_unused_by_the_server',
    WHOP_WEBHOOK_SECRET: (opts.secrets ?? [TEST_SECRET]).join(','),
    ...opts.env,
  });
  const captured = captureLogger();
  const lines = opts.logger ? [] : captured.lines;
  const composed = composeApp(config, opts.logger ?? captured.logger, redis, { loginLinks: opts.loginLinks });
  await waitUntilReady(redis, 5000);
  return {
    app: composed.app,
    redis,
    metrics: composed.metrics,
    logLines: lines,
    close: async () => {
      await composed.close();
      redis.disconnect();
    },
  };
}
