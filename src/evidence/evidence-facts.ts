/**
 * The facts one dispute's evidence is built from (what Whop knows and what only the merchant knows), and
 * the context every part of the evidence reads: who paid whom, for what, when, and the summary of the
 * customer's access around the purchase. Pure: no I/O, `now` is given.
 */
import type { Dispute, MemberRetrieveResponse, Membership, Payment, User } from '@whop/sdk/resources';
import type { AccessEvent } from '../access-events/access-event.js';
import type { ResolvedPolicy } from '../policy/resolve-policy.js';
import { type AccessSummary, summarizeAccess } from './access-summary.js';
import { cell, fmtAmount, toMs } from './format.js';
import { type ReasonCategory, reasonCategory } from './reason-category.js';

/** Rows of the access log's table of recent events. */
export const RECENT_EVENT_ROWS = 10;

/** The fields of a payment we need; the list, retrieve and dispute-embedded shapes all have them. */
export interface PriorPaymentLike {
  id: string;
  created_at: string;
  paid_at?: string | null;
  total: number | null;
  currency: string;
  status?: string | null;
  substatus?: string | null;
  card_last4?: string | null;
}

export interface PriorPayment {
  payment: PriorPaymentLike;
  /** Ever disputed (chargeback or inquiry); such payments never count for CE 3.0. */
  disputed: boolean;
}

export interface EvidenceFacts {
  dispute: Dispute;
  payment: Payment | null;
  membership: Membership | null;
  member: MemberRetrieveResponse | null;
  user: User | null;
  /** All retained access events for this customer. */
  accessEvents: AccessEvent[];
  /** The customer's other payments. */
  priorPayments: PriorPayment[];
  policy: ResolvedPolicy;
  now: Date;
  /** Optional: the IP / device the merchant recorded at checkout; otherwise taken from events near it. */
  purchase?: { ip?: string | null; deviceId?: string | null; userAgent?: string | null };
}

/**
 * What every part of the evidence reads: the facts, and the names, amounts and times taken from them
 * once. `warnings` collects, for the merchant, what weakens the case; the parts append to it.
 */
export interface EvidenceContext {
  facts: EvidenceFacts;
  category: ReasonCategory;
  company: string;
  product: string | null;
  customer: string;
  fullName: string | null;
  paymentId: string | null;
  amount: string | null;
  /** The disputed payment's time (epoch ms), or null when Whop gave none. */
  paidMs: number | null;
  cardBrand: string | null;
  cardLast4: string | null;
  billingReason: string | null;
  buyer: { id: string; email: string | null; name: string | null; username: string } | null;
  summary: AccessSummary;
  /** Access events after the purchase exist (never true without a payment time). */
  used: boolean;
  warnings: string[];
}

/** The context of one dispute's evidence, from its facts. Pure. */
export function evidenceContext(facts: EvidenceFacts): EvidenceContext {
  const { dispute, payment, membership, member, user } = facts;
  const embed = dispute.payment;
  const buyer = payment?.user ?? embed?.user ?? null;
  const paidMs =
    toMs(payment?.paid_at) ?? toMs(payment?.created_at) ?? toMs(embed?.paid_at) ?? toMs(embed?.created_at);
  const warnings: string[] = [];
  // With no purchase time nothing can be "after purchase": summarise as if it were now, so no usage is
  // claimed, and say why.
  if (paidMs === null)
    warnings.push('Whop returned no payment time, so no access can be tied to the purchase.');
  const summary = summarizeAccess(
    facts.accessEvents,
    { paidAt: new Date(paidMs ?? facts.now.getTime()), ...facts.purchase },
    facts.now,
    { recentLimit: RECENT_EVENT_ROWS },
  );
  const name =
    payment?.billing_address?.name?.trim() ||
    buyer?.name?.trim() ||
    member?.user?.name?.trim() ||
    membership?.user?.name?.trim() ||
    user?.name?.trim() ||
    null;
  return {
    facts,
    category: reasonCategory(dispute.reason),
    company:
      dispute.company?.title ?? payment?.company?.title ?? membership?.company?.title ?? 'the merchant',
    product: dispute.product?.title ?? payment?.product?.title ?? membership?.product?.title ?? null,
    // Prose repeats the name; a pathological one is cut there (customer_name keeps it whole).
    customer: name ? cell(name, 80) : buyer?.username ? `@${buyer.username}` : 'the customer',
    fullName: name,
    paymentId: payment?.id ?? embed?.id ?? null,
    amount: fmtAmount(
      payment?.total ?? embed?.total ?? dispute.amount,
      payment?.currency ?? embed?.currency ?? dispute.currency,
    ),
    paidMs,
    cardBrand: payment?.card_brand ?? embed?.card_brand ?? null,
    cardLast4: payment?.card_last4 ?? embed?.card_last4 ?? null,
    billingReason: payment?.billing_reason ?? embed?.billing_reason ?? null,
    buyer,
    summary,
    used: paidMs !== null && summary.eventsAfterPurchase > 0,
    warnings,
  };
}
