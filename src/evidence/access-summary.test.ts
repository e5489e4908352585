import { describe, expect, it } from 'vitest';
import { accessEvent, usage } from '../../test/support/builders/access-events.js';
import { afterPaid, fixture } from '../../test/support/builders/fixture.js';
import { countSessions, summarizeAccess, usableEvents } from './access-summary.js';

const { now, paidAt, purchaseIp, purchaseDevice } = fixture();
const purchase = { paidAt: new Date(paidAt) };

describe('summarizeAccess: counts after purchase', () => {
  it('counts events, sessions, days, first and last access after the payment only', () => {
    const events = [
      accessEvent({ occurredAt: afterPaid(-60 * 24 * 3), action: 'login' }),
      ...usage({ sessions: 3, perSession: 4 }),
    ];
    const s = summarizeAccess(events, purchase, now);
    expect(s).toMatchObject({
      paidAt,
      totalEvents: 13,
      ignoredEvents: 0,
      eventsBeforePurchase: 1,
      eventsAfterPurchase: 12,
      firstAccessAfterPurchase: afterPaid(5),
      lastAccessAfterPurchase: afterPaid(5 + 2 * 24 * 60 + 3),
      sessionsAfterPurchase: 3,
      activeDaysAfterPurchase: 3,
      actionsByType: [
        { value: 'lesson_viewed', events: 9 },
        { value: 'login', events: 3 },
      ],
    });
  });

  it('counts an event at the exact payment time as after purchase', () => {
    const s = summarizeAccess([accessEvent({ occurredAt: paidAt })], purchase, now);
    expect(s.eventsAfterPurchase).toBe(1);
    expect(s.eventsBeforePurchase).toBe(0);
  });

  it('ignores events in the future, with garbage timestamps, or repeated by eventId', () => {
    const e = accessEvent({ occurredAt: afterPaid(10) });
    const s = summarizeAccess(
      [
        e,
        { ...e },
        accessEvent({ occurredAt: new Date(now.getTime() + 60_000).toISOString() }),
        accessEvent({ occurredAt: 'yesterday' }),
      ],
      purchase,
      now,
    );
    expect(s.totalEvents).toBe(1);
    expect(s.ignoredEvents).toBe(3);
    expect(s.eventsAfterPurchase).toBe(1);
  });

  it('does not depend on the order of the events', () => {
    const events = usage({ sessions: 4, perSession: 3, sessionIds: false });
    const shuffled = [...events].reverse();
    expect(summarizeAccess(shuffled, purchase, now)).toEqual(summarizeAccess(events, purchase, now));
  });

  it('counts active days as UTC dates', () => {
    // 23:50 and 00:10 UTC: two dates, one session.
    const events = [
      accessEvent({ occurredAt: '2025-02-20T23:50:00.000Z' }),
      accessEvent({ occurredAt: '2025-02-21T00:10:00.000Z' }),
    ];
    const s = summarizeAccess(events, purchase, now);
    expect(s.activeDaysAfterPurchase).toBe(2);
    expect(s.sessionsAfterPurchase).toBe(1);
  });

  it('gives an empty summary with no events', () => {
    const s = summarizeAccess([], purchase, now);
    expect(s).toMatchObject({
      totalEvents: 0,
      eventsAfterPurchase: 0,
      firstAccessAfterPurchase: null,
      lastAccessAfterPurchase: null,
      sessionsAfterPurchase: 0,
      activeDaysAfterPurchase: 0,
      ipsAfterPurchase: [],
      devicesAfterPurchase: [],
      ipMatchesPurchase: null,
      deviceMatchesPurchase: null,
      actionsByType: [],
      recentEvents: [],
      purchase: { ip: null, ipSource: null, device: null, deviceSource: null },
    });
  });
});

