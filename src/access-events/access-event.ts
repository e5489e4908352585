/**
 * One thing a customer did with the merchant's product outside Whop (their app, site, Discord, a
 * download), as the merchant reports it. The raw material of dispute evidence.
 */
export interface AccessEvent {
  /** The merchant's id for the event, or one we derive from its content: re-sends are idempotent. */
  eventId: string;
  /** At least one of userId, membershipId, email identifies the customer. */
  userId?: string;
  membershipId?: string;
  /** Lower-cased. */
  email?: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  /** e.g. `login`, `lesson_viewed`, `download`, `api_call`. */
  action: string;
  ip?: string;
  userAgent?: string;
  deviceId?: string;
  sessionId?: string;
  metadata?: Record<string, unknown>;
}

/** Who an evidence query is about: every identifier we know for the customer. */
export interface CustomerIdentifiers {
  userId?: string | null;
  membershipId?: string | null;
  email?: string | null;
}

/**
 * The keys a customer is known by, one per identifier (`u:<user>`, `m:<membership>`, `e:<email>`), in
 * order of preference (the first is an event's primary identifier): the access-log store's keys, and the
 * links from evidence to the customers whose events refresh it.
 */
export function customerKeys(ids: CustomerIdentifiers): string[] {
  const email = ids.email?.trim().toLowerCase();
  return [
    ids.userId && `u:${ids.userId}`,
    ids.membershipId && `m:${ids.membershipId}`,
    email && `e:${email}`,
  ].filter((k): k is string => Boolean(k));
}
