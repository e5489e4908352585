import type { ResolutionCenterCaseIssueType } from '@whop/sdk/resources';
import { describe, expect, it } from 'vitest';
import { accessEvent, usage } from '../../test/support/builders/access-events.js';
import {
  caseFacts,
  disclosure,
  notReceivedCase,
  resolvedPolicy,
} from '../../test/support/builders/evidence.js';
import { afterPaid, fixture } from '../../test/support/builders/fixture.js';
import { whopMembership, whopPayment } from '../../test/support/builders/whop-customer.js';
import { buildCaseBrief } from './case-brief.js';

const { paidAt, purchaseDevice } = fixture();
const issueCase = (issue: ResolutionCenterCaseIssueType) => notReceivedCase({ issue });
/** Use on three days, from the purchase IP and device. */
const used = () => usage({ sessions: 3, perSession: 4 });
/** Only events from before the purchase: the merchant tracks this customer, who did not come back. */
const onlyBefore = () => [accessEvent({ occurredAt: afterPaid(-60 * 24 * 20) })];

describe('buildCaseBrief: facts', () => {
  it('reports the purchase, the use after it and the deadline', () => {
    const brief = buildCaseBrief(caseFacts({ accessEvents: used() }));
    expect(brief).toMatchObject({
      caseId: 'reso_2Wq9ErTy6u',
      status: 'merchant_response_needed',
      issue: 'item_not_received',
      boughtAt: paidAt,
      accessClaimed: true,
      usedAfterPurchase: { events: 12, sessions: 3, lastAccess: afterPaid(5 + 2 * 24 * 60 + 3) },
      dueAt: '2025-03-17T10:00:00.000Z',
      financedBy: null,
      decided: false,
    });
  });

  it('tells "no use after purchase" (false) from "no events at all" (null)', () => {
    expect(buildCaseBrief(caseFacts({ accessEvents: onlyBefore() })).accessClaimed).toBe(false);
    expect(buildCaseBrief(caseFacts({ accessEvents: [] })).accessClaimed).toBeNull();
  });

  it('takes the purchase time from the case when the payment could not be read', () => {
    const brief = buildCaseBrief(caseFacts({ payment: null, accessEvents: used() }));
    expect(brief.boughtAt).toBe(paidAt);
    expect(brief.usedAfterPurchase.events).toBe(12);
    expect(brief.text).toContain('Payment pay_7Hq2VbN0rT: 49.00 USD, bought 2025-02-14 16:02 UTC.');
  });

  it('parses a date-only due date', () => {
    expect(buildCaseBrief(caseFacts({ rcCase: notReceivedCase({ due_date: '2025-03-17' }) })).dueAt).toBe(
      '2025-03-17T00:00:00.000Z',
    );
  });

  it('writes a short plain-text brief', () => {
    const brief = buildCaseBrief(caseFacts({ accessEvents: used() }));
    expect(brief.text).toBe(
      [
        'Resolution Center case reso_2Wq9ErTy6u: item not received (merchant response needed)',
        'Customer: Sam Buyer (@sambuyer). Payment pay_7Hq2VbN0rT: 49.00 USD, bought 2025-02-14 16:02 UTC.',
        'Respond by 2025-03-17 10:00 UTC (in 6 days).',
        'Used after purchase: 12 events in 3 sessions, last 2025-02-16 16:10 UTC.',
        'Membership mem_8Hs1PwQe: active.',
        'Member since 2025-02-14; most recent action: paid subscriber.',
        'Customer wrote: "I paid but never got access to the signals channel."',
        '',
        'Suggestion: DENY',
        '- Delivered: first access 5 minutes after payment (2025-02-14 16:07 UTC).',
        '- The customer used the product after purchase: 12 access events in 3 sessions on 3 days, last on 2025-02-16 16:10 UTC.',
        '',
        'Answer in Whop (Resolution Center): the API cannot answer cases.',
      ].join('\n'),
    );
  });

  it('says when the deadline has passed', () => {
    const brief = buildCaseBrief(caseFacts({ now: new Date('2025-03-18T00:00:00.000Z') }));
    expect(brief.text).toContain('Respond by 2025-03-17 10:00 UTC (overdue).');
  });
});

