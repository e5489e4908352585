import type { PaymentProvider } from '@whop/sdk/resources';
import type { BillingReasons, CardBrands, PaymentMethodTypes } from '@whop/sdk/resources/payments';
import type {
  Currency,
  MemberMostRecentActions,
  MemberStatuses,
  MembershipStatus,
  ReceiptStatus,
} from '@whop/sdk/resources/shared';
import { DAY_MS, toIso, toMs } from '../clock.js';
import { baseRecord, type SimContext, touch } from '../context.js';
import { badRequest, invalidParam, notFound, unprocessable } from '../errors.js';
import { newId } from '../ids.js';
import { round2 } from '../money.js';
import type {
  CompanyRecord,
  MemberRecord,
  MembershipRecord,
  PaymentRecord,
  PlanRecord,
  ProductRecord,
  UserRecord,
} from '../state.js';

/** The merchant side and the customers: companies, products, plans, users, members, memberships, payments. */

type When = Date | string | number;

export interface CreateCompanyInput {
  title?: string;
  route?: string;
  createdAt?: When;
}

export interface CreateUserInput {
  name?: string | null;
  username?: string;
  email?: string | null;
  bio?: string | null;
  createdAt?: When;
}

export interface CreateProductInput {
  companyId: string;
  title?: string;
  route?: string;
  metadata?: Record<string, unknown> | null;
  createdAt?: When;
}

export interface CreatePlanInput {
  productId: string;
  internalNotes?: string | null;
  metadata?: Record<string, unknown> | null;
  createdAt?: When;
}

export interface CreateMemberInput {
  companyId: string;
  userId: string;
  status?: MemberStatuses;
  phone?: string | null;
  mostRecentAction?: MemberMostRecentActions | null;
  joinedAt?: When;
  createdAt?: When;
}

export interface CreateMembershipInput {
  userId: string;
  planId: string;
  memberId?: string | null;
  status?: MembershipStatus;
  metadata?: Record<string, unknown> | null;
  createdAt?: When;
}

