import { Hono } from 'hono';
import type { AlertStore } from '../../alerts/alert-store.js';

export interface AlertRouteDeps {
  alerts: Pick<AlertStore, 'recent'>;
}

/**
 * `GET /api/alerts`, mounted at `/api` behind ADMIN_TOKEN: `{ sent, failed }`, the newest 200 alert
 * deliveries and the newest 200 that failed for good, newest first (the store keeps 1,000 of each).
 */
export function alertRoutes({ alerts }: AlertRouteDeps) {
  const app = new Hono();
  app.get('/alerts', async (c) => {
    const [sent, failed] = await Promise.all([alerts.recent('sent'), alerts.recent('failed')]);
    return c.json({ sent, failed });
  });
  return app;
}
