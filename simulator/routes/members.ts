import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import type { SimEnv } from '../http/types.js';
import { serializeMember } from '../serializers.js';
import { findForRead } from './common.js';

export function registerMemberRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.get('/members/:id', (c) => {
    const m = findForRead(c, sim, sim.state.members, c.req.param('id'), 'Member');
    return c.json(serializeMember(sim, m));
  });
}
