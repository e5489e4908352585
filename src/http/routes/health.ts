import { Hono } from 'hono';
import type { Redis } from 'ioredis';

export interface HealthRouteDeps {
  redis: Redis;
}

/** `/healthz`: the process answers. `/readyz`: it can also store events (Redis answers a PING). */
export function healthRoutes({ redis }: HealthRouteDeps) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await redis.ping();
      return c.json({ status: 'ready', redis: 'ok' });
    } catch (err) {
      return c.json({ status: 'not_ready', redis: (err as Error).message }, 503);
    }
  });
  return app;
}
