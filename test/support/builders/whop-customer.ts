/**
 * What Whop knows about the customer behind a dispute or case, shaped exactly as @whop/sdk 0.0.42 types
 * it: the payment (`payments.retrieve`), the membership, the member and the user. Data only.
 */
import type { MemberRetrieveResponse, Membership, Payment, User } from '@whop/sdk/resources';
import { BUYER, COMPANY, MEMBER_ID, MEMBERSHIP_ID, PAID_AT, PAYMENT_ID, PRODUCT } from './fixture.js';

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
