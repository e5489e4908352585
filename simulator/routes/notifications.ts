import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { createNotification } from '../domain/notifications.js';
import type { SimEnv } from '../http/types.js';
import { assertCompanyAccess, readJson } from './common.js';

export function registerNotificationRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.post('/notifications', async (c) => {
    const body = await readJson(c);
    const companyId = (body as { company_id?: unknown } | undefined)?.company_id;
    if (typeof companyId === 'string') assertCompanyAccess(c, companyId);
    createNotification(sim, body);
    return c.json({ success: true });
  });
}
