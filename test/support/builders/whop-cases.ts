/**
 * The four kinds of Whop object the service tracks (disputes, dispute alerts, refunds, Resolution Center
 * cases), shaped exactly as @whop/sdk 0.0.42 types them: the retrieve shape and the slimmer list shape.
 * Each builder returns the SDK type that is also a plain JSON object (`WhopObject`), since that is what
 * `fromWhop` reads off the wire. Data only, no test framework.
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
import {
  BUYER,
  COMPANY,
  DISPUTE_CREATED_AT,
  MEMBER_ID,
  MEMBERSHIP_ID,
  PAID_AT,
  PAYMENT_ID,
  PRODUCT,
} from './fixture.js';

/** A Whop object as JSON: what the webhook body and the API answer carry. */
export type WhopObject = Record<string, unknown>;
/** An SDK-typed object that also reads as plain JSON. */
export type Wire<T> = T & WhopObject;

const wire = <T extends object>(o: T): Wire<T> => o as Wire<T>;

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
    member: { id: MEMBER_ID, phone: null },
    // Nothing reads the embedded membership's status; active, like `whopMembership()`.
    membership: { id: MEMBERSHIP_ID, status: 'active' },
    paid_at: PAID_AT,
    payment_method_type: 'card',
    subtotal: 49,
    total: 49,
    usd_total: 49,
    user: { ...BUYER },
    ...overrides,
  };
}

/** `disputes.retrieve` (and webhook `data`): a fresh chargeback awaiting the merchant's evidence. */
export function whopDispute(overrides: Partial<Dispute> = {}): Wire<Dispute> {
  return wire<Dispute>({
    id: 'dspt_5Vn8QxLk2m',
    access_activity_log: null,
    amount: 49,
    billing_address: null,
    cancellation_policy_attachment: null,
    cancellation_policy_disclosure: null,
    company: { ...COMPANY },
    created_at: DISPUTE_CREATED_AT,
    currency: 'usd',
    customer_communication_attachment: null,
    customer_email_address: null,
    customer_name: null,
    editable: true,
    needs_response_by: '2025-03-24T23:59:59.000Z',
    notes: null,
    payment: whopPaymentEmbed(),
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
  });
}

/** An item of `disputes.list`: the payment is only `{ id }`. */
export function whopDisputeListItem(overrides: Partial<DisputeListResponse> = {}): Wire<DisputeListResponse> {
  return wire<DisputeListResponse>({
    id: 'dspt_5Vn8QxLk2m',
    amount: 49,
    company: { ...COMPANY },
    created_at: DISPUTE_CREATED_AT,
    currency: 'usd',
    editable: true,
    needs_response_by: '2025-03-24T23:59:59.000Z',
    payment: { id: PAYMENT_ID },
    plan: { id: 'plan_2Bc7RtY1' },
    product: { ...PRODUCT },
    reason: 'Product Not Received',
    status: 'needs_response',
    visa_rdr: false,
    ...overrides,
  });
}

/** `disputeAlerts.retrieve`: an early warning (Ethoca/Verifi style) tied to a dispute. */
export function whopDisputeAlert(
  overrides: Partial<DisputeAlertRetrieveResponse> = {},
): Wire<DisputeAlertRetrieveResponse> {
  return wire<DisputeAlertRetrieveResponse>({
    id: 'dspa_1Rt6YuIo9p',
    alert_type: 'dispute',
    amount: 49,
    charge_for_alert: true,
    created_at: '2025-03-09T19:12:00.000Z',
    currency: 'usd',
    dispute: {
      id: 'dspt_5Vn8QxLk2m',
      amount: 49,
      created_at: DISPUTE_CREATED_AT,
      currency: 'usd',
      reason: 'Product Not Received',
      status: 'needs_response',
    },
    payment: { ...whopPaymentEmbed(), dispute_alerted_at: '2025-03-09T19:12:00.000Z' },
    transaction_date: PAID_AT,
    ...overrides,
  });
}

/** An item of `disputeAlerts.list`: dispute and payment are only `{ id }`. */
export function whopDisputeAlertListItem(
  overrides: Partial<DisputeAlertListResponse> = {},
): Wire<DisputeAlertListResponse> {
  return wire<DisputeAlertListResponse>({
    id: 'dspa_1Rt6YuIo9p',
    alert_type: 'dispute',
    amount: 49,
    charge_for_alert: true,
    created_at: '2025-03-09T19:12:00.000Z',
    currency: 'usd',
    dispute: { id: 'dspt_5Vn8QxLk2m' },
    payment: { id: PAYMENT_ID },
    transaction_date: PAID_AT,
    ...overrides,
  });
}

/** `refunds.retrieve`: a Stripe refund still in flight. */
export function whopRefund(overrides: Partial<RefundRetrieveResponse> = {}): Wire<RefundRetrieveResponse> {
  return wire<RefundRetrieveResponse>({
    id: 'rfnd_0Pl5KjHg3f',
    amount: 19.5,
    created_at: '2025-03-11T12:30:00.000Z',
    currency: 'usd',
    payment: {
      ...whopPaymentEmbed(),
      metadata: null,
      plan: { id: 'plan_2Bc7RtY1', metadata: null },
      product: { id: PRODUCT.id, metadata: null },
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
  });
}

/** An item of `refunds.list`: the payment is only `{ id }`. */
export function whopRefundListItem(overrides: Partial<RefundListResponse> = {}): Wire<RefundListResponse> {
  return wire<RefundListResponse>({
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
  });
}

/** `resolutionCenterCases.retrieve`: a customer just opened a case; the merchant has 7 days. */
export function whopCase(
  overrides: Partial<ResolutionCenterCaseRetrieveResponse> = {},
): Wire<ResolutionCenterCaseRetrieveResponse> {
  return wire<ResolutionCenterCaseRetrieveResponse>({
    id: 'reso_2Wq9ErTy6u',
    company: { ...COMPANY },
    created_at: '2025-03-10T10:00:00.000Z',
    customer_appealed: false,
    customer_response_actions: [],
    due_date: '2025-03-17T10:00:00.000Z',
    issue: 'forgot_to_cancel',
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
        details: 'I forgot to cancel before the renewal.',
        reporter_type: 'customer',
      },
    ],
    status: 'merchant_response_needed',
    updated_at: '2025-03-10T10:00:00.000Z',
    user: { id: BUYER.id, name: BUYER.name, username: BUYER.username },
    ...overrides,
  });
}

/** An item of `resolutionCenterCases.list`: the payment is only `{ id }`, no events or member. */
export function whopCaseListItem(
  overrides: Partial<ResolutionCenterCaseListResponse> = {},
): Wire<ResolutionCenterCaseListResponse> {
  return wire<ResolutionCenterCaseListResponse>({
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
  });
}
