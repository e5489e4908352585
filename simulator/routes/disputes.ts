import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { submitEvidence, updateEvidence } from '../domain/disputes.js';
import { paginate, parseListParams } from '../http/pagination.js';
import type { SimEnv } from '../http/types.js';
import { serializeDispute, serializeDisputeListItem } from '../serializers.js';
import { findForRead, inCreatedRange, readJson, requiredCompany, visibleInLists } from './common.js';

export function registerDisputeRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  // DisputeListParams has no status filter: company_id, created_after/before, direction, first/last, after/before.
  api.get('/disputes', (c) => {
    const companyId = requiredCompany(c, sim);
    const params = parseListParams(c, sim.config);
    const items = [...sim.state.disputes.values()].filter(
      (d) => d.company_id === companyId && inCreatedRange(c, d) && visibleInLists(sim, d),
    );
    return c.json(paginate(items, params, sim.config, (d) => serializeDisputeListItem(sim, d)));
  });

  api.get('/disputes/:id', (c) => {
    const d = findForRead(c, sim, sim.state.disputes, c.req.param('id'), 'Dispute');
    return c.json(serializeDispute(sim, d));
  });

  api.post('/disputes/:id/update_evidence', async (c) => {
    const d = findForRead(c, sim, sim.state.disputes, c.req.param('id'), 'Dispute');
    const body = await readJson(c);
    return c.json(serializeDispute(sim, updateEvidence(sim, d.id, body)));
  });

  api.post('/disputes/:id/submit_evidence', (c) => {
    const d = findForRead(c, sim, sim.state.disputes, c.req.param('id'), 'Dispute');
    return c.json(serializeDispute(sim, submitEvidence(sim, d.id)));
  });
}
