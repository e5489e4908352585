import { describe, expect, it } from 'vitest';
import { priorPayment } from '../../test/support/builders/evidence.js';
import {
  SCENARIO_REASONS,
  SCENARIOS,
  type ScenarioName,
} from '../../test/support/builders/evidence-scenarios.js';
import { afterPaid } from '../../test/support/builders/fixture.js';
import { whopDispute } from '../../test/support/builders/whop-cases.js';
import { whopPayment } from '../../test/support/builders/whop-customer.js';
import type { MinorAmount } from '../config/amount-list.js';
import { buildEvidence } from './build-evidence.js';
import {
  assessCaseStrength,
  type CaseStrength,
  type CaseStrengthFacts,
  type CaseStrengthLevel,
} from './case-strength.js';
import type { EvidenceFacts } from './evidence-facts.js';
import type { ReasonCategory } from './reason-category.js';

const USD_25: MinorAmount[] = [{ currency: 'USD', minor: 2500 }];
const NOT_SUBMITTING =
  "Whop's API has no call to accept a dispute: not fighting means not submitting evidence.";

const CATEGORIES = Object.keys(SCENARIO_REASONS) as ReasonCategory[];
const S = 'strong' as const;
const F = 'fair' as const;
const W = 'weak' as const;

/**
 * Issue 12's table: the strength of every reason category × facts case (the fixture: a 49.00 USD Visa
 * payment; refund and cancellation policies shown and accepted unless the case says otherwise).
 */
//                                 fraud not_recv not_desc subscr dup credit general
const EXPECTED: Record<ScenarioName, CaseStrengthLevel[]> = {
  used: /*                     */ [S, S, S, S, S, S, S],
  noEvents: /*                 */ [W, W, W, F, S, F, W],
  onlyBefore: /*               */ [W, W, W, F, S, F, W],
  ce3Match: /*                 */ [S, W, W, F, S, F, W],
  noCe3Match: /*               */ [W, S, S, S, S, S, S],
  renewalUnused: /*            */ [W, W, W, F, F, F, W],
  renewalUsed: /*              */ [S, S, S, S, F, S, S],
  refundNotShownUnused: /*     */ [W, W, W, F, S, W, W],
  briefUseRefundShown: /*      */ [S, S, F, S, S, F, F],
  noPoliciesUsed: /*           */ [S, S, F, F, S, W, F],
  noPoliciesUnused: /*         */ [W, W, W, W, S, W, W],
  cancellationNotShownUsed: /* */ [S, S, S, S, S, S, S],
  whopRecordsAgainst: /*       */ [W, W, W, W, S, F, W],
  neverActivated: /*           */ [W, W, W, F, S, F, W],
  duplicateTwin: /*            */ [S, S, S, S, W, S, S],
};

/** The facts of one case, as a chargeback or an inquiry for `amount` USD. */
function caseFacts(
  key: ScenarioName,
  category: ReasonCategory,
  dispute: { status?: string; amount?: number } = {},
) {
  const facts: EvidenceFacts = SCENARIOS[key].facts(SCENARIO_REASONS[category]);
  facts.dispute = whopDispute({
    reason: SCENARIO_REASONS[category],
    ...(dispute.status ? { status: dispute.status as never } : {}),
    ...(dispute.amount !== undefined ? { amount: dispute.amount } : {}),
  });
  return buildEvidence(facts).caseFacts;
}

const TABLE = (Object.keys(EXPECTED) as ScenarioName[]).flatMap((key) =>
  CATEGORIES.map((category, i) => ({
    key,
    scenario: SCENARIOS[key].name,
    category,
    strength: EXPECTED[key][i]!,
  })),
);

function expectWellFormed(a: CaseStrength) {
  for (const r of a.reasons) expect(r).toMatch(/^(For|Against): \S/);
  if (a.strength === 'weak') expect(a.reasons.some((r) => r.startsWith('Against:'))).toBe(true);
  if (a.strength === 'strong') expect(a.reasons.some((r) => r.startsWith('For:'))).toBe(true);
  // For before against, each weightiest first, so the merchant reads the case first.
  const firstAgainst = a.reasons.findIndex((r) => r.startsWith('Against:'));
  if (firstAgainst >= 0)
    expect(a.reasons.slice(firstAgainst).every((r) => r.startsWith('Against:'))).toBe(true);
}

