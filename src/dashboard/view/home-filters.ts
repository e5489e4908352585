import { z } from 'zod';
import { CASE_KINDS, type CaseKind, type CaseRecord, KIND_RULES } from '../../cases/case-record.js';
import { normalizeEmail } from '../../cases/customer-email.js';
import { decodeCursor, type ListCasesQuery } from '../../store/case-store.js';
import { isInquiry } from './case-labels.js';

/** The home page's "kind" choices: what a merchant means, not only the store's kinds. */
export const HOME_KINDS = {
  needs_you: 'Disputes, inquiries and cases',
  chargeback: 'Chargebacks',
  inquiry: 'Inquiries',
  resolution_case: 'Resolution cases',
  dispute_alert: 'Dispute alerts',
  refund: 'Refunds',
  all: 'Everything',
} as const;
export type HomeKind = keyof typeof HOME_KINDS;

/** Every status Whop uses for the kinds we keep, for the status filter. */
export const KNOWN_STATUSES: readonly string[] = [
  ...new Set([...CASE_KINDS.flatMap((k) => Object.keys(KIND_RULES[k].rank)), 'other']),
].sort();

/** Rows per page; and the most index entries one page looks at before it says "keep searching". */
export const PAGE_SIZE = 25;
export const MAX_SCAN = 2_000;

const schema = z.object({
  kind: z.enum(Object.keys(HOME_KINDS) as [HomeKind, ...HomeKind[]]).default('needs_you'),
  show: z.enum(['open', 'all']).default('open'),
  status: z.string().trim().max(64).optional(),
  company: z.string().trim().max(64).optional(),
  q: z.string().trim().max(320).optional(),
  cursor: z
    .string()
    .refine((c) => decodeCursor(c) !== undefined, 'is not a page link this dashboard made')
    .optional(),
});

export interface HomeFilters {
  kind: HomeKind;
  show: 'open' | 'all';
  status: string | null;
  company: string | null;
  /** The search as typed; `search` says how it is read. */
  q: string | null;
  search: { by: 'email'; email: string } | { by: 'id'; id: string } | null;
  cursor: string | null;
}

/**
 * Reads the home page's query string. Empty fields are unset (an HTML form sends them empty). Returns
 * the first problem as `error` (the field and why), for a 400 page.
 */
export function parseHomeQuery(query: Record<string, string>): { filters: HomeFilters } | { error: string } {
  const cleaned = Object.fromEntries(Object.entries(query).filter(([, v]) => v.trim() !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: `${String(issue.path[0])}: ${issue.message}` };
  }
  const p = parsed.data;
  const q = p.q || null;
  const email = q?.includes('@') ? normalizeEmail(q) : null;
  return {
    filters: {
      kind: p.kind,
      show: p.show,
      status: p.status || null,
      company: p.company || null,
      q,
      search: q === null ? null : email ? { by: 'email', email } : { by: 'id', id: q },
      cursor: p.cursor ?? null,
    },
  };
}

/** Whether a record is of the chosen home kind. */
export function matchesKind(kind: HomeKind, r: Pick<CaseRecord, 'kind' | 'status'>): boolean {
  switch (kind) {
    case 'needs_you':
      return r.kind === 'dispute' || r.kind === 'resolution_case';
    case 'chargeback':
      return r.kind === 'dispute' && !isInquiry(r);
    case 'inquiry':
      return isInquiry(r);
    case 'all':
      return true;
    default:
      return r.kind === kind;
  }
}

/** The store query for the filters (the search is answered separately, through its own lookups). */
export function storeQueryFor(f: HomeFilters): ListCasesQuery {
  const storeKind: CaseKind | undefined =
    f.kind === 'chargeback' || f.kind === 'inquiry'
      ? 'dispute'
      : f.kind === 'needs_you' || f.kind === 'all'
        ? undefined
        : f.kind;
  return {
    limit: PAGE_SIZE,
    maxScan: MAX_SCAN,
    openOnly: f.show === 'open',
    ...(storeKind ? { kind: storeKind } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.company ? { companyId: f.company } : {}),
    ...(f.kind === 'needs_you' || f.kind === 'chargeback' || f.kind === 'inquiry'
      ? { match: (r: CaseRecord) => matchesKind(f.kind, r) }
      : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
  };
}

/** Whether a record found by a search passes the other filters too. */
export function passesFilters(f: HomeFilters, r: CaseRecord): boolean {
  if (f.show === 'open' && !r.open) return false;
  if (f.status && r.status !== f.status) return false;
  if (f.company && r.companyId !== f.company) return false;
  return matchesKind(f.kind, r);
}

/** The query string for these filters with another cursor (or none: the first page). */
export function homeHref(f: HomeFilters, cursor: string | null): string {
  const params = new URLSearchParams();
  if (f.kind !== 'needs_you') params.set('kind', f.kind);
  if (f.show !== 'open') params.set('show', f.show);
  if (f.status) params.set('status', f.status);
  if (f.company) params.set('company', f.company);
  if (f.q) params.set('q', f.q);
  if (cursor) params.set('cursor', cursor);
  const qs = params.toString();
  return qs ? `/?${qs}` : '/';
}
