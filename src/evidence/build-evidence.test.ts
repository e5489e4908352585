import { describe, expect, it } from 'vitest';
import { accessEvent, usage } from '../../test/support/builders/access-events.js';
import {
  disclosure,
  evidenceFacts,
  priorPayment,
  resolvedPolicy,
} from '../../test/support/builders/evidence.js';
import { afterPaid, fixture } from '../../test/support/builders/fixture.js';
import { whopDispute } from '../../test/support/builders/whop-cases.js';
import { whopMember, whopMembership, whopPayment } from '../../test/support/builders/whop-customer.js';
import type { AccessSummary } from './access-summary.js';
import { buildEvidence, type EvidenceDraft, type EvidenceFacts, FIELD_LIMIT } from './build-evidence.js';

const { purchaseIp, purchaseDevice, paymentId, membershipId } = fixture();

const dispute = (reason: string) => whopDispute({ reason });
const allText = (d: EvidenceDraft) => Object.values(d.fields).join('\n');

/** Numbers a statement states, once dates, amounts, IPs, ids and URLs (which carry digits) are removed. */
function numbersIn(statement: string): number[] {
  const stripped = statement
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/CE 3\.0/g, ' ')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, ' ')
    .replace(/\b\d+(\.\d+)? [A-Z]{3}\b/g, ' ')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, ' ')
    .replace(/\b[a-z]+_[A-Za-z0-9_]+\b/g, ' ');
  return [...stripped.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** Every number in the statements is one the summary (or the CE 3.0 result) really holds. */
function expectStatementsMatchSummary(d: EvidenceDraft) {
  const s: AccessSummary = d.access;
  const allowed = new Set([
    s.eventsAfterPurchase,
    s.eventsBeforePurchase,
    s.sessionsAfterPurchase,
    s.activeDaysAfterPurchase,
    s.ipsAfterPurchase.length,
    s.devicesAfterPurchase.length,
    s.eventsFromPurchaseIp,
    s.eventsWithIpAfterPurchase,
    s.eventsFromPurchaseDevice,
    s.eventsWithDeviceAfterPurchase,
    ...s.actionsByType.map((a) => a.events),
    d.ce3?.matches.length ?? 0,
    // The window of the duplicate check is a constant of the wording.
    31,
  ]);
  const exact: Record<string, number> = {
    'events after purchase': s.eventsAfterPurchase,
    'sessions after purchase': s.sessionsAfterPurchase,
    'active days after purchase': s.activeDaysAfterPurchase,
    'distinct IPs after purchase': s.ipsAfterPurchase.length,
    'distinct devices after purchase': s.devicesAfterPurchase.length,
  };
  for (const statement of d.statements) {
    // Merchant-written policy text is quoted, not computed.
    if (statement.startsWith('renewal reminders:')) continue;
    for (const n of numbersIn(statement)) expect(allowed, `${statement} (${n})`).toContain(n);
    const [key, value] = statement.split(': ');
    if (key && key in exact) expect(Number(value), statement).toBe(exact[key]);
    if (key === 'first access after purchase') expect(value).toBe(s.firstAccessAfterPurchase);
    if (key === 'last access after purchase') expect(value).toBe(s.lastAccessAfterPurchase);
  }
}

/** A fully-used product: 8 sessions on 8 days from the purchase IP and device. */
const heavyUse = () => usage({ sessions: 8, perSession: 6 });

describe('buildEvidence: customer and payment fields', () => {
  it('fills name, email, billing address, product and service date from Whop and the policy', () => {
    const d = buildEvidence(evidenceFacts({ accessEvents: heavyUse() }));
    expect(d.fields.customer_name).toBe('Sam Buyer');
    expect(d.fields.customer_email_address).toBe('sam.buyer@example.com');
    expect(d.fields.billing_address).toBe('123 Main St, Apt 4, New York, NY 10001, US');
    expect(d.fields.product_description).toMatch(/^Trading Signals Pro: a monthly membership/);
    expect(d.fields.product_description).toContain(
      'Sold on Whop by Autopilot Academy as "Trading Signals Pro".',
    );
    expect(d.fields.service_date).toBe(
      '2025-02-14 (payment date); billing period 2025-02-14 to 2025-03-14; product used from 2025-02-14 to 2025-02-21.',
    );
  });

  it('gives only non-empty fields', () => {
    const d = buildEvidence(
      evidenceFacts({
        payment: whopPayment({ billing_address: null }),
        policy: resolvedPolicy({
          refund_policy: null,
          cancellation_policy: null,
          product_description: null,
          terms_url: null,
        }),
      }),
    );
    expect(d.fields.billing_address).toBeUndefined();
    expect(d.fields.refund_policy_disclosure).toBeUndefined();
    expect(d.fields.cancellation_policy_disclosure).toBeUndefined();
    // Neither a policy nor usage: nothing to explain a refusal with.
    expect(d.fields.refund_refusal_explanation).toBeUndefined();
    for (const value of Object.values(d.fields)) expect(value.trim()).not.toBe('');
    expect(d.fields.product_description).toBe('Sold on Whop by Autopilot Academy as "Trading Signals Pro".');
    expect(d.warnings).toContain('No refund policy in the policy file for this company/product.');
  });

  it('keeps a long name whole in customer_name but cuts it in prose', () => {
    const name = `Sam ${'Verylongname '.repeat(20)}Buyer`;
    const d = buildEvidence(
      evidenceFacts({
        payment: whopPayment({ billing_address: { ...whopPayment().billing_address!, name } }),
      }),
    );
    expect(d.fields.customer_name).toBe(name);
    expect(d.fields.notes).toMatch(/^Sam Verylongname .{60,}… paid Autopilot Academy/);
  });

  it('falls back to the Whop user and member names, never inventing one', () => {
    const facts = evidenceFacts({ payment: whopPayment({ billing_address: null }) });
    expect(buildEvidence(facts).fields.customer_name).toBe('Sam Buyer');
    const nameless = buildEvidence(
      evidenceFacts({
        payment: whopPayment({
          billing_address: null,
          user: { id: 'user_1', email: null, name: null, username: 'anon' },
        }),
        dispute: whopDispute({ payment: null }),
        member: whopMember({ user: null }),
        membership: whopMembership({ user: null }),
        user: null,
      }),
    );
    expect(nameless.fields.customer_name).toBeUndefined();
    expect(nameless.fields.customer_email_address).toBeUndefined();
    expect(nameless.fields.notes).toMatch(/^@anon paid/);
  });

  it('quotes the refund and cancellation policies with the checkout facts first', () => {
    const d = buildEvidence(evidenceFacts());
    expect(d.fields.refund_policy_disclosure).toBe(
      [
        'This refund policy was shown to the customer at checkout and accepted via checkbox at checkout.',
        'Published at https://autopilot.example.com/refunds.',
        'Terms of service: https://autopilot.example.com/terms.',
        '',
        'Policy text:',
        'Refunds are available within 7 days of purchase if you have not accessed the course content.',
      ].join('\n'),
    );
    expect(d.fields.cancellation_policy_disclosure).toContain(
      'Renewal reminders: email 3 days before each renewal.',
    );
    expect(d.statements).toEqual(
      expect.arrayContaining([
        'refund policy shown at checkout',
        'refund policy accepted via checkbox at checkout',
      ]),
    );
  });

  it('never says a policy was shown or accepted at checkout when the merchant does not say so', () => {
    const d = buildEvidence(
      evidenceFacts({
        accessEvents: heavyUse(),
        policy: resolvedPolicy({
          refund_policy: disclosure({ shown_at_checkout: false, accepted_via: null }),
          cancellation_policy: disclosure({ shown_at_checkout: false, accepted_via: null }),
        }),
      }),
    );
    expect(allText(d)).not.toMatch(/shown (to the customer )?at checkout|accepted/);
    expect(d.statements.join('\n')).not.toMatch(/checkout|accepted/);
    expect(d.fields.refund_policy_disclosure).toMatch(/^Published at/);
  });

  it('says "shown" but not "accepted" when there is no accepted_via', () => {
    const d = buildEvidence(
      evidenceFacts({ policy: resolvedPolicy({ refund_policy: disclosure({ accepted_via: null }) }) }),
    );
    expect(d.fields.refund_policy_disclosure).toMatch(
      /^This refund policy was shown to the customer at checkout\.$/m,
    );
    expect(d.fields.notes).toContain(
      "Autopilot Academy's refund policy was shown to the customer at checkout",
    );
    expect(d.fields.notes).not.toMatch(/accepted/);
  });
});

describe('buildEvidence: the access activity log', () => {
  it('summarises use after purchase and ends with a short table of the last 10 events', () => {
    const d = buildEvidence(evidenceFacts({ accessEvents: heavyUse() }));
    const log = d.fields.access_activity_log!;
    expect(log).toContain('After the payment: 48 events in 8 sessions on 8 days.');
    expect(log).toContain('First access: 2025-02-14 16:07 UTC (5 minutes after payment).');
    expect(log).toContain('Last access: 2025-02-21 16:12 UTC.');
    expect(log).toContain('IP addresses (1): 203.0.113.7 (48).');
    expect(log).toContain('Devices (1): dev_a1b2c3 (48).');
    expect(log).toContain('Actions: lesson_viewed 40, login 8.');
    const table = log.slice(log.indexOf('Last 10 events')).split('\n');
    expect(table[1]).toBe('TIME              ACTION         IP           DEVICE');
    expect(table[2]).toBe('2025-02-21 16:12  lesson_viewed  203.0.113.7  dev_a1b2c3');
    expect(table).toHaveLength(12);
    expectStatementsMatchSummary(d);
  });

  it('with no access events says so plainly and gives what Whop knows', () => {
    const d = buildEvidence(evidenceFacts({ accessEvents: [] }));
    const log = d.fields.access_activity_log!;
    expect(log).toMatch(
      /^Autopilot Academy recorded no access events for this customer in its own product or service/,
    );
    expect(log).toContain('Whop payment pay_7Hq2VbN0rT: 49.00 USD, paid 2025-02-14 16:02 UTC.');
    expect(log).toContain('membership mem_8Hs1PwQe, created 2025-02-14; its status is now active');
    expect(log).toContain('Sam Buyer joined Autopilot Academy on Whop on 2025-02-14.');
    expect(log).toContain(
      "Whop's most recent recorded action for this member: paid subscriber (2025-02-14).",
    );
    expect(d.statements).toContain('no access events recorded for this customer');
    // No usage claim of any kind.
    expect(d.statements.join('\n')).not.toMatch(/after purchase|purchase IP|purchase device|session/);
    expect(allText(d)).not.toMatch(/\bsessions?\b|used the product|same device|IP address at purchase/);
    expect(d.warnings).toContain(
      'No access events for this customer: the evidence rests on Whop data alone.',
    );
  });

  it('with events only from before the payment, says none came after it', () => {
    const d = buildEvidence(
      evidenceFacts({ accessEvents: [accessEvent({ occurredAt: afterPaid(-60 * 24 * 10) })] }),
    );
    expect(d.fields.access_activity_log).toMatch(
      /^Autopilot Academy recorded no access by this customer after this payment \(its only recorded event for this customer is from before the payment\)/,
    );
    expect(d.access.eventsAfterPurchase).toBe(0);
    expect(d.statements).toContain('no access events after purchase (1 before purchase)');
  });

  it('claims no usage when Whop gives no payment time', () => {
    const d = buildEvidence(
      evidenceFacts({ payment: null, dispute: whopDispute({ payment: null }), accessEvents: heavyUse() }),
    );
    expect(d.statements.join('\n')).not.toMatch(/after purchase|purchase IP|purchase device/);
    expect(d.fields.service_date).toBeUndefined();
    expect(d.fields.refund_refusal_explanation).toBeUndefined();
    expect(d.warnings).toContain('Whop returned no payment time, so no access can be tied to the purchase.');
  });

  it('does not claim a match with the purchase IP or device when later events come from elsewhere', () => {
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Fraudulent'),
        purchase: { ip: purchaseIp, deviceId: purchaseDevice },
        accessEvents: usage({ sessions: 5, perSession: 4, ip: '198.51.100.23', deviceId: 'dev_zz9' }),
      }),
    );
    expect(d.access.ipMatchesPurchase).toBe(false);
    expect(d.access.deviceMatchesPurchase).toBe(false);
    const text = allText(d);
    expect(text).not.toMatch(/same device|same IP|same browser|IP address at purchase|as at purchase/i);
    expect(text).not.toContain(purchaseDevice);
    expect(text).not.toContain(purchaseIp);
    expect(d.statements.join('\n')).not.toMatch(/purchase IP|purchase device|before and after/);
    expect(d.warnings).toEqual(
      expect.arrayContaining([
        'The purchase IP 203.0.113.7 was not seen in any later access event.',
        'The purchase device dev_a1b2c3 was not seen in any later access event.',
        'Fraud dispute with no IP/device match to the purchase and no CE 3.0 history: a weak case.',
      ]),
    );
    // The usage itself is still true and still stated.
    expect(d.statements).toContain('events after purchase: 20');
    expectStatementsMatchSummary(d);
  });

  it('calls a user-agent match a browser match, never a device match, and warns', () => {
    const ua = fixture().userAgent;
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Fraudulent'),
        purchase: { userAgent: ua },
        accessEvents: usage({ sessions: 2, perSession: 3, deviceId: undefined, userAgent: ua }),
      }),
    );
    expect(d.fields.notes).toContain('The same browser (same user agent');
    expect(allText(d)).not.toMatch(/same device/);
    expect(d.warnings.join('\n')).toMatch(/rests on the user agent only/);
  });

  it('bounds the summary lines however many IPs, devices and actions there are', () => {
    const events = usage({ sessions: 60, perSession: 10, dayStep: 0.25 }).map((e, i) => ({
      ...e,
      action: `feature_${'y'.repeat(60)}_${i % 40}`,
      ip: `10.0.${i % 200}.${i % 7}`,
      deviceId: `dev_${'x'.repeat(400)}_${i % 50}`,
    }));
    const d = buildEvidence(evidenceFacts({ accessEvents: events }));
    const log = d.fields.access_activity_log!;
    expect(log.length).toBeLessThanOrEqual(FIELD_LIMIT);
    expect(log).toContain('After the payment: 600 events in 60 sessions on 16 days.');
    expect(log).toMatch(/^IP addresses \(600\): .* and 595 more\.$/m);
    expect(log).toMatch(/^Devices \(50\): .* and 45 more\.$/m);
    expect(log).toMatch(/^Actions: .* and 28 other kinds\.$/m);
    expect(log).toContain('Last 10 events');
    expectStatementsMatchSummary(d);
  });

  it('drops table rows, never cutting a line, when the rest leaves too little room', () => {
    // A pathological company title makes the header line huge.
    const title = `Autopilot ${'Academy '.repeat(360)}`.trim();
    const d = buildEvidence(
      evidenceFacts({
        dispute: whopDispute({ company: { id: 'biz_4Tq8mXv2Lp', title } }),
        accessEvents: usage({ sessions: 8, perSession: 6 }),
      }),
    );
    const log = d.fields.access_activity_log!;
    expect(log.length).toBeLessThanOrEqual(FIELD_LIMIT);
    expect(log).toContain('After the payment: 48 events in 8 sessions on 8 days.');
    const shown = Number(/Last (\d+) events? \(UTC/.exec(log)?.[1]);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(10);
    const rows = log.slice(log.indexOf('TIME')).split('\n').slice(1);
    expect(rows).toHaveLength(shown);
    for (const row of rows) expect(row).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}\S+ +\S+ +\S+$/);
    expect(log.endsWith(rows.at(-1)!)).toBe(true);
  });
});

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

  it('not received without events: leans on Whop data', () => {
    const d = buildEvidence(evidenceFacts({ dispute: dispute('Product Not Received') }));
    const notes = d.fields.notes!;
    expect(notes).toContain('Autopilot Academy recorded no access events for this customer');
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
    expect(d.fields.notes).toContain(
      'Whop shows membership mem_8Hs1PwQe, created 2025-02-14; its status is now drafted.',
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
    expect(none.fields.notes).toContain(`Whop shows no refund on payment ${paymentId}.`);

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

  it('warns when the dispute no longer takes evidence', () => {
    const d = buildEvidence(
      evidenceFacts({ dispute: whopDispute({ status: 'under_review', editable: false }) }),
    );
    expect(d.warnings).toContain('The dispute is under review and no longer editable.');
  });
});

describe('buildEvidence: Visa Compelling Evidence 3.0', () => {
  /** Usage in the 30 days after a prior payment `daysBefore` the dispute, from the given IP/device. */
  function priorUsage(daysBefore: number, ip: string, deviceId: string) {
    const paid = Date.parse('2025-03-10T08:41:27.000Z') - daysBefore * 86_400_000;
    return [0, 3, 9].map((day) =>
      accessEvent({ occurredAt: new Date(paid + day * 86_400_000 + 600_000).toISOString(), ip, deviceId }),
    );
  }

  const fraudFacts = (overrides: Partial<EvidenceFacts>): EvidenceFacts =>
    evidenceFacts({ dispute: dispute('Fraudulent'), ...overrides });

  it('qualifies with two undisputed payments 120–365 days back that share the IP or device', () => {
    const d = buildEvidence(
      fraudFacts({
        accessEvents: [
          ...heavyUse(),
          ...priorUsage(150, purchaseIp, 'dev_old'),
          ...priorUsage(300, '192.0.2.1', purchaseDevice),
        ],
        priorPayments: [priorPayment(150), priorPayment(300)],
      }),
    );
    expect(d.ce3).toEqual({
      qualifies: true,
      matches: [
        {
          paymentId: 'pay_prior300',
          paidAt: '2024-05-14T08:41:27.000Z',
          amount: 49,
          currency: 'usd',
          sharedIps: [],
          sharedDeviceIds: [purchaseDevice],
        },
        {
          paymentId: 'pay_prior150',
          paidAt: '2024-10-11T08:41:27.000Z',
          amount: 49,
          currency: 'usd',
          sharedIps: [purchaseIp],
          sharedDeviceIds: [],
        },
      ],
      reason: '2 prior undisputed payments 120–365 days before the dispute share an IP address or device id.',
    });
    const notes = d.fields.notes!;
    expect(notes).toContain('Sam Buyer made 2 earlier undisputed payments 120–365 days before this dispute');
    expect(notes).toContain('- pay_prior300: 2024-05-14, 49.00 USD, shared device dev_a1b2c3');
    expect(notes).toContain('- pay_prior150: 2024-10-11, 49.00 USD, shared IP 203.0.113.7');
    expect(notes).toContain('These meet Visa Compelling Evidence 3.0');
    expect(d.statements).toContain('Visa CE 3.0 qualifies: 2 matching prior payments');
    expectStatementsMatchSummary(d);
  });

  it('does not qualify with only one matching payment, and does not claim it does', () => {
    const d = buildEvidence(
      fraudFacts({
        accessEvents: [
          ...heavyUse(),
          ...priorUsage(150, purchaseIp, purchaseDevice),
          ...priorUsage(200, '192.0.2.1', 'dev_other'),
        ],
        priorPayments: [priorPayment(150), priorPayment(200)],
      }),
    );
    expect(d.ce3?.qualifies).toBe(false);
    expect(d.ce3?.matches.map((m) => m.paymentId)).toEqual(['pay_prior150']);
    expect(d.ce3?.reason).toBe('1 matching prior payment; Visa CE 3.0 needs at least 2.');
    expect(d.fields.notes).toContain('made 1 earlier undisputed payment');
    expect(d.fields.notes).not.toContain('Compelling Evidence');
    expect(d.statements.join('\n')).not.toContain('CE 3.0');
  });

  it('ignores payments outside 120–365 days, and counts the boundaries', () => {
    const days = [30, 119, 366, 400, 120, 365];
    const d = buildEvidence(
      fraudFacts({
        accessEvents: [...heavyUse(), ...days.flatMap((n) => priorUsage(n, purchaseIp, purchaseDevice))],
        priorPayments: days.map((n) => priorPayment(n)),
      }),
    );
    expect(d.ce3?.matches.map((m) => m.paymentId)).toEqual(['pay_prior365', 'pay_prior120']);
    expect(d.ce3?.qualifies).toBe(true);

    const outside = buildEvidence(
      fraudFacts({
        accessEvents: [
          ...heavyUse(),
          ...[100, 400].flatMap((n) => priorUsage(n, purchaseIp, purchaseDevice)),
        ],
        priorPayments: [priorPayment(100), priorPayment(400)],
      }),
    );
    expect(outside.ce3).toMatchObject({ qualifies: false, matches: [] });
  });

  it('ignores disputed, unpaid and other-card payments', () => {
    const d = buildEvidence(
      fraudFacts({
        accessEvents: [
          ...heavyUse(),
          ...[150, 160, 170, 180].flatMap((n) => priorUsage(n, purchaseIp, purchaseDevice)),
        ],
        priorPayments: [
          priorPayment(150, {}, true),
          priorPayment(160, { status: 'open', substatus: 'failed' }),
          priorPayment(170, { substatus: 'dispute_lost' }),
          priorPayment(180, { card_last4: '0005' }),
        ],
      }),
    );
    expect(d.ce3).toMatchObject({ qualifies: false, matches: [] });
  });

  it('only counts events within 30 days after the prior payment', () => {
    const late = priorUsage(200, purchaseIp, purchaseDevice).map((e) => ({
      ...e,
      occurredAt: new Date(Date.parse(e.occurredAt) + 31 * 86_400_000).toISOString(),
    }));
    const d = buildEvidence(
      fraudFacts({ accessEvents: [...heavyUse(), ...late], priorPayments: [priorPayment(200)] }),
    );
    expect(d.ce3?.matches).toEqual([]);
  });

  it('does not qualify a non-Visa card, but still shows the history', () => {
    const d = buildEvidence(
      fraudFacts({
        payment: whopPayment({ card_brand: 'mastercard' }),
        accessEvents: [
          ...heavyUse(),
          ...[150, 200].flatMap((n) => priorUsage(n, purchaseIp, purchaseDevice)),
        ],
        priorPayments: [priorPayment(150), priorPayment(200)],
      }),
    );
    expect(d.ce3?.qualifies).toBe(false);
    expect(d.ce3?.matches).toHaveLength(2);
    expect(d.ce3?.reason).toBe('The card is mastercard; Compelling Evidence 3.0 is a Visa programme.');
    expect(d.fields.notes).toContain('made 2 earlier undisputed payments');
    expect(d.fields.notes).not.toContain('Compelling Evidence');
  });

  it('is computed for fraud disputes only', () => {
    expect(buildEvidence(evidenceFacts({ dispute: dispute('Product Not Received') })).ce3).toBeNull();
  });
});

describe('buildEvidence: field limits', () => {
  it('keeps every field within the limit, cutting a long policy text but never the facts before it', () => {
    const huge = `${'Our refund terms are strict and detailed. '.repeat(300)}`;
    const d = buildEvidence(
      evidenceFacts({
        dispute: dispute('Subscription Canceled'),
        accessEvents: usage({ sessions: 80, perSession: 8, dayStep: 0.25 }),
        priorPayments: Array.from({ length: 60 }, (_, i) =>
          priorPayment(0, {
            id: `pay_near${i}`,
            paid_at: afterPaid(-60 * (i + 1)),
            created_at: afterPaid(-60 * (i + 1)),
          }),
        ),
        policy: resolvedPolicy({
          product_description: huge,
          refund_policy: disclosure({ text: huge }),
          cancellation_policy: disclosure({ text: huge, renewal_reminders: 'email a week before' }),
          reason_wording: { subscription: huge },
        }),
      }),
    );
    for (const [name, value] of Object.entries(d.fields)) {
      expect(value.length, name).toBeLessThanOrEqual(FIELD_LIMIT);
    }
    expect(d.fields.refund_policy_disclosure).toMatch(
      /^This refund policy was shown to the customer at checkout/,
    );
    expect(d.fields.refund_policy_disclosure).toMatch(/detailed\.…$/);
    expect(d.fields.cancellation_policy_disclosure).toContain('Renewal reminders: email a week before.');
    expect(d.fields.notes).toMatch(/^Sam Buyer paid/);
    expectStatementsMatchSummary(d);
  });

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

describe('buildEvidence: statements', () => {
  it.each([
    'Fraudulent',
    'Product Not Received',
    'Product Unacceptable',
    'Subscription Canceled',
    'Duplicate',
    'Credit Not Processed',
    'General',
  ])('%s: every number stated is the summary’s, and each is in the text', (reason) => {
    const events = [
      accessEvent({ occurredAt: afterPaid(-60 * 24 * 5), ip: '192.0.2.9', deviceId: 'dev_home' }),
      ...usage({ sessions: 4, perSession: 3, sessionIds: false }),
      ...usage({ sessions: 3, perSession: 2, startMinutes: 60 * 30, ip: '192.0.2.9', deviceId: 'dev_home' }),
    ];
    const d = buildEvidence(evidenceFacts({ dispute: dispute(reason), accessEvents: events }));
    expectStatementsMatchSummary(d);
    const text = allText(d);
    for (const statement of d.statements) {
      const [key, value] = statement.split(': ');
      if (key === 'events after purchase') expect(text).toContain(`${value} access events`);
      if (key === 'sessions after purchase') expect(text).toContain(`${value} sessions`);
    }
  });
});