describe('assessCaseStrength: reason category × facts', () => {
  it('has a row for every facts case and a column for every reason category', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(SCENARIOS).sort());
    for (const row of Object.values(EXPECTED)) expect(row).toHaveLength(CATEGORIES.length);
  });

  it.each(TABLE)('$category — $scenario: $strength', ({ key, category, strength }) => {
    // A 49.00 USD chargeback: above the 25 USD minimum, so every case is fought.
    const chargeback = assessCaseStrength(caseFacts(key, category), { minFightAmounts: USD_25 });
    expect(chargeback.strength).toBe(strength);
    expectWellFormed(chargeback);
    expect(chargeback.recommendation.action).toBe('fight');
    expect(chargeback.recommendation.text).toMatch(/^Fight/);
    expect(chargeback.recommendation.text).not.toContain('not submitting');

    // The same facts for 20.00 USD: a weak chargeback under the minimum is better left to close.
    const small = assessCaseStrength(caseFacts(key, category, { amount: 20 }), { minFightAmounts: USD_25 });
    expect(small.strength).toBe(strength);
    expect(small.recommendation.action).toBe(strength === 'weak' ? 'let_close' : 'fight');
    if (strength === 'weak') {
      expect(small.recommendation.text).toContain(
        'a weak case for $20.00, less than your MIN_FIGHT_AMOUNT of $25.00',
      );
      expect(small.recommendation.text).toContain(NOT_SUBMITTING);
    }

    // As an inquiry: a weak one can still be refunded, which costs less than the chargeback.
    const inquiry = assessCaseStrength(caseFacts(key, category, { status: 'warning_needs_response' }), {
      minFightAmounts: USD_25,
    });
    expect(inquiry.strength).toBe(strength);
    expect(inquiry.recommendation.action).toBe(strength === 'weak' ? 'refund_inquiry' : 'fight');
    if (strength === 'weak') {
      expect(inquiry.recommendation.text).toMatch(/^Consider refunding instead of fighting/);
      expect(inquiry.recommendation.text).toContain(NOT_SUBMITTING);
    }

    // Once the dispute takes no evidence, there is nothing to decide.
    const closed = assessCaseStrength(caseFacts(key, category, { status: 'under_review' }), {
      minFightAmounts: USD_25,
    });
    expect(closed.recommendation).toEqual({
      action: 'none',
      text: 'Nothing to decide: the dispute is under review.',
      strengthen: [],
    });
  });
});

