/**
 * Builders for the unit tests in src/evidence: Whop objects shaped exactly as @whop/sdk 0.0.42 types
 * them, merchant access events, and resolved policies. Data only, no test framework.
 */
import type {
  Dispute,
  MemberRetrieveResponse,
  Membership,
  Payment,
  ResolutionCenterCaseRetrieveResponse,
  User,
} from '@whop/sdk/resources';
import type { AccessEvent } from '../access-events/access-event.js';
import type { Disclosure, ResolvedPolicy } from '../policy/resolve-policy.js';
import type { EvidenceFacts, PriorPayment, PriorPaymentLike } from './build-evidence.js';
import type { CaseBriefFacts } from './case-brief.js';

const COMPANY = { id: 'biz_4Tq8mXv2Lp', title: 'Autopilot Academy' };
const PRODUCT = { id: 'prod_6Xz0PqA3', title: 'Trading Signals Pro' };
const BUYER = {
  id: 'user_9Kd2sQpZx1',
  email: 'sam.buyer@example.com',
  name: 'Sam Buyer',
  username: 'sambuyer',
};
const PAYMENT_ID = 'pay_7Hq2VbN0rT';
const MEMBERSHIP_ID = 'mem_8Hs1PwQe';
const MEMBER_ID = 'mber_3LkQ9sd0';
const PAID_AT = '2025-02-14T16:02:13.000Z';

/** The ids and times every builder shares. */
export function fixture() {
  return {
    company: { ...COMPANY },
    product: { ...PRODUCT },
    buyer: { ...BUYER },
    paymentId: PAYMENT_ID,
    membershipId: MEMBERSHIP_ID,
    memberId: MEMBER_ID,
    paidAt: PAID_AT,
    disputeCreatedAt: '2025-03-10T08:41:27.000Z',
    now: new Date('2025-03-11T12:00:00.000Z'),
    purchaseIp: '203.0.113.7',
    purchaseDevice: 'dev_a1b2c3',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 Safari/605.1.15',
  };
}

/** `minutes` after the payment, as ISO. */
export function afterPaid(minutes: number): string {
  return new Date(Date.parse(PAID_AT) + minutes * 60_000).toISOString();
}

/** `payments.retrieve`: a paid one-time card payment. */
export function whopPayment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: PAYMENT_ID,
    amount_after_fees: 46.28,
    application_fee: null,
    auto_refunded: false,
    billing_address: {
      name: 'Sam Buyer',
      line1: '123 Main St',
      line2: 'Apt 4',
      city: 'New York',
      state: 'NY',
      postal_code: '10001',
      country: 'US',
    },
    billing_reason: 'one_time',
    card_brand: 'visa',
    card_last4: '4242',
    checkout_configuration_id: null,
    company: { id: COMPANY.id, route: 'autopilot-academy', title: COMPANY.title },
    created_at: '2025-02-14T16:02:11.000Z',
    currency: 'usd',
    dispute_alerted_at: null,
    disputes: [],
    failure_message: null,
    financing_installments_count: null,
    financing_transactions: [],
    last_payment_attempt: '2025-02-14T16:02:11.000Z',
    member: { id: MEMBER_ID, phone: null },
    membership: { id: MEMBERSHIP_ID, phone_number: null, status: 'active' },
    metadata: {},
    next_payment_attempt: null,
    paid_at: PAID_AT,
    payment_method: null,
    payment_method_type: 'card',
    payments_failed: 0,
    plan: { id: 'plan_2Bc7RtY1', internal_notes: null, metadata: null },
    product: { id: PRODUCT.id, metadata: null, route: 'trading-signals-pro', title: PRODUCT.title },
    promo_code: null,
    refundable: false,
    refunded_amount: null,
    refunded_at: null,
    refunds: [],
    resolutions: [],
    retryable: false,
    risk_score: null,
    risk_signals: null,
    settlement_amount: 49,
    settlement_currency: 'usd',
    settlement_exchange_rate: null,
    shipping_address: null,
    status: 'paid',
    substatus: 'dispute_needs_response',
    subtotal: 49,
    tax_amount: 0,
    tax_behavior: null,
    tax_refunded_amount: null,
    three_ds_verified: false,
    total: 49,
    updated_at: '2025-03-10T08:41:27.000Z',
    usd_total: 49,
    user: { ...BUYER },
    voidable: false,
    ...overrides,
  };
}

