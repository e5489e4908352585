import { describe, expect, it } from 'vitest';
import { advance, recordOf } from '../../test/support/builders/case-records.js';
import { COMPANY, PAYMENT_ID } from '../../test/support/builders/fixture.js';
import {
  whopCase,
  whopDispute,
  whopDisputeAlert,
  whopPaymentEmbed,
  whopRefund,
} from '../../test/support/builders/whop-cases.js';
import {
  alertFor,
  eventOf,
  eventsOf,
  expectProduced,
  fieldValue,
  LINK,
  NOW,
  seen,
} from '../../test/support/compose-checks.js';
import type { CaseKind } from '../cases/case-record.js';
import { composeCaseEventAlert } from './compose-case-event.js';

describe('dispute alerts from case events', () => {
  const chargeback = recordOf('dispute', whopDispute());

  it('a new chargeback alerts once (needs_response), urgent, with amount, reason, due date and time left', () => {
    const [opened, needs] = eventsOf(undefined, chargeback);
    expect(composeCaseEventAlert(opened!, chargeback, { now: NOW })).toBeNull();
    const alert = seen(
      composeCaseEventAlert(needs!, chargeback, {
        now: NOW,
        evidenceStatus: 'Drafted from 4 sources, not submitted',
      }),
    );
    expect(alert).toMatchObject({
      id: 'dspt_5Vn8QxLk2m.needs_response.needs_response',
      kind: 'dispute_opened',
      severity: 'urgent',
      companyId: COMPANY.id,
      caseId: 'dspt_5Vn8QxLk2m',
      title: 'Chargeback: $49.00 — respond by Mon 24 Mar',
      amount: { value: 49, currency: 'USD' },
      dueAt: '2025-03-24T23:59:59.000Z',
      link: LINK,
    });
    expect(alert.summary).toContain('$49.00 payment for Trading Signals Pro (reason: Product Not Received)');
    expect(alert.summary).toContain('by Mon 24 Mar 2025, 23:59 UTC (3 days 4 hours left)');
    expect(alert.summary).toContain('$15 fee');
    expect(alert.fields).toEqual([
      { label: 'Amount', value: '$49.00' },
      { label: 'Reason', value: 'Product Not Received' },
      { label: 'Respond by', value: 'Mon 24 Mar 2025, 23:59 UTC' },
      { label: 'Time left', value: '3 days 4 hours left' },
      { label: 'Evidence', value: 'Drafted from 4 sources, not submitted' },
      { label: 'Product', value: 'Trading Signals Pro' },
      { label: 'Dispute', value: 'dspt_5Vn8QxLk2m' },
      { label: 'Payment', value: PAYMENT_ID },
    ]);
  });

  it('the opening message carries the case strength, the recommendation and the first way to strengthen it', () => {
    const alert = alertFor('dispute.needs_response', undefined, chargeback, {
      strength: {
        strength: 'weak',
        reasons: ['Against: no use after the purchase is recorded.', 'Against: no refund policy.', 'A', 'B'],
        recommendation: {
          action: 'let_close',
          text: 'Consider not fighting: a weak case for $49.00.',
          strengthen: ['Send access events.', 'Add refund_policy.'],
        },
      },
    });
    expect(alert.fields.slice(4, 7)).toEqual([
      {
        label: 'Case strength',
        value:
          'Weak case, consider letting it close. Against: no use after the purchase is recorded. Against: no refund policy. A',
      },
      { label: 'Recommendation', value: 'Consider not fighting: a weak case for $49.00.' },
      { label: 'Would strengthen it', value: 'Send access events.' },
    ]);
    // Without an assessment (evidence not drafted yet), no such fields.
    expect(
      fieldValue(alertFor('dispute.needs_response', undefined, chargeback), 'Case strength'),
    ).toBeUndefined();
  });

  it('answered by the autopilot before the opening went out: told once as news (info), not as a request', () => {
    const answered = advance(chargeback, whopDispute({ status: 'under_review' }), '2025-03-21T19:31:00.000Z');
    const event = eventOf('dispute.needs_response', undefined, chargeback);
    // Read after the submission, without the autopilot's word: nothing (the record has the last word).
    expect(composeCaseEventAlert(event, answered, { now: NOW })).toBeNull();
    const alert = seen(
      composeCaseEventAlert(event, answered, {
        now: NOW,
        submittedAt: '2025-03-21T19:30:05.000Z',
        evidenceStatus: 'Submitted Fri 21 Mar 2025, 19:30 UTC',
      }),
    );
    expect(alert).toMatchObject({
      id: 'dspt_5Vn8QxLk2m.needs_response.needs_response',
      kind: 'dispute_opened',
      severity: 'info',
      title: 'Chargeback: $49.00 — evidence submitted automatically',
    });
    expect(alert.summary).toContain('submitted the evidence on Fri 21 Mar 2025, 19:30 UTC');
    expect(alert.summary).toContain('Nothing to do now');
    expect(fieldValue(alert, 'Evidence')).toBe('Submitted Fri 21 Mar 2025, 19:30 UTC');
    expect(fieldValue(alert, 'Respond by')).toBeUndefined();
  });

  it('an inquiry is a warning with days left, urgent within 48 hours, and says it can escalate', () => {
    const inquiry = recordOf('dispute', whopDispute({ status: 'warning_needs_response' }));
    const early = seen(alertFor('dispute.needs_response', undefined, inquiry));
    expect(early.severity).toBe('warning');
    expect(early.title).toBe('Inquiry: $49.00 — respond by Mon 24 Mar');
    expect(early.summary).toContain('can become a chargeback');
    expect(early.fields.find((f) => f.label === 'Inquiry')?.value).toBe('dspt_5Vn8QxLk2m');
    const late = alertFor('dispute.needs_response', undefined, inquiry, { now: '2025-03-24T10:00:00.000Z' });
    expect(late.severity).toBe('urgent');
    expect(fieldValue(late, 'Time left')).toBe('13 hours 59 minutes left');
  });

  it('an inquiry escalating to a chargeback alerts again, under a new id, saying so', () => {
    const inquiry = recordOf('dispute', whopDispute({ status: 'warning_needs_response' }));
    const closed = advance(inquiry, whopDispute({ status: 'warning_closed' }), '2025-03-12T00:00:00.000Z');
    const escalated = advance(closed, whopDispute({ status: 'needs_response' }), '2025-03-13T00:00:00.000Z');
    const alert = seen(alertFor('dispute.needs_response', closed, escalated));
    expect(alert.title).toBe('Inquiry escalated to a chargeback: $49.00 — respond by Mon 24 Mar');
    expect(alert.summary).toContain('The bank inquiry became a chargeback');
    expect(alert.id).not.toBe(alertFor('dispute.needs_response', undefined, inquiry).id);
  });

  it('a needs-response event read after the merchant answered composes nothing (the record has the last word)', () => {
    const [, needs] = eventsOf(undefined, chargeback);
    const answered = advance(chargeback, whopDispute({ status: 'under_review' }), '2025-03-21T00:00:00.000Z');
    expect(composeCaseEventAlert(needs!, answered, { now: NOW })).toBeNull();
    const kase = recordOf('resolution_case', whopCase());
    const awaiting = eventOf('case.awaiting_merchant', undefined, kase);
    const decided = advance(
      kase,
      whopCase({ status: 'merchant_won', updated_at: '2025-03-12T00:00:00.000Z' }),
      '2025-03-12T00:00:00.000Z',
    );
    expect(composeCaseEventAlert(awaiting, decided, { now: NOW })).toBeNull();
  });

  it('without a due date says so rather than inventing one', () => {
    const noDue = recordOf('dispute', whopDispute({ needs_response_by: null }));
    const alert = alertFor('dispute.needs_response', undefined, noDue);
    expect(alert.title).toBe('Chargeback: $49.00');
    expect(alert.dueAt).toBeUndefined();
    expect(fieldValue(alert, 'Respond by')).toBe('not given by Whop: check it in Whop');
    expect(fieldValue(alert, 'Time left')).toBeUndefined();
  });

  it('a dispute first seen already under review is news, not a task', () => {
    const review = recordOf('dispute', whopDispute({ status: 'under_review', editable: false }));
    const alert = seen(alertFor('dispute.opened', undefined, review));
    expect(alert).toMatchObject({
      kind: 'dispute_opened',
      severity: 'info',
      title: 'New dispute: $49.00 (under review)',
    });
    expect(
      composeCaseEventAlert(eventOf('dispute.under_review', undefined, review), review, { now: NOW }),
    ).toBeNull();
  });

  it('outcomes: won (info), lost (warning), closed, inquiry closed', () => {
    const open = recordOf('dispute', whopDispute({ status: 'under_review' }));
    const at = '2025-04-01T00:00:00.000Z';
    const won = seen(alertFor('dispute.won', open, advance(open, whopDispute({ status: 'won' }), at)));
    expect(won).toMatchObject({
      kind: 'outcome',
      severity: 'info',
      title: 'Dispute won: $49.00',
      link: LINK,
    });
    expect(won.summary).toContain('in your favour');
    const lost = alertFor('dispute.lost', open, advance(open, whopDispute({ status: 'lost' }), at));
    expect(lost).toMatchObject({ severity: 'warning', title: 'Dispute lost: $49.00' });
    expect(lost.summary).toContain('for the customer');
    const closed = alertFor('dispute.closed', open, advance(open, whopDispute({ status: 'closed' }), at));
    expect(closed.title).toBe('Dispute closed: $49.00');
    const inquiry = recordOf('dispute', whopDispute({ status: 'warning_needs_response' }));
    const inquiryClosed = alertFor(
      'dispute.closed',
      inquiry,
      advance(inquiry, whopDispute({ status: 'warning_closed' }), at),
    );
    expect(inquiryClosed.title).toBe('Inquiry closed: $49.00');
    expect(inquiryClosed.summary).toContain('can still become a chargeback');
    // A dispute first seen already won alerts the outcome only.
    const firstSeenWon = recordOf('dispute', whopDispute({ status: 'won' }));
    expect(
      composeCaseEventAlert(eventOf('dispute.opened', undefined, firstSeenWon), firstSeenWon, { now: NOW }),
    ).toBeNull();
  });

  it('a dispute alert says its type, the amount and what the policy did', () => {
    // Whop's alert object names no company; the reconciler fills it in from the event or the payment.
    const record = {
      ...recordOf('dispute_alert', whopDisputeAlert({ alert_type: 'fraud' })),
      companyId: COMPANY.id,
    };
    const alert = seen(
      alertFor('dispute_alert.opened', undefined, record, {
        policyAction: 'Refunded $49.00 and cancelled access',
      }),
    );
    expect(alert).toMatchObject({
      id: 'dspa_1Rt6YuIo9p.opened',
      kind: 'dispute_alert',
      severity: 'warning',
      title: 'Dispute alert: $49.00 (fraud report)',
      link: LINK,
    });
    expect(alert.summary).toContain('What we did: Refunded $49.00 and cancelled access.');
    expect(alert.summary).toMatch(/ It was a \$49\.00 payment( for [^.]+)?\. /);
    expect(alert.summary).not.toContain('Payment:');
    expect(fieldValue(alert, 'Type')).toBe('fraud report');
    expect(fieldValue(alert, 'What we did')).toBe('Refunded $49.00 and cancelled access');
    expect(fieldValue(alert, 'Alert fee')).toBe('charged');
    expect(fieldValue(alert, 'Dispute')).toBe('dspt_5Vn8QxLk2m');
    const rdr = alertFor(
      'dispute_alert.opened',
      undefined,
      recordOf('dispute_alert', whopDisputeAlert({ alert_type: 'dispute_rdr' })),
    );
    expect(rdr.title).toBe('Dispute alert: $49.00 (Visa RDR)');
    expect(rdr.summary).not.toContain('What we did');
  });

  it('a dispute alert auto-refund decided within the window: refunded is informational, not refunded says why', () => {
    const record = {
      ...recordOf('dispute_alert', whopDisputeAlert({ alert_type: 'fraud' })),
      companyId: COMPANY.id,
    };
    const said = 'Refunded $49.00 to head off a chargeback: rule max_amount $50.00.';
    const refunded = seen(
      alertFor('dispute_alert.opened', undefined, record, {
        refund: { handled: true, said, rule: 'max_amount' },
      }),
    );
    expect([refunded.severity, refunded.title]).toEqual([
      'info',
      'Dispute alert refunded automatically: $49.00 (fraud report)',
    ]);
    expect(refunded.summary).toContain(`Auto-refund: ${said} Nothing to do.`);
    expect(fieldValue(refunded, 'Rule')).toBe('max_amount');
    const why =
      'The alert is for $49.00, over the auto-refund maximum of $40.00 (rule max_amount): not refunded.';
    const notRefunded = seen(
      alertFor('dispute_alert.opened', undefined, record, {
        refund: { handled: false, said: why, rule: 'max_amount' },
      }),
    );
    expect([notRefunded.severity, notRefunded.title]).toEqual([
      'warning',
      'Dispute alert: $49.00 (fraud report) — not refunded',
    ]);
    expect(notRefunded.summary).toContain(why);
    expect(fieldValue(notRefunded, 'Auto-refund')).toBe(why);
    // The same transition, the same id: one message whatever it carries.
    expect(notRefunded.id).toBe(refunded.id);
  });

  it('a failed refund warns; a succeeded one is silent', () => {
    const pending = recordOf('refund', whopRefund());
    const failed = advance(pending, whopRefund({ status: 'failed' }), '2025-03-12T00:00:00.000Z');
    const alert = seen(alertFor('refund.failed', pending, failed));
    expect(alert).toMatchObject({
      id: 'rfnd_0Pl5KjHg3f.failed',
      kind: 'refund_failed',
      severity: 'warning',
      title: 'Refund failed: $19.50',
    });
    expect(alert.summary).toContain('(provider: stripe)');
    const succeeded = advance(pending, whopRefund({ status: 'succeeded' }), '2025-03-12T00:00:00.000Z');
    expect(
      composeCaseEventAlert(eventOf('refund.succeeded', pending, succeeded), succeeded, { now: NOW }),
    ).toBeNull();
  });
});