describe('buildCaseBrief: suggestions per issue', () => {
  describe('item_not_received', () => {
    it('deny with proof when the product was accessed after purchase', () => {
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('item_not_received'), accessEvents: used() }),
      );
      expect(brief.suggestion).toBe('deny');
      expect(brief.reasons[0]).toBe(
        'Delivered: first access 5 minutes after payment (2025-02-14 16:07 UTC).',
      );
    });

    it('accept when the merchant tracks this customer and there was no access after purchase', () => {
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('item_not_received'), accessEvents: onlyBefore() }),
      );
      expect(brief.suggestion).toBe('accept');
      expect(brief.reasons[0]).toBe(
        'No access since the purchase: your only recorded event for this customer is from before it.',
      );
    });

    it('request more info when there are no access events at all', () => {
      const brief = buildCaseBrief(caseFacts({ rcCase: issueCase('item_not_received') }));
      expect(brief.suggestion).toBe('request_more_info');
      expect(brief.reasons[0]).toBe(
        'No access events are recorded for this customer, so there is no proof of use to show.',
      );
      expect(brief.text).toContain(
        'Used after purchase: unknown (no access events recorded for this customer).',
      );
    });
  });

  describe('forgot_to_cancel', () => {
    it('deny when the renewed period was used, citing the cancellation policy and reminders', () => {
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('forgot_to_cancel'), accessEvents: used() }),
      );
      expect(brief.suggestion).toBe('deny');
      expect(brief.reasons).toEqual([
        'The customer used the product after purchase: 12 access events in 3 sessions on 3 days, last on 2025-02-16 16:10 UTC. The renewed period was used.',
        'Your cancellation policy was shown at checkout.',
        'Renewal reminders: email 3 days before each renewal',
      ]);
    });

    it('does not cite a cancellation policy that was not shown at checkout', () => {
      const policy = resolvedPolicy({ cancellation_policy: disclosure({ shown_at_checkout: false }) });
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('forgot_to_cancel'), accessEvents: used(), policy }),
      );
      expect(brief.reasons.join('\n')).not.toContain('shown at checkout');
    });

    it('accept when the renewed period was not used', () => {
      for (const accessEvents of [[], onlyBefore()]) {
        const brief = buildCaseBrief(caseFacts({ rcCase: issueCase('forgot_to_cancel'), accessEvents }));
        expect(brief.suggestion).toBe('accept');
        expect(brief.reasons[1]).toMatch(
          /^A customer who forgot to cancel and did not use the renewed period usually wins/,
        );
      }
    });
  });

  describe.each<[ResolutionCenterCaseIssueType, string]>([
    ['significantly_not_as_described', 'not as described'],
    ['product_unacceptable', 'unacceptable'],
  ])('%s', (issue, what) => {
    it('deny when the product was used on three or more days, quoting the description', () => {
      const brief = buildCaseBrief(caseFacts({ rcCase: issueCase(issue), accessEvents: used() }));
      expect(brief.suggestion).toBe('deny');
      expect(brief.reasons[1]).toBe(`Use on 3 separate days does not fit a product that was ${what}.`);
      expect(brief.reasons[2]).toMatch(
        /^Your product description: "Trading Signals Pro: a monthly membership/,
      );
    });

    it('request more info after brief use', () => {
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase(issue), accessEvents: usage({ sessions: 2, perSession: 3 }) }),
      );
      expect(brief.suggestion).toBe('request_more_info');
      expect(brief.reasons[0]).toMatch(/That is brief use, not enough to rebut a quality complaint\.$/);
      expect(brief.reasons[1]).toBe(
        `Ask the customer what exactly was ${what}; refund if the complaint holds.`,
      );
    });

    it('request more info without any use', () => {
      expect(buildCaseBrief(caseFacts({ rcCase: issueCase(issue) })).suggestion).toBe('request_more_info');
      expect(
        buildCaseBrief(caseFacts({ rcCase: issueCase(issue), accessEvents: onlyBefore() })).suggestion,
      ).toBe('request_more_info');
    });
  });

  describe('unauthorized_transaction', () => {
    it('deny when the product was used from the purchase device', () => {
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('unauthorized_transaction'), accessEvents: used() }),
      );
      expect(brief.suggestion).toBe('deny');
      expect(brief.reasons[0]).toBe(
        `Used from the same device as the purchase (${purchaseDevice}) in 11 later events.`,
      );
    });

    it('deny on the purchase IP when devices are not recorded', () => {
      const events = usage({ sessions: 3, perSession: 2, deviceId: undefined });
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('unauthorized_transaction'), accessEvents: events }),
      );
      expect(brief.suggestion).toBe('deny');
      expect(brief.reasons[0]).toBe(
        'Used from the same IP address as the purchase (203.0.113.7) in 5 later events.',
      );
    });

    it('request more info when the use came from another device and IP than the purchase', () => {
      const events = [
        accessEvent({ occurredAt: afterPaid(2) }),
        ...usage({
          sessions: 3,
          perSession: 3,
          startMinutes: 120,
          ip: '198.51.100.23',
          deviceId: 'dev_other',
        }),
      ];
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('unauthorized_transaction'), accessEvents: events }),
      );
      expect(brief.suggestion).toBe('request_more_info');
      expect(brief.reasons[1]).toBe(
        'But not from the IP address or device seen at purchase, so it does not show the purchase was authorized.',
      );
      expect(brief.text).not.toMatch(/same device|same IP/);
    });

    it('a user-agent match alone is not enough to deny', () => {
      const ua = fixture().userAgent;
      const events = usage({ sessions: 3, perSession: 3, ip: undefined, deviceId: undefined, userAgent: ua });
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('unauthorized_transaction'), accessEvents: events }),
      );
      expect(brief.suggestion).toBe('request_more_info');
    });

    it('accept when nothing was used after purchase', () => {
      const brief = buildCaseBrief(
        caseFacts({ rcCase: issueCase('unauthorized_transaction'), accessEvents: onlyBefore() }),
      );
      expect(brief.suggestion).toBe('accept');
      expect(brief.reasons[1]).toBe(
        'Nothing ties the purchase to the account holder; refunding now avoids a likely chargeback.',
      );
    });
  });

  it('takes no stance on an issue type newer than this code', () => {
    const rcCase = { ...notReceivedCase(), issue: 'something_new' } as unknown as ReturnType<
      typeof notReceivedCase
    >;
    const brief = buildCaseBrief(caseFacts({ rcCase, accessEvents: used() }));
    expect(brief.suggestion).toBe('request_more_info');
    expect(brief.reasons.at(-1)).toBe('No rule for issue "something_new"; review it in Whop.');
  });

  it('asks the merchant to answer when Whop requested information', () => {
    const brief = buildCaseBrief(
      caseFacts({
        rcCase: notReceivedCase({ status: 'merchant_info_needed', merchant_response_actions: ['respond'] }),
        accessEvents: used(),
      }),
    );
    expect(brief.suggestion).toBe('deny');
    expect(brief.reasons.at(-1)).toBe('Whop asked you for more information: answer in the case.');
  });
});

