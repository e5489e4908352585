import type { Context } from 'hono';
import type { SimContext } from '../context.js';
import { badRequest, forbidden, invalidParam, missingParam, notFound } from '../errors.js';
import type { SimEnv } from '../http/types.js';
import type { BaseRecord } from '../state.js';

export type Ctx = Context<SimEnv>;

export async function readJson(c: Ctx): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Request body is not valid JSON.');
  }
}

/** `statuses[]=a&statuses[]=b` (the SDK's bracket format), also accepting `statuses=a`. */
export function queryArray(c: Ctx, name: string): string[] | null {
  const values = [...(c.req.queries(`${name}[]`) ?? []), ...(c.req.queries(name) ?? [])].filter(
    (v) => v !== '',
  );
  return values.length ? values : null;
}

export function queryEnumArray<T extends string>(c: Ctx, name: string, allowed: readonly T[]): T[] | null {
  const values = queryArray(c, name);
  if (!values) return null;
  for (const v of values)
    if (!allowed.includes(v as T)) throw invalidParam(name, `Invalid value for ${name}: ${v}`);
  return values as T[];
}

export function queryDate(c: Ctx, name: string): number | null {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw invalidParam(name, `${name} must be an ISO 8601 date-time.`);
  return ms;
}

/** created_after / created_before are exclusive bounds. */
export function inCreatedRange(c: Ctx, r: BaseRecord): boolean {
  return inRange(Date.parse(r.created_at), queryDate(c, 'created_after'), queryDate(c, 'created_before'));
}

export function inRange(ms: number, after: number | null, before: number | null): boolean {
  return (after === null || ms > after) && (before === null || ms < before);
}

export function assertCompanyAccess(c: Ctx, companyId: string): void {
  const scope = c.get('companyScope');
  if (scope && !scope.has(companyId)) {
    throw forbidden(`This API key does not have access to company ${companyId}.`);
  }
}

/** A required `company_id` query parameter naming a company this key can see. */
export function requiredCompany(c: Ctx, sim: SimContext): string {
  const id = c.req.query('company_id');
  if (!id) throw missingParam('company_id');
  return optionalCompany(c, sim) as string;
}

export function optionalCompany(c: Ctx, sim: SimContext): string | null {
  const id = c.req.query('company_id');
  if (!id) return null;
  if (!sim.state.companies.has(id)) throw notFound('Company', id, 'company_id');
  assertCompanyAccess(c, id);
  return id;
}

/** True if the API key can see objects of this company (lists filter on it). */
export function canSee(c: Ctx, companyId: string): boolean {
  const scope = c.get('companyScope');
  return !scope || scope.has(companyId);
}

/** Read-after-write lag: a just-created object is not visible to lists yet (if configured). */
export function visibleInLists(sim: SimContext, r: BaseRecord): boolean {
  return !(sim.faults.current.readLagAffectsLists && sim.faults.isLagging(r.createdRealMs));
}

/** Looks an object up for a retrieve/action route: 404 if unknown or still lagging, 403 if out of scope. */
export function findForRead<T extends BaseRecord & { company_id?: string | null }>(
  c: Ctx,
  sim: SimContext,
  table: Map<string, T>,
  id: string,
  what: string,
): T {
  const rec = table.get(id);
  if (!rec) throw notFound(what, id);
  if (sim.faults.isLagging(rec.createdRealMs)) {
    c.set('fault', 'read_lag');
    throw notFound(what, id);
  }
  if (rec.company_id) assertCompanyAccess(c, rec.company_id);
  return rec;
}