describe('financed payments', () => {
  it('an unknown payment method or a card is not financed; every listed provider is', () => {
    const kase = (kind: CaseKind) => recordOf(kind, kind === 'resolution_case' ? whopCase() : whopDispute());
    const record = kase('resolution_case');
    const event = eventOf('case.opened', undefined, record);
    for (const m of ['splitit', 'sezzle', 'klarna', 'afterpay_clearpay', 'zip']) {
      expect(composeCaseEventAlert(event, record, { now: NOW, paymentMethodType: m })?.severity).toBe('info');
    }
    for (const m of ['card', 'klarna_pay_now', 'affirm', 'toString', null]) {
      expect(composeCaseEventAlert(event, record, { now: NOW, paymentMethodType: m })).toBeNull();
    }
    // Disputes carry the payment method in the record; a financed dispute is still a dispute.
    const d = recordOf(
      'dispute',
      whopDispute({ payment: whopPaymentEmbed({ payment_method_type: 'klarna' }) }),
    );
    expect(
      composeCaseEventAlert(eventOf('dispute.needs_response', undefined, d), d, { now: NOW })?.severity,
    ).toBe('urgent');
  });
});

describe('alert kinds', () => {
  it('compose-case-event.ts produces exactly the kinds it is listed with', () => {
    expectProduced('compose-case-event');
  });
});
