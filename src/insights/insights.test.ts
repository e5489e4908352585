import { describe, expect, it } from 'vitest';
import { recordOf } from '../../test/support/builders/case-records.js';
import { whopDispute } from '../../test/support/builders/whop-cases.js';
import { disputeRates, WHOP_DISPUTE_RATE_LINE } from './dispute-rates.js';
import { inquiryEscalations } from './escalations.js';
import { type InsightDispute, toInsightDispute } from './insight-dispute.js';
import { isChargeback, monthOf, outcomesBy, totalOutcomes } from './outcomes.js';

let n = 0;
function d(over: Partial<InsightDispute> = {}): InsightDispute {
  n++;
  return {
    id: `dspt_${n}`,
    companyId: 'biz_a',
    status: 'won',
    reason: 'Fraudulent',
    product: 'Course',
    amount: 49,
    currency: 'usd',
    createdAt: '2025-03-10T08:00:00.000Z',
    wasInquiry: false,
    ...over,
  };
}

describe('toInsightDispute', () => {
  it('projects a record: product title, creation date, and an inquiry it once was from the fired transitions', () => {
    const record = recordOf('dispute', whopDispute({ id: 'dspt_p', status: 'needs_response' }));
    const p = toInsightDispute(record, [
      'opened',
      'needs_response:warning_needs_response',
      'needs_response:needs_response',
    ]);
    expect(p).toEqual({
      id: 'dspt_p',
      companyId: 'biz_4Tq8mXv2Lp',
      status: 'needs_response',
      reason: 'Product Not Received',
      product: 'Trading Signals Pro',
      amount: 49,
      currency: 'usd',
      createdAt: '2025-03-10T08:41:27.000Z',
      wasInquiry: true,
    });
    expect(toInsightDispute(record, ['opened', 'needs_response:needs_response']).wasInquiry).toBe(false);
    const inquiry = recordOf('dispute', whopDispute({ id: 'dspt_q', status: 'warning_needs_response' }));
    expect(toInsightDispute(inquiry, []).wasInquiry).toBe(true);
  });
});

describe('outcomesBy', () => {
  it('counts chargeback outcomes per reason, with the win rate over decided ones and money recovered from wins', () => {
    const rows = outcomesBy(
      [
        d({ reason: 'Fraudulent', status: 'won', amount: 49.99 }),
        d({ reason: 'Fraudulent', status: 'won', amount: 0.01 }),
        d({ reason: 'Fraudulent', status: 'lost' }),
        d({ reason: 'Fraudulent', status: 'needs_response' }),
        d({ reason: 'Fraudulent', status: 'other' }),
        d({ reason: 'Product Not Received', status: 'closed' }),
        d({ reason: null, status: 'lost' }),
        // Inquiries are no chargebacks: the bank decides none of them.
        d({ reason: 'Fraudulent', status: 'warning_closed', wasInquiry: true }),
      ],
      'reason',
    );
    expect(rows).toEqual([
      {
        group: 'Fraudulent',
        won: 2,
        lost: 1,
        closed: 0,
        pending: 2,
        winRate: 2 / 3,
        recovered: [{ currency: 'USD', minor: 5000 }],
      },
      { group: 'Unknown reason', won: 0, lost: 1, closed: 0, pending: 0, winRate: 0, recovered: [] },
      { group: 'Product Not Received', won: 0, lost: 0, closed: 1, pending: 0, winRate: null, recovered: [] },
    ]);
  });

  it('keeps currencies apart, largest first, and leaves out of the sums an amount no currency can hold', () => {
    const [row] = outcomesBy(
      [
        d({ amount: 10, currency: 'usd' }),
        d({ amount: 5000, currency: 'jpy' }),
        d({ amount: 1.5, currency: 'jpy' }),
        d({ amount: 20, currency: 'eur' }),
        d({ amount: null }),
      ],
      'product',
    );
    expect(row!.won).toBe(5);
    expect(row!.recovered).toEqual([
      { currency: 'JPY', minor: 5000 },
      { currency: 'EUR', minor: 2000 },
      { currency: 'USD', minor: 1000 },
    ]);
  });

  it('groups by the UTC month of creation, in time order', () => {
    const rows = outcomesBy(
      [
        d({ createdAt: '2025-03-31T23:30:00.000Z' }),
        d({ createdAt: '2025-01-15T00:00:00.000Z', status: 'lost' }),
        d({ createdAt: '2025-04-01T00:00:00.000Z' }),
        d({ createdAt: 'not a date' }),
      ],
      'month',
    );
    expect(rows.map((r) => [r.group, r.won, r.lost])).toEqual([
      ['2025-01', 0, 1],
      ['2025-03', 1, 0],
      ['2025-04', 1, 0],
      ['Unknown month', 1, 0],
    ]);
  });

  it('totals all groups', () => {
    const total = totalOutcomes(
      outcomesBy(
        [d(), d({ status: 'lost', reason: 'Other' }), d({ status: 'won', reason: 'Other' })],
        'reason',
      ),
    );
    expect(total).toMatchObject({
      group: 'All',
      won: 2,
      lost: 1,
      winRate: 2 / 3,
      recovered: [{ currency: 'USD', minor: 9800 }],
    });
  });

  it('is empty without chargebacks', () => {
    expect(outcomesBy([], 'reason')).toEqual([]);
    expect(totalOutcomes([]).winRate).toBeNull();
  });

  it('helpers: a chargeback is any status past the inquiry phase; months are UTC', () => {
    expect(isChargeback({ status: 'warning_under_review' })).toBe(false);
    expect(isChargeback({ status: 'other' })).toBe(true);
    expect(monthOf('2025-12-31T23:59:59.999Z')).toBe('2025-12');
    expect(monthOf('garbage')).toBeNull();
  });
});

