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

  it('records one rate message per company and UTC day; its alert is pending until marked queued', async () => {
    const first = {
      level: 0.0075,
      at: 1000,
      disputeId: 'dspt_1',
      rate: 0.01,
      disputes30d: 1,
      payments30d: 100,
    };
    const later = {
      level: 0.015,
      at: 2000,
      disputeId: 'dspt_2',
      rate: 0.02,
      disputes30d: 2,
      payments30d: 100,
    };
    // Every run that day sees the first message (with what it is made from) until it is queued.
    expect(await store.claimRateDay('biz_1', '2025-03-21', first)).toEqual({ ...first, queued: false });
    expect(await store.claimRateDay('biz_1', '2025-03-21', later)).toEqual({ ...first, queued: false });
    expect(await store.claimRateDay('biz_2', '2025-03-21', later)).toEqual({ ...later, queued: false });
    // Marking another message's time changes nothing; the recorded one's does.
    await store.markRateDayQueued('biz_1', '2025-03-21', 2000);
    expect((await store.claimRateDay('biz_1', '2025-03-21', later)).queued).toBe(false);
    await store.markRateDayQueued('biz_1', '2025-03-21', 1000);
    expect(await store.claimRateDay('biz_1', '2025-03-21', later)).toEqual({ ...first, queued: true });
    expect(await redis.client.ttl('da:rate-day:biz_1:2025-03-21')).toBeGreaterThan(24 * 3600);
    // The next day has its own.
    expect(await store.claimRateDay('biz_1', '2025-03-22', later)).toEqual({ ...later, queued: false });
  });

  it('announces a level and every lower one, until the rate falls below it; an older marker counts as announced', async () => {
    await store.announceLevels('biz_1', [0.0075, 0.015]);
    expect(await store.levelAnnounced('biz_1', 0.0075)).toBe(true);
    expect(await store.levelAnnounced('biz_1', 0.015)).toBe(true);
    await store.clearThresholdCrossed('biz_1', 0.015);
    expect(await store.levelAnnounced('biz_1', 0.015)).toBe(false);
    expect(await store.levelAnnounced('biz_1', 0.0075)).toBe(true);
    await redis.client.set('da:rate:biz_2:0.0075', '0.01');
    expect(await store.levelAnnounced('biz_2', 0.0075)).toBe(true);
  });
});

describe('AlertStore: the opening message and the evidence it carries', () => {
  const due = '2025-03-24T23:59:59.000Z';

  it('evidence staged while the opening waits is folded into it; staged after it, it is sent on its own', async () => {
    // No opening expected (a backfill, an older version): evidence alerts as always.
    expect(await store.evidenceReady('dspt_0')).toBe('send');
    await store.markOpeningPending('dspt_1', 'dspt_1.needs_response.needs_response');
    expect(await store.openingPending('dspt_1')).toBe(true);
    expect(await store.evidenceReady('dspt_1')).toBe('folded');
    // Repeatable (a retry of the evidence run), and a relayed event again changes nothing.
    expect(await store.evidenceReady('dspt_1')).toBe('folded');
    await store.markOpeningPending('dspt_1', 'dspt_1.needs_response.needs_response');
    expect(await store.claimOpening('dspt_1', 'dspt_1.needs_response.needs_response', due, 5000)).toBe(
      'with_evidence',
    );
    expect(await store.openingPending('dspt_1')).toBe(false);
    // The retry of the opening gets the same answer; a later staging is sent on its own.
    expect(await store.claimOpening('dspt_1', 'dspt_1.needs_response.needs_response', due, 9000)).toBe(
      'with_evidence',
    );
    expect(await store.evidenceReady('dspt_1')).toBe('send');
    // The opening covers the reminders due by its first claim.
    expect(await store.openingCovered('dspt_1', due)).toBe(5000);
    expect(await store.openingCovered('dspt_1', '2025-03-30T00:00:00.000Z')).toBeNull();
    // Once that opening went out, its event relayed again does not make evidence wait.
    await store.markOpeningPending('dspt_1', 'dspt_1.needs_response.needs_response');
    expect(await store.openingPending('dspt_1')).toBe(false);
  });

  it('an opening composed before the evidence is staged goes without it; a second opening (escalation) waits again', async () => {
    await store.markOpeningPending('dspt_2', 'inquiry');
    expect(await store.claimOpening('dspt_2', 'inquiry', due, 1000)).toBe('without_evidence');
    expect(await store.evidenceReady('dspt_2')).toBe('send');
    await store.markOpeningPending('dspt_2', 'chargeback');
    expect(await store.evidenceReady('dspt_2')).toBe('folded');
    expect(await store.claimOpening('dspt_2', 'chargeback', null, 2000)).toBe('with_evidence');
    expect(await redis.client.ttl('da:opening:dspt_2')).toBeGreaterThan(89 * 24 * 3600);
  });
});

