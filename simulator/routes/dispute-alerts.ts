import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { paginate, parseListParams } from '../http/pagination.js';
import type { SimEnv } from '../http/types.js';
import { serializeDisputeAlert, serializeDisputeAlertListItem } from '../serializers.js';
import { findForRead, inCreatedRange, requiredCompany, visibleInLists } from './common.js';

export function registerDisputeAlertRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.get('/dispute_alerts', (c) => {
    const companyId = requiredCompany(c, sim);
    const params = parseListParams(c, sim.config);
    const items = [...sim.state.disputeAlerts.values()].filter(
      (a) => a.company_id === companyId && inCreatedRange(c, a) && visibleInLists(sim, a),
    );
    return c.json(paginate(items, params, sim.config, (a) => serializeDisputeAlertListItem(sim, a)));
  });

  api.get('/dispute_alerts/:id', (c) => {
    const a = findForRead(c, sim, sim.state.disputeAlerts, c.req.param('id'), 'Dispute alert');
    return c.json(serializeDisputeAlert(sim, a));
  });
}
