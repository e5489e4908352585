import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import type { SimEnv } from '../http/types.js';
import { serializeMembership } from '../serializers.js';
import { findForRead } from './common.js';

export function registerMembershipRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.get('/memberships/:id', (c) => {
    const m = findForRead(c, sim, sim.state.memberships, c.req.param('id'), 'Membership');
    return c.json(serializeMembership(sim, m));
  });
}
