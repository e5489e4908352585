/**
 * The facts an issuer looks for in usage evidence, computed from the merchant's access events relative to
 * one purchase: how much, how often, over how long, and from which IP addresses and devices. Pure: the
 * same events, purchase and `now` always give the same summary, whatever the order of the events.
 */
import type { AccessEvent } from '../access-events/access-event.js';

/** What the merchant knows about the purchase itself; IP and device are optional. */
export interface PurchaseContext {
  paidAt: Date;
  ip?: string | null;
  deviceId?: string | null;
  userAgent?: string | null;
}

/** Events further apart than this (with no sessionId) start a new session. */
export const SESSION_GAP_MS = 30 * 60_000;
/** Without an IP/device from the merchant, the purchase's are those of the first event this close to it. */
export const PURCHASE_WINDOW_MS = 30 * 60_000;
export const DEFAULT_RECENT_LIMIT = 10;

/** How a device is identified: a device id is a device; a user agent is only a browser/app build. */
export type DeviceBasis = 'device_id' | 'user_agent';

export interface DeviceRef {
  basis: DeviceBasis;
  value: string;
}

export interface CountedValue {
  value: string;
  events: number;
}

export interface CountedDevice extends DeviceRef {
  events: number;
}

/** One row of the short table of recent events. */
export interface AccessRow {
  at: string;
  action: string;
  ip: string | null;
  device: string | null;
}

export interface AccessSummary {
  paidAt: string;
  /** Events considered: valid timestamps, not after `now`, de-duplicated by eventId. */
  totalEvents: number;
  /** Events that could not be used (bad timestamp, in the future, repeated eventId). */
  ignoredEvents: number;
  eventsBeforePurchase: number;
  /** Events at or after the payment time. Everything below "after purchase" counts only these. */
  eventsAfterPurchase: number;
  firstAccessAfterPurchase: string | null;
  lastAccessAfterPurchase: string | null;
  sessionsAfterPurchase: number;
  /** Distinct UTC calendar dates with at least one event after purchase. */
  activeDaysAfterPurchase: number;
  /** IP addresses after purchase, most-used first. */
  ipsAfterPurchase: CountedValue[];
  /** Devices after purchase (device id, else user agent), most-used first. */
  devicesAfterPurchase: CountedDevice[];
  ipsBeforePurchase: string[];
  devicesBeforePurchase: DeviceRef[];
  /** Seen both before and after the purchase: the same person kept using the same equipment. */
  ipsBeforeAndAfter: string[];
  devicesBeforeAndAfter: DeviceRef[];
  purchase: {
    ip: string | null;
    /** `merchant`: passed in; `event`: taken from the first access event within 30 minutes of payment. */
    ipSource: 'merchant' | 'event' | null;
    device: DeviceRef | null;
    deviceSource: 'merchant' | 'event' | null;
    /** The events the IP / device were taken from; neither is counted as a match with itself. */
    ipEventId: string | null;
    deviceEventId: string | null;
  };
  /**
   * Events after purchase (other than the one the value was taken from) from the purchase IP / device.
   * `ipMatchesPurchase` is null when it cannot be told (no purchase IP, or no later event carries an IP).
   */
  eventsFromPurchaseIp: number;
  eventsWithIpAfterPurchase: number;
  ipMatchesPurchase: boolean | null;
  eventsFromPurchaseDevice: number;
  eventsWithDeviceAfterPurchase: number;
  deviceMatchesPurchase: boolean | null;
  /** Actions after purchase by type, most frequent first. */
  actionsByType: CountedValue[];
  /** The last events after purchase, newest first. */
  recentEvents: AccessRow[];
}

interface Timed {
  event: AccessEvent;
  ms: number;
}

const clean = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

export function deviceOf(e: { deviceId?: string | null; userAgent?: string | null }): DeviceRef | null {
  const id = clean(e.deviceId);
  if (id) return { basis: 'device_id', value: id };
  const ua = clean(e.userAgent);
  return ua ? { basis: 'user_agent', value: ua } : null;
}

// A device id and a user agent never match each other, even if the strings happen to be equal.
const deviceKey = (d: DeviceRef): string => `${d.basis}:${d.value}`;

/** Valid, not-in-the-future events, one per eventId, oldest first. */
export function usableEvents(
  events: readonly AccessEvent[],
  now: Date,
): { events: Timed[]; ignored: number } {
  const seen = new Set<string>();
  const out: Timed[] = [];
  let ignored = 0;
  for (const event of events) {
    const ms = Date.parse(event.occurredAt);
    if (!Number.isFinite(ms) || ms > now.getTime() || seen.has(event.eventId)) {
      ignored++;
      continue;
    }
    seen.add(event.eventId);
    out.push({ event, ms });
  }
  out.sort((a, b) => a.ms - b.ms || a.event.eventId.localeCompare(b.event.eventId));
  return { events: out, ignored };
}

function countBy(values: (string | null)[]): CountedValue[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, events]) => ({ value, events }))
    .sort((a, b) => b.events - a.events || a.value.localeCompare(b.value));
}

/** Distinct sessionIds, plus runs of sessionless events split by gaps over 30 minutes. */
export function countSessions(events: readonly Timed[]): number {
  const ids = new Set<string>();
  let gapSessions = 0;
  let lastSessionless: number | null = null;
  for (const { event, ms } of events) {
    const sessionId = clean(event.sessionId);
    if (sessionId) {
      ids.add(sessionId);
      continue;
    }
    if (lastSessionless === null || ms - lastSessionless > SESSION_GAP_MS) gapSessions++;
    lastSessionless = ms;
  }
  return ids.size + gapSessions;
}

