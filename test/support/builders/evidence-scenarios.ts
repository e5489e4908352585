/**
 * Issue 12's table of reason × facts: one Whop dispute reason per reason category (and one Whop may add
 * later), and the facts cases the evidence must argue from — usage after the purchase or none, events
 * only from before it, a Visa CE 3.0 match or none, a subscription renewal, the refund and cancellation
 * policies shown and accepted or not, and Whop records that argue for the cardholder. The evidence
 * advocacy test and the case-strength table both run over it. Data only, no test framework.
 */

import type { AccessEvent } from '../../../src/access-events/access-event.js';
import type { EvidenceFacts } from '../../../src/evidence/evidence-facts.js';
import { accessEvent, heavyUse, usage } from './access-events.js';
import { disclosure, evidenceFacts, priorPayment, resolvedPolicy } from './evidence.js';
import { afterPaid, DISPUTE_CREATED_AT, fixture } from './fixture.js';
import { whopDispute } from './whop-cases.js';
import { whopMember, whopMembership, whopPayment, whopUser } from './whop-customer.js';

/** Whop dispute reasons, one per reason category, in the category order of the case-strength table. */
export const SCENARIO_REASONS = {
  fraud: 'Fraudulent',
  not_received: 'Product Not Received',
  not_as_described: 'Product Unacceptable',
  subscription: 'Subscription Canceled',
  duplicate: 'Duplicate',
  credit_not_processed: 'Credit Not Processed',
  general: 'General',
} as const;

/** Any reason text Whop may send that we do not know: argued as `general`. */
export const UNKNOWN_REASON = 'something Whop adds later';

const { purchaseIp, purchaseDevice } = fixture();
const DAY_MS = 86_400_000;
const daysBeforeDispute = (ms: number) => (Date.parse(DISPUTE_CREATED_AT) - ms) / DAY_MS;

/**
 * Policies whose merchant-written text says nothing about access, so every adverse phrase the advocacy
 * scan finds is one the builder wrote. The checkout facts are the fixture's: shown and accepted.
 */
function neutralPolicy(overrides: Parameters<typeof resolvedPolicy>[0] = {}) {
  return resolvedPolicy({
    refund_policy: disclosure({ text: 'Refunds within 7 days of purchase, on request to support.' }),
    cancellation_policy: disclosure({
      text: 'Cancel any time from your Whop account; cancellation takes effect at the end of the paid period.',
      url: 'https://autopilot.example.com/cancel',
      renewal_reminders: 'email 3 days before each renewal',
    }),
    ...overrides,
  });
}

/** Events an hour after an earlier payment made `daysBefore` days before the dispute. */
function eventsAfterPrior(daysBefore: number, ip: string, deviceId: string): AccessEvent[] {
  const ms = Date.parse(DISPUTE_CREATED_AT) - daysBefore * DAY_MS + 3_600_000;
  return [0, 1].map((i) =>
    accessEvent({ occurredAt: new Date(ms + i * 60_000).toISOString(), ip, deviceId }),
  );
}

/** The renewal before this one: 30 days before the payment, undisputed. */
const previousRenewal = () =>
  priorPayment(daysBeforeDispute(Date.parse(afterPaid(-60 * 24 * 30))), { id: 'pay_prevrenewal' });

export interface EvidenceScenario {
  /** What the facts are, in words (the test's name). */
  name: string;
  /** The facts for one dispute reason. */
  facts: (reason: string) => EvidenceFacts;
}

const base = (reason: string, overrides: Partial<EvidenceFacts> = {}): EvidenceFacts =>
  evidenceFacts({ dispute: whopDispute({ reason }), policy: neutralPolicy(), ...overrides });

