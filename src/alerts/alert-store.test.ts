import { beforeEach, describe, expect, it } from 'vitest';
import { useTestRedis } from '../../test/support/test-redis.js';
import type { Alert } from './alert.js';
import { AlertStore } from './alert-store.js';

const redis = useTestRedis();
let store: AlertStore;
beforeEach(() => {
  store = new AlertStore(redis.client);
});

const alert = (id: string): Alert => ({
  id,
  kind: 'dispute_opened',
  severity: 'urgent',
  companyId: 'biz_1',
  title: 'Chargeback',
  summary: '',
  fields: [],
});
const AT = new Date('2025-03-01T12:00:00.000Z');

describe('AlertStore deliveries', () => {
  it('marks an alert sent per destination, for 90 days', async () => {
    expect(await store.wasSent('a1', 'slack')).toBe(false);
    await store.recordSent(alert('a1'), 'slack', AT);
    expect(await store.wasSent('a1', 'slack')).toBe(true);
    expect(await store.wasSent('a1', 'discord')).toBe(false);
    expect(await store.wasSent('a2', 'slack')).toBe(false);
    const ttl = await redis.client.ttl('da:alert-sent:a1:slack');
    expect(ttl).toBeGreaterThan(90 * 86_400 - 60);
    expect(ttl).toBeLessThanOrEqual(90 * 86_400);
  });

  it('lists sent and failed deliveries apart, newest first, with the reason of a failure', async () => {
    await store.recordSent(alert('a1'), 'slack', AT);
    await store.recordSent(alert('a2'), 'email', new Date(AT.getTime() + 1000));
    await store.recordFailure(alert('a3'), 'discord', 'discord webhook answered 404', AT);
    expect(await store.recent('sent')).toEqual([
      { id: 'a2', kind: 'dispute_opened', destination: 'email', at: '2025-03-01T12:00:01.000Z' },
      { id: 'a1', kind: 'dispute_opened', destination: 'slack', at: '2025-03-01T12:00:00.000Z' },
    ]);
    expect(await store.recent('failed')).toEqual([
      {
        id: 'a3',
        kind: 'dispute_opened',
        destination: 'discord',
        reason: 'discord webhook answered 404',
        at: '2025-03-01T12:00:00.000Z',
      },
    ]);
    expect(await store.recent('sent', 1)).toHaveLength(1);
  });

  it('keeps the last 1,000 of each', async () => {
    for (let i = 0; i < 1005; i++) await store.recordFailure(alert(`a${i}`), 'slack', 'no', AT);
    expect(await redis.client.llen('da:alerts:failed')).toBe(1000);
    const newest = await store.recent('failed', 1000);
    expect(newest[0]!.id).toBe('a1004');
    expect(newest.at(-1)!.id).toBe('a5');
  });
});

describe('AlertStore delivery attempts (at most once per alert and destination)', () => {
  it('records an attempt before a send; a second start finds it in doubt until its end is recorded', async () => {
    expect(await store.beginAttempt('a1', 'slack')).toBe('send');
    // Another run of the same delivery (the worker died mid-send): it may have gone out.
    expect(await store.beginAttempt('a1', 'slack')).toBe('in_doubt');
    expect(await store.beginAttempt('a1', 'email')).toBe('send');
    await store.recordSent(alert('a1'), 'email', AT);
    expect(await store.beginAttempt('a1', 'email')).toBe('already_sent');
    expect(await redis.client.exists('da:alert-attempt:a1:email')).toBe(0);
  });

  it('an attempt that failed before anything went out may start again', async () => {
    expect(await store.beginAttempt('a1', 'slack')).toBe('send');
    await store.attemptFailed('a1', 'slack');
    expect(await store.beginAttempt('a1', 'slack')).toBe('send');
  });

  it('an uncertain delivery is never started again, and is listed with its reason for 90 days', async () => {
    expect(await store.beginAttempt('a1', 'slack')).toBe('send');
    await store.recordUncertain(alert('a1'), 'slack', 'slack webhook timed out after 10000 ms', AT);
    expect(await store.beginAttempt('a1', 'slack')).toBe('uncertain');
    expect(await store.recent('uncertain')).toEqual([
      {
        id: 'a1',
        kind: 'dispute_opened',
        destination: 'slack',
        reason: 'slack webhook timed out after 10000 ms',
        at: AT.toISOString(),
      },
    ]);
    expect(await redis.client.ttl('da:alert-attempt:a1:slack')).toBeGreaterThan(90 * 86_400 - 60);
  });
});

describe('AlertStore dispute-rate watch', () => {
  it('counts a company’s disputes since a time, each dispute once', async () => {
    await store.recordDispute('biz_1', 'dspt_1', 1000);
    await store.recordDispute('biz_1', 'dspt_2', 5000);
    await store.recordDispute('biz_1', 'dspt_2', 5000);
    await store.recordDispute('biz_2', 'dspt_3', 5000);
    expect(await store.disputesSince('biz_1', 0)).toBe(2);
    expect(await store.disputesSince('biz_1', 2000)).toBe(1);
    expect(await store.disputesSince('biz_1', 6000)).toBe(0);
  });

  it('caches the payment count for an hour', async () => {
    expect(await store.cachedPayments30d('biz_1')).toBeNull();
    await store.cachePayments30d('biz_1', 0);
    expect(await store.cachedPayments30d('biz_1')).toBe(0);
    expect(await redis.client.ttl('da:company:biz_1:payments30d')).toBeGreaterThan(3590);
  });

  it('records a crossed threshold once, until it is cleared; its alert is pending until marked queued', async () => {
    const first = { at: 1000, disputeId: 'dspt_1', rate: 0.01, disputes30d: 1, payments30d: 100 };
    const later = { at: 2000, disputeId: 'dspt_2', rate: 0.02, disputes30d: 2, payments30d: 100 };
    // Every run sees the first crossing (with what its alert is made from) until the alert is queued.
    expect(await store.claimThresholdCrossing('biz_1', 0.0075, first)).toEqual({ ...first, queued: false });
    expect(await store.claimThresholdCrossing('biz_1', 0.0075, later)).toEqual({ ...first, queued: false });
    expect(await store.claimThresholdCrossing('biz_1', 0.015, later)).toEqual({ ...later, queued: false });
    // Marking another crossing's time changes nothing; the recorded one's does.
    await store.markCrossingQueued('biz_1', 0.0075, 2000);
    expect((await store.claimThresholdCrossing('biz_1', 0.0075, later)).queued).toBe(false);
    await store.markCrossingQueued('biz_1', 0.0075, 1000);
    expect(await store.claimThresholdCrossing('biz_1', 0.0075, later)).toEqual({ ...first, queued: true });
    await store.clearThresholdCrossed('biz_1', 0.0075);
    expect(await store.claimThresholdCrossing('biz_1', 0.0075, later)).toEqual({ ...later, queued: false });
  });

  it('reads a marker an older version wrote (the bare rate) as a crossing already alerted', async () => {
    await redis.client.set('da:rate:biz_1:0.0075', '0.01');
    const now = { at: 3000, disputeId: 'dspt_3', rate: 0.02, disputes30d: 2, payments30d: 100 };
    expect((await store.claimThresholdCrossing('biz_1', 0.0075, now)).queued).toBe(true);
  });
});