export interface CreatePaymentInput {
  companyId?: string;
  userId?: string;
  /** Used when `userId` is not given and a new user is created. */
  user?: CreateUserInput;
  productId?: string;
  planId?: string;
  membershipId?: string;
  memberId?: string;
  /** Decimal in the currency, e.g. 49.99. Default 49.99. */
  total?: number;
  subtotal?: number;
  currency?: Currency;
  status?: ReceiptStatus;
  createdAt?: When;
  paidAt?: When | null;
  provider?: PaymentProvider;
  paymentMethodType?: PaymentMethodTypes;
  cardBrand?: CardBrands | null;
  cardLast4?: string | null;
  billingReason?: BillingReasons | null;
  metadata?: Record<string, unknown> | null;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function requireRecord<T>(table: Map<string, T>, id: string, what: string, param = 'id'): T {
  const rec = table.get(id);
  if (!rec) throw notFound(what, id, param);
  return rec;
}

export function createCompany(ctx: SimContext, input: CreateCompanyInput = {}): CompanyRecord {
  const n = ctx.state.companies.size + 1;
  const title = input.title ?? `Simulated Company ${n}`;
  const rec: CompanyRecord = {
    ...baseRecord(ctx, newId('company'), input.createdAt),
    title,
    route: input.route ?? `${slug(title)}-${n}`,
  };
  ctx.state.companies.set(rec.id, rec);
  return rec;
}

export function createUser(ctx: SimContext, input: CreateUserInput = {}): UserRecord {
  const n = ctx.state.users.size + 1;
  const username = input.username ?? `customer${n}`;
  const rec: UserRecord = {
    ...baseRecord(ctx, newId('user'), input.createdAt),
    name: input.name === undefined ? `Customer ${n}` : input.name,
    username,
    email: input.email === undefined ? `${username}@example.com` : input.email,
    bio: input.bio ?? null,
  };
  ctx.state.users.set(rec.id, rec);
  return rec;
}

export function createProduct(ctx: SimContext, input: CreateProductInput): ProductRecord {
  requireRecord(ctx.state.companies, input.companyId, 'Company', 'company_id');
  const n = ctx.state.products.size + 1;
  const title = input.title ?? `Pro Access ${n}`;
  const rec: ProductRecord = {
    ...baseRecord(ctx, newId('product'), input.createdAt),
    company_id: input.companyId,
    title,
    route: input.route ?? `${slug(title)}-${n}`,
    metadata: input.metadata ?? {},
  };
  ctx.state.products.set(rec.id, rec);
  return rec;
}

export function createPlan(ctx: SimContext, input: CreatePlanInput): PlanRecord {
  const product = requireRecord(ctx.state.products, input.productId, 'Product', 'product_id');
  const rec: PlanRecord = {
    ...baseRecord(ctx, newId('plan'), input.createdAt),
    company_id: product.company_id,
    product_id: product.id,
    internal_notes: input.internalNotes ?? null,
    metadata: input.metadata ?? {},
  };
  ctx.state.plans.set(rec.id, rec);
  return rec;
}

export function createMember(ctx: SimContext, input: CreateMemberInput): MemberRecord {
  requireRecord(ctx.state.companies, input.companyId, 'Company', 'company_id');
  requireRecord(ctx.state.users, input.userId, 'User', 'user_id');
  const base = baseRecord(ctx, newId('member'), input.createdAt);
  const joinedAt = input.joinedAt === undefined ? base.created_at : toIso(input.joinedAt);
  const rec: MemberRecord = {
    ...base,
    company_id: input.companyId,
    user_id: input.userId,
    status: input.status ?? 'joined',
    access_level: 'customer',
    joined_at: joinedAt,
    most_recent_action: input.mostRecentAction ?? 'paid_subscriber',
    most_recent_action_at: joinedAt,
    phone: input.phone ?? null,
  };
  ctx.state.addMember(rec);
  return rec;
}

export function createMembership(ctx: SimContext, input: CreateMembershipInput): MembershipRecord {
  const plan = requireRecord(ctx.state.plans, input.planId, 'Plan', 'plan_id');
  requireRecord(ctx.state.users, input.userId, 'User', 'user_id');
  if (input.memberId) requireRecord(ctx.state.members, input.memberId, 'Member', 'member_id');
  const base = baseRecord(ctx, newId('membership'), input.createdAt);
  const start = toMs(base.created_at);
  const rec: MembershipRecord = {
    ...base,
    company_id: plan.company_id,
    user_id: input.userId,
    member_id: input.memberId ?? null,
    product_id: plan.product_id,
    plan_id: plan.id,
    status: input.status ?? 'active',
    currency: 'usd',
    joined_at: base.created_at,
    renewal_period_start: base.created_at,
    renewal_period_end: new Date(start + 30 * DAY_MS).toISOString(),
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_reason: null,
    license_key: null,
    metadata: input.metadata ?? {},
  };
  ctx.state.memberships.set(rec.id, rec);
  return rec;
}

export function setMembershipStatus(ctx: SimContext, id: string, status: MembershipStatus): MembershipRecord {
  const m = requireRecord(ctx.state.memberships, id, 'Membership');
  m.status = status;
  if (status === 'canceled' && !m.canceled_at) m.canceled_at = ctx.clock.nowIso();
  touch(ctx, m);
  // Payments embed the membership status.
  for (const p of ctx.state.payments.values()) if (p.membership_id === id) touch(ctx, p);
  return m;
}

const ENDED_MEMBERSHIP_STATUSES: ReadonlySet<MembershipStatus> = new Set([
  'canceled',
  'expired',
  'completed',
]);

/**
 * POST /memberships/{id}/cancel (`memberships.cancel`, `cancellation_mode` `at_period_end` | `immediate`).
 * The SDK names no default mode; `at_period_end` is taken (the customer keeps access until the period
 * ends: the side a product cutting access must not mistake for an immediate cancel). `immediate` ends
 * the membership now (`canceled`); `at_period_end` sets `cancel_at_period_end` and status `canceling`.
 * An ended membership answers 422. Whop's membership webhooks are not simulated.
 */
export function cancelMembership(ctx: SimContext, id: string, body: unknown): MembershipRecord {
  const m = requireRecord(ctx.state.memberships, id, 'Membership');
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw badRequest('Request body must be a JSON object.');
  }
  const mode =
    (body as { cancellation_mode?: unknown } | null | undefined)?.cancellation_mode ?? 'at_period_end';
  if (mode !== 'at_period_end' && mode !== 'immediate') {
    throw invalidParam('cancellation_mode', 'cancellation_mode must be at_period_end or immediate.');
  }
  if (ENDED_MEMBERSHIP_STATUSES.has(m.status)) {
    throw unprocessable(
      `This membership has already ended (status: ${m.status}).`,
      'membership_not_cancelable',
    );
  }
  if (mode === 'immediate') {
    m.cancel_at_period_end = false;
    return setMembershipStatus(ctx, id, 'canceled');
  }
  m.cancel_at_period_end = true;
  return setMembershipStatus(ctx, id, 'canceling');
}