describe('sessions', () => {
  const at = (minute: number, sessionId?: string) => ({
    event: accessEvent({ occurredAt: afterPaid(minute), ...(sessionId ? { sessionId } : {}) }),
    ms: minute * 60_000,
  });

  it('uses sessionId when events carry one, whatever the gaps', () => {
    expect(countSessions([at(0, 'a'), at(300, 'a'), at(301, 'b')])).toBe(2);
  });

  it('splits sessionless events at gaps of more than 30 minutes', () => {
    expect(countSessions([at(0), at(30), at(60), at(91), at(200)])).toBe(3);
  });

  it('adds sessionless runs to the sessionIds', () => {
    expect(countSessions([at(0, 'a'), at(1), at(2), at(100, 'a'), at(500)])).toBe(3);
  });
});

describe('IP addresses and devices', () => {
  it('lists distinct IPs and devices after purchase, most used first; device is deviceId, else user agent', () => {
    const ua = fixture().userAgent;
    const events = [
      ...usage({ sessions: 2, perSession: 3, ip: '198.51.100.2', deviceId: 'dev_x' }),
      accessEvent({ occurredAt: afterPaid(5000), ip: purchaseIp, deviceId: undefined, userAgent: ua }),
    ];
    const s = summarizeAccess(events, purchase, now);
    expect(s.ipsAfterPurchase).toEqual([
      { value: '198.51.100.2', events: 6 },
      { value: purchaseIp, events: 1 },
    ]);
    expect(s.devicesAfterPurchase).toEqual([
      { basis: 'device_id', value: 'dev_x', events: 6 },
      { basis: 'user_agent', value: ua, events: 1 },
    ]);
  });

  it('takes the purchase IP and device from the first event within 30 minutes when not given, and does not count it as its own match', () => {
    const events = [
      accessEvent({
        occurredAt: afterPaid(-20),
        ip: purchaseIp,
        deviceId: purchaseDevice,
        action: 'checkout_viewed',
      }),
      ...usage({ sessions: 2, perSession: 2, startMinutes: 60 }),
    ];
    const s = summarizeAccess(events, purchase, now);
    expect(s.purchase).toEqual({
      ip: purchaseIp,
      ipSource: 'event',
      device: { basis: 'device_id', value: purchaseDevice },
      deviceSource: 'event',
      ipEventId: events[0]!.eventId,
      deviceEventId: events[0]!.eventId,
    });
    expect(s).toMatchObject({
      ipMatchesPurchase: true,
      eventsFromPurchaseIp: 4,
      eventsWithIpAfterPurchase: 4,
      deviceMatchesPurchase: true,
      eventsFromPurchaseDevice: 4,
    });
  });

  it('claims no match from the single event the purchase IP was taken from', () => {
    const s = summarizeAccess([accessEvent({ occurredAt: afterPaid(2) })], purchase, now);
    expect(s.purchase.ip).toBe(purchaseIp);
    expect(s.eventsAfterPurchase).toBe(1);
    expect(s.ipMatchesPurchase).toBeNull();
    expect(s.deviceMatchesPurchase).toBeNull();
    expect(s.eventsFromPurchaseIp).toBe(0);
  });

  it('does not take the purchase IP from an event more than 30 minutes away', () => {
    const s = summarizeAccess(
      [accessEvent({ occurredAt: afterPaid(31) }), accessEvent({ occurredAt: afterPaid(-31) })],
      purchase,
      now,
    );
    expect(s.purchase.ip).toBeNull();
    expect(s.ipMatchesPurchase).toBeNull();
  });

  it('prefers the merchant’s purchase IP and device and says where they came from', () => {
    const events = usage({ sessions: 2, perSession: 2, ip: '198.51.100.2', deviceId: 'dev_other' });
    const s = summarizeAccess(events, { ...purchase, ip: purchaseIp, deviceId: purchaseDevice }, now);
    expect(s.purchase).toMatchObject({ ip: purchaseIp, ipSource: 'merchant', deviceSource: 'merchant' });
    // Every later event is from another IP and device: no match.
    expect(s.ipMatchesPurchase).toBe(false);
    expect(s.deviceMatchesPurchase).toBe(false);
    expect(s.eventsFromPurchaseIp).toBe(0);
    expect(s.eventsWithIpAfterPurchase).toBe(4);
  });

  it('counts a later event from the same IP as the one the purchase IP came from as a match', () => {
    const events = [accessEvent({ occurredAt: afterPaid(1) }), accessEvent({ occurredAt: afterPaid(600) })];
    const s = summarizeAccess(events, purchase, now);
    expect(s.ipMatchesPurchase).toBe(true);
    expect(s.eventsFromPurchaseIp).toBe(1);
    expect(s.eventsWithIpAfterPurchase).toBe(1);
  });

  it('never matches a device id against a user agent', () => {
    const ua = fixture().userAgent;
    const events = usage({ sessions: 2, perSession: 2, deviceId: undefined, userAgent: ua });
    const s = summarizeAccess(events, { ...purchase, deviceId: ua }, now);
    expect(s.purchase.device).toEqual({ basis: 'device_id', value: ua });
    expect(s.deviceMatchesPurchase).toBeNull();
    expect(s.eventsWithDeviceAfterPurchase).toBe(0);
  });

  it('matches on user agent when that is all there is, and says so in the basis', () => {
    const ua = fixture().userAgent;
    const events = usage({ sessions: 2, perSession: 2, deviceId: undefined, userAgent: ua });
    const s = summarizeAccess(events, { ...purchase, userAgent: ua }, now);
    expect(s.purchase.device).toEqual({ basis: 'user_agent', value: ua });
    expect(s.deviceMatchesPurchase).toBe(true);
    expect(s.eventsFromPurchaseDevice).toBe(4);
  });

  it('finds IPs and devices used both before and after the purchase', () => {
    const events = [
      accessEvent({ occurredAt: afterPaid(-60 * 24 * 40), ip: '192.0.2.50', deviceId: 'dev_home' }),
      accessEvent({ occurredAt: afterPaid(-60 * 24 * 39), ip: '192.0.2.99', deviceId: 'dev_old' }),
      ...usage({ sessions: 2, perSession: 2, ip: '192.0.2.50', deviceId: 'dev_home' }),
    ];
    const s = summarizeAccess(events, purchase, now);
    expect(s.ipsBeforePurchase).toEqual(['192.0.2.50', '192.0.2.99']);
    expect(s.ipsBeforeAndAfter).toEqual(['192.0.2.50']);
    expect(s.devicesBeforeAndAfter).toEqual([{ basis: 'device_id', value: 'dev_home' }]);
  });

  it('treats blank IPs and devices as absent', () => {
    const s = summarizeAccess([accessEvent({ ip: '  ', deviceId: '' })], purchase, now);
    expect(s.ipsAfterPurchase).toEqual([]);
    expect(s.devicesAfterPurchase).toEqual([]);
  });
});

