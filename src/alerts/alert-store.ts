import type { Redis } from 'ioredis';
import {
  ALERTS_FAILED,
  ALERTS_SENT,
  ALERTS_UNCERTAIN,
  alertAttemptKey,
  alertSentKey,
  companyDisputesKey,
  companyPayments30dKey,
  rateThresholdKey,
} from '../redis/keys.js';
import type { Alert, AlertKind } from './alert.js';
import type { AlertDestination } from './alerts-queue.js';

/** A sent marker outlives any retry or replay of the same alert (90 days, in seconds). */
const SENT_MARKER_TTL_S = 90 * 24 * 3600;
/** How many deliveries, sent and failed each, are kept for `GET /api/alerts`. */
const KEEP_DELIVERIES = 1000;
/** The delivery logs `GET /api/alerts` shows. */
const DELIVERY_LISTS = { sent: ALERTS_SENT, failed: ALERTS_FAILED, uncertain: ALERTS_UNCERTAIN } as const;
/** A company's 30-day count of successful payments is re-read from Whop at most once an hour (seconds). */
const PAYMENTS_CACHE_S = 3600;

/** One delivery as `GET /api/alerts` lists it. `at`: ISO 8601, UTC. */
export interface DeliveryRecord {
  id: string;
  kind: AlertKind;
  destination: AlertDestination;
  /** Only on a delivery that failed for good or is uncertain: the channel's error, or what happened. */
  reason?: string;
  at: string;
}

/**
 * What a delivery may do now (`beginAttempt`): `send` (the attempt is recorded), `already_sent`,
 * `in_doubt` (an earlier attempt began and never ended: its worker died mid-send) or `uncertain`
 * (already recorded as such).
 */
export type AttemptStart = 'send' | 'already_sent' | 'in_doubt' | 'uncertain';

/**
 * A crossed dispute-rate threshold as its marker holds it: enough to compose its alert again, with the
 * same id (from `at`), in whichever run finds it not yet queued.
 */
export interface RateCrossing {
  /** When the crossing was seen (Unix ms); the alert's id and "as of". */
  at: number;
  /** The dispute whose event saw it cross. */
  disputeId: string;
  rate: number;
  disputes30d: number;
  payments30d: number;
  /** Its alert is queued: nothing more to do until the rate falls back below. */
  queued: boolean;
}

/**
 * Checks the sent marker and the attempt marker and, if neither is there, records the attempt: one
 * step, so two runs of the same delivery cannot both send.
 * KEYS: sent marker, attempt marker. ARGV: TTL (s).
 */
const BEGIN_ATTEMPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'already_sent' end
local a = redis.call('GET', KEYS[2])
if a == 'sending' then return 'in_doubt' end
if a then return 'uncertain' end
redis.call('SET', KEYS[2], 'sending', 'EX', ARGV[1])
return 'send'
`;

/** Sets the crossing unless one is there; returns what is there now. KEYS: marker. ARGV: crossing JSON. */
const CLAIM_CROSSING = `
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
`;

/** Marks the crossing seen at ARGV[1] (ms) queued, if it is still the one in the marker. */
const MARK_CROSSING_QUEUED = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local ok, c = pcall(cjson.decode, v)
if not ok or type(c) ~= 'table' or c.at ~= tonumber(ARGV[1]) then return 0 end
c.queued = true
redis.call('SET', KEYS[1], cjson.encode(c))
return 1
`;

/**
 * All of the alerts' state in Redis, and the only module that touches it (key names and types in
 * src/redis/keys.ts): the markers that make a delivery happen once, the logs of recent deliveries,
 * and the dispute-rate watch's dispute index, payment counts and crossed thresholds.
 */
export class AlertStore {
  constructor(private readonly redis: Redis) {}

  /** Whether this alert already went to this destination (in the last 90 days). */
  async wasSent(alertId: string, destination: AlertDestination): Promise<boolean> {
    return (await this.redis.exists(alertSentKey(alertId, destination))) > 0;
  }

  /**
   * Before sending an alert to a destination: records the attempt, unless it was sent or an earlier
   * attempt's outcome is unknown (see AttemptStart). The record is what makes a delivery at most once:
   * a run that finds it and no sent marker knows a send may have gone out.
   */
  async beginAttempt(alertId: string, destination: AlertDestination): Promise<AttemptStart> {
    return (await this.redis.eval(
      BEGIN_ATTEMPT,
      2,
      alertSentKey(alertId, destination),
      alertAttemptKey(alertId, destination),
      SENT_MARKER_TTL_S,
    )) as AttemptStart;
  }

  /** The attempt failed before anything reached the receiver (or it refused it): it may be tried again. */
  async attemptFailed(alertId: string, destination: AlertDestination): Promise<void> {
    await this.redis.del(alertAttemptKey(alertId, destination));
  }

