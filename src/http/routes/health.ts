import { Hono } from 'hono';
import type { Redis } from 'ioredis';

export interface HealthRouteDeps {
  redis: Redis;
  /** The alert channels the configuration turns on; none means alerts only reach the log. */
  alertChannels?: string[];
}

/** `/healthz`: the process answers. `/readyz`: it can also store events (Redis answers a PING). */
export function healthRoutes({ redis, alertChannels = [] }: HealthRouteDeps) {
  const alerts = alertChannels.length ? alertChannels : 'log only: no alert channel configured';
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await redis.ping();
      return c.json({ status: 'ready', redis: 'ok', alerts });
    } catch (err) {
      return c.json({ status: 'not_ready', redis: (err as Error).message, alerts }, 503);
    }
  });
  return app;
}
