import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { CASE_STATUSES } from '../domain/resolution-cases.js';
import { paginate, parseListParams } from '../http/pagination.js';
import type { SimEnv } from '../http/types.js';
import { serializeCase, serializeCaseListItem } from '../serializers.js';
import {
  canSee,
  findForRead,
  inCreatedRange,
  optionalCompany,
  queryEnumArray,
  visibleInLists,
} from './common.js';

export function registerResolutionCenterCaseRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.get('/resolution_center_cases', (c) => {
    const companyId = optionalCompany(c, sim);
    const statuses = queryEnumArray(c, 'statuses', CASE_STATUSES);
    const params = parseListParams(c, sim.config);
    const items = [...sim.state.cases.values()].filter((rc) => {
      if (companyId && rc.company_id !== companyId) return false;
      if (statuses && !statuses.includes(rc.status)) return false;
      return canSee(c, rc.company_id) && inCreatedRange(c, rc) && visibleInLists(sim, rc);
    });
    return c.json(paginate(items, params, sim.config, (rc) => serializeCaseListItem(sim, rc)));
  });

  api.get('/resolution_center_cases/:id', (c) => {
    const rc = findForRead(c, sim, sim.state.cases, c.req.param('id'), 'Resolution center case');
    return c.json(serializeCase(sim, rc));
  });
}