describe('buildCaseBrief: financed payments', () => {
  it.each([
    ['klarna', 'Klarna'],
    ['afterpay_clearpay', 'Afterpay'],
    ['splitit', 'Splitit'],
    ['sezzle', 'Sezzle'],
    ['zip', 'Zip'],
  ] as const)('%s: notes that Whop refunds it automatically', (method, name) => {
    const brief = buildCaseBrief(
      caseFacts({ payment: whopPayment({ payment_method_type: method }), accessEvents: used() }),
    );
    expect(brief.financedBy).toBe(name);
    expect(brief.suggestion).toBe('accept');
    expect(brief.reasons[0]).toBe(
      `Paid with ${name} (financed): Whop refunds Resolution Center cases on financed payments automatically, so denying will not change the outcome.`,
    );
    expect(brief.text).toContain(`Financed with ${name}: Whop refunds this automatically.`);
  });

  it('suggests nothing while Whop reviews a financed case, but keeps the note', () => {
    const brief = buildCaseBrief(
      caseFacts({
        rcCase: notReceivedCase({ status: 'under_platform_review', merchant_response_actions: [] }),
        payment: whopPayment({ payment_method_type: 'klarna' }),
      }),
    );
    expect(brief.suggestion).toBeNull();
    expect(brief.reasons[1]).toMatch(/^Paid with Klarna \(financed\)/);
  });

  it('Klarna Pay Now and cards are not financed', () => {
    for (const method of ['klarna_pay_now', 'card', 'affirm'] as const) {
      expect(
        buildCaseBrief(caseFacts({ payment: whopPayment({ payment_method_type: method }) })).financedBy,
      ).toBeNull();
    }
  });
});

