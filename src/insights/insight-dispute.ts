import type { CaseRecord } from '../cases/case-record.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null ? (v as Obj) : null);

/** What the insights need of one dispute record: a small projection, so a report holds no Whop objects. */
export interface InsightDispute {
  id: string;
  companyId: string | null;
  status: string;
  /** Whop's reason ("Product Not Received"). */
  reason: string | null;
  /** The product's title, else its id. */
  product: string | null;
  /** In the currency's major unit, as Whop gives it (e.g. 49.0 for $49). */
  amount: number | null;
  currency: string | null;
  /** ISO 8601; the dispute's creation at Whop, else when we first saw it. */
  createdAt: string;
  /** It was an inquiry (a `warning_*` status) at some point we saw: now, or a transition that fired. */
  wasInquiry: boolean;
}

/**
 * Projects a dispute record; `fired` are its fired transition keys (`CaseStore.firedTransitions`), which
 * keep the `warning_*` statuses an escalated dispute passed through.
 */
export function toInsightDispute(record: CaseRecord, fired: readonly string[]): InsightDispute {
  const product = obj(record.whop.product);
  const title = typeof product?.title === 'string' && product.title ? product.title : null;
  const productId = typeof product?.id === 'string' && product.id ? product.id : null;
  return {
    id: record.id,
    companyId: record.companyId,
    status: record.status,
    reason: record.reason,
    product: title ?? productId,
    amount: record.amount,
    currency: record.currency,
    createdAt: record.createdAt ?? record.firstSeenAt,
    wasInquiry: record.status.startsWith('warning_') || fired.some((k) => k.includes('warning_')),
  };
}
