import { describe, expect, it } from 'vitest';
import { accessEvent, heavyUse, usage } from '../../test/support/builders/access-events.js';
import { evidenceFacts, priorPayment, resolvedPolicy } from '../../test/support/builders/evidence.js';
import { afterPaid, fixture } from '../../test/support/builders/fixture.js';
import { whopDispute } from '../../test/support/builders/whop-cases.js';
import { whopMembership, whopPayment } from '../../test/support/builders/whop-customer.js';
import { allText, expectStatementsMatchSummary } from '../../test/support/evidence-checks.js';
import { buildEvidence } from './build-evidence.js';
import { FIELD_LIMIT } from './paragraph.js';

const { paymentId, membershipId } = fixture();

const dispute = (reason: string) => whopDispute({ reason });

describe('buildEvidence: the argument follows the reason category', () => {
  it('fraud: ties the purchase to the account holder through the purchase IP and device', () => {
    const events = [accessEvent({ occurredAt: afterPaid(-60 * 24 * 30), action: 'login' }), ...heavyUse()];
    const d = buildEvidence(evidenceFacts({ dispute: dispute('Fraudulent'), accessEvents: events }));
    expect(d.category).toBe('fraud');
    const notes = d.fields.notes!;
    expect(notes).toContain('The cardholder says they did not authorize or do not recognize this payment.');
    expect(notes).toContain(
      'The IP address at purchase (203.0.113.7, seen in the first access event within 30 minutes of payment) was used again for all 47 later events that carry an IP address.',
    );
    expect(notes).toContain('The same device (dev_a1b2c3) as at purchase');
    expect(notes).toContain('were used both before this purchase and after it');
    expect(notes).toContain('The Whop account @sambuyer that made the payment was created on 2024-05-02.');
    expect(d.statements).toContain(
      'purchase IP 203.0.113.7 (event) seen in 47 of 47 later events with an IP',
    );
    expect(d.ce3).toEqual({
      qualifies: false,
      matches: [],
      reason: '0 matching prior payments; Visa CE 3.0 needs at least 2.',
    });
    expectStatementsMatchSummary(d);
  });

  it('not received: proof of delivery and use', () => {
    const d = buildEvidence(
      evidenceFacts({ dispute: dispute('Product Not Received'), accessEvents: heavyUse() }),
    );
    expect(d.category).toBe('not_received');
    const notes = d.fields.notes!;
    expect(notes).toMatch(
      /^Sam Buyer paid Autopilot Academy 49\.00 USD for "Trading Signals Pro" on 2025-02-14 16:02 UTC \(Whop payment pay_7Hq2VbN0rT, Visa card ending 4242\)\./,
    );
    expect(notes).toContain('The customer says they did not receive the product.');
    expect(notes).toContain(
      "It was delivered and used: Autopilot Academy's own records show 48 access events by Sam Buyer after the purchase, in 8 sessions on 8 days",
    );
    expect(notes).toContain('(first access 5 minutes after payment)');
    expect(notes).toContain('Whop granted access through membership mem_8Hs1PwQe');
    expectStatementsMatchSummary(d);
  });

  // Issue 12: the missing events are for the merchant to hear (warnings), never for the bank to read.
  it('not received without events: leans on Whop data and never says there was no access', () => {
    const d = buildEvidence(evidenceFacts({ dispute: dispute('Product Not Received') }));
    const notes = d.fields.notes!;
    expect(notes).not.toMatch(/recorded no access|no access events|no usage/i);
    expect(d.warnings).toContain(
      'No access events for this customer: the evidence rests on Whop data alone.',
    );
    expect(notes).toContain(
      "Whop's records: Whop granted access through membership mem_8Hs1PwQe, created 2025-02-14; its status is now active.",
    );
    expect(notes).toContain('joined Autopilot Academy on Whop on 2025-02-14');
    expect(notes).toContain('49.00 USD');
  });

  it('does not say Whop granted access for a membership that never started', () => {
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Product Not Received'),
        membership: whopMembership({ status: 'drafted' }),
      }),
    );
    expect(allText(d)).not.toContain('granted access');
    // Issue 12: a membership Whop never activated argues for the cardholder: not in the evidence at all,
    // said to the merchant instead.
    expect(allText(d)).not.toMatch(/mem_8Hs1PwQe|drafted/);
    expect(d.warnings).toContain(
      'Membership mem_8Hs1PwQe is drafted: Whop never granted access through it, so the evidence does not mention it.',
    );
  });

  it('not as described: the description shown, and the continued use', () => {
    const d = buildEvidence(
      evidenceFacts({ dispute: dispute('Product Unacceptable'), accessEvents: heavyUse() }),
    );
    expect(d.category).toBe('not_as_described');
    const notes = d.fields.notes!;
    expect(notes).toContain('The customer says the product was not as described or not acceptable.');
    expect(notes).toContain('It was described to customers as: "Trading Signals Pro: a monthly membership');
    expect(notes).toContain('After buying it, the customer kept using it.');
    expect(notes).toContain('Repeated use over several sessions is not consistent');
  });

  it('not as described with a single session: no "repeated use" claim', () => {
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Not as described'),
        accessEvents: usage({ sessions: 1, perSession: 2 }),
      }),
    );
    expect(d.fields.notes).not.toContain('Repeated use');
  });

  it('subscription: the cancellation policy, reminders, no cancellation on record, and use after the renewal', () => {
    const payment = whopPayment({ billing_reason: 'subscription_cycle' });
    const d = buildEvidence(
      evidenceFacts({ dispute: dispute('Subscription Canceled'), payment, accessEvents: heavyUse() }),
    );
    expect(d.category).toBe('subscription');
    const notes = d.fields.notes!;
    expect(notes).toContain('This payment was a scheduled subscription renewal.');
    expect(notes).toContain(
      "Autopilot Academy's cancellation policy was shown at checkout and accepted via checkbox at checkout and is quoted in the cancellation policy disclosure. Renewal reminders: email 3 days before each renewal.",
    );
    expect(notes).toContain('Membership mem_8Hs1PwQe has no cancellation on record (status: active).');
    expect(notes).toContain('After this payment the customer kept using the product.');
    expect(notes).toContain('https://whop.com/orders/mem_8Hs1PwQe/manage');
    expect(d.statements).toContain(`payment ${paymentId}: billing reason subscription_cycle`);
    expectStatementsMatchSummary(d);
  });

  it('subscription: a cancellation after the payment is stated; one before it is only a warning', () => {
    const after = buildEvidence(
      evidenceFacts({
        dispute: dispute('Subscription Canceled'),
        membership: whopMembership({ status: 'canceled', canceled_at: afterPaid(60 * 24 * 3) }),
      }),
    );
    expect(after.fields.notes).toContain(
      `The customer canceled membership ${membershipId} on 2025-02-17 16:02 UTC, after this payment was made.`,
    );
    const before = buildEvidence(
      evidenceFacts({
        dispute: dispute('Subscription Canceled'),
        membership: whopMembership({ status: 'canceled', canceled_at: afterPaid(-60 * 24) }),
      }),
    );
    expect(before.fields.notes).not.toMatch(/canceled membership|no cancellation/);
    expect(before.warnings.join('\n')).toMatch(/was canceled on 2025-02-13 16:02 UTC, before this payment/);
  });

  it('subscription without a cancellation policy warns', () => {
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Subscription Canceled'),
        policy: resolvedPolicy({ cancellation_policy: null }),
      }),
    );
    expect(d.warnings).toContain(
      'No cancellation policy in the policy file: subscription disputes are hard to win without one.',
    );
    expect(d.fields.notes).not.toContain('cancellation policy');
  });

  it('duplicate: what the other payments show', () => {
    const none = buildEvidence(evidenceFacts({ dispute: dispute('Duplicate') }));
    expect(none.category).toBe('duplicate');
    expect(none.fields.notes).toContain('The customer says they were charged more than once.');
    expect(none.fields.notes).toContain(
      'Whop shows no other payment by this customer within 31 days of this one.',
    );
    // Issue 12: "no refund" is the cardholder's side of a refund claim and no argument for a duplicate.
    expect(none.fields.notes).not.toMatch(/no refund/);

    const twin = priorPayment(0, { id: 'pay_twin', paid_at: afterPaid(3), created_at: afterPaid(3) });
    const other = priorPayment(0, {
      id: 'pay_lastmonth',
      paid_at: afterPaid(-60 * 24 * 28),
      created_at: afterPaid(-60 * 24 * 28),
    });
    const some = buildEvidence(
      evidenceFacts({ dispute: dispute('Duplicate'), priorPayments: [twin, other] }),
    );
    expect(some.fields.notes).toContain('Other payments by this customer within 31 days:');
    expect(some.fields.notes).toContain('- pay_lastmonth: 49.00 USD, 2025-01-17 16:02 UTC, succeeded');
    expect(some.fields.notes).toContain('- pay_twin: 49.00 USD, 2025-02-14 16:05 UTC, succeeded');
    expect(some.warnings).toContain(
      'Payment pay_twin has the same amount within two days of this one: it may be a real duplicate.',
    );
    expectStatementsMatchSummary(some);
  });

  it('credit not processed: what the refunds show', () => {
    const payment = whopPayment({
      refunded_amount: 19.5,
      refunds: [
        {
          id: 'rfnd_1',
          amount: 19.5,
          created_at: afterPaid(60 * 24 * 5),
          currency: 'usd',
          status: 'succeeded',
        },
      ],
    });
    const d = buildEvidence(
      evidenceFacts({ dispute: dispute('Credit Not Processed'), payment, accessEvents: heavyUse() }),
    );
    expect(d.category).toBe('credit_not_processed');
    const notes = d.fields.notes!;
    expect(notes).toContain('The customer says a refund or credit was not processed.');
    expect(notes).toContain(
      `Refunds on payment ${paymentId} (19.50 USD refunded in total):\n- refund rfnd_1: 19.50 USD, succeeded, 2025-02-19`,
    );
    expect(notes).toContain(
      "Autopilot Academy's refund policy, shown at checkout, is quoted in the refund policy disclosure.",
    );
    expect(d.fields.refund_refusal_explanation).toMatch(
      /^19\.50 USD of this payment was refunded; the rest was not\./,
    );
    expect(d.statements).toContain('refund rfnd_1: 19.50 USD succeeded');
  });

  it('general: a usage summary', () => {
    const d = buildEvidence(evidenceFacts({ dispute: dispute('General'), accessEvents: heavyUse() }));
    expect(d.category).toBe('general');
    expect(d.fields.notes).toContain('The customer received and used the product.');
    expect(d.fields.notes).toContain('48 access events');
  });

  it("adds the merchant's reason wording, falling back to general for duplicates", () => {
    const policy = resolvedPolicy({
      reason_wording: { fraud: 'We log every device.', general: 'Delivered instantly.' },
    });
    expect(buildEvidence(evidenceFacts({ dispute: dispute('Fraudulent'), policy })).fields.notes).toContain(
      'We log every device.',
    );
    expect(buildEvidence(evidenceFacts({ dispute: dispute('Duplicate'), policy })).fields.notes).toContain(
      'Delivered instantly.',
    );
    const notReceived = buildEvidence(evidenceFacts({ dispute: dispute('Product Not Received'), policy }))
      .fields.notes;
    expect(notReceived).not.toContain('Delivered instantly.');
    expect(notReceived).not.toContain('We log every device.');
  });

  it('explains the refusal with the policy and the use, and says nothing for a fully refunded payment', () => {
    const d = buildEvidence(evidenceFacts({ accessEvents: heavyUse() }));
    expect(d.fields.refund_refusal_explanation).toBe(
      [
        'Autopilot Academy did not refund this payment.',
        "Refunds are governed by Autopilot Academy's refund policy, which was shown at checkout and accepted via checkbox at checkout (quoted in the refund policy disclosure).",
        'The customer used the product after buying it: 48 access events in 8 sessions, the last on 2025-02-21.',
      ].join('\n\n'),
    );
    const refunded = buildEvidence(
      evidenceFacts({ payment: whopPayment({ refunded_amount: 49, substatus: 'refunded' }) }),
    );
    expect(refunded.fields.refund_refusal_explanation).toBeUndefined();
    expect(refunded.warnings).toContain(`Payment ${paymentId} was already refunded in full (49.00 USD).`);
  });
});

