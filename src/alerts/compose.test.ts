import { describe, expect, it } from 'vitest';
import { recordOf } from '../../test/support/builders/case-records.js';
import { COMPANY, PAYMENT_ID } from '../../test/support/builders/fixture.js';
import {
  type WhopObject,
  whopCase,
  whopDispute,
  whopDisputeAlert,
  whopPaymentEmbed,
  whopRefund,
} from '../../test/support/builders/whop-cases.js';
import type { CaseEvent, CaseEventType, CaseKind, CaseRecord } from '../cases/case-record.js';
import { fromWhop } from '../cases/from-whop.js';
import { mergeSnapshot } from '../cases/merge-snapshot.js';
import { toCaseEvent, transitionsFor } from '../cases/transitions.js';
import { ALERT_KINDS, type Alert, type AlertKind, alertSchema } from './alert.js';
import {
  composeCaseEventAlert,
  composeDigest,
  composeDisputeRate,
  composeEvidenceStaged,
  composeEvidenceSubmitted,
  composeJobFailed,
  composeReminder,
  composeSweepRecovered,
  whopDashboardLink,
} from './compose.js';
import { reminderKey } from './reminder-schedule.js';

/** Three days, four hours and a half before the fixture dispute's due date (2025-03-24T23:59:59Z). */
const NOW = '2025-03-21T19:30:00.000Z';
const LINK = `https://whop.com/dashboard/${COMPANY.id}/payments/${PAYMENT_ID}`;

function advance(previous: CaseRecord, object: WhopObject, observedAt: string): CaseRecord {
  const merged = mergeSnapshot(previous, fromWhop(previous.kind, object), observedAt, 'webhook');
  expect(merged.outcome).toBe('updated');
  return merged.record;
}

/** The events a write fires, as the store would put them on da:case-events. */
function eventsOf(previous: CaseRecord | undefined, next: CaseRecord): CaseEvent[] {
  return transitionsFor(previous, next).map((t) =>
    toCaseEvent(t, previous, next, next.observedAt, 'webhook'),
  );
}

