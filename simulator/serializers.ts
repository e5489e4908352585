import type {
  Dispute,
  DisputeAlertListResponse,
  DisputeAlertRetrieveResponse,
  DisputeListResponse,
  FileCreateResponse,
  FileRetrieveResponse,
  MemberRetrieveResponse,
  Membership,
  Payment,
  PaymentListResponse,
  RefundListResponse,
  RefundRetrieveResponse,
  ResolutionCenterCaseListResponse,
  ResolutionCenterCaseRetrieveResponse,
  User,
} from '@whop/sdk/resources';
import type { CaseDueDateFormat, SimContext } from './context.js';
import { fileDownloadPath } from './domain/files.js';
import { derivePayment } from './domain/payment-status.js';
import { round2 } from './money.js';
import {
  type DisputeAlertRecord,
  type DisputeRecord,
  EVIDENCE_ATTACHMENT_FIELDS,
  type FileRecord,
  type MemberRecord,
  type MembershipRecord,
  type PaymentRecord,
  type RefundRecord,
  type ResolutionCaseRecord,
  type UserRecord,
} from './state.js';

/**
 * Record → API shape, typed against @whop/sdk 0.0.42 so a missing or misspelled field is a
 * compile error. List endpoints return the SDK's slimmer `*ListResponse` shapes (e.g. a dispute
 * in a list carries only `payment: { id }`), exactly as the SDK types say; retrieve and webhook
 * `data` carry the full object.
 */

const MAX_RESOLUTION_EVENTS = 50;

/** A case's `due_date` in the configured wire format (a number for `unix`, outside the SDK's string type). */
function dueDateOut(iso: string | null, format: CaseDueDateFormat): string | null {
  if (iso === null || format === 'iso') return iso;
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return (format === 'unix' ? seconds : String(seconds)) as string;
}

function userBrief(u: UserRecord | undefined | null) {
  return u ? { id: u.id, email: u.email, name: u.name, username: u.username } : null;
}

function companyBrief(ctx: SimContext, id: string) {
  const c = ctx.state.companies.get(id);
  return c ? { id: c.id, title: c.title } : null;
}

/** The payment summary embedded in disputes, dispute alerts and refunds. */
function paymentEmbed(ctx: SimContext, p: PaymentRecord): Dispute.Payment {
  const { state } = ctx;
  const membership = p.membership_id ? state.memberships.get(p.membership_id) : undefined;
  const member = p.member_id ? state.members.get(p.member_id) : undefined;
  return {
    id: p.id,
    billing_reason: p.billing_reason,
    card_brand: p.card_brand,
    card_last4: p.card_last4,
    created_at: p.created_at,
    currency: p.currency,
    dispute_alerted_at: p.dispute_alerted_at,
    member: member ? { id: member.id, phone: member.phone } : null,
    membership: membership ? { id: membership.id, status: membership.status } : null,
    paid_at: p.paid_at,
    payment_method_type: p.payment_method_type,
    subtotal: p.subtotal,
    total: p.total,
    usd_total: p.total,
    user: userBrief(p.user_id ? state.users.get(p.user_id) : null),
  };
}

function attachment(ctx: SimContext, fileId: string | null): Dispute.UncategorizedAttachment | null {
  if (!fileId) return null;
  const f = ctx.state.files.get(fileId);
  if (!f) return null;
  return { id: f.id, content_type: f.content_type, filename: f.filename, url: fileUrl(ctx, f) };
}

export function editable(d: DisputeRecord): boolean {
  return d.submitted_at === null && (d.status === 'needs_response' || d.status === 'warning_needs_response');
}

export function serializeDispute(ctx: SimContext, d: DisputeRecord): Dispute {
  const payment = ctx.state.payments.get(d.payment_id);
  const product = payment?.product_id ? ctx.state.products.get(payment.product_id) : undefined;
  const attachments = Object.fromEntries(
    EVIDENCE_ATTACHMENT_FIELDS.map((f) => [f, attachment(ctx, d.attachments[f])]),
  ) as Pick<Dispute, (typeof EVIDENCE_ATTACHMENT_FIELDS)[number]>;
  return {
    id: d.id,
    amount: d.amount,
    currency: d.currency,
    status: d.status,
    editable: editable(d),
    created_at: d.created_at,
    visa_rdr: d.visa_rdr,
    needs_response_by: d.needs_response_by,
    reason: d.reason,
    plan: payment?.plan_id ? { id: payment.plan_id } : null,
    product: product ? { id: product.id, title: product.title } : null,
    company: companyBrief(ctx, d.company_id),
    payment: payment ? paymentEmbed(ctx, payment) : null,
    ...d.evidence,
    ...attachments,
  };
}