/** `disputes.retrieve`: a fresh chargeback awaiting the merchant's evidence. */
export function whopDispute(overrides: Partial<Dispute> = {}): Dispute {
  return {
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
    payment: {
      id: PAYMENT_ID,
      billing_reason: 'one_time',
      card_brand: 'visa',
      card_last4: '4242',
      created_at: '2025-02-14T16:02:11.000Z',
      currency: 'usd',
      dispute_alerted_at: null,
      member: { id: MEMBER_ID, phone: null },
      membership: { id: MEMBERSHIP_ID, status: 'active' },
      paid_at: PAID_AT,
      payment_method_type: 'card',
      subtotal: 49,
      total: 49,
      usd_total: 49,
      user: { ...BUYER },
    },
    plan: { id: 'plan_2Bc7RtY1' },
    product: { ...PRODUCT },
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
}

/** `memberships.retrieve`: an active monthly membership created by the payment. */
export function whopMembership(overrides: Partial<Membership> = {}): Membership {
  return {
    id: MEMBERSHIP_ID,
    cancel_at_period_end: false,
    cancel_option: null,
    canceled_at: null,
    cancellation_reason: null,
    checkout_configuration_id: null,
    company: { ...COMPANY },
    created_at: '2025-02-14T16:02:14.000Z',
    currency: 'usd',
    custom_field_responses: [],
    joined_at: '2025-02-14T16:02:14.000Z',
    license_key: null,
    manage_url: 'https://whop.com/orders/mem_8Hs1PwQe/manage',
    member: { id: MEMBER_ID },
    metadata: null,
    payment_collection_paused: false,
    plan: { id: 'plan_2Bc7RtY1', metadata: null },
    product: { id: PRODUCT.id, metadata: null, title: PRODUCT.title },
    promo_code: null,
    renewal_period_end: '2025-03-14T16:02:13.000Z',
    renewal_period_start: '2025-02-14T16:02:13.000Z',
    status: 'active',
    updated_at: '2025-03-01T09:00:00.000Z',
    user: { ...BUYER },
    ...overrides,
  };
}

/** `members.retrieve`. */
export function whopMember(overrides: Partial<MemberRetrieveResponse> = {}): MemberRetrieveResponse {
  return {
    id: MEMBER_ID,
    access_level: 'customer',
    company: { id: COMPANY.id, route: 'autopilot-academy', title: COMPANY.title },
    company_token_balance: 0,
    created_at: '2025-02-14T16:02:14.000Z',
    joined_at: '2025-02-14T16:02:14.000Z',
    most_recent_action: 'paid_subscriber',
    most_recent_action_at: '2025-02-14T16:02:14.000Z',
    phone: null,
    status: 'joined',
    updated_at: '2025-02-14T16:02:14.000Z',
    usd_total_spent: 49,
    user: { ...BUYER },
    ...overrides,
  };
}

/** `users.retrieve`: the buyer's public profile. */
export function whopUser(overrides: Partial<User> = {}): User {
  return {
    id: BUYER.id,
    balance: null,
    balance_history: null,
    bio: null,
    created_at: '2024-05-02T10:00:00.000Z',
    earnings_usd: null,
    name: BUYER.name,
    profile_picture: null,
    username: BUYER.username,
    verification: null,
    whop_partner_enabled_at: null,
    ...overrides,
  };
}

/** `resolutionCenterCases.retrieve`: a case awaiting the merchant. */
export function whopCase(
  overrides: Partial<ResolutionCenterCaseRetrieveResponse> = {},
): ResolutionCenterCaseRetrieveResponse {
  return {
    id: 'reso_2Wq9ErTy6u',
    company: { ...COMPANY },
    created_at: '2025-03-10T10:00:00.000Z',
    customer_appealed: false,
    customer_response_actions: [],
    due_date: '2025-03-17T10:00:00.000Z',
    issue: 'item_not_received',
    member: { id: MEMBER_ID },
    merchant_appealed: false,
    merchant_response_actions: ['accept', 'deny', 'request_more_info'],
    payment: {
      id: PAYMENT_ID,
      created_at: '2025-02-14T16:02:11.000Z',
      currency: 'usd',
      paid_at: PAID_AT,
      subtotal: 49,
      total: 49,
    },
    platform_response_actions: [],
    resolution_events: [
      {
        id: 'revt_1',
        action: 'created',
        created_at: '2025-03-10T10:00:00.000Z',
        details: 'I paid but never got access to the signals channel.',
        reporter_type: 'customer',
      },
    ],
    status: 'merchant_response_needed',
    updated_at: '2025-03-10T10:00:00.000Z',
    user: { id: BUYER.id, name: BUYER.name, username: BUYER.username },
    ...overrides,
  };
}

let eventSeq = 0;

/** One merchant access event; by default a login from the purchase IP and device, 5 minutes after payment. */
export function accessEvent(overrides: Partial<AccessEvent> = {}): AccessEvent {
  eventSeq++;
  return {
    eventId: `evt_${eventSeq}`,
    userId: BUYER.id,
    occurredAt: afterPaid(5),
    action: 'login',
    ip: '203.0.113.7',
    deviceId: 'dev_a1b2c3',
    ...overrides,
  };
}

/**
 * `sessions` sessions, one a day starting `startMinutes` after payment, each with `perSession` events a
 * minute apart: a login, then `action`. Each session has its own sessionId unless `sessionIds` is false.
 */
export function usage(
  opts: {
    sessions?: number;
    perSession?: number;
    startMinutes?: number;
    dayStep?: number;
    action?: string;
    sessionIds?: boolean;
  } & Partial<Pick<AccessEvent, 'ip' | 'deviceId' | 'userAgent'>> = {},
): AccessEvent[] {
  const { sessions = 3, perSession = 4, startMinutes = 5, dayStep = 1, action = 'lesson_viewed' } = opts;
  const events: AccessEvent[] = [];
  for (let s = 0; s < sessions; s++) {
    const sessionId = opts.sessionIds === false ? undefined : `sess_${eventSeq}_${s}`;
    for (let i = 0; i < perSession; i++) {
      const event = accessEvent({
        occurredAt: afterPaid(startMinutes + s * dayStep * 24 * 60 + i),
        action: i === 0 ? 'login' : action,
        ...(sessionId ? { sessionId } : {}),
      });
      for (const key of ['ip', 'deviceId', 'userAgent'] as const) {
        if (key in opts) {
          if (opts[key] === undefined) delete event[key];
          else event[key] = opts[key];
        }
      }
      events.push(event);
    }
  }
  return events;
}

export function disclosure(overrides: Partial<Disclosure> = {}): Disclosure {
  return {
    text: 'Refunds are available within 7 days of purchase if you have not accessed the course content.',
    url: 'https://autopilot.example.com/refunds',
    shown_at_checkout: true,
    accepted_via: 'checkbox at checkout',
    renewal_reminders: null,
    ...overrides,
  };
}

export function resolvedPolicy(overrides: Partial<ResolvedPolicy> = {}): ResolvedPolicy {
  return {
    company_id: COMPANY.id,
    product_id: PRODUCT.id,
    product_description:
      'Trading Signals Pro: a monthly membership with daily trade signals in a private Discord channel and a video course of 40 lessons in our web app.',
    refund_policy: disclosure(),
    cancellation_policy: disclosure({
      text: 'Cancel any time from your Whop account; cancellation takes effect at the end of the paid period.',
      url: 'https://autopilot.example.com/cancel',
      renewal_reminders: 'email 3 days before each renewal',
    }),
    terms_url: 'https://autopilot.example.com/terms',
    reason_wording: {},
    auto_submit: null,
    submit_lead: null,
    submit_lead_ms: null,
    dispute_alerts: null,
    alerts: null,
    ...overrides,
  };
}

/** An earlier payment by the same customer, `daysBefore` days before the dispute was opened. */
export function priorPayment(
  daysBefore: number,
  overrides: Partial<PriorPaymentLike> = {},
  disputed = false,
): PriorPayment {
  const paid = new Date(Date.parse('2025-03-10T08:41:27.000Z') - daysBefore * 86_400_000).toISOString();
  return {
    payment: {
      id: `pay_prior${daysBefore}`,
      created_at: paid,
      paid_at: paid,
      total: 49,
      currency: 'usd',
      status: 'paid',
      substatus: 'succeeded',
      card_last4: '4242',
      ...overrides,
    },
    disputed,
  };
}

export function evidenceFacts(overrides: Partial<EvidenceFacts> = {}): EvidenceFacts {
  return {
    dispute: whopDispute(),
    payment: whopPayment(),
    membership: whopMembership(),
    member: whopMember(),
    user: whopUser(),
    accessEvents: [],
    priorPayments: [],
    policy: resolvedPolicy(),
    now: fixture().now,
    ...overrides,
  };
}

export function caseFacts(overrides: Partial<CaseBriefFacts> = {}): CaseBriefFacts {
  return {
    rcCase: whopCase(),
    payment: whopPayment({ substatus: 'resolution_needs_response' }),
    membership: whopMembership(),
    member: whopMember(),
    accessEvents: [],
    policy: resolvedPolicy(),
    now: fixture().now,
    ...overrides,
  };
}
