import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { paginate, parseListParams } from '../http/pagination.js';
import type { SimEnv } from '../http/types.js';
import { serializeRefund, serializeRefundListItem } from '../serializers.js';
import { canSee, findForRead, inCreatedRange, optionalCompany, visibleInLists } from './common.js';

export function registerRefundRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.get('/refunds', (c) => {
    const companyId = optionalCompany(c, sim);
    const paymentId = c.req.query('payment_id') || null;
    const userId = c.req.query('user_id') || null;
    const params = parseListParams(c, sim.config);
    const items = [...sim.state.refunds.values()].filter((r) => {
      if (companyId && r.company_id !== companyId) return false;
      if (paymentId && r.payment_id !== paymentId) return false;
      if (userId && sim.state.payments.get(r.payment_id)?.user_id !== userId) return false;
      return canSee(c, r.company_id) && inCreatedRange(c, r) && visibleInLists(sim, r);
    });
    return c.json(paginate(items, params, sim.config, (r) => serializeRefundListItem(sim, r)));
  });

  api.get('/refunds/:id', (c) => {
    const r = findForRead(c, sim, sim.state.refunds, c.req.param('id'), 'Refund');
    return c.json(serializeRefund(sim, r));
  });
}
