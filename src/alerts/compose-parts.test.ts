import { describe, expect, it } from 'vitest';
import { COMPANY, PAYMENT_ID } from '../../test/support/builders/fixture.js';
import { KINDS_BY_COMPOSER, LINK } from '../../test/support/compose-checks.js';
import { ALERT_KINDS } from './alert.js';
import { whopDashboardLink } from './compose-parts.js';

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

describe('alert kinds', () => {
  it("every kind is produced by some composer (each composer's tests prove its own)", () => {
    expect(new Set(Object.values(KINDS_BY_COMPOSER).flat())).toEqual(new Set(ALERT_KINDS));
  });
});