function eventOf(type: CaseEventType, previous: CaseRecord | undefined, next: CaseRecord): CaseEvent {
  const event = eventsOf(previous, next).find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} among ${eventsOf(previous, next).map((e) => e.type)}`);
  return event;
}

function alertFor(
  type: CaseEventType,
  previous: CaseRecord | undefined,
  next: CaseRecord,
  facts: Partial<Parameters<typeof composeCaseEventAlert>[2]> = {},
): Alert {
  const alert = composeCaseEventAlert(eventOf(type, previous, next), next, { now: NOW, ...facts });
  if (!alert) throw new Error(`${type} composed no alert`);
  return alertSchema.parse(alert);
}

const fieldValue = (alert: Alert, label: string) => alert.fields.find((f) => f.label === label)?.value;

const produced = new Set<AlertKind>();
function seen(alert: Alert | null): Alert {
  if (!alert) throw new Error('expected an alert');
  expect(alert.id).not.toContain(':');
  expect(() => alertSchema.parse(alert)).not.toThrow();
  produced.add(alert.kind);
  return alert;
}

describe('whopDashboardLink', () => {
  it('points at the payment in the company dashboard, or nowhere without both ids', () => {
    expect(whopDashboardLink(COMPANY.id, PAYMENT_ID)).toBe(LINK);
    expect(whopDashboardLink(null, PAYMENT_ID)).toBeUndefined();
    expect(whopDashboardLink(COMPANY.id, null)).toBeUndefined();
    expect(whopDashboardLink('biz/../x', 'pay?x')).toBe(
      'https://whop.com/dashboard/biz%2F..%2Fx/payments/pay%3Fx',
    );
  });
});

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

describe('Resolution Center alerts from case events', () => {
  const CASE_NOW = '2025-03-10T12:00:00.000Z';
  const open = recordOf('resolution_case', whopCase(), '2025-03-10T10:00:05.000Z');

  it('a new case awaiting the merchant: issue, due, time left, the brief; case.opened stays silent', () => {
    expect(
      composeCaseEventAlert(eventOf('case.opened', undefined, open), open, { now: CASE_NOW }),
    ).toBeNull();
    const alert = seen(
      alertFor('case.awaiting_merchant', undefined, open, {
        now: CASE_NOW,
        caseBrief: 'Customer says: "I forgot to cancel before the renewal." Access claimed on 14 Feb.',
      }),
    );
    expect(alert).toMatchObject({
      kind: 'case_awaiting_merchant',
      severity: 'warning',
      title: 'Resolution Center case: $49.00 (Forgot to cancel) — answer by Mon 17 Mar',
      dueAt: '2025-03-17T10:00:00.000Z',
      link: LINK,
    });
    expect(alert.id).toBe(
      'reso_2Wq9ErTy6u.awaiting_merchant.merchant_response_needed.2025-03-17T10.00.00.000Z',
    );
    expect(alert.summary).toContain(
      'A customer opened a Resolution Center case about a $49.00 payment (Forgot to cancel)',
    );
    expect(alert.summary).toContain('by Mon 17 Mar 2025, 10:00 UTC (6 days 22 hours left)');
    expect(alert.summary).toContain('without an answer Whop decides the case');
    expect(alert.summary).toMatch(/\n\nCustomer says: "I forgot to cancel/);
    expect(fieldValue(alert, 'Issue')).toBe('Forgot to cancel');
    expect(fieldValue(alert, 'Answer by')).toBe('Mon 17 Mar 2025, 10:00 UTC');
  });

  it('Whop asking for more information, and a case awaiting the merchant again, are worded as such', () => {
    const info = recordOf('resolution_case', whopCase({ status: 'merchant_info_needed' }));
    const a = alertFor('case.awaiting_merchant', undefined, info, { now: '2025-03-16T12:00:00.000Z' });
    expect(a.title).toBe('Whop needs more information: $49.00 case — answer by Mon 17 Mar');
    expect(a.severity).toBe('urgent');
    const waiting = advance(
      open,
      whopCase({ status: 'customer_response_needed', updated_at: '2025-03-11T10:00:00.000Z' }),
      '2025-03-11T10:00:05.000Z',
    );
    const again = advance(
      waiting,
      whopCase({ due_date: '2025-03-19T10:00:00.000Z', updated_at: '2025-03-12T10:00:00.000Z' }),
      '2025-03-12T10:00:05.000Z',
    );
    const b = alertFor('case.awaiting_merchant', waiting, again, { now: CASE_NOW });
    expect(b.summary).toContain('is waiting for your answer again');
    expect(b.dueAt).toBe('2025-03-19T10:00:00.000Z');
  });

  it('a case on a financed payment informs once, at opening, and never asks for an answer', () => {
    const facts = { now: CASE_NOW, paymentMethodType: 'klarna' };
    const alert = seen(alertFor('case.opened', undefined, open, facts));
    expect(alert).toMatchObject({ kind: 'case_awaiting_merchant', severity: 'info' });
    expect(alert.title).toBe('Resolution Center case on a Klarna payment: $49.00 — no action needed');
    expect(alert.summary).toContain('Whop refunds cases on financed payments');
    expect(alert.dueAt).toBeUndefined();
    expect(composeCaseEventAlert(eventOf('case.awaiting_merchant', undefined, open), open, facts)).toBeNull();
    // A card payment is not financed: opening stays silent, awaiting alerts.
    expect(
      composeCaseEventAlert(eventOf('case.opened', undefined, open), open, {
        now: CASE_NOW,
        paymentMethodType: 'card',
      }),
    ).toBeNull();
  });

  describe('decided', () => {
    const decidedAt = '2025-03-18T09:00:00.000Z';
    const decide = (overrides: Parameters<typeof whopCase>[0]) =>
      advance(open, whopCase({ updated_at: decidedAt, ...overrides }), decidedAt);

    it('against the merchant with `appeal` open and a later due date: says the appeal is open and until when', () => {
      const decided = decide({
        status: 'customer_won',
        merchant_response_actions: ['appeal'],
        due_date: '2025-03-25T09:00:00.000Z',
      });
      const alert = seen(alertFor('case.decided', open, decided, { now: '2025-03-18T10:00:00.000Z' }));
      expect(alert).toMatchObject({
        id: 'reso_2Wq9ErTy6u.decided.customer_won',
        kind: 'outcome',
        severity: 'warning',
        title: 'Case decided for the customer: $49.00 — appeal by Tue 25 Mar',
        dueAt: '2025-03-25T09:00:00.000Z',
      });
      expect(alert.summary).toContain('for the customer');
      expect(alert.summary).toContain(
        'You can appeal once in Whop until Tue 25 Mar 2025, 09:00 UTC (6 days 23 hours left); the appeal’s decision is final.',
      );
      expect(fieldValue(alert, 'Appeal')).toBe('open until Tue 25 Mar 2025, 09:00 UTC');
    });

    it('with `appeal` open but no deadline known (stale due date): appeal open, no date', () => {
      const decided = decide({ status: 'customer_won', merchant_response_actions: ['appeal'] });
      const alert = alertFor('case.decided', open, decided);
      expect(alert.title).toBe('Case decided for the customer: $49.00 — appeal open');
      expect(alert.summary).toContain('You can appeal once in Whop; the appeal’s decision is final.');
      expect(alert.dueAt).toBeUndefined();
      const told = alertFor('case.decided', open, decided, {
        appealBy: '2025-03-20T00:00:00.000Z',
        now: decidedAt,
      });
      expect(told.summary).toContain('until Thu 20 Mar 2025, 00:00 UTC (1 day 15 hours left)');
      expect(told.severity).toBe('urgent');
    });

    it('against the merchant after their appeal: final; without `appeal`: no appeal wording', () => {
      const appealed = decide({
        status: 'customer_won',
        merchant_response_actions: [],
        merchant_appealed: true,
      });
      const a = alertFor('case.decided', open, appealed);
      expect(a.summary).toContain('Your appeal has been decided: this decision is final.');
      expect(fieldValue(a, 'Appeal')).toBe('used');
      const plain = alertFor(
        'case.decided',
        open,
        decide({ status: 'customer_won', merchant_response_actions: [] }),
      );
      expect(plain.summary).not.toContain('appeal');
      expect(plain.title).toBe('Case decided for the customer: $49.00');
    });

    it('for the merchant (the customer may appeal), withdrawn, and a financed loss (info)', () => {
      const won = alertFor(
        'case.decided',
        open,
        decide({ status: 'merchant_won', merchant_response_actions: [] }),
      );
      expect(won).toMatchObject({ severity: 'info', title: 'Case decided for you: $49.00' });
      expect(won.summary).toContain('The customer may still appeal once.');
      const wonOnAppeal = alertFor(
        'case.decided',
        open,
        decide({ status: 'merchant_won', customer_appealed: true }),
      );
      expect(wonOnAppeal.summary).toContain('it is final');
      const withdrew = alertFor('case.decided', open, decide({ status: 'customer_withdrew' }));
      expect(withdrew).toMatchObject({ severity: 'info', title: 'Case withdrawn: $49.00' });
      const financed = alertFor('case.decided', open, decide({ status: 'customer_won' }), {
        paymentMethodType: 'sezzle',
      });
      expect(financed.severity).toBe('info');
      expect(financed.summary).toContain('made with Sezzle');
    });
  });
});

describe('evidence, sweep, failed jobs, dispute rate', () => {
  const dispute = recordOf('dispute', whopDispute());

  it('evidence staged: review-and-submit (warning) or auto-submit (info), a new id per staging', () => {
    const staged = seen(
      composeEvidenceStaged({
        record: dispute,
        now: NOW,
        stagedAt: '2025-03-21T19:00:00.000Z',
        evidenceStatus: 'Drafted, not submitted',
        fieldsFilled: ['product_description', 'access_activity_log'],
        attachments: 2,
      }),
    );
    expect(staged).toMatchObject({
      kind: 'evidence_staged',
      severity: 'warning',
      title: 'Evidence ready for review: $49.00 dispute — submit by Mon 24 Mar',
      link: LINK,
    });
    expect(staged.summary).toContain(
      'Review it and submit it in Whop by Mon 24 Mar 2025, 23:59 UTC (3 days 4 hours left)',
    );
    expect(fieldValue(staged, 'Fields filled')).toBe('Product description, Access activity log');
    expect(fieldValue(staged, 'Attachments')).toBe('2');
    const auto = composeEvidenceStaged({
      record: dispute,
      now: NOW,
      stagedAt: '2025-03-21T19:05:00.000Z',
      autoSubmitAt: '2025-03-23T12:00:00.000Z',
    });
    expect(auto.severity).toBe('info');
    expect(auto.summary).toContain('submitted automatically at Sun 23 Mar 2025, 12:00 UTC');
    expect(auto.id).not.toBe(staged.id);
  });

  it('evidence submitted: one alert per dispute', () => {
    const a = seen(composeEvidenceSubmitted({ record: dispute, submittedAt: '2025-03-22T08:00:00.000Z' }));
    expect(a).toMatchObject({
      id: 'dspt_5Vn8QxLk2m.evidence_submitted',
      kind: 'evidence_submitted',
      severity: 'info',
    });
    expect(a.summary).toContain('submitted on Sat 22 Mar 2025, 08:00 UTC');
  });

  it('sweep recovered: counts by kind, lists items, warns when one awaits the merchant; nothing → null', () => {
    const items = [
      dispute,
      recordOf('resolution_case', whopCase({ status: 'under_platform_review' })),
      recordOf('refund', whopRefund()),
    ];
    const a = seen(
      composeSweepRecovered({ runId: 'sweep:42', companyId: COMPANY.id, recovered: items, now: NOW }),
    );
    expect(a).toMatchObject({
      id: `sweep_recovered.sweep.42.${COMPANY.id}`,
      kind: 'sweep_recovered',
      severity: 'warning',
      title: 'Sweep recovered 3 items Whop never delivered',
    });
    expect(a.summary).toContain('1 dispute, 1 Resolution Center case, 1 refund');
    expect(a.summary).toContain('1 of them needs your response');
    expect(a.fields[0]).toEqual({
      label: 'Dispute dspt_5Vn8QxLk2m',
      value: 'Needs response, $49.00, due Mon 24 Mar 2025, 23:59 UTC (3 days 4 hours left)',
    });
    expect(composeSweepRecovered({ runId: '1', companyId: null, recovered: [], now: NOW })).toBeNull();
    const many = Array.from({ length: 13 }, (_, i) => ({ ...items[2]!, id: `rfnd_${i}` }));
    const b = composeSweepRecovered({ runId: '2', companyId: null, recovered: many, now: NOW })!;
    expect(b.severity).toBe('info');
    expect(b.fields).toHaveLength(11);
    expect(b.fields[10]).toEqual({ label: 'More', value: 'and 3 more' });
  });

  it('a job failed for good is urgent and says why', () => {
    const a = seen(
      composeJobFailed({
        queue: 'whop-events',
        jobId: 'evt:123',
        jobName: 'reconcile',
        attempts: 8,
        reason: 'whop answered 401: invalid api key',
        caseId: 'dspt_1',
      }),
    );
    expect(a).toMatchObject({
      id: 'job_failed.whop-events.evt.123',
      kind: 'job_failed',
      severity: 'urgent',
      companyId: null,
      caseId: 'dspt_1',
      title: 'Job failed for good: reconcile',
    });
    expect(a.summary).toContain(
      'failed after 8 attempts and will not be retried: whop answered 401: invalid api key',
    );
  });

  it('the dispute rate: rate, threshold and counts; urgent from 1.5%', () => {
    const a = seen(
      composeDisputeRate({
        companyId: COMPANY.id,
        rate: 0.008,
        threshold: 0.0075,
        disputes30d: 4,
        payments30d: 500,
        asOf: '2025-03-21T00:00:00.000Z',
      }),
    );
    expect(a).toMatchObject({
      kind: 'dispute_rate',
      severity: 'warning',
      title: 'Dispute rate 0.8%: past the 0.75% alert level',
    });
    expect(a.id).toBe(`dispute_rate.${COMPANY.id}.0.0075.${Date.parse('2025-03-21T00:00:00.000Z')}`);
    expect(a.summary).toContain('4 of 500 payments in the last 30 days were disputed (0.8%)');
    expect(fieldValue(a, 'Alert level')).toBe('0.75%');
    const b = composeDisputeRate({
      companyId: COMPANY.id,
      rate: 0.016,
      threshold: 0.015,
      disputes30d: 8,
      payments30d: 500,
      asOf: '2025-03-22T00:00:00.000Z',
    });
    expect(b.severity).toBe('urgent');
  });
});

describe('reminders and digests', () => {
  const dispute = recordOf('dispute', whopDispute());
  const due = dispute.dueAt!;
  const DAY = 86_400_000;

  it('a reminder: time left, offset, keyed by (item, offset, due date)', () => {
    const a = seen(
      composeReminder({ record: dispute, offsetMs: 3 * DAY, dueAt: due, now: NOW, financed: false }),
    );
    expect(a).toMatchObject({
      id: reminderKey(dispute.id, 3 * DAY, due),
      kind: 'reminder',
      severity: 'warning',
      title: 'Reminder: 3 days 4 hours left to answer a $49.00 chargeback',
      dueAt: due,
    });
    expect(fieldValue(a, 'Reminder')).toBe('72 hours before the due date');
    expect(a.summary).toContain('still awaits your answer in Whop, due Mon 24 Mar 2025, 23:59 UTC');
    const late = composeReminder({
      record: dispute,
      offsetMs: 6 * 3_600_000,
      dueAt: due,
      now: '2025-03-24T18:00:00.000Z',
      financed: false,
    })!;
    expect(late.severity).toBe('urgent');
    expect(late.title).toBe('Reminder: 5 hours 59 minutes left to answer a $49.00 chargeback');
  });

  it('an obsolete reminder composes nothing: answered, due date moved, past due, financed case', () => {
    const base = { offsetMs: DAY, dueAt: due, now: NOW, financed: false };
    const answered = advance(dispute, whopDispute({ status: 'under_review' }), '2025-03-21T00:00:00.000Z');
    expect(composeReminder({ ...base, record: answered })).toBeNull();
    const moved = advance(
      dispute,
      whopDispute({ needs_response_by: '2025-03-26T23:59:59.000Z' }),
      '2025-03-21T00:00:00.000Z',
    );
    expect(composeReminder({ ...base, record: moved })).toBeNull();
    expect(composeReminder({ ...base, record: moved, dueAt: moved.dueAt! })).not.toBeNull();
    expect(composeReminder({ ...base, record: dispute, now: '2025-03-25T00:00:00.000Z' })).toBeNull();
    const kase = recordOf('resolution_case', whopCase());
    expect(
      composeReminder({ ...base, record: kase, dueAt: kase.dueAt!, now: '2025-03-12T00:00:00.000Z' }),
    ).not.toBeNull();
    expect(
      composeReminder({
        ...base,
        record: kase,
        dueAt: kase.dueAt!,
        now: '2025-03-12T00:00:00.000Z',
        financed: true,
      }),
    ).toBeNull();
  });

  it('a digest lists what awaits the merchant, soonest first, leaving out financed cases', () => {
    const kase = recordOf('resolution_case', whopCase());
    const other = recordOf('resolution_case', whopCase({ id: 'reso_financed' }));
    const won = recordOf('dispute', whopDispute({ id: 'dspt_won', status: 'won' }));
    const a = seen(
      composeDigest({
        companyId: COMPANY.id,
        periodKey: '2025-03-12',
        records: [dispute, won, kase, other],
        now: '2025-03-12T00:00:00.000Z',
        financedCaseIds: new Set(['reso_financed']),
      }),
    );
    expect(a).toMatchObject({
      id: `digest.${COMPANY.id}.2025-03-12`,
      kind: 'digest',
      title: '2 items await your answer in Whop',
    });
    expect(a.fields.map((f) => f.label)).toEqual(['Resolution Center case $49.00', 'Chargeback $49.00']);
    expect(a.summary).toContain('The first is due Mon 17 Mar 2025, 10:00 UTC (5 days 10 hours left)');
    expect(composeDigest({ companyId: null, periodKey: 'x', records: [won], now: NOW })).toBeNull();
  });
});

describe('every alert kind', () => {
  it('is produced by some composer above', () => {
    expect([...produced].sort()).toEqual([...ALERT_KINDS].sort());
  });

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
