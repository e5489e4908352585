import type { ReceiptStatus } from '@whop/sdk/resources/shared';
import type { Hono } from 'hono';
import type { SimContext } from '../context.js';
import { derivePayment } from '../domain/payment-status.js';
import { createRefund } from '../domain/refunds.js';
import { badRequest, invalidParam } from '../errors.js';
import { paginate, parseListParams } from '../http/pagination.js';
import type { SimEnv } from '../http/types.js';
import { serializePayment, serializePaymentListItem } from '../serializers.js';
import type { PaymentRecord } from '../state.js';
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
    const substatuses = queryArray(c, 'substatuses');
    const productIds = queryArray(c, 'product_ids');
    const planIds = queryArray(c, 'plan_ids');
    const currencies = queryArray(c, 'currencies');
    const billingReasons = queryArray(c, 'billing_reasons');
    const updatedAfter = queryDate(c, 'updated_after');
    const updatedBefore = queryDate(c, 'updated_before');
    const search = c.req.query('query')?.toLowerCase() || null;
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
      if (search) {
        const user = p.user_id ? sim.state.users.get(p.user_id) : undefined;
        const haystack = [p.id, user?.email, user?.username, user?.name].join(' ').toLowerCase();
        if (!haystack.includes(search)) return false;
      }
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
