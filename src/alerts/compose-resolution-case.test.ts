import { describe, expect, it } from 'vitest';
import { advance, recordOf } from '../../test/support/builders/case-records.js';
import { whopCase } from '../../test/support/builders/whop-cases.js';
import {
  alertFor,
  eventOf,
  expectProduced,
  fieldValue,
  LINK,
  seen,
} from '../../test/support/compose-checks.js';
import { composeCaseEventAlert } from './compose-case-event.js';

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

describe('alert kinds', () => {
  it('compose-resolution-case.ts produces exactly the kinds it is listed with', () => {
    expectProduced('compose-resolution-case');
  });
});
