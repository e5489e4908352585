import { Hono } from 'hono';
import type { Redis } from 'ioredis';
import type { DeadLetterStore } from '../../dead-letters/dead-letter-store.js';
import { probeWrite } from '../../redis/redis-checks.js';

export interface HealthRouteDeps {
  redis: Redis;
  /** The alert channels the configuration turns on; none means alerts only reach the log. */
  alertChannels?: string[];
  /** Counted in the answer: events set aside that nobody acted on. */
  deadLetters?: Pick<DeadLetterStore, 'counts'> | undefined;
}

/**
 * `/healthz`: the process answers. `/readyz`: it can also store events — Redis takes a write (one `SET`
 * of a fixed 10-second key: a Redis that answers PING but is full, or read-only, takes no webhook), 503
 * with Redis's reason otherwise. When ready it also counts the dead letters (`dead_letters`; see
 * `GET /api/dead-letters`). Two round trips, nothing that grows with the data.
 */
export function healthRoutes({ redis, alertChannels = [], deadLetters }: HealthRouteDeps) {
  const alerts = alertChannels.length ? alertChannels : 'log only: no alert channel configured';
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const problem = await probeWrite(redis);
    if (problem) return c.json({ status: 'not_ready', redis: problem, alerts }, 503);
    const dead = await deadLetters?.counts().catch(() => undefined);
    return c.json({ status: 'ready', redis: 'ok', alerts, ...(dead ? { dead_letters: dead.total } : {}) });
  });
  return app;
}
