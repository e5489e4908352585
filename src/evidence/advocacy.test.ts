/**
 * Issue 12: evidence is advocacy. For every reason category × facts case, no text the builder sends to
 * Whop (every field, and the access-log PDF when one is attached) states a fact against the merchant,
 * the facts that argue for the merchant are still stated, and what was left out is told to the merchant
 * in the warnings.
 */
import { describe, expect, it } from 'vitest';
import {
  SCENARIO_REASONS,
  SCENARIOS,
  type ScenarioName,
  UNKNOWN_REASON,
} from '../../test/support/builders/evidence-scenarios.js';
import { fixture } from '../../test/support/builders/fixture.js';
import { adverseIn } from '../../test/support/evidence-checks.js';
import { pdfText } from '../../test/support/pdf-text.js';
import { renderAccessLogPdf } from './access-log-pdf.js';
import { buildEvidence, type EvidenceDraft } from './build-evidence.js';
import type { EvidenceFacts } from './evidence-facts.js';
import { plural } from './format.js';
import type { ReasonCategory } from './reason-category.js';

const CATEGORY_OF_REASON: [string, ReasonCategory][] = [
  ...Object.entries(SCENARIO_REASONS).map(([c, r]) => [r, c as ReasonCategory] as [string, ReasonCategory]),
  [UNKNOWN_REASON, 'general'],
];

/** The facts that argue for the merchant and must still be stated, per facts case. */
const FAVOURABLE: Partial<Record<ScenarioName, (d: EvidenceDraft, category: ReasonCategory) => void>> = {};

function expectUsageStated(d: EvidenceDraft) {
  const n = d.access.eventsAfterPurchase;
  expect(n).toBeGreaterThan(0);
  expect(d.fields.access_activity_log).toContain(`After the payment: ${plural(n, 'event')} in`);
  expect(d.fields.notes).toContain(`${plural(n, 'access event')} by`);
  expect(d.attachAccessLog).toBe(true);
}

function expectNoUseNotStatedButWarned(d: EvidenceDraft) {
  expect(d.access.eventsAfterPurchase).toBe(0);
  expect(d.attachAccessLog).toBe(false);
  expect(d.warnings.join('\n')).toMatch(/^No access events (for this customer|after this payment)/m);
}

function expectPurchaseDeviceMatch(d: EvidenceDraft, category: ReasonCategory) {
  expect(d.fields.access_activity_log).toContain(
    `The same device (${fixture().purchaseDevice}) as at purchase`,
  );
  if (category === 'fraud') {
    expect(d.fields.notes).toContain('The IP address at purchase (203.0.113.7');
    expect(d.fields.notes).toContain(`The same device (${fixture().purchaseDevice}) as at purchase`);
  }
}

function expectAcceptedRefundPolicy(d: EvidenceDraft) {
  expect(d.fields.refund_policy_disclosure).toMatch(
    /^This refund policy was shown to the customer at checkout and accepted via checkbox at checkout\./,
  );
}

function expectAcceptedCancellationPolicy(d: EvidenceDraft, category: ReasonCategory) {
  expect(d.fields.cancellation_policy_disclosure).toMatch(
    /^This cancellation policy was shown to the customer at checkout and accepted via checkbox at checkout\./,
  );
  if (category === 'subscription') {
    expect(d.fields.notes).toContain(
      "Autopilot Academy's cancellation policy was shown at checkout and accepted via checkbox at checkout",
    );
  }
}

/**
 * Without use: no access log at all (Whop's own, if it keeps one, stays alone), and Whop's records stand
 * in, in the notes (a duplicate-charge argument needs none).
 */
function expectWhopRecords(d: EvidenceDraft, category: ReasonCategory) {
  expect(d.fields.access_activity_log).toBeUndefined();
  if (category === 'duplicate') return;
  expect(d.fields.notes).toContain("Whop's records: Whop granted access through membership mem_8Hs1PwQe");
  expect(d.fields.notes).toContain(
    'The Whop account @sambuyer that made the payment was created on 2024-05-02.',
  );
}