  /** Marks the alert sent to the destination and logs the delivery, in one transaction. */
  async recordSent(alert: Alert, destination: AlertDestination, at: Date): Promise<void> {
    await this.logged('sent', alert, destination, at)
      .set(alertSentKey(alert.id, destination), at.toISOString(), 'EX', SENT_MARKER_TTL_S)
      .del(alertAttemptKey(alert.id, destination))
      .exec();
  }

  /**
   * A delivery whose outcome is unknown (the request went out and no answer came back, or the worker
   * died mid-send): it is not tried again, and `GET /api/alerts` lists it with `reason`.
   */
  async recordUncertain(
    alert: Alert,
    destination: AlertDestination,
    reason: string,
    at: Date,
  ): Promise<void> {
    await this.logged('uncertain', alert, destination, at, reason)
      .set(alertAttemptKey(alert.id, destination), 'uncertain', 'EX', SENT_MARKER_TTL_S)
      .exec();
  }

  /** Logs a delivery that failed for good, with the channel's reason. */
  async recordFailure(alert: Alert, destination: AlertDestination, reason: string, at: Date): Promise<void> {
    await this.logged('failed', alert, destination, at, reason).exec();
  }

  /** A transaction that starts by logging the delivery in `list` (the newest KEEP_DELIVERIES). */
  private logged(
    list: keyof typeof DELIVERY_LISTS,
    alert: Alert,
    destination: AlertDestination,
    at: Date,
    reason?: string,
  ) {
    const row: DeliveryRecord = {
      id: alert.id,
      kind: alert.kind,
      destination,
      ...(reason !== undefined ? { reason } : {}),
      at: at.toISOString(),
    };
    const key = DELIVERY_LISTS[list];
    return this.redis
      .multi()
      .lpush(key, JSON.stringify(row))
      .ltrim(key, 0, KEEP_DELIVERIES - 1);
  }

  /** The latest deliveries (at most `limit`), newest first. */
  async recent(which: keyof typeof DELIVERY_LISTS, limit = 200): Promise<DeliveryRecord[]> {
    const rows = await this.redis.lrange(DELIVERY_LISTS[which], 0, limit - 1);
    return rows.map((r) => JSON.parse(r) as DeliveryRecord);
  }

  /** Adds a dispute to its company's index (idempotent), dated `createdAtMs` (Unix ms). */
  async recordDispute(companyId: string, disputeId: string, createdAtMs: number): Promise<void> {
    await this.redis.zadd(companyDisputesKey(companyId), createdAtMs, disputeId);
  }

  /** The company's disputes created at or after `sinceMs` (Unix ms). */
  async disputesSince(companyId: string, sinceMs: number): Promise<number> {
    return this.redis.zcount(companyDisputesKey(companyId), sinceMs, '+inf');
  }

  /** The cached 30-day count of successful payments, or null once the hour it is kept for has passed. */
  async cachedPayments30d(companyId: string): Promise<number | null> {
    const cached = await this.redis.get(companyPayments30dKey(companyId));
    return cached === null ? null : Number(cached);
  }

  async cachePayments30d(companyId: string, count: number): Promise<void> {
    await this.redis.set(companyPayments30dKey(companyId), String(count), 'EX', PAYMENTS_CACHE_S);
  }

  /**
   * Records a dispute-rate threshold crossed, unless a crossing is recorded already; returns the one
   * recorded (this or the earlier). Its alert is queued by whichever run finds it not `queued` — the
   * marker promises the alert rather than suppressing it, so a crash before the alert is queued loses
   * nothing — and the alert's id comes from the recorded `at`, so runs that race queue one alert.
   */
  async claimThresholdCrossing(
    companyId: string,
    threshold: number,
    crossing: Omit<RateCrossing, 'queued'>,
  ): Promise<RateCrossing> {
    const raw = (await this.redis.eval(
      CLAIM_CROSSING,
      1,
      rateThresholdKey(companyId, threshold),
      JSON.stringify({ ...crossing, queued: false }),
    )) as string;
    try {
      const parsed = JSON.parse(raw) as RateCrossing | number;
      if (typeof parsed === 'object' && parsed !== null && typeof parsed.at === 'number') return parsed;
    } catch {
      // Not JSON: fall through.
    }
    // An older version's marker (the bare rate): that crossing was alerted when it was set.
    return { ...crossing, queued: true };
  }

  /** The crossing recorded at `at` (Unix ms) has its alert queued. */
  async markCrossingQueued(companyId: string, threshold: number, at: number): Promise<void> {
    await this.redis.eval(MARK_CROSSING_QUEUED, 1, rateThresholdKey(companyId, threshold), String(at));
  }

  /** The rate fell back below the threshold: the next crossing alerts again. */
  async clearThresholdCrossed(companyId: string, threshold: number): Promise<void> {
    await this.redis.del(rateThresholdKey(companyId, threshold));
  }
}
