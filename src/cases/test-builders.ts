/**
 * Builders for the unit tests in src/cases: Whop objects shaped exactly as @whop/sdk 0.0.42 types them
 * (retrieve and the slimmer list shapes), a tiny in-memory stand-in for the store's merge + fire-once
 * loop, and a seeded shuffle for order-independence checks. No test framework here, only data.
 */
import type {
  Dispute,
  DisputeAlertListResponse,
  DisputeAlertRetrieveResponse,
  DisputeListResponse,
  RefundListResponse,
  RefundRetrieveResponse,
  ResolutionCenterCaseListResponse,
  ResolutionCenterCaseRetrieveResponse,
} from '@whop/sdk/resources';
import type { CaseKind, CaseRecord, CaseSnapshot, CaseSource } from './case-record.js';
import { fromWhop } from './from-whop.js';
import { type MergeResult, mergeSnapshot } from './merge-snapshot.js';
import { transitionsFor } from './transitions.js';

export type WhopObject = Record<string, unknown>;

const asObject = (o: object): WhopObject => o as WhopObject;

export const COMPANY = { id: 'biz_4Tq8mXv2Lp', title: 'Autopilot Academy' } as const;
export const BUYER = {
  id: 'user_9Kd2sQpZx1',
  email: 'sam.buyer@example.com',
  name: 'Sam Buyer',
  username: 'sambuyer',
} as const;
export const PAYMENT_ID = 'pay_7Hq2VbN0rT';

/** Read times (observedAt) and Whop timestamps: minute `n` after a fixed base, as ISO strings. */
export function at(minute: number): string {
  return new Date(Date.UTC(2025, 2, 10, 9, 0, 0) + minute * 60_000).toISOString();
}

/** The payment summary Whop embeds in a retrieved dispute or dispute alert. */
export function whopPaymentEmbed(overrides: Partial<Dispute.Payment> = {}): Dispute.Payment {
  return {
    id: PAYMENT_ID,
    billing_reason: 'one_time',
    card_brand: 'visa',
    card_last4: '4242',
    created_at: '2025-02-14T16:02:11.000Z',
    currency: 'usd',
    dispute_alerted_at: null,
    member: { id: 'mber_3LkQ9sd0', phone: null },
    membership: { id: 'mem_8Hs1PwQe', status: 'canceled' },
    paid_at: '2025-02-14T16:02:13.000Z',
    payment_method_type: 'card',
    subtotal: 49,
    total: 49,
    usd_total: 49,
    user: { ...BUYER },
    ...overrides,
  };
}

/** `disputes.retrieve` (and webhook `data`): a fresh chargeback awaiting the merchant's evidence. */
export function whopDispute(overrides: Partial<Dispute> = {}): WhopObject {
  const dispute: Dispute = {
    id: 'dspt_5Vn8QxLk2m',
    access_activity_log: null,
    amount: 49,
    billing_address: null,
    cancellation_policy_attachment: null,
    cancellation_policy_disclosure: null,
    company: { ...COMPANY },
    created_at: '2025-03-10T08:41:27.000Z',
    currency: 'usd',
    customer_communication_attachment: null,
    customer_email_address: null,
    customer_name: null,
    editable: true,
    needs_response_by: '2025-03-24T23:59:59.000Z',
    notes: null,
    payment: whopPaymentEmbed(),
    plan: { id: 'plan_2Bc7RtY1' },
    product: { id: 'prod_6Xz0PqA3', title: 'Trading Signals Pro' },
    product_description: null,
    reason: 'Product Not Received',
    refund_policy_attachment: null,
    refund_policy_disclosure: null,
    refund_refusal_explanation: null,
    service_date: null,
    status: 'needs_response',
    uncategorized_attachment: null,
    visa_rdr: false,
    ...overrides,
  };
  return asObject(dispute);
}

/** An item of `disputes.list`: the payment is only `{ id }`. */
export function whopDisputeListItem(overrides: Partial<DisputeListResponse> = {}): WhopObject {
  const dispute: DisputeListResponse = {
    id: 'dspt_5Vn8QxLk2m',
    amount: 49,
    company: { ...COMPANY },
    created_at: '2025-03-10T08:41:27.000Z',
    currency: 'usd',
    editable: true,
    needs_response_by: '2025-03-24T23:59:59.000Z',
    payment: { id: PAYMENT_ID },
    plan: { id: 'plan_2Bc7RtY1' },
    product: { id: 'prod_6Xz0PqA3', title: 'Trading Signals Pro' },
    reason: 'Product Not Received',
    status: 'needs_response',
    visa_rdr: false,
    ...overrides,
  };
  return asObject(dispute);
}