function expectDefaultPolicies(d: EvidenceDraft, category: ReasonCategory) {
  expectAcceptedRefundPolicy(d);
  expectAcceptedCancellationPolicy(d, category);
}

FAVOURABLE.used = (d, c) => {
  expectUsageStated(d);
  expectPurchaseDeviceMatch(d, c);
  expectDefaultPolicies(d, c);
  if (c === 'duplicate') {
    expect(d.fields.notes).toContain('Whop shows no other payment by this customer within 31 days');
  }
  if (c === 'subscription') {
    expect(d.fields.notes).toContain(
      'Membership mem_8Hs1PwQe has no cancellation on record (status: active).',
    );
  }
};
FAVOURABLE.noEvents = (d, c) => {
  expectNoUseNotStatedButWarned(d);
  expectWhopRecords(d, c);
  expectDefaultPolicies(d, c);
};
FAVOURABLE.onlyBefore = (d, c) => {
  expectNoUseNotStatedButWarned(d);
  expectWhopRecords(d, c);
  expectDefaultPolicies(d, c);
};
FAVOURABLE.ce3Match = (d, c) => {
  expectNoUseNotStatedButWarned(d);
  expectWhopRecords(d, c);
  if (c === 'fraud') {
    expect(d.ce3?.qualifies).toBe(true);
    expect(d.fields.notes).toContain('Sam Buyer made 2 earlier undisputed payments');
    expect(d.fields.notes).toContain('These meet Visa Compelling Evidence 3.0');
  }
};
FAVOURABLE.noCe3Match = (d, c) => {
  expectUsageStated(d);
  if (c === 'fraud') {
    expect(d.ce3?.qualifies).toBe(false);
    expect(d.fields.notes).not.toContain('Compelling Evidence');
    expect(d.warnings.join('\n')).toMatch(/not seen in any later access event/);
  }
};
FAVOURABLE.renewalUnused = (d, c) => {
  expectNoUseNotStatedButWarned(d);
  expect(d.fields.notes).toContain('This payment was a scheduled subscription renewal.');
  expectDefaultPolicies(d, c);
  if (c === 'subscription') {
    expect(d.fields.notes).toContain('Renewal reminders: email 3 days before each renewal.');
  }
};
FAVOURABLE.renewalUsed = (d, c) => {
  expectUsageStated(d);
  expect(d.fields.notes).toContain('This payment was a scheduled subscription renewal.');
  expectDefaultPolicies(d, c);
};
FAVOURABLE.refundNotShownUnused = (d) => {
  expectNoUseNotStatedButWarned(d);
  expect(d.fields.refund_policy_disclosure).toMatch(
    /^Published at https:\/\/autopilot\.example\.com\/refunds\./,
  );
};
FAVOURABLE.briefUseRefundShown = (d) => {
  expectUsageStated(d);
  expect(d.fields.refund_policy_disclosure).toMatch(
    /^This refund policy was shown to the customer at checkout\.$/m,
  );
};
FAVOURABLE.noPoliciesUsed = (d) => {
  expectUsageStated(d);
  expect(d.fields.refund_policy_disclosure).toBeUndefined();
  expect(d.warnings).toContain('No refund policy in the policy file for this company/product.');
};
FAVOURABLE.noPoliciesUnused = (d, c) => {
  expectNoUseNotStatedButWarned(d);
  expectWhopRecords(d, c);
};
FAVOURABLE.cancellationNotShownUsed = (d) => {
  expectUsageStated(d);
  expect(d.fields.cancellation_policy_disclosure).toMatch(/^Published at/);
};
FAVOURABLE.whopRecordsAgainst = (d, c) => {
  expectNoUseNotStatedButWarned(d);
  // What still argues for the merchant: Whop granted access, and when the customer joined.
  // (A duplicate-charge argument cites no Whop records, so leaves nothing of them out to warn about.)
  if (c === 'duplicate') return;
  expect(d.fields.notes).toContain('Whop granted access through membership mem_8Hs1PwQe');
  expect(d.fields.notes).toContain('Sam Buyer joined Autopilot Academy on Whop on 2025-02-14.');
  expect(d.warnings.join('\n')).toMatch(/account @sambuyer was created after the payment/);
  if (c === 'subscription') expect(d.warnings.join('\n')).toMatch(/before this payment/);
};
FAVOURABLE.neverActivated = (d, c) => {
  expectNoUseNotStatedButWarned(d);
  if (c === 'duplicate') return;
  expect(d.warnings).toContain(
    'Membership mem_8Hs1PwQe is drafted: Whop never granted access through it, so the evidence does not mention it.',
  );
};
FAVOURABLE.duplicateTwin = (d, c) => {
  expectUsageStated(d);
  if (c === 'duplicate') {
    expect(d.warnings).toContain(
      'Payment pay_twin has the same amount within two days of this one: it may be a real duplicate.',
    );
  }
};

