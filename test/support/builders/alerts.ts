/**
 * Alerts for the formatter and channel tests: a realistic one, and a hostile one whose every string tries
 * to format, mention, inject or overflow. Data only.
 */
import type { Alert } from '../../../src/alerts/alert.js';

export function sampleAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'dspt_5Vn8QxLk2m.needs_response.needs_response',
    kind: 'dispute_opened',
    severity: 'urgent',
    companyId: 'biz_4Tq8mXv2Lp',
    caseId: 'dspt_5Vn8QxLk2m',
    title: 'Chargeback: $49.00 — respond by Mon 24 Mar',
    summary:
      "The customer's bank opened a chargeback on a $49.00 payment for Trading Signals Pro (reason: Product Not Received). " +
      'Submit evidence in Whop by Mon 24 Mar 2025, 23:59 UTC (3 days 4 hours left).',
    fields: [
      { label: 'Amount', value: '$49.00' },
      { label: 'Reason', value: 'Product Not Received' },
      { label: 'Respond by', value: 'Mon 24 Mar 2025, 23:59 UTC' },
      { label: 'Time left', value: '3 days 4 hours left' },
      { label: 'Dispute', value: 'dspt_5Vn8QxLk2m' },
    ],
    amount: { value: 49, currency: 'USD' },
    dueAt: '2025-03-24T23:59:59.000Z',
    link: 'https://whop.com/dashboard/biz_4Tq8mXv2Lp/payments/pay_7Hq2VbN0rT',
    ...overrides,
  };
}

/** Customer-controlled text (a dispute reason, a product title, a case brief) at its worst. */
export const HOSTILE =
  '<!channel> @everyone @here <@U123> *bold* _it_ [click](https://evil.example) & <b>x</b>';

export function hostileAlert(overrides: Partial<Alert> = {}): Alert {
  return sampleAlert({
    title: `Chargeback: ${HOSTILE}`,
    summary: `Reason: ${HOSTILE}\n# not a heading\n> not a quote`,
    fields: [{ label: 'Reason', value: HOSTILE }],
    ...overrides,
  });
}
