import { Hono } from 'hono';
import type { CaseStore } from '../../store/case-store.js';

export interface AlertRouteDeps {
  store: Pick<CaseStore, 'recentAlerts'>;
}

/**
 * `GET /api/alerts`, mounted at `/api` behind ADMIN_TOKEN: `{ sent, failed }`, the newest 200 alert
 * deliveries and the newest 200 that failed for good, newest first (the store keeps 1,000 of each).
 */
export function alertRoutes({ store }: AlertRouteDeps) {
  const app = new Hono();
  app.get('/alerts', async (c) => {
    const [sent, failed] = await Promise.all([store.recentAlerts('sent'), store.recentAlerts('failed')]);
    return c.json({ sent, failed });
  });
  return app;
}
