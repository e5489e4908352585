import { describe, expect, it } from 'vitest';
import { accessEvent, heavyUse, usage } from '../../test/support/builders/access-events.js';
import {
  disclosure,
  evidenceFacts,
  priorPayment,
  resolvedPolicy,
} from '../../test/support/builders/evidence.js';
import { afterPaid } from '../../test/support/builders/fixture.js';
import { whopDispute } from '../../test/support/builders/whop-cases.js';
import { whopMember, whopMembership, whopPayment } from '../../test/support/builders/whop-customer.js';
import { allText, expectStatementsMatchSummary } from '../../test/support/evidence-checks.js';
import { buildEvidence } from './build-evidence.js';
import { FIELD_LIMIT } from './paragraph.js';

const dispute = (reason: string) => whopDispute({ reason });

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

  it('warns when the dispute no longer takes evidence', () => {
    const d = buildEvidence(
      evidenceFacts({ dispute: whopDispute({ status: 'under_review', editable: false }) }),
    );
    expect(d.warnings).toContain('The dispute is under review and no longer editable.');
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