export function serializeDisputeListItem(ctx: SimContext, d: DisputeRecord): DisputeListResponse {
  const full = serializeDispute(ctx, d);
  return {
    id: full.id,
    amount: full.amount,
    company: full.company,
    created_at: full.created_at,
    currency: full.currency,
    editable: full.editable,
    needs_response_by: full.needs_response_by,
    payment: full.payment ? { id: full.payment.id } : null,
    plan: full.plan,
    product: full.product,
    reason: full.reason,
    status: full.status,
    visa_rdr: full.visa_rdr,
  };
}

export function serializeDisputeAlert(ctx: SimContext, a: DisputeAlertRecord): DisputeAlertRetrieveResponse {
  const payment = a.payment_id ? ctx.state.payments.get(a.payment_id) : undefined;
  const dispute = a.dispute_id ? ctx.state.disputes.get(a.dispute_id) : undefined;
  return {
    id: a.id,
    alert_type: a.alert_type,
    amount: a.amount,
    charge_for_alert: a.charge_for_alert,
    created_at: a.created_at,
    currency: a.currency,
    dispute: dispute
      ? {
          id: dispute.id,
          amount: dispute.amount,
          created_at: dispute.created_at,
          currency: dispute.currency,
          reason: dispute.reason,
          status: dispute.status,
        }
      : null,
    payment: payment ? paymentEmbed(ctx, payment) : null,
    transaction_date: a.transaction_date,
  };
}

export function serializeDisputeAlertListItem(
  ctx: SimContext,
  a: DisputeAlertRecord,
): DisputeAlertListResponse {
  const full = serializeDisputeAlert(ctx, a);
  return {
    ...full,
    dispute: full.dispute ? { id: full.dispute.id } : null,
    payment: full.payment ? { id: full.payment.id } : null,
  };
}

export function serializeRefund(ctx: SimContext, r: RefundRecord): RefundRetrieveResponse {
  const p = ctx.state.payments.get(r.payment_id);
  let payment: RefundRetrieveResponse.Payment | null = null;
  if (p) {
    const plan = p.plan_id ? ctx.state.plans.get(p.plan_id) : undefined;
    const product = p.product_id ? ctx.state.products.get(p.product_id) : undefined;
    payment = {
      ...paymentEmbed(ctx, p),
      metadata: p.metadata,
      plan: plan ? { id: plan.id, metadata: plan.metadata } : null,
      product: product ? { id: product.id, metadata: product.metadata } : null,
      tax_amount: 0,
      tax_behavior: 'exclusive',
      tax_refunded_amount: 0,
    };
  }
  return {
    id: r.id,
    amount: r.amount,
    created_at: r.created_at,
    currency: r.currency,
    payment,
    provider: r.provider,
    provider_created_at: r.provider_created_at,
    reference_status: r.reference_status,
    reference_type: r.reference_type,
    reference_value: r.reference_value,
    status: r.status,
  };
}

export function serializeRefundListItem(ctx: SimContext, r: RefundRecord): RefundListResponse {
  const full = serializeRefund(ctx, r);
  return { ...full, payment: full.payment ? { id: full.payment.id } : null };
}

export function serializeCase(
  ctx: SimContext,
  c: ResolutionCaseRecord,
): ResolutionCenterCaseRetrieveResponse {
  const p = ctx.state.payments.get(c.payment_id);
  const u = ctx.state.users.get(c.user_id);
  const c2 = ctx.state.companies.get(c.company_id);
  return {
    id: c.id,
    company: c2 ? { id: c2.id, title: c2.title } : null,
    created_at: c.created_at,
    customer_appealed: c.customer_appealed,
    customer_response_actions: [...c.customer_response_actions],
    due_date: dueDateOut(c.due_date, ctx.config.caseDueDateFormat),
    issue: c.issue,
    member: c.member_id ? { id: c.member_id } : null,
    merchant_appealed: c.merchant_appealed,
    merchant_response_actions: [...c.merchant_response_actions],
    payment: {
      id: c.payment_id,
      created_at: p?.created_at ?? c.created_at,
      currency: p?.currency ?? null,
      paid_at: p?.paid_at ?? null,
      subtotal: p?.subtotal ?? null,
      total: p?.total ?? 0,
    },
    platform_response_actions: [...c.platform_response_actions],
    // Whop returns the most recent 50.
    resolution_events: c.events.slice(-MAX_RESOLUTION_EVENTS).map((e) => ({ ...e })),
    status: c.status,
    updated_at: c.updated_at,
    user: { id: c.user_id, name: u?.name ?? null, username: u?.username ?? '' },
  };
}

