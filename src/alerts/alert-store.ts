import type { Redis } from 'ioredis';
import {
  ALERTS_FAILED,
  ALERTS_SENT,
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
/** A company's 30-day count of successful payments is re-read from Whop at most once an hour (seconds). */
const PAYMENTS_CACHE_S = 3600;

/** One delivery as `GET /api/alerts` lists it. `at`: ISO 8601, UTC. */
export interface DeliveryRecord {
  id: string;
  kind: AlertKind;
  destination: AlertDestination;
  /** Only on a delivery that failed for good: the channel's error. */
  reason?: string;
  at: string;
}

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

  /** Marks the alert sent to the destination and logs the delivery, in one transaction. */
  async recordSent(alert: Alert, destination: AlertDestination, at: Date): Promise<void> {
    const row: DeliveryRecord = { id: alert.id, kind: alert.kind, destination, at: at.toISOString() };
    await this.redis
      .multi()
      .set(alertSentKey(alert.id, destination), at.toISOString(), 'EX', SENT_MARKER_TTL_S)
      .lpush(ALERTS_SENT, JSON.stringify(row))
      .ltrim(ALERTS_SENT, 0, KEEP_DELIVERIES - 1)
      .exec();
  }

  /** Logs a delivery that failed for good, with the channel's reason. */
  async recordFailure(alert: Alert, destination: AlertDestination, reason: string, at: Date): Promise<void> {
    const row: DeliveryRecord = {
      id: alert.id,
      kind: alert.kind,
      destination,
      reason,
      at: at.toISOString(),
    };
    await this.redis
      .multi()
      .lpush(ALERTS_FAILED, JSON.stringify(row))
      .ltrim(ALERTS_FAILED, 0, KEEP_DELIVERIES - 1)
      .exec();
  }

  /** The latest deliveries (at most `limit`), newest first. */
  async recent(which: 'sent' | 'failed', limit = 200): Promise<DeliveryRecord[]> {
    const rows = await this.redis.lrange(which === 'sent' ? ALERTS_SENT : ALERTS_FAILED, 0, limit - 1);
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
   * Marks a dispute-rate threshold crossed; true only for the caller that marked it (atomic), so each
   * crossing alerts once however many workers see it.
   */
  async markThresholdCrossed(companyId: string, threshold: number, rate: number): Promise<boolean> {
    return (await this.redis.set(rateThresholdKey(companyId, threshold), String(rate), 'NX')) !== null;
  }

  /** The rate fell back below the threshold: the next crossing alerts again. */
  async clearThresholdCrossed(companyId: string, threshold: number): Promise<void> {
    await this.redis.del(rateThresholdKey(companyId, threshold));
  }
}