function uniqueDevices(events: readonly Timed[]): DeviceRef[] {
  const byKey = new Map<string, DeviceRef>();
  for (const { event } of events) {
    const d = deviceOf(event);
    if (d) byKey.set(deviceKey(d), d);
  }
  return [...byKey.values()].sort((a, b) => deviceKey(a).localeCompare(deviceKey(b)));
}

/**
 * Summarises a customer's access events around one purchase. `now` bounds the events (anything later is
 * clock skew or garbage and is ignored); `recentLimit` sizes the table of recent events.
 */
export function summarizeAccess(
  events: AccessEvent[],
  purchase: PurchaseContext,
  now: Date,
  options: { recentLimit?: number } = {},
): AccessSummary {
  const paidMs = purchase.paidAt.getTime();
  const { events: usable, ignored } = usableEvents(events, now);
  const before = usable.filter((t) => t.ms < paidMs);
  const after = usable.filter((t) => t.ms >= paidMs);

  // The purchase's own IP/device: the merchant's if given, else the first event near the payment time.
  const nearby = usable.filter((t) => Math.abs(t.ms - paidMs) <= PURCHASE_WINDOW_MS);
  const merchantIp = clean(purchase.ip);
  const merchantDevice = deviceOf(purchase);
  const ipEvent = merchantIp ? undefined : nearby.find((t) => clean(t.event.ip));
  const deviceEvent = merchantDevice ? undefined : nearby.find((t) => deviceOf(t.event));
  const purchaseIp = merchantIp ?? clean(ipEvent?.event.ip);
  const purchaseDevice = merchantDevice ?? (deviceEvent ? deviceOf(deviceEvent.event) : null);
  // The event a value was taken from cannot corroborate itself, so it is left out of that comparison.
  const laterWithIp = after.filter((t) => t !== ipEvent && clean(t.event.ip));
  const laterWithDevice = after.filter((t) => {
    const d = deviceOf(t.event);
    // Only comparable devices count: a user agent says nothing about a device id and vice versa.
    return t !== deviceEvent && d !== null && purchaseDevice !== null && d.basis === purchaseDevice.basis;
  });
  const eventsFromPurchaseIp = purchaseIp
    ? laterWithIp.filter((t) => clean(t.event.ip) === purchaseIp).length
    : 0;
  const eventsFromPurchaseDevice = purchaseDevice
    ? laterWithDevice.filter((t) => deviceKey(deviceOf(t.event)!) === deviceKey(purchaseDevice)).length
    : 0;

  const ipsAfter = countBy(after.map((t) => clean(t.event.ip)));
  const devicesAfterCounts = new Map<string, CountedDevice>();
  for (const { event } of after) {
    const d = deviceOf(event);
    if (!d) continue;
    const entry = devicesAfterCounts.get(deviceKey(d)) ?? { ...d, events: 0 };
    entry.events++;
    devicesAfterCounts.set(deviceKey(d), entry);
  }
  const devicesAfter = [...devicesAfterCounts.values()].sort(
    (a, b) => b.events - a.events || deviceKey(a).localeCompare(deviceKey(b)),
  );

  const ipsBefore = [
    ...new Set(before.map((t) => clean(t.event.ip)).filter((v): v is string => v !== null)),
  ].sort();
  const devicesBefore = uniqueDevices(before);
  const afterIpSet = new Set(ipsAfter.map((c) => c.value));
  const afterDeviceKeys = new Set(devicesAfter.map(deviceKey));

  const limit = Math.max(0, options.recentLimit ?? DEFAULT_RECENT_LIMIT);
  const recentEvents = (limit === 0 ? [] : after.slice(-limit)).reverse().map(({ event, ms }) => ({
    at: new Date(ms).toISOString(),
    action: event.action,
    ip: clean(event.ip),
    device: deviceOf(event)?.value ?? null,
  }));

  return {
    paidAt: purchase.paidAt.toISOString(),
    totalEvents: usable.length,
    ignoredEvents: ignored,
    eventsBeforePurchase: before.length,
    eventsAfterPurchase: after.length,
    firstAccessAfterPurchase: after.length ? new Date(after[0]!.ms).toISOString() : null,
    lastAccessAfterPurchase: after.length ? new Date(after.at(-1)!.ms).toISOString() : null,
    sessionsAfterPurchase: countSessions(after),
    activeDaysAfterPurchase: new Set(after.map((t) => new Date(t.ms).toISOString().slice(0, 10))).size,
    ipsAfterPurchase: ipsAfter,
    devicesAfterPurchase: devicesAfter,
    ipsBeforePurchase: ipsBefore,
    devicesBeforePurchase: devicesBefore,
    ipsBeforeAndAfter: ipsBefore.filter((ip) => afterIpSet.has(ip)),
    devicesBeforeAndAfter: devicesBefore.filter((d) => afterDeviceKeys.has(deviceKey(d))),
    purchase: {
      ip: purchaseIp,
      ipSource: merchantIp ? 'merchant' : purchaseIp ? 'event' : null,
      device: purchaseDevice,
      deviceSource: merchantDevice ? 'merchant' : purchaseDevice ? 'event' : null,
      ipEventId: ipEvent?.event.eventId ?? null,
      deviceEventId: deviceEvent?.event.eventId ?? null,
    },
    eventsFromPurchaseIp,
    eventsWithIpAfterPurchase: laterWithIp.length,
    ipMatchesPurchase: purchaseIp && laterWithIp.length > 0 ? eventsFromPurchaseIp > 0 : null,
    eventsFromPurchaseDevice,
    eventsWithDeviceAfterPurchase: laterWithDevice.length,
    deviceMatchesPurchase: purchaseDevice && laterWithDevice.length > 0 ? eventsFromPurchaseDevice > 0 : null,
    actionsByType: countBy(after.map((t) => t.event.action)),
    recentEvents,
  };
}
