import { Hono } from 'hono';
import type { AlertStore } from '../../alerts/alert-store.js';

export interface AlertRouteDeps {
  alerts: Pick<AlertStore, 'recent'>;
}

/**
 * `GET /api/alerts`, mounted at `/api` behind ADMIN_TOKEN: `{ sent, failed, uncertain }`, the newest 200
 * alert deliveries, the newest 200 that failed for good, and the newest 200 whose outcome is unknown (a
 * send that may or may not have arrived, never sent again: see README, "Delivery guarantees"), each
 * newest first (the store keeps 1,000 of each).
 */
export function alertRoutes({ alerts }: AlertRouteDeps) {
  const app = new Hono();
  app.get('/alerts', async (c) => {
    const [sent, failed, uncertain] = await Promise.all([
      alerts.recent('sent'),
      alerts.recent('failed'),
      alerts.recent('uncertain'),
    ]);
    return c.json({ sent, failed, uncertain });
  });
  return app;
}