/** `disputeAlerts.retrieve`: an early warning (Ethoca/Verifi style) tied to a dispute. */
export function whopDisputeAlert(overrides: Partial<DisputeAlertRetrieveResponse> = {}): WhopObject {
  const alert: DisputeAlertRetrieveResponse = {
    id: 'dspa_1Rt6YuIo9p',
    alert_type: 'dispute',
    amount: 49,
    charge_for_alert: true,
    created_at: '2025-03-09T19:12:00.000Z',
    currency: 'usd',
    dispute: {
      id: 'dspt_5Vn8QxLk2m',
      amount: 49,
      created_at: '2025-03-10T08:41:27.000Z',
      currency: 'usd',
      reason: 'Product Not Received',
      status: 'needs_response',
    },
    payment: { ...whopPaymentEmbed(), dispute_alerted_at: '2025-03-09T19:12:00.000Z' },
    transaction_date: '2025-02-14T16:02:13.000Z',
    ...overrides,
  };
  return asObject(alert);
}

/** An item of `disputeAlerts.list`: dispute and payment are only `{ id }`. */
export function whopDisputeAlertListItem(overrides: Partial<DisputeAlertListResponse> = {}): WhopObject {
  const alert: DisputeAlertListResponse = {
    id: 'dspa_1Rt6YuIo9p',
    alert_type: 'dispute',
    amount: 49,
    charge_for_alert: true,
    created_at: '2025-03-09T19:12:00.000Z',
    currency: 'usd',
    dispute: { id: 'dspt_5Vn8QxLk2m' },
    payment: { id: PAYMENT_ID },
    transaction_date: '2025-02-14T16:02:13.000Z',
    ...overrides,
  };
  return asObject(alert);
}

/** `refunds.retrieve`: a Stripe refund still in flight. */
export function whopRefund(overrides: Partial<RefundRetrieveResponse> = {}): WhopObject {
  const refund: RefundRetrieveResponse = {
    id: 'rfnd_0Pl5KjHg3f',
    amount: 19.5,
    created_at: '2025-03-11T12:30:00.000Z',
    currency: 'usd',
    payment: {
      ...whopPaymentEmbed(),
      metadata: null,
      plan: { id: 'plan_2Bc7RtY1', metadata: null },
      product: { id: 'prod_6Xz0PqA3', metadata: null },
      tax_amount: 0,
      tax_behavior: null,
      tax_refunded_amount: 0,
    },
    provider: 'stripe',
    provider_created_at: '2025-03-11T12:30:01.000Z',
    reference_status: 'pending',
    reference_type: null,
    reference_value: null,
    status: 'pending',
    ...overrides,
  };
  return asObject(refund);
}

/** An item of `refunds.list`: the payment is only `{ id }`. */
export function whopRefundListItem(overrides: Partial<RefundListResponse> = {}): WhopObject {
  const refund: RefundListResponse = {
    id: 'rfnd_0Pl5KjHg3f',
    amount: 19.5,
    created_at: '2025-03-11T12:30:00.000Z',
    currency: 'usd',
    payment: { id: PAYMENT_ID },
    provider: 'stripe',
    provider_created_at: '2025-03-11T12:30:01.000Z',
    reference_status: 'pending',
    reference_type: null,
    reference_value: null,
    status: 'pending',
    ...overrides,
  };
  return asObject(refund);
}

