/**
 * The one customer every builder describes: Sam Buyer, who paid Autopilot Academy 49.00 USD for Trading
 * Signals Pro on 2025-02-14 and disputed it on 2025-03-10. The ids are shaped like Whop's (see
 * @whop/sdk 0.0.42). Data only, no test framework.
 */

export const COMPANY = { id: 'biz_4Tq8mXv2Lp', title: 'Autopilot Academy' } as const;
export const PRODUCT = { id: 'prod_6Xz0PqA3', title: 'Trading Signals Pro' } as const;
export const BUYER = {
  id: 'user_9Kd2sQpZx1',
  email: 'sam.buyer@example.com',
  name: 'Sam Buyer',
  username: 'sambuyer',
} as const;
export const PAYMENT_ID = 'pay_7Hq2VbN0rT';
export const MEMBERSHIP_ID = 'mem_8Hs1PwQe';
export const MEMBER_ID = 'mber_3LkQ9sd0';
export const PAID_AT = '2025-02-14T16:02:13.000Z';
export const DISPUTE_CREATED_AT = '2025-03-10T08:41:27.000Z';

/** The ids and times every builder shares, as fresh copies. */
export function fixture() {
  return {
    company: { ...COMPANY },
    product: { ...PRODUCT },
    buyer: { ...BUYER },
    paymentId: PAYMENT_ID,
    membershipId: MEMBERSHIP_ID,
    memberId: MEMBER_ID,
    paidAt: PAID_AT,
    disputeCreatedAt: DISPUTE_CREATED_AT,
    now: new Date('2025-03-11T12:00:00.000Z'),
    purchaseIp: '203.0.113.7',
    purchaseDevice: 'dev_a1b2c3',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 Safari/605.1.15',
  };
}

/** Read times (observedAt) and Whop timestamps: minute `n` after a fixed base, as ISO strings. */
export function at(minute: number): string {
  return new Date(Date.UTC(2025, 2, 10, 9, 0, 0) + minute * 60_000).toISOString();
}

/** `minutes` after the payment, as ISO. */
export function afterPaid(minutes: number): string {
  return new Date(Date.parse(PAID_AT) + minutes * 60_000).toISOString();
}