describe('assessCaseStrength: the reasons, in words', () => {
  it('fraud with use from the purchase device and IP: for, and the missing CE 3.0 history against', () => {
    const a = assessCaseStrength(caseFacts('used', 'fraud'), { minFightAmounts: USD_25 });
    expect(a).toMatchObject({ strength: 'strong', score: 4 });
    expect(a.reasons).toEqual([
      'For: the purchase device (dev_a1b2c3) was used again in 47 later events.',
      'For: the customer used it after buying: 48 access events in 8 sessions on 8 days.',
      'For: the purchase IP address (203.0.113.7) was used again in 47 later events.',
      "For: the customer's Whop account is 288 days older than the payment.",
      'Against: no Visa Compelling Evidence 3.0 history (earlier undisputed payments 120–365 days back, from the same IP address or device).',
    ]);
    expect(a.recommendation).toEqual({
      action: 'fight',
      text: 'Fight: submit the evidence; the case is strong.',
      strengthen: [],
    });
  });

  it('fraud with a CE 3.0 match and no later use: strong, and says why', () => {
    const a = assessCaseStrength(caseFacts('ce3Match', 'fraud'), { minFightAmounts: USD_25 });
    expect(a.strength).toBe('strong');
    expect(a.reasons).toContain(
      'For: Visa Compelling Evidence 3.0 applies: 2 earlier undisputed payments share an IP address or device with this purchase.',
    );
    expect(a.reasons).toContain('For: 2 earlier undisputed payments by this customer.');
    expect(a.reasons).toContain(
      'Against: no use after buying to show: your 4 recorded events for this customer are all from before it.',
    );
  });

  it('not received with no events: weak, and names which events would strengthen it', () => {
    const a = assessCaseStrength(caseFacts('noEvents', 'not_received'), { minFightAmounts: USD_25 });
    expect(a.reasons).toEqual([
      'For: your refund policy was shown at checkout and accepted (checkbox at checkout).',
      'For: Whop granted access through the membership (now active).',
      'Against: no access events are recorded for this customer: no proof of use to show.',
    ]);
    expect(a.recommendation.text).toBe(
      'Fight, though the case is weak: $49.00 is at least your MIN_FIGHT_AMOUNT of $25.00; strengthen the evidence first with the steps below if you can.',
    );
    expect(a.recommendation.strengthen).toEqual([
      "Send the customer's access events (logins, lesson views, downloads, with user_id, ip and device_id) to POST /access-events or import them with the CLI: use after the purchase is the evidence issuers look for.",
    ]);
  });

  it('subscription without policies or use: weak, and names the policy text to add', () => {
    const a = assessCaseStrength(caseFacts('noPoliciesUnused', 'subscription'), { minFightAmounts: USD_25 });
    expect(a.reasons).toEqual([
      'For: the membership has no cancellation on record.',
      'Against: no access events are recorded for this customer: no proof of use to show.',
      'Against: no cancellation policy in the policy file: subscription disputes are hard to win without one.',
    ]);
    expect(a.recommendation.strengthen).toEqual([
      expect.stringContaining('POST /access-events'),
      expect.stringMatching(/^Add refund_policy to the policy file/),
      'Add cancellation_policy to the policy file: its text, url, shown_at_checkout, accepted_via and renewal_reminders (how customers are reminded before a renewal).',
    ]);
  });

  it('a subscription canceled before the payment weighs heavily against', () => {
    const a = assessCaseStrength(caseFacts('whopRecordsAgainst', 'subscription'), {
      minFightAmounts: USD_25,
    });
    expect(a.reasons).toContain(
      'Against: the membership was canceled before this payment: the customer was charged after canceling.',
    );
  });

  it('names the policy settings that would strengthen a case, per category', () => {
    const steps = (key: ScenarioName, category: ReasonCategory) =>
      assessCaseStrength(caseFacts(key, category), { minFightAmounts: USD_25 }).recommendation.strengthen;
    expect(steps('noPoliciesUsed', 'credit_not_processed')).toEqual([
      'Add refund_policy to the policy file: its text, url, shown_at_checkout and accepted_via (for example "checkbox at checkout").',
    ]);
    expect(steps('refundNotShownUnused', 'general')).toContain(
      'If your checkout shows the refund policy, set refund_policy.shown_at_checkout (and accepted_via, how the customer accepts it) in the policy file.',
    );
    expect(steps('briefUseRefundShown', 'not_as_described')).toEqual([
      'If customers accept the refund policy at checkout, say how in refund_policy.accepted_via.',
    ]);
    expect(steps('noPoliciesUsed', 'not_as_described')).toContain(
      'Add product_description to the policy file: what the customer was promised, as your listing says it.',
    );
    expect(steps('cancellationNotShownUsed', 'subscription')).toEqual([
      'If your checkout shows the cancellation policy, set cancellation_policy.shown_at_checkout (and accepted_via) in the policy file.',
    ]);
    expect(steps('onlyBefore', 'general')[0]).toMatch(/your events for this customer end before it\.$/);
    // Fraud: tie the purchase to a device, and send the history CE 3.0 needs.
    expect(steps('noEvents', 'fraud')).toEqual([
      expect.stringContaining('POST /access-events'),
      'Record an access event at checkout (at the payment time, with ip and device_id): later use from the same IP or device then ties the purchase to the account holder.',
    ]);
    expect(steps('noCe3Match', 'fraud')).toEqual([
      "Send access events (with ip and device_id) from the 30 days after the customer's earlier payments (120–365 days back): 2 matching ones make Visa Compelling Evidence 3.0 apply.",
    ]);
    // Use does not weigh for a duplicate charge: no access events are asked for.
    expect(steps('noEvents', 'duplicate')).toEqual([]);
  });
});

