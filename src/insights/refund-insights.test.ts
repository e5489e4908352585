import { describe, expect, it } from 'vitest';
import { recordOf } from '../../test/support/builders/case-records.js';
import { refundRecord, skippedRecord } from '../../test/support/builders/refund-records.js';
import { whopDispute } from '../../test/support/builders/whop-cases.js';
import { useTestRedis } from '../../test/support/test-redis.js';
import type { RefundDecisionRecord } from '../refunds/refund-record.js';
import { RefundStore } from '../refunds/refund-store.js';
import { CaseStore } from '../store/case-store.js';
import { DISPUTE_FEE, readRefundInsights, refundInsights } from './refund-insights.js';

const refunded = (n: number, amount = { minor: 4200, currency: 'USD', decimal: '42.00' }) =>
  refundRecord({ id: `alert_dpa_${n}`, alertId: `dpa_${n}`, paymentId: `pay_${n}`, amount });

const DECISIONS: RefundDecisionRecord[] = [
  refunded(1),
  refunded(2),
  refunded(3, { minor: 1999, currency: 'EUR', decimal: '19.99' }),
  skippedRecord('over_max_amount', 'over', { id: 'alert_dpa_4', alertId: 'dpa_4', paymentId: 'pay_4' }),
  skippedRecord('over_max_amount', 'over', { id: 'alert_dpa_5', alertId: 'dpa_5', paymentId: 'pay_5' }),
  skippedRecord('daily_cap_reached', 'cap', { id: 'alert_dpa_6', alertId: 'dpa_6', paymentId: 'pay_6' }),
  skippedRecord('auto_refunded', 'Whop did', { id: 'alert_dpa_7', alertId: 'dpa_7', paymentId: 'pay_7' }),
  skippedRecord('dry_run', 'would', {
    id: 'alert_dpa_8',
    alertId: 'dpa_8',
    paymentId: 'pay_8',
    amount: { minor: 1000, currency: 'USD', decimal: '10.00' },
  }),
  refundRecord({
    id: 'alert_dpa_9',
    alertId: 'dpa_9',
    paymentId: 'pay_9',
    outcome: { code: 'refused', at: '2025-03-20T12:00:01.000Z', refundId: null, reason: 'refused' },
  }),
  // A person's refund: not auto-refund's cost.
  refundRecord({ id: 'manual_pay_10_1', trigger: 'manual', alertId: null, paymentId: 'pay_10' }),
];

describe('refundInsights', () => {
  it('counts what auto-refund gave back, what it headed off, and the fees that saved', () => {
    const insights = refundInsights({
      companyId: 'biz_1',
      decisions: DECISIONS,
      // A chargeback still came on pay_2 (refunded), and one on pay_4 (not refunded: not ours to count).
      disputes: [
        { id: 'dp_a', paymentId: 'pay_2' },
        { id: 'dp_b', paymentId: 'pay_4' },
      ],
    });
    expect(insights).toEqual({
      companyId: 'biz_1',
      since: null,
      alertsDecided: 9,
      alertsRefunded: 3,
      refundedMinor: { USD: 8400, EUR: 1999 },
      wouldRefundMinor: { USD: 1000 },
      refundedByWhop: 1,
      skipped: { over_max_amount: 2, daily_cap_reached: 1 },
      refundsNotMade: 1,
      chargebacksAfterRefund: ['dp_a'],
      disputesPrevented: 2,
      feesAvoided: { minor: 3000, currency: 'USD', source: DISPUTE_FEE.source },
    });
    expect(DISPUTE_FEE.source).toMatch(/\$15 fee per dispute/);
  });

  it('nothing decided: zeros, not errors', () => {
    expect(refundInsights({ companyId: 'biz_1', decisions: [], disputes: [] })).toMatchObject({
      alertsDecided: 0,
      disputesPrevented: 0,
      feesAvoided: { minor: 0 },
    });
  });
});

describe('readRefundInsights', () => {
  const redis = useTestRedis();

  it('reads the company’s decisions and its disputes from Redis', async () => {
    const refunds = new RefundStore(redis.client);
    const cases = new CaseStore(redis.client);
    for (const d of DECISIONS) await refunds.save(d);
    await refunds.save(
      refundRecord({ id: 'alert_other', alertId: 'other', companyId: 'biz_2', paymentId: 'pay_x' }),
    );
    const dispute = recordOf(
      'dispute',
      whopDispute({ id: 'dp_a', payment: { ...whopDispute().payment!, id: 'pay_2' } }),
    );
    await cases.apply(0, { ...dispute, companyId: 'biz_1' }, undefined, []);

    const insights = await readRefundInsights({ refunds, cases }, 'biz_1');
    expect(insights).toMatchObject({
      alertsDecided: 9,
      alertsRefunded: 3,
      chargebacksAfterRefund: ['dp_a'],
      disputesPrevented: 2,
    });
    // Only decisions since then.
    const later = await readRefundInsights({ refunds, cases }, 'biz_1', Date.parse('2025-03-21T00:00:00Z'));
    expect([later.alertsDecided, later.since]).toEqual([0, '2025-03-21T00:00:00.000Z']);
  });
});
