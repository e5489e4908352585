import type { FriendlyReceiptStatus, ReceiptStatus } from '@whop/sdk/resources/shared';
import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { derivePayment } from '../domain/payment-status.js';
import { createRefund } from '../domain/refunds.js';
import { badRequest, invalidParam } from '../errors.js';
import { paginate, parseListParams } from '../http/pagination.js';
import { hasPermission } from '../http/permissions.js';
import type { SimEnv } from '../http/types.js';
import { serializePayment, serializePaymentListItem } from '../serializers.js';
import type { PaymentRecord, SimState } from '../state.js';
import {
  canSee,
  findForRead,
  inCreatedRange,
  inRange,
  optionalCompany,
  queryArray,
  queryDate,
  queryEnumArray,
  readJson,
  visibleInLists,
} from './common.js';

const RECEIPT_STATUSES: readonly ReceiptStatus[] = [
  'draft',
  'open',
  'paid',
  'pending',
  'uncollectible',
  'unresolved',
  'void',
];

/** @whop/sdk 0.0.42 `FriendlyReceiptStatus` (shared.ts): what `substatuses[]` accepts. */
const SUBSTATUSES: readonly FriendlyReceiptStatus[] = [
  'succeeded',
  'pending',
  'failed',
  'past_due',
  'canceled',
  'price_too_low',
  'uncollectible',
  'refunded',
  'auto_refunded',
  'partially_refunded',
  'dispute_warning',
  'dispute_needs_response',
  'dispute_warning_needs_response',
  'resolution_needs_response',
  'dispute_under_review',
  'dispute_warning_under_review',
  'resolution_under_review',
  'dispute_won',
  'dispute_warning_closed',
  'resolution_won',
  'dispute_lost',
  'dispute_closed',
  'resolution_lost',
  'drafted',
  'incomplete',
  'unresolved',
  'open_dispute',
  'open_resolution',
];

/**
 * `query`: "Search payments by user ID, membership ID, user email, name, or username. Email filtering
 * requires the member:email:read permission." (payments.ts `PaymentListParams.query`). How a term
 * matches is not documented; the strict side is taken: ids match exactly, email, username and name
 * match whole and case-insensitively (no partial or fuzzy match). A payment id is not searched.
 */
function matchesQuery(state: SimState, p: PaymentRecord, query: string, canReadEmail: boolean): boolean {
  const term = query.trim();
  if (!term) return true;
  if (p.user_id === term || p.membership_id === term) return true;
  const user = p.user_id ? state.users.get(p.user_id) : undefined;
  if (!user) return false;
  const lower = term.toLowerCase();
  const same = (v: string | null) => v !== null && v.toLowerCase() === lower;
  return (canReadEmail && same(user.email)) || same(user.username) || same(user.name);
}

const ORDERS = {
  created_at: (p: PaymentRecord) => Date.parse(p.created_at),
  paid_at: (p: PaymentRecord) => (p.paid_at ? Date.parse(p.paid_at) : 0),
  final_amount: (p: PaymentRecord) => Math.round(p.total * 100),
} as const;

export function registerPaymentRoutes(api: Hono<SimEnv>, sim: SimContext): void {
  api.get('/payments', (c) => {
    const companyId = optionalCompany(c, sim);
    const params = parseListParams(c, sim.config);
    const statuses = queryEnumArray(c, 'statuses', RECEIPT_STATUSES);
    const substatuses = queryEnumArray(c, 'substatuses', SUBSTATUSES);
    const productIds = queryArray(c, 'product_ids');
    const planIds = queryArray(c, 'plan_ids');
    const currencies = queryArray(c, 'currencies');
    const billingReasons = queryArray(c, 'billing_reasons');
    const updatedAfter = queryDate(c, 'updated_after');
    const updatedBefore = queryDate(c, 'updated_before');
    const search = c.req.query('query') || null;
    const canReadEmail = hasPermission(c.get('permissions'), 'member:email:read');
    const order = (c.req.query('order') ?? 'created_at') as keyof typeof ORDERS;
    if (!(order in ORDERS)) throw invalidParam('order', 'order must be created_at, paid_at or final_amount.');

    const items = [...sim.state.payments.values()].filter((p) => {
      if (companyId && p.company_id !== companyId) return false;
      if (!canSee(c, p.company_id) || !visibleInLists(sim, p) || !inCreatedRange(c, p)) return false;
      if (!inRange(Date.parse(p.updated_at), updatedAfter, updatedBefore)) return false;
      if (statuses && !statuses.includes(p.status)) return false;
      if (substatuses && !substatuses.includes(derivePayment(sim.state, p).substatus)) return false;
      if (productIds && !productIds.includes(p.product_id ?? '')) return false;
      if (planIds && !planIds.includes(p.plan_id ?? '')) return false;
      if (currencies && !currencies.includes(p.currency)) return false;
      if (billingReasons && !billingReasons.includes(p.billing_reason ?? '')) return false;
      if (search && !matchesQuery(sim.state, p, search, canReadEmail)) return false;
      return true;
    });
    return c.json(
      paginate(items, params, sim.config, (p) => serializePaymentListItem(sim, p), ORDERS[order]),
    );
  });

  api.get('/payments/:id', (c) => {
    const p = findForRead(c, sim, sim.state.payments, c.req.param('id'), 'Payment');
    return c.json(serializePayment(sim, p));
  });

  // Returns the payment (not the refund), as the SDK's `payments.refund` types say.
  api.post('/payments/:id/refund', async (c) => {
    const p = findForRead(c, sim, sim.state.payments, c.req.param('id'), 'Payment');
    const body = await readJson(c);
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw badRequest('Request body must be a JSON object.');
    }
    const amount = (body as { partial_amount?: unknown } | undefined)?.partial_amount;
    if (amount !== undefined && amount !== null && typeof amount !== 'number') {
      throw invalidParam('partial_amount', 'partial_amount must be a number.');
    }
    createRefund(sim, { paymentId: p.id, amount: (amount as number | null | undefined) ?? null });
    return c.json(serializePayment(sim, p));
  });
}
