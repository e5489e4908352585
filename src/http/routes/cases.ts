import { Hono } from 'hono';
import { z } from 'zod';
import { CASE_KINDS } from '../../cases/case-record.js';
import { HttpError } from '../../errors/http-error.js';
import type { EvidenceStore } from '../../evidence/evidence-store.js';
import { alertDecisionId } from '../../refunds/refund-record.js';
import type { RefundStore } from '../../refunds/refund-store.js';
import { type CaseStore, decodeCursor } from '../../store/case-store.js';

export interface CaseRouteDeps {
  store: CaseStore;
  /** Guards all of `/api` (see app.ts), not only these routes. */
  adminToken: string | undefined;
  /** Evidence drafts, what was staged and submitted, and case briefs. */
  evidence?: EvidenceStore;
  /** Refund decisions: a dispute alert's `refund` section. */
  refundDecisions?: RefundStore;
}

const listQuery = z.object({
  kind: z.enum(CASE_KINDS as [string, ...string[]]).optional(),
  status: z.string().min(1).max(64).optional(),
  company_id: z.string().min(1).max(64).optional(),
  open: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .refine((c) => decodeCursor(c) !== undefined, 'must be a next_cursor from a previous page')
    .optional(),
});

/**
 * The merchant's read API: `GET /api/cases` and `GET /api/cases/:id`, mounted at `/api` behind
 * ADMIN_TOKEN. Throws HttpError `invalid_query` (400, naming the first bad parameter) and `not_found`.
 */
export function caseRoutes({ store, evidence, refundDecisions }: CaseRouteDeps) {
  const app = new Hono();

  app.get('/cases', async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpError('invalid_query', `${String(issue.path[0])}: ${issue.message}`);
    }
    const q = parsed.data;
    const page = await store.list({
      ...(q.kind ? { kind: q.kind as (typeof CASE_KINDS)[number] } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.company_id ? { companyId: q.company_id } : {}),
      openOnly: q.open === 'true',
      limit: q.limit,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    return c.json({ data: page.items.map(summary), next_cursor: page.nextCursor });
  });

  app.get('/cases/:id', async (c) => {
    const id = c.req.param('id');
    const record = await store.get(id);
    if (!record) throw new HttpError('not_found', `no case ${id}`);
    const [timeline, evidenceState, brief, refund] = await Promise.all([
      store.timeline(id),
      record.kind === 'dispute' ? evidence?.get(id) : undefined,
      record.kind === 'resolution_case' ? evidence?.getBrief(id) : undefined,
      record.kind === 'dispute_alert' ? refundDecisions?.get(alertDecisionId(id)) : undefined,
    ]);
    return c.json({
      data: record,
      timeline,
      ...(record.kind === 'dispute' ? { evidence: evidenceState ?? null } : {}),
      ...(record.kind === 'resolution_case' ? { brief: brief ?? null } : {}),
      // What the auto-refund rules decided and did; null until the refund worker has decided.
      ...(record.kind === 'dispute_alert' ? { refund: refund ?? null } : {}),
    });
  });

  return app;
}

/** A list row: the record without the full Whop object, which `GET /api/cases/:id` returns. */
function summary(r: Awaited<ReturnType<CaseStore['get']>> & object) {
  const { whop: _whop, ...rest } = r;
  return rest;
}
