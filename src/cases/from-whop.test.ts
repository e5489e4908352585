import { describe, expect, it } from 'vitest';
import { BUYER, COMPANY, PAYMENT_ID } from '../../test/support/builders/fixture.js';
import {
  whopCase,
  whopCaseListItem,
  whopDispute,
  whopDisputeAlert,
  whopDisputeAlertListItem,
  whopDisputeListItem,
  whopRefund,
  whopRefundListItem,
} from '../../test/support/builders/whop-cases.js';
import { COMPARED_FIELDS, fromWhop, isoDate } from './from-whop.js';

describe('isoDate', () => {
  it('normalises ISO date-times to UTC with milliseconds', () => {
    expect(isoDate('2025-03-24T23:59:59Z')).toBe('2025-03-24T23:59:59.000Z');
    expect(isoDate('2025-03-24T23:59:59.250Z')).toBe('2025-03-24T23:59:59.250Z');
    expect(isoDate('2025-03-25T01:59:59+02:00')).toBe('2025-03-24T23:59:59.000Z');
  });

  it('reads a date-only string as midnight UTC', () => {
    expect(isoDate('2025-03-17')).toBe('2025-03-17T00:00:00.000Z');
  });

  it('reads small numbers as unix seconds and large ones as unix milliseconds', () => {
    expect(isoDate(1_741_597_200)).toBe('2025-03-10T09:00:00.000Z');
    expect(isoDate(1_741_597_200_000)).toBe('2025-03-10T09:00:00.000Z');
    expect(isoDate(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  // Issue 9: the SDK calls a case's due_date "a Unix timestamp", the OpenAPI a date-time string.
  it('reads a numeric string like the number it spells', () => {
    expect(isoDate('1741597200')).toBe('2025-03-10T09:00:00.000Z');
    expect(isoDate(' 1741597200 ')).toBe('2025-03-10T09:00:00.000Z');
    expect(isoDate('1741597200000')).toBe('2025-03-10T09:00:00.000Z');
  });

  it('reads a case due_date given as an ISO string, a number or a numeric string alike', () => {
    const due = ['2025-03-10T09:00:00Z', 1_741_597_200, '1741597200'].map(
      (due_date) => fromWhop('resolution_case', whopCase({ due_date } as never)).dueAt,
    );
    expect(due).toEqual(Array(3).fill('2025-03-10T09:00:00.000Z'));
  });

  it('gives null for garbage instead of throwing', () => {
    for (const garbage of [
      'garbage',
      '',
      '2025-13-45',
      // Digits with anything else around them are not a timestamp.
      '1741597200s',
      '17415.97200',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      // Finite, but beyond the ±8.64e15 ms a Date can hold (toISOString would throw).
      1e20,
      -1e20,
      // A Date, but not one with a four-digit year, which would not sort as text: garbage for Whop.
      1e15,
      -1,
      '+010000-01-01T00:00:00Z',
      null,
      undefined,
      true,
      {},
      ['2025-03-17'],
    ]) {
      expect(isoDate(garbage), String(garbage)).toBeNull();
    }
  });
});

describe('fromWhop: disputes', () => {
  it('keeps what later stages need from a retrieved dispute', () => {
    const object = whopDispute();
    expect(fromWhop('dispute', object)).toEqual({
      kind: 'dispute',
      id: 'dspt_5Vn8QxLk2m',
      companyId: COMPANY.id,
      paymentId: PAYMENT_ID,
      userId: BUYER.id,
      amount: 49,
      currency: 'usd',
      status: 'needs_response',
      reason: 'Product Not Received',
      dueAt: '2025-03-24T23:59:59.000Z',
      createdAt: '2025-03-10T08:41:27.000Z',
      updatedAt: null,
      details: { editable: true, visaRdr: false },
      whop: object,
    });
  });

  it('keeps the raw object as given', () => {
    const object = whopDispute();
    expect(fromWhop('dispute', object).whop).toBe(object);
  });

  it('reads the list shape the same way, except the buyer, which only the full payment names', () => {
    const full = fromWhop('dispute', whopDispute());
    const listed = fromWhop('dispute', whopDisputeListItem());
    expect(listed.userId).toBeNull();
    const { whop: _a, userId: _b, ...fullRest } = full;
    const { whop: _c, userId: _d, ...listedRest } = listed;
    expect(listedRest).toEqual(fullRest);
  });

  it('carries every Whop dispute status through unchanged', () => {
    for (const status of [
      'warning_needs_response',
      'warning_under_review',
      'warning_closed',
      'needs_response',
      'under_review',
      'won',
      'lost',
      'closed',
      'other',
    ] as const) {
      expect(fromWhop('dispute', whopDispute({ status })).status).toBe(status);
    }
  });

  it('tolerates missing and empty fields', () => {
    const snapshot = fromWhop('dispute', {
      ...whopDispute({ company: null, payment: null, reason: '', needs_response_by: null, editable: null }),
      status: undefined,
      visa_rdr: undefined,
    });
    expect(snapshot).toMatchObject({
      companyId: null,
      paymentId: null,
      userId: null,
      status: 'other',
      reason: null,
      dueAt: null,
      details: { editable: null, visaRdr: false },
    });
  });

  it('falls back to company_id when there is no company object', () => {
    const snapshot = fromWhop('dispute', {
      ...whopDispute({ company: null }),
      company_id: 'biz_fromEnvelope',
    });
    expect(snapshot.companyId).toBe('biz_fromEnvelope');
  });

  it('keeps Visa RDR and the due date in the forms Whop may send', () => {
    const snapshot = fromWhop('dispute', whopDispute({ visa_rdr: true, needs_response_by: '2025-03-24' }));
    expect(snapshot.details.visaRdr).toBe(true);
    expect(snapshot.dueAt).toBe('2025-03-24T00:00:00.000Z');
  });

  it('does not throw on a garbage due date', () => {
    expect(fromWhop('dispute', whopDispute({ needs_response_by: 'next tuesday' })).dueAt).toBeNull();
  });
});

describe('fromWhop: dispute alerts', () => {
  it('gives every alert one terminal status and keeps its type and linked dispute', () => {
    const object = whopDisputeAlert();
    expect(fromWhop('dispute_alert', object)).toEqual({
      kind: 'dispute_alert',
      id: 'dspa_1Rt6YuIo9p',
      // Alerts carry no company in SDK 0.0.42: the caller has to supply company_id.
      companyId: null,
      paymentId: PAYMENT_ID,
      userId: BUYER.id,
      amount: 49,
      currency: 'usd',
      status: 'alerted',
      reason: 'dispute',
      dueAt: null,
      createdAt: '2025-03-09T19:12:00.000Z',
      updatedAt: null,
      details: {
        alertType: 'dispute',
        chargeForAlert: true,
        disputeId: 'dspt_5Vn8QxLk2m',
        transactionDate: '2025-02-14T16:02:13.000Z',
      },
      whop: object,
    });
  });

  it('reads the list shape the same way, except the buyer', () => {
    const full = fromWhop('dispute_alert', whopDisputeAlert());
    const listed = fromWhop('dispute_alert', whopDisputeAlertListItem());
    expect(listed.userId).toBeNull();
    const { whop: _a, userId: _b, ...fullRest } = full;
    const { whop: _c, userId: _d, ...listedRest } = listed;
    expect(listedRest).toEqual(fullRest);
  });

  it('takes the company from company_id, and handles fraud alerts with no dispute or payment', () => {
    const snapshot = fromWhop('dispute_alert', {
      ...whopDisputeAlert({ alert_type: 'fraud', dispute: null, payment: null, transaction_date: null }),
      company_id: COMPANY.id,
    });
    expect(snapshot).toMatchObject({
      companyId: COMPANY.id,
      paymentId: null,
      userId: null,
      status: 'alerted',
      reason: 'fraud',
      details: { alertType: 'fraud', disputeId: null, transactionDate: null },
    });
  });

  it('keeps the RDR alert type', () => {
    expect(fromWhop('dispute_alert', whopDisputeAlert({ alert_type: 'dispute_rdr' })).reason).toBe(
      'dispute_rdr',
    );
  });
});

describe('fromWhop: refunds', () => {
  it('keeps status, amount and provider of a retrieved refund', () => {
    const object = whopRefund({ status: 'succeeded' });
    expect(fromWhop('refund', object)).toEqual({
      kind: 'refund',
      id: 'rfnd_0Pl5KjHg3f',
      companyId: null,
      paymentId: PAYMENT_ID,
      userId: BUYER.id,
      amount: 19.5,
      currency: 'usd',
      status: 'succeeded',
      reason: null,
      dueAt: null,
      createdAt: '2025-03-11T12:30:00.000Z',
      updatedAt: null,
      details: { provider: 'stripe' },
      whop: object,
    });
  });

  it('reads the list shape the same way, except the buyer', () => {
    const listed = fromWhop('refund', whopRefundListItem({ status: 'failed', provider: 'paypal' }));
    expect(listed).toMatchObject({
      paymentId: PAYMENT_ID,
      userId: null,
      amount: 19.5,
      status: 'failed',
      details: { provider: 'paypal' },
    });
  });

  it('treats a refund without a status as pending', () => {
    expect(fromWhop('refund', { ...whopRefund(), status: null }).status).toBe('pending');
  });
});

describe('fromWhop: Resolution Center cases', () => {
  it('takes the amount from the payment, the reason from the issue and keeps updated_at', () => {
    const object = whopCase();
    expect(fromWhop('resolution_case', object)).toEqual({
      kind: 'resolution_case',
      id: 'reso_2Wq9ErTy6u',
      companyId: COMPANY.id,
      paymentId: PAYMENT_ID,
      userId: BUYER.id,
      amount: 49,
      currency: 'usd',
      status: 'merchant_response_needed',
      reason: 'forgot_to_cancel',
      dueAt: '2025-03-17T10:00:00.000Z',
      createdAt: '2025-03-10T10:00:00.000Z',
      updatedAt: '2025-03-10T10:00:00.000Z',
      details: {
        merchantResponseActions: ['accept', 'deny', 'request_more_info'],
        customerAppealed: false,
        merchantAppealed: false,
      },
      whop: object,
    });
  });

  it('reads the list shape the same way, except the amount and currency the slim payment lacks', () => {
    const full = fromWhop('resolution_case', whopCase());
    const listed = fromWhop('resolution_case', whopCaseListItem());
    expect(listed.amount).toBeNull();
    expect(listed.currency).toBeNull();
    expect(listed.userId).toBe(BUYER.id);
    const { whop: _a, amount: _b, currency: _c, ...fullRest } = full;
    const { whop: _d, amount: _e, currency: _f, ...listedRest } = listed;
    expect(listedRest).toEqual(fullRest);
  });

  it('records appeals and the actions still open to the merchant', () => {
    const snapshot = fromWhop(
      'resolution_case',
      whopCase({
        status: 'merchant_won',
        customer_appealed: true,
        merchant_response_actions: [],
        updated_at: '2025-03-18T09:30:00.000Z',
        due_date: null,
      }),
    );
    expect(snapshot).toMatchObject({
      status: 'merchant_won',
      dueAt: null,
      updatedAt: '2025-03-18T09:30:00.000Z',
      details: { merchantResponseActions: [], customerAppealed: true, merchantAppealed: false },
    });
  });

  it('parses a date-only due date and tolerates a missing company, status and actions', () => {
    const snapshot = fromWhop('resolution_case', {
      ...whopCase({ company: null, due_date: '2025-03-17' }),
      status: undefined,
      merchant_response_actions: undefined,
      customer_appealed: undefined,
    });
    expect(snapshot).toMatchObject({
      companyId: null,
      status: 'merchant_response_needed',
      dueAt: '2025-03-17T00:00:00.000Z',
      details: { merchantResponseActions: [], customerAppealed: false, merchantAppealed: false },
    });
  });

  it('prefers a top-level amount and currency when the object has them', () => {
    const snapshot = fromWhop('resolution_case', { ...whopCase(), amount: 20, currency: 'eur' });
    expect(snapshot.amount).toBe(20);
    expect(snapshot.currency).toBe('eur');
  });
});

describe('COMPARED_FIELDS', () => {
  it('names only fields a snapshot has, and not the raw object', () => {
    const snapshot = fromWhop('dispute', whopDispute());
    for (const field of COMPARED_FIELDS) expect(snapshot).toHaveProperty(field);
    expect(COMPARED_FIELDS).not.toContain('whop');
  });
});