describe('assessCaseStrength: the minimum worth fighting', () => {
  const weak = (amount: number, currency = 'usd'): CaseStrengthFacts => ({
    ...caseFacts('noPoliciesUnused', 'general'),
    amount,
    currency,
  });

  it('is a strict minimum: a weak chargeback for exactly MIN_FIGHT_AMOUNT is fought', () => {
    expect(assessCaseStrength(weak(25), { minFightAmounts: USD_25 }).recommendation.action).toBe('fight');
    expect(assessCaseStrength(weak(24.99), { minFightAmounts: USD_25 }).recommendation.action).toBe(
      'let_close',
    );
  });

  it('applies only in a currency it names, and never to an amount it cannot size exactly', () => {
    expect(assessCaseStrength(weak(5, 'eur'), { minFightAmounts: USD_25 }).recommendation).toMatchObject({
      action: 'fight',
      text: 'Fight, though the case is weak; strengthen the evidence first with the steps below if you can.',
    });
    const eur = [...USD_25, { currency: 'EUR', minor: 2000 }];
    expect(assessCaseStrength(weak(5, 'eur'), { minFightAmounts: eur }).recommendation.text).toContain(
      'a weak case for €5.00, less than your MIN_FIGHT_AMOUNT of €20.00',
    );
    expect(assessCaseStrength(weak(0.1 + 0.2), { minFightAmounts: USD_25 }).recommendation.action).toBe(
      'fight',
    );
    expect(assessCaseStrength(weak(5, 'whop_usd'), { minFightAmounts: USD_25 }).recommendation.action).toBe(
      'fight',
    );
    expect(assessCaseStrength(weak(5), { minFightAmounts: [] }).recommendation.action).toBe('fight');
  });

  it('says that not fighting means not submitting, and how to hold an auto-submission', () => {
    const { text } = assessCaseStrength(weak(5), { minFightAmounts: USD_25 }).recommendation;
    expect(text).toContain(NOT_SUBMITTING);
    expect(text).toContain('set auto_submit: never in the policy file (or AUTO_SUBMIT=never) to hold it');
  });
});

describe('assessCaseStrength: refunds', () => {
  const refunded = (amount: number, status: 'succeeded' | 'pending') =>
    whopPayment({
      refunded_amount: status === 'succeeded' ? amount : 0,
      refunds: [{ id: 'rfnd_1', amount, created_at: afterPaid(60), currency: 'usd', status }],
    });
  const facts = (category: 'credit_not_processed' | 'duplicate', payment: ReturnType<typeof whopPayment>) => {
    const f = SCENARIOS.noEvents.facts(SCENARIO_REASONS[category]);
    return buildEvidence({ ...f, payment }).caseFacts;
  };

  it('a credit claim on a payment refunded in full is strong: the credit was processed', () => {
    const a = assessCaseStrength(facts('credit_not_processed', refunded(49, 'succeeded')), {
      minFightAmounts: USD_25,
    });
    expect(a.strength).toBe('strong');
    expect(a.reasons[0]).toBe('For: this payment was already refunded in full (49.00 USD).');
  });

  it('a partial or pending refund counts for the merchant, less', () => {
    const partial = assessCaseStrength(facts('credit_not_processed', refunded(19.5, 'succeeded')), {
      minFightAmounts: USD_25,
    });
    expect(partial.reasons).toContain('For: 19.50 USD of this payment was already refunded.');
    const pending = assessCaseStrength(facts('duplicate', refunded(49, 'pending')), {
      minFightAmounts: USD_25,
    });
    expect(pending.reasons).toContain('For: a refund on this payment is in progress.');
  });

  it('counts only settled, undisputed payments before this one as prior payments', () => {
    const f = SCENARIOS.used.facts(SCENARIO_REASONS.fraud);
    const prior = (n: number, overrides = {}, disputed = false) => priorPayment(n, overrides, disputed);
    const counted = buildEvidence({
      ...f,
      priorPayments: [
        prior(60),
        prior(90, { id: 'pay_disputed' }, true),
        prior(100, { id: 'pay_refunded', substatus: 'refunded' }),
        prior(110, { id: 'pay_failed', status: 'open', substatus: 'failed' }),
        prior(0, { id: 'pay_later', paid_at: afterPaid(60), created_at: afterPaid(60) }),
      ],
    }).caseFacts;
    expect(counted.priorUndisputedPayments).toBe(1);
  });
});