export function serializeCaseListItem(
  ctx: SimContext,
  c: ResolutionCaseRecord,
): ResolutionCenterCaseListResponse {
  const {
    member: _member,
    platform_response_actions: _p,
    resolution_events: _e,
    ...rest
  } = serializeCase(ctx, c);
  return { ...rest, payment: { id: rest.payment.id } };
}

function paymentCommon(ctx: SimContext, p: PaymentRecord) {
  const { state } = ctx;
  const derived = derivePayment(state, p);
  const company = state.companies.get(p.company_id);
  const membership = p.membership_id ? state.memberships.get(p.membership_id) : undefined;
  const member = p.member_id ? state.members.get(p.member_id) : undefined;
  const plan = p.plan_id ? state.plans.get(p.plan_id) : undefined;
  const product = p.product_id ? state.products.get(p.product_id) : undefined;
  const common = {
    id: p.id,
    amount_after_fees: round2(p.total * 0.97),
    application_fee: null,
    auto_refunded: derived.autoRefunded,
    billing_address: p.billing_address ? { ...p.billing_address } : null,
    billing_reason: p.billing_reason,
    card_brand: p.card_brand,
    card_last4: p.card_last4,
    checkout_configuration_id: null,
    company: company ? { id: company.id, route: company.route, title: company.title } : null,
    created_at: p.created_at,
    currency: p.currency,
    dispute_alerted_at: p.dispute_alerted_at,
    failure_message: null,
    last_payment_attempt: p.paid_at,
    member: member ? { id: member.id, phone: member.phone } : null,
    membership: membership ? { id: membership.id, phone_number: null, status: membership.status } : null,
    metadata: p.metadata,
    next_payment_attempt: null,
    paid_at: p.paid_at,
    payment_method: {
      id: p.payment_method_id,
      card: p.card_brand ? { brand: p.card_brand, exp_month: 12, exp_year: 2030, last4: p.card_last4 } : null,
      created_at: p.created_at,
      payment_method_type: p.payment_method_type,
    },
    payment_method_type: p.payment_method_type,
    payments_failed: 0,
    plan: plan ? { id: plan.id, internal_notes: plan.internal_notes, metadata: plan.metadata } : null,
    product: product
      ? { id: product.id, metadata: product.metadata, route: product.route, title: product.title }
      : null,
    promo_code: null,
    refundable: derived.refundable,
    refunded_amount: derived.refundedAmount,
    refunded_at: derived.refundedAt,
    retryable: false,
    settlement_currency: p.currency,
    shipping_address: null,
    status: p.status,
    substatus: derived.substatus,
    subtotal: p.subtotal,
    tax_amount: 0,
    tax_behavior: 'exclusive' as const,
    total: p.total,
    updated_at: p.updated_at,
    usd_total: p.total,
    user: userBrief(p.user_id ? state.users.get(p.user_id) : null),
    voidable: false,
  };
  return { common, derived };
}

export function serializePayment(ctx: SimContext, p: PaymentRecord): Payment {
  const { common, derived } = paymentCommon(ctx, p);
  return {
    ...common,
    disputes: derived.disputes.map((d) => ({
      id: d.id,
      amount: d.amount,
      currency: d.currency,
      editable: editable(d),
      needs_response_by: d.needs_response_by,
      notes: d.evidence.notes,
      reason: d.reason,
      status: d.status,
    })),
    financing_installments_count: null,
    financing_transactions: [],
    refunds: derived.refunds.map((r) => ({
      id: r.id,
      amount: r.amount,
      created_at: r.created_at,
      currency: r.currency,
      status: r.status,
    })),
    resolutions: derived.cases.map((c) => ({
      id: c.id,
      customer_appealed: c.customer_appealed,
      customer_response_actions: [...c.customer_response_actions],
      due_date: dueDateOut(c.due_date, ctx.config.caseDueDateFormat),
      issue: c.issue,
      merchant_appealed: c.merchant_appealed,
      merchant_response_actions: [...c.merchant_response_actions],
      platform_response_actions: [...c.platform_response_actions],
      status: c.status,
    })),
    risk_score: null,
    risk_signals: null,
    settlement_amount: p.total,
    settlement_exchange_rate: null,
    tax_refunded_amount: 0,
    three_ds_verified: false,
  };
}

