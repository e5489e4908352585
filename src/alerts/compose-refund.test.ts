import { describe, expect, it } from 'vitest';
import { refundRecord, skippedRecord } from '../../test/support/builders/refund-records.js';
import { expectProduced, seen } from '../../test/support/compose-checks.js';
import { composeRefundAlert, composeRefundCapReached, refundForOpening } from './compose-refund.js';

describe('composeRefundAlert', () => {
  it('a refund Whop confirmed: info, in the rule’s words, about the alert’s case and payment', () => {
    expect(seen(composeRefundAlert(refundRecord()))).toEqual({
      id: 'refund.alert_dpa_1.1.done',
      kind: 'refund_issued',
      severity: 'info',
      companyId: 'biz_1',
      caseId: 'dpa_1',
      amount: { value: 42, currency: 'USD' },
      link: 'https://whop.com/dashboard/biz_1/payments/pay_1',
      title: 'Refunded $42.00 to head off a chargeback',
      summary: 'Refunded $42.00 to head off a chargeback: rule max_amount $50.00.',
      fields: [
        { label: 'Amount', value: '$42.00' },
        { label: 'Rule', value: 'max_amount' },
        { label: 'Dispute alert', value: 'dpa_1' },
        { label: 'Payment', value: 'pay_1' },
        { label: 'Refund', value: 'ref_1' },
        { label: 'Decision', value: 'alert_dpa_1' },
      ],
    });
  });

  it('says what became of the membership; a refused cancellation makes it a warning', () => {
    const membership = {
      id: 'mem_1',
      attemptedAt: '2025-03-20T12:00:02.000Z',
      outcome: {
        code: 'refused' as const,
        at: '2025-03-20T12:00:02.000Z',
        reason: 'Whop refused to cancel membership mem_1 (“no”): cancel it in Whop.',
      },
    };
    const alert = composeRefundAlert(refundRecord({ membership }))!;
    expect(alert.severity).toBe('warning');
    expect(alert.summary).toBe(
      'Refunded $42.00 to head off a chargeback: rule max_amount $50.00. Whop refused to cancel membership mem_1 (“no”): cancel it in Whop.',
    );
  });

  it('a refund Whop refused: urgent for an alert (a chargeback may follow), a warning on request', () => {
    const outcome = {
      code: 'refused' as const,
      at: '2025-03-20T12:00:01.000Z',
      refundId: null,
      reason: 'Whop refused the refund of $42.00: nothing was refunded.',
    };
    const onAlert = seen(composeRefundAlert(refundRecord({ outcome })));
    expect([onAlert.kind, onAlert.severity, onAlert.id]).toEqual([
      'refund_failed',
      'urgent',
      'refund.alert_dpa_1.1.failed',
    ]);
    expect(onAlert.summary).toMatch(
      /^Whop refused the refund of \$42\.00: nothing was refunded\. The dispute alert still stands/,
    );
    const manual = composeRefundAlert(
      refundRecord({ trigger: 'manual', alertId: null, id: 'manual_x', outcome }),
    )!;
    expect([manual.severity, manual.caseId]).toEqual(['warning', undefined]);
  });

  it('no alert while nothing is settled, for an attempt that sent nothing, or a refused request', () => {
    expect(composeRefundAlert(refundRecord({ outcome: null }))).toBeNull();
    const none = {
      code: 'not_refunded' as const,
      at: '2025-03-20T12:00:01.000Z',
      refundId: null,
      reason: 'x',
    };
    expect(composeRefundAlert(refundRecord({ outcome: none }))).toBeNull();
    expect(
      composeRefundAlert(
        refundRecord({
          trigger: 'manual',
          decision: { action: 'refuse', code: 'already_refunded', rule: null, reason: 'x' },
          outcome: null,
        }),
      ),
    ).toBeNull();
  });

  it('an alert not refunded says why; auto-refund off and the cap say nothing here', () => {
    const over =
      'The alert is for $80.00, over the auto-refund maximum of $50.00 (rule max_amount): not refunded.';
    expect(seen(composeRefundAlert(skippedRecord('over_max_amount', over)))).toMatchObject({
      id: 'refund.alert_dpa_1.1.skipped',
      kind: 'refund_skipped',
      severity: 'info',
      title: 'Dispute alert not refunded',
      summary: over,
    });
    expect(composeRefundAlert(skippedRecord('auto_refunded', 'Whop already refunded…'))?.title).toBe(
      'Dispute alert already refunded by Whop',
    );
    expect(
      composeRefundAlert(
        skippedRecord('dry_run', 'Dry run: would refund $42.00 …', {
          amount: { minor: 4200, currency: 'USD', decimal: '42.00' },
        }),
      )?.title,
    ).toBe('Dry run: would refund $42.00');
    expect(composeRefundAlert(skippedRecord('disabled', 'off'))).toBeNull();
    expect(composeRefundAlert(skippedRecord('daily_cap_reached', 'cap'))).toBeNull();
  });
});

