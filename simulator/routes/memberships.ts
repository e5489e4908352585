import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { cancelMembership } from '../domain/catalog.js';
import type { SimEnv } from '../http/types.js';
import { serializeMembership } from '../serializers.js';
import { findForRead, readJson } from './common.js';

export function registerMembershipRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.get('/memberships/:id', (c) => {
    const m = findForRead(c, sim, sim.state.memberships, c.req.param('id'), 'Membership');
    return c.json(serializeMembership(sim, m));
  });
  api.post('/memberships/:id/cancel', async (c) => {
    const m = findForRead(c, sim, sim.state.memberships, c.req.param('id'), 'Membership');
    return c.json(serializeMembership(sim, cancelMembership(sim, m.id, await readJson(c))));
  });
}
