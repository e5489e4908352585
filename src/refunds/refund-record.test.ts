import { describe, expect, it } from 'vitest';
import { findAttemptedRefund, refundsBefore } from './refund-record.js';

const refund = (id: string, amount: number, status = 'succeeded') => ({
  id,
  amount,
  currency: 'usd',
  status,
});

describe('what a payment read after an attempt says about it', () => {
  const before = { currency: 'usd', refunded_amount: 10, refunds: [refund('ref_old', 10)] };
  const attempt = { at: '2025-03-20T12:00:00.000Z', day: '2025-03-20', before: refundsBefore(before) };

  it('remembers the refunds and the refunded amount before the call, in minor units', () => {
    expect(attempt.before).toEqual({ refundIds: ['ref_old'], refundedMinor: 1000 });
  });

  it('finds a new refund of exactly the amount sent', () => {
    const after = { ...before, refunded_amount: 42.5, refunds: [refund('ref_new', 32.5), ...before.refunds] };
    expect(findAttemptedRefund(after, attempt, 3250)).toEqual({ refundId: 'ref_new', failed: false });
  });

  it('ignores earlier refunds and new ones of another amount (someone else’s)', () => {
    const after = { ...before, refunded_amount: 15, refunds: [refund('ref_other', 5), ...before.refunds] };
    expect(findAttemptedRefund(after, attempt, 1000)).toBeNull();
    expect(findAttemptedRefund(before, attempt, 1000)).toBeNull();
  });

  it('a failed twin never hides the refund that went through; a failed one alone is failed', () => {
    const both = {
      ...before,
      refunds: [refund('ref_f', 20, 'failed'), refund('ref_ok', 20, 'pending'), ...before.refunds],
    };
    expect(findAttemptedRefund(both, attempt, 2000)).toEqual({ refundId: 'ref_ok', failed: false });
    const failed = { ...before, refunds: [refund('ref_f', 20, 'canceled'), ...before.refunds] };
    expect(findAttemptedRefund(failed, attempt, 2000)).toEqual({ refundId: 'ref_f', failed: true });
  });

  it('without a listed refund, a refunded amount grown by exactly the amount sent', () => {
    expect(findAttemptedRefund({ ...before, refunded_amount: 30 }, attempt, 2000)).toEqual({
      refundId: null,
      failed: false,
    });
    expect(findAttemptedRefund({ ...before, refunded_amount: 31 }, attempt, 2000)).toBeNull();
  });
});
