import { describe, expect, it } from 'vitest';
import { refundRecord } from '../../test/support/builders/refund-records.js';
import { useTestRedis } from '../../test/support/test-redis.js';
import { RefundBusy, RefundStore } from './refund-store.js';

const redis = useTestRedis();
const DAY = '2025-03-20';

const attemptOn = (n: number, minor = 1000) =>
  refundRecord({
    id: `alert_dpa_${n}`,
    alertId: `dpa_${n}`,
    paymentId: `pay_${n}`,
    amount: { minor, currency: 'USD', decimal: (minor / 100).toFixed(2) },
    outcome: null,
  });

describe('RefundStore', () => {
  it('reserves auto-refunds in the day’s cap atomically: never more than the cap, however many race', async () => {
    const store = new RefundStore(redis.client);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        store.startAttempt(attemptOn(n), { count: 3, amountMinor: undefined }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(await store.refundedToday('biz_1', DAY)).toEqual({ count: 3, amountMinor: { USD: 3000 } });
    // Only the reserved ones were stored, each marking its payment pending.
    const stored = (await Promise.all(results.map((_, n) => store.get(`alert_dpa_${n}`)))).filter(Boolean);
    expect(stored).toHaveLength(3);
    for (const r of stored) expect((await store.pending(r!.paymentId!))?.id).toBe(r!.id);
  });

  it('checks the amount cap in the refund’s currency', async () => {
    const store = new RefundStore(redis.client);
    const cap = { count: 10, amountMinor: 2500 };
    expect(await store.startAttempt(attemptOn(1, 2000), cap)).toBe(true);
    expect(await store.startAttempt(attemptOn(2, 600), cap)).toBe(false);
    expect(await store.startAttempt(attemptOn(3, 500), cap)).toBe(true);
  });

  it('an outcome drops the pending marker; one that moved no money gives its place in the cap back', async () => {
    const store = new RefundStore(redis.client);
    const cap = { count: 1, amountMinor: undefined };
    const first = attemptOn(1);
    expect(await store.startAttempt(first, cap)).toBe(true);
    expect(await store.startAttempt(attemptOn(2), cap)).toBe(false);
    first.outcome = { code: 'refused', at: '2025-03-20T12:00:01.000Z', refundId: null, reason: 'no' };
    await store.finishAttempt(first, true);
    expect(await store.pending('pay_1')).toBeUndefined();
    expect((await store.get(first.id))?.outcome?.code).toBe('refused');
    expect(await store.refundedToday('biz_1', DAY)).toEqual({ count: 0, amountMinor: { USD: 0 } });
    expect(await store.startAttempt(attemptOn(2), cap)).toBe(true);
  });

  it('one holder of a payment’s lock at a time', async () => {
    const store = new RefundStore(redis.client);
    let release!: () => void;
    const held = store.withPaymentLock('pay_1', () => new Promise<void>((r) => (release = r)));
    await expect(store.withPaymentLock('pay_1', async () => 'second')).rejects.toBeInstanceOf(RefundBusy);
    expect(await store.withPaymentLock('pay_2', async () => 'other payment')).toBe('other payment');
    release();
    await held;
    expect(await store.withPaymentLock('pay_1', async () => 'after')).toBe('after');
  });
});