describe('composeRefundCapReached', () => {
  const reason =
    'Today’s auto-refund cap of 2 refunds for this company is used up (rule daily_cap.count): not refunded, and auto-refunds stop until 00:00 UTC.';
  const capped = skippedRecord('daily_cap_reached', reason, {
    dailyCap: { rule: 'daily_cap.count', limit: 2, used: 2, currency: null },
  });

  it('once per company and UTC day, whichever alert met the cap', () => {
    const alert = seen(composeRefundCapReached(capped));
    expect(alert).toMatchObject({
      id: 'refund_cap.biz_1.2025-03-20',
      kind: 'refund_cap_reached',
      severity: 'warning',
      companyId: 'biz_1',
      title: 'Auto-refunds stopped for today: daily cap reached',
    });
    expect(alert.summary.startsWith(reason)).toBe(true);
    expect(alert.fields).toContainEqual({ label: 'Cap', value: '2 refunds' });
    const later = skippedRecord('daily_cap_reached', reason, {
      id: 'alert_dpa_9',
      alertId: 'dpa_9',
      dailyCap: capped.dailyCap,
    });
    expect(composeRefundCapReached(later)!.id).toBe(alert.id);
  });

  it('also for the refund that used the cap up, naming the amount cap in its currency', () => {
    const usedUp = refundRecord({
      reachesDailyCap: true,
      dailyCap: { rule: 'daily_cap.amount', limit: 10_000, used: 10_000, currency: 'USD' },
    });
    const alert = composeRefundCapReached(usedUp)!;
    expect(alert.id).toBe('refund_cap.biz_1.2025-03-20');
    expect(alert.fields).toContainEqual({ label: 'Cap', value: '$100.00' });
    expect(composeRefundCapReached(refundRecord())).toBeNull();
    expect(composeRefundCapReached(refundRecord({ reachesDailyCap: true, outcome: null }))).toBeNull();
  });
});

describe('alert kinds', () => {
  it('compose-refund.ts produces exactly the kinds it is listed with', () => {
    expectProduced('compose-refund');
  });
});

describe("refundForOpening (a decision folded into the dispute alert's message)", () => {
  it("refunded: handled, in the refund alert's words; not refunded: not handled, with the reason; failed: its own message", () => {
    expect(refundForOpening(refundRecord())).toEqual({
      handled: true,
      said: 'Refunded $42.00 to head off a chargeback: rule max_amount $50.00.',
      rule: 'max_amount',
    });
    const over =
      'The alert is for $80.00, over the auto-refund maximum of $50.00 (rule max_amount): not refunded.';
    expect(refundForOpening(skippedRecord('over_max_amount', over))).toEqual({
      handled: false,
      said: over,
      rule: 'max_amount',
    });
    // Whop refunded it itself: nothing left to do either.
    expect(refundForOpening(skippedRecord('auto_refunded', 'Whop already refunded…'))?.handled).toBe(true);
    // Auto-refund off: nothing to carry (the message asks the merchant to act).
    expect(refundForOpening(skippedRecord('disabled', 'Auto-refund is off.'))).toBeNull();
    const outcome = {
      code: 'refused' as const,
      at: '2025-03-20T12:00:01.000Z',
      refundId: null,
      reason: 'Whop refused the refund of $42.00: nothing was refunded.',
    };
    expect(refundForOpening(refundRecord({ outcome }))).toBeNull();
  });
});