/** `resolutionCenterCases.retrieve`: a customer just opened a case; the merchant has 7 days. */
export function whopCase(overrides: Partial<ResolutionCenterCaseRetrieveResponse> = {}): WhopObject {
  const c: ResolutionCenterCaseRetrieveResponse = {
    id: 'reso_2Wq9ErTy6u',
    company: { ...COMPANY },
    created_at: '2025-03-10T10:00:00.000Z',
    customer_appealed: false,
    customer_response_actions: [],
    due_date: '2025-03-17T10:00:00.000Z',
    issue: 'forgot_to_cancel',
    member: { id: 'mber_3LkQ9sd0' },
    merchant_appealed: false,
    merchant_response_actions: ['accept', 'deny', 'request_more_info'],
    payment: {
      id: PAYMENT_ID,
      created_at: '2025-02-14T16:02:11.000Z',
      currency: 'usd',
      paid_at: '2025-02-14T16:02:13.000Z',
      subtotal: 49,
      total: 49,
    },
    platform_response_actions: [],
    resolution_events: [
      {
        id: 'revt_1',
        action: 'created',
        created_at: '2025-03-10T10:00:00.000Z',
        details: 'I forgot to cancel before the renewal.',
        reporter_type: 'customer',
      },
    ],
    status: 'merchant_response_needed',
    updated_at: '2025-03-10T10:00:00.000Z',
    user: { id: BUYER.id, name: BUYER.name, username: BUYER.username },
    ...overrides,
  };
  return asObject(c);
}

/** An item of `resolutionCenterCases.list`: the payment is only `{ id }`, no events or member. */
export function whopCaseListItem(overrides: Partial<ResolutionCenterCaseListResponse> = {}): WhopObject {
  const c: ResolutionCenterCaseListResponse = {
    id: 'reso_2Wq9ErTy6u',
    company: { ...COMPANY },
    created_at: '2025-03-10T10:00:00.000Z',
    customer_appealed: false,
    customer_response_actions: [],
    due_date: '2025-03-17T10:00:00.000Z',
    issue: 'forgot_to_cancel',
    merchant_appealed: false,
    merchant_response_actions: ['accept', 'deny', 'request_more_info'],
    payment: { id: PAYMENT_ID },
    status: 'merchant_response_needed',
    updated_at: '2025-03-10T10:00:00.000Z',
    user: { id: BUYER.id, name: BUYER.name, username: BUYER.username },
    ...overrides,
  };
  return asObject(c);
}

/** One API read: what Whop returned and when the read started. */
export interface Read {
  snapshot: CaseSnapshot;
  observedAt: string;
  source?: CaseSource;
}

export function read(kind: CaseKind, object: WhopObject, observedAt: string, source?: CaseSource): Read {
  return { snapshot: fromWhop(kind, object), observedAt, ...(source ? { source } : {}) };
}

/** A stored record, as the first read of `object` creates it. */
export function recordOf(kind: CaseKind, object: WhopObject, observedAt = at(0)): CaseRecord {
  return mergeSnapshot(undefined, fromWhop(kind, object), observedAt, 'webhook').record;
}

export interface Replay {
  record: CaseRecord | undefined;
  outcomes: MergeResult['outcome'][];
  /** Transition keys in the order they first fired; the store fires each key once per record. */
  fired: string[];
}

/**
 * Applies reads one after another the way the reconciler and store do: merge; on created/updated
 * write the record and fire each transition key not fired before for this record.
 */
export function replay(reads: readonly Read[]): Replay {
  let record: CaseRecord | undefined;
  const outcomes: MergeResult['outcome'][] = [];
  const fired = new Set<string>();
  for (const r of reads) {
    const merged = mergeSnapshot(record, r.snapshot, r.observedAt, r.source ?? 'webhook');
    outcomes.push(merged.outcome);
    if (merged.outcome === 'created' || merged.outcome === 'updated') {
      for (const t of transitionsFor(record, merged.record)) fired.add(t.key);
    }
    // As the reconciler does: an unchanged newer read is stored too (its read time moves forward).
    if (merged.outcome !== 'stale') record = merged.record;
  }
  return { record, outcomes, fired: [...fired] };
}

/** The Whop-derived part of a record (what Whop said), without our bookkeeping. */
export function snapshotPart(r: CaseSnapshot): CaseSnapshot {
  return {
    kind: r.kind,
    id: r.id,
    companyId: r.companyId,
    paymentId: r.paymentId,
    userId: r.userId,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    dueAt: r.dueAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    details: r.details,
    whop: r.whop,
  };
}

/** Deterministic PRNG (mulberry32): the same seed always gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given random source; does not modify `items`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Every ordering of a few items (n! of them: keep n small). */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