export const SCENARIOS = {
  used: {
    name: 'used after purchase (8 sessions on 8 days, from the purchase IP and device)',
    facts: (reason) => base(reason, { accessEvents: heavyUse() }),
  },
  noEvents: {
    name: 'no access events at all',
    facts: (reason) => base(reason),
  },
  onlyBefore: {
    name: 'events only from before the purchase',
    facts: (reason) =>
      base(reason, {
        accessEvents: [
          accessEvent({ occurredAt: afterPaid(-60 * 24 * 10) }),
          accessEvent({ occurredAt: afterPaid(-60 * 24 * 20) }),
        ],
      }),
  },
  ce3Match: {
    name: 'Visa CE 3.0 match (two earlier payments from the purchase IP and device), no later use',
    facts: (reason) =>
      base(reason, {
        purchase: { ip: purchaseIp, deviceId: purchaseDevice },
        priorPayments: [priorPayment(130), priorPayment(200)],
        accessEvents: [
          ...eventsAfterPrior(130, purchaseIp, purchaseDevice),
          ...eventsAfterPrior(200, purchaseIp, purchaseDevice),
        ],
      }),
  },
  noCe3Match: {
    name: 'no CE 3.0 match, and use only from another IP and device than the purchase',
    facts: (reason) =>
      base(reason, {
        purchase: { ip: purchaseIp, deviceId: purchaseDevice },
        priorPayments: [priorPayment(130), priorPayment(200)],
        accessEvents: [
          ...eventsAfterPrior(130, '192.0.2.50', 'dev_other'),
          ...eventsAfterPrior(200, '192.0.2.50', 'dev_other'),
          ...usage({ sessions: 5, perSession: 4, ip: '198.51.100.23', deviceId: 'dev_zz9' }),
        ],
      }),
  },
  renewalUnused: {
    name: 'subscription renewal, the renewed period unused (events only from the period before)',
    facts: (reason) =>
      base(reason, {
        payment: whopPayment({ billing_reason: 'subscription_cycle' }),
        priorPayments: [previousRenewal()],
        accessEvents: usage({ sessions: 3, perSession: 2, startMinutes: -60 * 24 * 20 }),
      }),
  },
  renewalUsed: {
    name: 'subscription renewal, the renewed period used',
    facts: (reason) =>
      base(reason, {
        payment: whopPayment({ billing_reason: 'subscription_cycle' }),
        priorPayments: [previousRenewal()],
        accessEvents: heavyUse(),
      }),
  },
  refundNotShownUnused: {
    name: 'refund policy not shown at checkout, no access events',
    facts: (reason) =>
      base(reason, {
        policy: neutralPolicy({
          refund_policy: disclosure({
            text: 'Refunds within 7 days of purchase, on request to support.',
            shown_at_checkout: false,
            accepted_via: null,
          }),
        }),
      }),
  },
  briefUseRefundShown: {
    name: 'brief use (one session), refund policy shown at checkout but not accepted',
    facts: (reason) =>
      base(reason, {
        accessEvents: usage({ sessions: 1, perSession: 2 }),
        policy: neutralPolicy({
          refund_policy: disclosure({
            text: 'Refunds within 7 days of purchase, on request to support.',
            accepted_via: null,
          }),
        }),
      }),
  },
  noPoliciesUsed: {
    name: 'no refund or cancellation policy and no product description, used',
    facts: (reason) =>
      base(reason, {
        accessEvents: heavyUse(),
        policy: neutralPolicy({ refund_policy: null, cancellation_policy: null, product_description: null }),
      }),
  },
  noPoliciesUnused: {
    name: 'no refund or cancellation policy and no product description, no access events',
    facts: (reason) =>
      base(reason, {
        policy: neutralPolicy({ refund_policy: null, cancellation_policy: null, product_description: null }),
      }),
  },
  cancellationNotShownUsed: {
    name: 'cancellation policy not shown at checkout, used',
    facts: (reason) =>
      base(reason, {
        accessEvents: heavyUse(),
        policy: neutralPolicy({
          cancellation_policy: disclosure({
            text: 'Cancel any time from your Whop account.',
            shown_at_checkout: false,
            accepted_via: null,
          }),
        }),
      }),
  },
  whopRecordsAgainst: {
    name: 'Whop records against the merchant (canceled before the payment, churned, account created after it), no events',
    facts: (reason) =>
      base(reason, {
        membership: whopMembership({ status: 'canceled', canceled_at: afterPaid(-60 * 24) }),
        member: whopMember({ most_recent_action: 'churned', most_recent_action_at: afterPaid(-60 * 24) }),
        user: whopUser({ created_at: afterPaid(60) }),
      }),
  },
  neverActivated: {
    name: 'membership Whop never activated (drafted), no events',
    facts: (reason) => base(reason, { membership: whopMembership({ status: 'drafted' }) }),
  },
  duplicateTwin: {
    name: 'another payment of the same amount three minutes later, used',
    facts: (reason) =>
      base(reason, {
        accessEvents: heavyUse(),
        priorPayments: [priorPayment(0, { id: 'pay_twin', paid_at: afterPaid(3), created_at: afterPaid(3) })],
      }),
  },
} satisfies Record<string, EvidenceScenario>;

export type ScenarioName = keyof typeof SCENARIOS;