/**
 * Creates a payment; anything not given (company, product, plan, user, member, membership)
 * is created or reused so a test can write `sim.createPayment({ total: 20 })`.
 */
export function createPayment(ctx: SimContext, input: CreatePaymentInput = {}): PaymentRecord {
  const { state } = ctx;
  const membershipIn = input.membershipId
    ? requireRecord(state.memberships, input.membershipId, 'Membership', 'membership_id')
    : undefined;
  const planIn = input.planId
    ? requireRecord(state.plans, input.planId, 'Plan', 'plan_id')
    : membershipIn
      ? state.plans.get(membershipIn.plan_id)
      : undefined;
  const productIn = input.productId
    ? requireRecord(state.products, input.productId, 'Product', 'product_id')
    : planIn
      ? state.products.get(planIn.product_id)
      : undefined;

  const companyId =
    input.companyId ??
    productIn?.company_id ??
    state.companies.values().next().value?.id ??
    createCompany(ctx).id;
  requireRecord(state.companies, companyId, 'Company', 'company_id');

  const product =
    productIn ??
    [...state.products.values()].find((p) => p.company_id === companyId) ??
    createProduct(ctx, { companyId });
  const plan =
    planIn ??
    [...state.plans.values()].find((p) => p.product_id === product.id) ??
    createPlan(ctx, { productId: product.id });
  const user = input.userId
    ? requireRecord(state.users, input.userId, 'User', 'user_id')
    : membershipIn
      ? requireRecord(state.users, membershipIn.user_id, 'User', 'user_id')
      : createUser(ctx, input.user);
  const member = input.memberId
    ? requireRecord(state.members, input.memberId, 'Member', 'member_id')
    : (state.memberOf(companyId, user.id) ??
      createMember(ctx, { companyId, userId: user.id, createdAt: input.createdAt }));
  const membership =
    membershipIn ??
    createMembership(ctx, {
      userId: user.id,
      planId: plan.id,
      memberId: member.id,
      createdAt: input.createdAt,
    });

  const base = baseRecord(ctx, newId('payment'), input.createdAt);
  const total = round2(input.total ?? 49.99);
  const status = input.status ?? 'paid';
  const isCard = (input.paymentMethodType ?? 'card') === 'card';
  const rec: PaymentRecord = {
    ...base,
    company_id: companyId,
    user_id: user.id,
    member_id: member.id,
    membership_id: membership.id,
    product_id: product.id,
    plan_id: plan.id,
    total,
    subtotal: round2(input.subtotal ?? total),
    currency: input.currency ?? 'usd',
    status,
    paid_at:
      input.paidAt === null
        ? null
        : input.paidAt !== undefined
          ? toIso(input.paidAt)
          : status === 'paid'
            ? base.created_at
            : null,
    provider: input.provider ?? 'stripe',
    payment_method_id: newId('paymentMethod'),
    payment_method_type: input.paymentMethodType ?? 'card',
    card_brand: input.cardBrand !== undefined ? input.cardBrand : isCard ? 'visa' : null,
    card_last4: input.cardLast4 !== undefined ? input.cardLast4 : isCard ? '4242' : null,
    billing_reason: input.billingReason !== undefined ? input.billingReason : 'one_time',
    billing_address: {
      name: user.name,
      line1: '123 Main St',
      line2: null,
      city: 'New York',
      state: 'NY',
      postal_code: '10001',
      country: 'US',
    },
    metadata: input.metadata ?? {},
    dispute_alerted_at: null,
  };
  state.addPayment(rec);
  return rec;
}