export function serializePaymentListItem(ctx: SimContext, p: PaymentRecord): PaymentListResponse {
  return paymentCommon(ctx, p).common;
}

export function serializeMembership(ctx: SimContext, m: MembershipRecord): Membership {
  const { state } = ctx;
  const company = state.companies.get(m.company_id);
  const plan = state.plans.get(m.plan_id);
  const product = state.products.get(m.product_id);
  return {
    id: m.id,
    cancel_at_period_end: m.cancel_at_period_end,
    cancel_option: null,
    canceled_at: m.canceled_at,
    cancellation_reason: m.cancellation_reason,
    checkout_configuration_id: null,
    company: { id: m.company_id, title: company?.title ?? '' },
    created_at: m.created_at,
    currency: m.currency,
    custom_field_responses: [],
    joined_at: m.joined_at,
    license_key: m.license_key,
    manage_url: `https://whop.com/orders/${m.id}/manage`,
    member: m.member_id ? { id: m.member_id } : null,
    metadata: m.metadata,
    payment_collection_paused: false,
    plan: { id: m.plan_id, metadata: plan?.metadata ?? null },
    product: { id: m.product_id, metadata: product?.metadata ?? null, title: product?.title ?? '' },
    promo_code: null,
    renewal_period_end: m.renewal_period_end,
    renewal_period_start: m.renewal_period_start,
    status: m.status,
    updated_at: m.updated_at,
    user: userBrief(state.users.get(m.user_id)),
  };
}

export function serializeMember(ctx: SimContext, m: MemberRecord): MemberRetrieveResponse {
  const { state } = ctx;
  const company = state.companies.get(m.company_id);
  let spentCents = 0;
  for (const p of state.paymentsOfMember(m.id)) {
    if (p.status === 'paid') {
      spentCents += Math.round(p.total * 100) - Math.round(derivePayment(state, p).refundedAmount * 100);
    }
  }
  return {
    id: m.id,
    access_level: m.access_level,
    company: { id: m.company_id, route: company?.route ?? '', title: company?.title ?? '' },
    company_token_balance: 0,
    created_at: m.created_at,
    joined_at: m.joined_at,
    most_recent_action: m.most_recent_action,
    most_recent_action_at: m.most_recent_action_at,
    phone: m.phone,
    status: m.status,
    updated_at: m.updated_at,
    usd_total_spent: spentCents / 100,
    user: userBrief(state.users.get(m.user_id)),
  };
}

export function serializeUser(u: UserRecord): User {
  return {
    id: u.id,
    balance: null,
    balance_history: null,
    bio: u.bio,
    created_at: u.created_at,
    earnings_usd: null,
    name: u.name,
    profile_picture: null,
    username: u.username,
    verification: { individual: null, business: null },
    whop_partner_enabled_at: null,
  };
}

export function fileUrl(ctx: SimContext, f: FileRecord): string | null {
  if (f.upload_status !== 'ready') return null;
  return `${ctx.origin()}${fileDownloadPath(ctx, f)}`;
}

export function serializeFile(ctx: SimContext, f: FileRecord): FileRetrieveResponse {
  return {
    id: f.id,
    content_type: f.content_type,
    filename: f.filename,
    size: f.size,
    upload_status: f.upload_status,
    url: fileUrl(ctx, f),
    visibility: f.visibility,
  };
}

/** Only the create response carries the presigned upload target. */
export function serializeCreatedFile(ctx: SimContext, f: FileRecord): FileCreateResponse {
  return {
    ...serializeFile(ctx, f),
    upload_url: `${ctx.origin()}/_uploads/${f.id}?token=${f.uploadToken}`,
    upload_headers: f.content_type ? { 'Content-Type': f.content_type } : {},
  };
}
