import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { createApp } from '../../src/http/app.js';
import { EventInbox } from '../../src/intake/event-inbox.js';
import { createLogger } from '../../src/logger/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createIntakeRedis, waitUntilReady } from '../../src/redis/connection.js';
import { WebhookSignatureVerifier, webhookKeyFromSecret } from '../../src/webhooks/verify-signature.js';

/** A logger whose JSON lines the test can read. */
export function captureLogger(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

/** The real HTTP app wired to a real Redis, as `npm run start:server` wires it. */
export async function buildIntake(
  redisUrl: string,
  opts: { secrets?: string[]; commandTimeoutMs?: number } = {},
) {
  const redis: Redis = createIntakeRedis(redisUrl, opts.commandTimeoutMs ?? 500);
  redis.on('error', () => {});
  const metrics = createMetrics();
  const inbox = new EventInbox(redis);
  const verifier = new WebhookSignatureVerifier(
    (opts.secrets ?? ['ws_test_secret']).map(webhookKeyFromSecret),
  );
  const { logger, lines } = captureLogger();
  const app = createApp({ logger, metrics, verifier, inbox, redis });
  await waitUntilReady(redis, 5000);
  return {
    app,
    redis,
    metrics,
    logLines: lines,
    close: async () => {
      redis.disconnect();
    },
  };
}