describe('buildEvidence: the notes within the field limit', () => {
  it('lists at most 12 other payments, and states only the ones listed', () => {
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Duplicate'),
        priorPayments: Array.from({ length: 120 }, (_, i) =>
          priorPayment(0, {
            id: `pay_near${i}`,
            paid_at: afterPaid(-60 * (i + 1)),
            created_at: afterPaid(-60 * (i + 1)),
          }),
        ),
      }),
    );
    expect(d.fields.notes).toContain('(and 108 more)');
    const listed = [...d.fields.notes!.matchAll(/^- (pay_near\d+):/gm)].map((m) => m[1]);
    const claimed = d.statements
      .filter((x) => x.startsWith('other payment '))
      .map((x) => /pay_near\d+/.exec(x)![0]);
    expect(listed).toHaveLength(12);
    expect(claimed.sort()).toEqual([...listed].sort());
    // The closest in time are the ones listed.
    expect(listed).toContain('pay_near0');
    expect(listed).not.toContain('pay_near12');
  });

  it('drops whole paragraphs from long notes, least important first, together with their statements', () => {
    const days = Array.from({ length: 14 }, (_, i) => 125 + i * 15);
    const priorEvents = days.map((n) =>
      accessEvent({
        occurredAt: new Date(
          Date.parse('2025-03-10T08:41:27.000Z') - n * 86_400_000 + 3_600_000,
        ).toISOString(),
      }),
    );
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Fraudulent'),
        accessEvents: [...heavyUse(), ...priorEvents],
        priorPayments: days.map((n) => priorPayment(n)),
        policy: resolvedPolicy({
          reason_wording: { fraud: `${'We record every login and device. '.repeat(60)}` },
        }),
      }),
    );
    const notes = d.fields.notes!;
    expect(notes.length).toBeLessThanOrEqual(FIELD_LIMIT);
    // The argument itself stays: the purchase, the match and the CE 3.0 history.
    expect(notes).toMatch(/^Sam Buyer paid/);
    expect(notes).toContain('The IP address at purchase');
    expect(notes).toContain('These meet Visa Compelling Evidence 3.0');
    expect(notes).toContain('Sam Buyer made 14 earlier undisputed payments');
    expect(notes).toContain('(and 2 more)');
    // The least important paragraphs went, and so did what they claimed.
    expect(notes).not.toContain("Whop's records:");
    expect(notes).not.toContain("accepted Autopilot Academy's refund policy");
    expect(d.statements.join('\n')).not.toMatch(/whop account|member mber_/);
    expectStatementsMatchSummary(d);
  });
});