describe("AlertStore: a dispute alert's opening and the refund decision it carries", () => {
  it('decided before or while the opening waits: folded, for good; decided after it: sent', async () => {
    // The refunds worker may decide before the alerts worker marks the opening pending.
    expect(await store.refundReady('dspa_1', 'refund.alert_dspa_1.1.done')).toBe('folded');
    await store.markOpeningPending('dspa_1', 'dspa_1.opened');
    expect(await store.openingPending('dspa_1')).toBe(true);
    expect(await store.claimOpening('dspa_1', 'dspa_1.opened', null, 1000)).toBe('with_refund');
    // A retry of the refund job after the opening went out: still folded, never a second message.
    expect(await store.refundReady('dspa_1', 'refund.alert_dspa_1.1.done')).toBe('folded');
    expect(await store.claimOpening('dspa_1', 'dspa_1.opened', null, 2000)).toBe('with_refund');

    await store.markOpeningPending('dspa_2', 'dspa_2.opened');
    expect(await store.claimOpening('dspa_2', 'dspa_2.opened', null, 1000)).toBe('without_evidence');
    expect(await store.refundReady('dspa_2', 'refund.alert_dspa_2.1.skipped')).toBe('send');
    expect(await store.refundReady('dspa_2', 'refund.alert_dspa_2.1.skipped')).toBe('send');
    expect(await store.claimOpening('dspa_2', 'dspa_2.opened', null, 2000)).toBe('without_evidence');
    expect(await redis.client.ttl('da:opening:dspa_2')).toBeGreaterThan(89 * 24 * 3600);
  });
});

describe('AlertStore: the digest activity', () => {
  const entry = (kind: 'won' | 'lost', caseId: string, at: string) => ({
    kind,
    caseId,
    amount: 4900,
    currency: 'USD',
    at,
  });

  it('records each thing once and reads a period; the last digest time is kept', async () => {
    await store.recordActivity('biz_1', entry('won', 'dspt_1', '2025-03-20T10:00:00.000Z'));
    await store.recordActivity('biz_1', entry('won', 'dspt_1', '2025-03-20T10:00:00.000Z'));
    await store.recordActivity('biz_1', entry('lost', 'dspt_2', '2025-03-21T10:00:00.000Z'));
    await store.recordActivity('biz_2', entry('lost', 'dspt_3', '2025-03-21T10:00:00.000Z'));
    const t = (iso: string) => Date.parse(iso);
    expect(
      await store.activityBetween('biz_1', t('2025-03-19T00:00:00Z'), t('2025-03-22T00:00:00Z')),
    ).toEqual([
      entry('won', 'dspt_1', '2025-03-20T10:00:00.000Z'),
      entry('lost', 'dspt_2', '2025-03-21T10:00:00.000Z'),
    ]);
    // After the start, up to and including the end.
    expect(
      await store.activityBetween('biz_1', t('2025-03-20T10:00:00Z'), t('2025-03-21T10:00:00Z')),
    ).toEqual([entry('lost', 'dspt_2', '2025-03-21T10:00:00.000Z')]);
    expect(await store.lastDigestAt('biz_1')).toBeNull();
    await store.setLastDigestAt('biz_1', 1234);
    expect(await store.lastDigestAt('biz_1')).toBe(1234);
  });
});