describe('buildCaseBrief: cases not waiting on the merchant', () => {
  it.each([
    ['customer_won', 'The case was decided for the customer (refunded).'],
    ['merchant_won', 'The case was decided for you.'],
    ['customer_withdrew', 'The case was withdrawn by the customer.'],
  ] as const)('%s: no suggestion, a summary', (status, summary) => {
    const brief = buildCaseBrief(
      caseFacts({
        rcCase: notReceivedCase({ status, merchant_response_actions: [], due_date: null }),
        accessEvents: used(),
      }),
    );
    expect(brief.decided).toBe(true);
    expect(brief.suggestion).toBeNull();
    expect(brief.reasons[0]).toBe(summary);
    expect(brief.reasons[1]).toMatch(/^The customer used the product after purchase: 12 access events/);
    expect(brief.text).toContain('No action suggested.');
    expect(brief.text).not.toContain('Respond by');
    expect(brief.text).not.toContain('Answer in Whop');
  });

  it('mentions the one appeal left after a loss', () => {
    const brief = buildCaseBrief(
      caseFacts({
        rcCase: notReceivedCase({ status: 'customer_won', merchant_response_actions: ['appeal'] }),
        accessEvents: used(),
      }),
    );
    expect(brief.suggestion).toBeNull();
    expect(brief.reasons.at(-1)).toBe(
      'You can still appeal once in Whop; the decision after an appeal is final.',
    );
    const appealed = buildCaseBrief(
      caseFacts({
        rcCase: notReceivedCase({
          status: 'customer_won',
          merchant_response_actions: ['appeal'],
          merchant_appealed: true,
        }),
      }),
    );
    expect(appealed.reasons.join('\n')).not.toContain('appeal');
  });

  it.each([
    ['customer_response_needed', 'Waiting for the customer; nothing is expected from you now.'],
    ['customer_info_needed', 'Waiting for the customer; nothing is expected from you now.'],
    ['under_platform_review', 'Whop is reviewing the case; nothing is expected from you now.'],
  ] as const)('%s: no suggestion while someone else has to act', (status, reason) => {
    const brief = buildCaseBrief(
      caseFacts({ rcCase: notReceivedCase({ status, merchant_response_actions: [] }) }),
    );
    expect(brief.decided).toBe(false);
    expect(brief.suggestion).toBeNull();
    expect(brief.reasons[0]).toBe(reason);
  });

  it('shows a canceled membership', () => {
    const brief = buildCaseBrief(
      caseFacts({ membership: whopMembership({ status: 'canceled', canceled_at: afterPaid(60 * 24 * 3) }) }),
    );
    expect(brief.text).toContain('Membership mem_8Hs1PwQe: canceled, cancellation requested 2025-02-17.');
  });
});
