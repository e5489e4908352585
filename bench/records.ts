/**
 * Case records for benchmarks, written as the reconciler writes a first read: `fromWhop` → merge →
 * transitions → `CaseStore.apply`, so the store holds exactly what production would (record, timeline,
 * fired set, indexes, case events). The Whop objects are the SDK-shaped test builders with varied ids,
 * companies, products, reasons, amounts, statuses and dates.
 */

import type { Redis } from 'ioredis';
import { AlertDispatcher } from '../src/alerts/alert-dispatcher.js';
import { AlertStore } from '../src/alerts/alert-store.js';
import type { createAlertsQueue } from '../src/alerts/alerts-queue.js';
import type { CaseEvent, CaseKind } from '../src/cases/case-record.js';
import { fromWhop } from '../src/cases/from-whop.js';
import { mergeSnapshot } from '../src/cases/merge-snapshot.js';
import { toCaseEvent, transitionsFor } from '../src/cases/transitions.js';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import type { Logger } from '../src/logger/logger.js';
import { RefundStore } from '../src/refunds/refund-store.js';
import type { CaseStore } from '../src/store/case-store.js';
import { createWhopClient } from '../src/whop/whop-client.js';
import { whopCase, whopDispute, whopPaymentEmbed } from '../test/support/builders/whop-cases.js';

const DAY = 86_400_000;
const REASONS = [
  'Product Not Received',
  'Fraudulent',
  'Subscription Canceled',
  'Product Unacceptable',
  'Duplicate',
];
const PRODUCTS = ['Trading Signals Pro', 'Course Vault', 'Community Access', 'Coaching Call', 'Alpha Picks'];
const ISSUES = [
  'forgot_to_cancel',
  'significantly_not_as_described',
  'item_not_received',
  'unauthorized_transaction',
] as const;

/** Runs `fn(i)` for i in [0, n) with at most `inFlight` at once. */
export async function pool(n: number, inFlight: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/**
 * The real AlertDispatcher with no channel (alerts go to the `log` destination) and no rate watch, as
 * the alerts worker runs it; `now` shifts its clock (the reminders bench runs it ahead of the wall clock).
 */
export function logOnlyDispatcher(
  deps: { redis: Redis; store: CaseStore; queue: ReturnType<typeof createAlertsQueue>; log: Logger },
  opts: { reminderOffsetsMs: number[]; now?: () => Date },
) {
  return new AlertDispatcher(
    {
      // Only resolution cases and `dispute.opened` read Whop; the benches hand it neither.
      whop: createWhopClient({ apiKey: 'x', baseURL: 'http://127.0.0.1:9/api/v1' }),
      store: deps.store,
      evidence: new EvidenceStore(deps.redis),
      refunds: new RefundStore(deps.redis),
      queue: deps.queue,
      alerts: new AlertStore(deps.redis),
      log: deps.log,
    },
    { channels: [], alertPolicyFor: () => null, rateThresholds: [], ...opts },
  );
}

/** Stores `object` as its first read does and returns the case events that fired. */
export async function storeFirstRead(
  store: CaseStore,
  kind: CaseKind,
  object: Record<string, unknown>,
  observedAt = new Date().toISOString(),
): Promise<CaseEvent[]> {
  const record = mergeSnapshot(undefined, fromWhop(kind, object), observedAt, 'webhook').record;
  const transitions = transitionsFor(undefined, record).map((t) => ({
    key: t.key,
    event: toCaseEvent(t, undefined, record, observedAt, 'webhook'),
  }));
  await store.apply(0, record, { at: observedAt, source: 'webhook', change: 'created' }, transitions);
  return transitions.map((t) => t.event);
}

/** An open chargeback (`needs_response`), due `dueAt`, as `disputes.retrieve` returns it. */
export function openDispute(i: number, dueAt: number, companies = 50): Record<string, unknown> {
  const n = String(i).padStart(7, '0');
  return whopDispute({
    id: `dspt_bench${n}`,
    amount: 19 + (i % 7) * 10,
    reason: REASONS[i % REASONS.length]!,
    needs_response_by: new Date(dueAt).toISOString(),
    created_at: new Date(Date.now() - 3_600_000).toISOString(),
    company: { id: `biz_bench${i % companies}`, title: `Bench Company ${i % companies}` },
    product: { id: `prod_bench${i % PRODUCTS.length}`, title: PRODUCTS[i % PRODUCTS.length]! },
    payment: whopPaymentEmbed({
      id: `pay_bench${n}`,
      user: {
        id: `user_bench${n}`,
        email: `buyer${n}@example.com`,
        name: `Buyer ${n}`,
        username: `buyer${n}`,
      },
    }),
  });
}

/**
 * The i-th of a merchant's history over the last year: 70 % closed disputes (won or lost), 12 % open
 * chargebacks, 5 % inquiries, 3 % under review, 10 % Resolution Center cases (a third still open).
 */
export function historyObject(
  i: number,
  companies: number,
): { kind: CaseKind; object: Record<string, unknown> } {
  const n = String(i).padStart(7, '0');
  const company = { id: `biz_bench${i % companies}`, title: `Bench Company ${i % companies}` };
  const createdAt = Date.now() - ((i * 7919) % 365) * DAY - (i % 86_400) * 1000;
  const product = { id: `prod_bench${i % PRODUCTS.length}`, title: PRODUCTS[i % PRODUCTS.length]! };
  const total = 19 + (i % 9) * 15;
  const payment = whopPaymentEmbed({
    id: `pay_bench${n}`,
    total,
    created_at: new Date(createdAt - 20 * DAY).toISOString(),
    user: { id: `user_bench${n}`, email: `buyer${n}@example.com`, name: `Buyer ${n}`, username: `buyer${n}` },
  });
  const slot = i % 100;
  if (slot >= 90) {
    const open = slot < 93;
    return {
      kind: 'resolution_case',
      object: whopCase({
        id: `reso_bench${n}`,
        company,
        created_at: new Date(open ? Date.now() - (i % 5) * DAY : createdAt).toISOString(),
        due_date: new Date((open ? Date.now() : createdAt) + (7 - (i % 5)) * DAY).toISOString(),
        issue: ISSUES[i % ISSUES.length]!,
        status: open ? 'merchant_response_needed' : i % 2 ? 'merchant_won' : 'customer_won',
        payment: {
          ...whopCase().payment,
          id: `pay_bench${n}`,
          total,
          subtotal: total,
        },
      }),
    };
  }
  const status =
    slot < 70
      ? i % 3
        ? 'won'
        : 'lost'
      : slot < 82
        ? 'needs_response'
        : slot < 87
          ? 'warning_needs_response'
          : 'under_review';
  const open = status === 'needs_response' || status === 'warning_needs_response';
  const created = open ? Date.now() - (i % 6) * DAY : createdAt;
  return {
    kind: 'dispute',
    object: whopDispute({
      id: `dspt_bench${n}`,
      amount: total,
      company,
      product,
      payment,
      reason: REASONS[i % REASONS.length]!,
      status,
      editable: open,
      created_at: new Date(created).toISOString(),
      needs_response_by: open ? new Date(created + (7 + (i % 3)) * DAY).toISOString() : null,
    }),
  };
}
