import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { SimEnv } from '../http/types.js';
import { serializeUser } from '../serializers.js';
import { findForRead } from './common.js';

export function registerUserRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  // By `user_` tag or username; `me` needs a user token, not an API key.
  api.get('/users/:id', (c) => {
    const id = c.req.param('id');
    if (id === 'me') throw badRequest('`me` can only be used with a user token.', 'id');
    const user = sim.state.users.has(id)
      ? findForRead(c, sim, sim.state.users, id, 'User')
      : [...sim.state.users.values()].find((u) => u.username === id);
    if (!user) throw notFound('User', id);
    return c.json(serializeUser(user));
  });
}
