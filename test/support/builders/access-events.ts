/** The merchant's own access events for the fixture customer (outside Whop). Data only. */
import type { AccessEvent } from '../../../src/access-events/access-event.js';
import { afterPaid, BUYER } from './fixture.js';

let eventSeq = 0;

/** One merchant access event; by default a login from the purchase IP and device, 5 minutes after payment. */
export function accessEvent(overrides: Partial<AccessEvent> = {}): AccessEvent {
  eventSeq++;
  return {
    eventId: `evt_${eventSeq}`,
    userId: BUYER.id,
    occurredAt: afterPaid(5),
    action: 'login',
    ip: '203.0.113.7',
    deviceId: 'dev_a1b2c3',
    ...overrides,
  };
}

/**
 * `sessions` sessions, one a day starting `startMinutes` after payment, each with `perSession` events a
 * minute apart: a login, then `action`. Each session has its own sessionId unless `sessionIds` is false.
 */
export function usage(
  opts: {
    sessions?: number;
    perSession?: number;
    startMinutes?: number;
    dayStep?: number;
    action?: string;
    sessionIds?: boolean;
  } & Partial<Pick<AccessEvent, 'ip' | 'deviceId' | 'userAgent'>> = {},
): AccessEvent[] {
  const { sessions = 3, perSession = 4, startMinutes = 5, dayStep = 1, action = 'lesson_viewed' } = opts;
  const events: AccessEvent[] = [];
  for (let s = 0; s < sessions; s++) {
    const sessionId = opts.sessionIds === false ? undefined : `sess_${eventSeq}_${s}`;
    for (let i = 0; i < perSession; i++) {
      const event = accessEvent({
        occurredAt: afterPaid(startMinutes + s * dayStep * 24 * 60 + i),
        action: i === 0 ? 'login' : action,
        ...(sessionId ? { sessionId } : {}),
      });
      for (const key of ['ip', 'deviceId', 'userAgent'] as const) {
        if (key in opts) {
          if (opts[key] === undefined) delete event[key];
          else event[key] = opts[key];
        }
      }
      events.push(event);
    }
  }
  return events;
}

/** A fully-used product: 8 sessions on 8 days from the purchase IP and device. */
export function heavyUse(): AccessEvent[] {
  return usage({ sessions: 8, perSession: 6 });
}