describe('recent events', () => {
  it('keeps the last N events after purchase, newest first', () => {
    const events = usage({ sessions: 3, perSession: 5 });
    const s = summarizeAccess(events, purchase, now, { recentLimit: 4 });
    expect(s.recentEvents).toHaveLength(4);
    expect(s.recentEvents[0]).toEqual({
      at: s.lastAccessAfterPurchase,
      action: 'lesson_viewed',
      ip: purchaseIp,
      device: purchaseDevice,
    });
    expect(s.recentEvents.map((r) => r.at)).toEqual([...s.recentEvents.map((r) => r.at)].sort().reverse());
  });

  it('defaults to 10 and accepts 0', () => {
    const events = usage({ sessions: 3, perSession: 5 });
    expect(summarizeAccess(events, purchase, now).recentEvents).toHaveLength(10);
    expect(summarizeAccess(events, purchase, now, { recentLimit: 0 }).recentEvents).toEqual([]);
  });
});

describe('usableEvents', () => {
  it('sorts by time, then eventId, for a stable order', () => {
    const a = accessEvent({ eventId: 'b', occurredAt: afterPaid(1) });
    const b = accessEvent({ eventId: 'a', occurredAt: afterPaid(1) });
    expect(usableEvents([a, b], now).events.map((t) => t.event.eventId)).toEqual(['a', 'b']);
  });
});