const CASES = Object.entries(SCENARIOS).flatMap(([key, scenario]) =>
  CATEGORY_OF_REASON.map(([reason, category]) => ({
    key: key as ScenarioName,
    scenario: scenario.name,
    reason,
    category,
    facts: scenario.facts(reason),
  })),
);

describe('evidence only argues for the merchant: every field, reason category × facts', () => {
  it.each(CASES)('$reason — $scenario', ({ key, reason, category, facts }) => {
    const d = buildEvidence(facts);
    expect(d.category).toBe(category);
    expect(Object.keys(d.fields).length).toBeGreaterThan(0);
    for (const [field, text] of Object.entries(d.fields)) {
      expect(adverseIn(text), `${field} (${reason})`).toEqual([]);
    }
    // Every claim behind the text argues for the merchant too.
    expect(adverseIn(d.statements.join('\n')), 'statements').toEqual([]);
    FAVOURABLE[key]!(d, category);
  });

  it('has a favourable-facts check for every facts case', () => {
    expect(Object.keys(FAVOURABLE).sort()).toEqual(Object.keys(SCENARIOS).sort());
  });
});

describe('the access-log PDF sent to Whop', () => {
  const withPdf = Object.entries(SCENARIOS).filter(
    ([, s]) => buildEvidence(s.facts(SCENARIO_REASONS.general)).attachAccessLog,
  );
  const withoutPdf = Object.entries(SCENARIOS).filter(
    ([, s]) => !buildEvidence(s.facts(SCENARIO_REASONS.general)).attachAccessLog,
  );

  it.each(withPdf)('%s: attached, and states nothing against the merchant', async (_key, scenario) => {
    const facts: EvidenceFacts = scenario.facts(SCENARIO_REASONS.fraud);
    const pdf = await renderAccessLogPdf({
      disputeId: facts.dispute.id,
      merchant: 'Autopilot Academy',
      customer: 'Sam Buyer',
      purchasedAt: fixture().paidAt,
      events: facts.accessEvents,
      generatedAt: fixture().now,
    });
    const text = await pdfText(new Uint8Array(pdf));
    expect(text).toContain(`Events recorded: ${facts.accessEvents.length}`);
    expect(adverseIn(text)).toEqual([]);
  });

  it('is not attached without use after the purchase, and cannot be made without events', async () => {
    expect(withoutPdf.map(([key]) => key).sort()).toEqual(
      [
        'ce3Match',
        'neverActivated',
        'noEvents',
        'noPoliciesUnused',
        'onlyBefore',
        'refundNotShownUnused',
        'renewalUnused',
        'whopRecordsAgainst',
      ].sort(),
    );
    await expect(
      renderAccessLogPdf({
        disputeId: 'dspt_1',
        merchant: 'Autopilot Academy',
        customer: 'Sam Buyer',
        purchasedAt: null,
        events: [],
        generatedAt: fixture().now,
      }),
    ).rejects.toThrow(RangeError);
  });
});