describe('disputeRates', () => {
  const now = new Date('2025-06-30T00:00:00.000Z');
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

  it('counts disputes (inquiries too) per company in the last 30 and 90 days, and rates them where payments are known', () => {
    const disputes = [
      d({ companyId: 'biz_b', createdAt: ago(1) }),
      d({ companyId: 'biz_b', createdAt: ago(29.9), status: 'warning_needs_response', wasInquiry: true }),
      d({ companyId: 'biz_b', createdAt: ago(31) }),
      d({ companyId: 'biz_b', createdAt: ago(91) }),
      d({ companyId: 'biz_a', createdAt: ago(60) }),
      d({ companyId: null, createdAt: ago(1) }),
      d({ companyId: 'biz_a', createdAt: ago(-1) }),
    ];
    const payments = (c: string, days: number) =>
      c === 'biz_b' && days === 30 ? 100 : c === 'biz_a' ? 0 : null;
    expect(disputeRates(disputes, now, payments)).toEqual([
      {
        companyId: 'biz_a',
        days: 30,
        disputes: 0,
        payments: 0,
        rate: null,
        tooFewPayments: false,
        overLine: null,
      },
      {
        companyId: 'biz_a',
        days: 90,
        disputes: 1,
        payments: 0,
        rate: null,
        tooFewPayments: false,
        overLine: null,
      },
      {
        companyId: 'biz_b',
        days: 30,
        disputes: 2,
        payments: 100,
        rate: 0.02,
        tooFewPayments: false,
        overLine: true,
      },
      {
        companyId: 'biz_b',
        days: 90,
        disputes: 3,
        payments: null,
        rate: null,
        tooFewPayments: false,
        overLine: null,
      },
    ]);
  });

  it('below the minimum sample gives no rate, only the counts (5 disputes on 3 payments is no 166.67 %)', () => {
    const five = Array.from({ length: 5 }, () => d({ companyId: 'biz_a', createdAt: ago(1) }));
    const rows = disputeRates(five, now, (_c, days) => (days === 30 ? 3 : null), 100);
    expect(rows[0]).toEqual({
      companyId: 'biz_a',
      days: 30,
      disputes: 5,
      payments: 3,
      rate: null,
      tooFewPayments: true,
      overLine: null,
    });
    expect(rows[1]).toMatchObject({ days: 90, payments: null, tooFewPayments: false, rate: null });
    // At the minimum, a rate.
    expect(disputeRates(five, now, () => 100, 100)[0]).toMatchObject({ rate: 0.05, tooFewPayments: false });
  });

  it("draws the line at Whop's 2 %", () => {
    expect(WHOP_DISPUTE_RATE_LINE).toBe(0.02);
    const [row] = disputeRates([d({ createdAt: ago(1) })], now, () => 51);
    expect(row!.overLine).toBe(false);
  });
});

describe('inquiryEscalations', () => {
  it('counts inquiries that became chargebacks, closed as inquiries or still open, per month', () => {
    const e = inquiryEscalations([
      d({ wasInquiry: true, status: 'needs_response', createdAt: '2025-02-02T00:00:00.000Z' }),
      d({ wasInquiry: true, status: 'lost', createdAt: '2025-02-20T00:00:00.000Z' }),
      d({ wasInquiry: true, status: 'warning_closed', createdAt: '2025-02-21T00:00:00.000Z' }),
      d({ wasInquiry: true, status: 'warning_needs_response', createdAt: '2025-01-05T00:00:00.000Z' }),
      d({ wasInquiry: false, status: 'lost' }),
    ]);
    expect(e).toEqual({
      inquiries: 4,
      escalated: 2,
      closed: 1,
      open: 1,
      rate: 0.5,
      byMonth: [
        { month: '2025-01', inquiries: 1, escalated: 0 },
        { month: '2025-02', inquiries: 3, escalated: 2 },
      ],
    });
  });

  it('has no rate without inquiries', () => {
    expect(inquiryEscalations([d()])).toMatchObject({ inquiries: 0, rate: null, byMonth: [] });
  });
});
