/**
 * The inputs of the evidence decisions: resolved policies, the customer's other payments, and the facts
 * `buildEvidence` and `buildCaseBrief` take, filled from the fixture customer. Data only.
 */
import type { ResolutionCenterCaseRetrieveResponse } from '@whop/sdk/resources';
import type { CaseBriefFacts } from '../../../src/evidence/case-brief.js';
import type { EvidenceFacts, PriorPayment, PriorPaymentLike } from '../../../src/evidence/evidence-facts.js';
import { DEFAULT_REFUND_RULES } from '../../../src/policy/refund-rules.js';
import type { Disclosure, ResolvedPolicy } from '../../../src/policy/resolve-policy.js';
import { COMPANY, DISPUTE_CREATED_AT, fixture, PRODUCT } from './fixture.js';
import { type Wire, whopCase, whopDispute } from './whop-cases.js';
import { whopMember, whopMembership, whopPayment, whopUser } from './whop-customer.js';

/**
 * A Resolution Center case about an item not received: the case the case-brief tests start from
 * (`whopCase()` itself is about a forgotten cancellation).
 */
export function notReceivedCase(
  overrides: Partial<ResolutionCenterCaseRetrieveResponse> = {},
): Wire<ResolutionCenterCaseRetrieveResponse> {
  return whopCase({
    issue: 'item_not_received',
    resolution_events: [
      {
        id: 'revt_1',
        action: 'created',
        created_at: '2025-03-10T10:00:00.000Z',
        details: 'I paid but never got access to the signals channel.',
        reporter_type: 'customer',
      },
    ],
    ...overrides,
  });
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
    dispute_alerts: DEFAULT_REFUND_RULES,
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
  const paid = new Date(Date.parse(DISPUTE_CREATED_AT) - daysBefore * 86_400_000).toISOString();
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
    rcCase: notReceivedCase(),
    payment: whopPayment({ substatus: 'resolution_needs_response' }),
    membership: whopMembership(),
    member: whopMember(),
    accessEvents: [],
    policy: resolvedPolicy(),
    now: fixture().now,
    ...overrides,
  };
}
