import type { Redis } from 'ioredis';
import {
  ALERTS_FAILED,
  ALERTS_SENT,
  ALERTS_UNCERTAIN,
  alertAttemptKey,
  alertSentKey,
  companyActivityKey,
  companyDisputesKey,
  companyPayments30dKey,
  digestLastKey,
  openingKey,
  rateDayKey,
  rateThresholdKey,
} from '../redis/keys.js';
import type { Alert, AlertKind } from './alert.js';
import type { AlertDestination } from './alerts-queue.js';
import type { ActivityEntry } from './compose-digest.js';

/** A sent marker outlives any retry or replay of the same alert (90 days, in seconds). */
const SENT_MARKER_TTL_S = 90 * 24 * 3600;
/** How many deliveries, sent and failed each, are kept for `GET /api/alerts`. */
const KEEP_DELIVERIES = 1000;
/** The delivery logs `GET /api/alerts` shows. */
const DELIVERY_LISTS = { sent: ALERTS_SENT, failed: ALERTS_FAILED, uncertain: ALERTS_UNCERTAIN } as const;
/** A company's 30-day count of successful payments is re-read from Whop at most once an hour (seconds). */
const PAYMENTS_CACHE_S = 3600;
/** A day's rate-message marker outlives its UTC day (seconds). */
const RATE_DAY_TTL_S = 2 * 24 * 3600;
/** The digest looks back at most this far (ms); older activity is trimmed. */
const ACTIVITY_KEEP_MS = 35 * 24 * 3600 * 1000;

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
 * The day's one dispute-rate message as its marker holds it: enough to compose it again, with the same
 * id (from `at`), in whichever run finds it not yet queued.
 */
export interface RateCrossing {
  /** The highest threshold the rate reached: the level the message names. */
  level: number;
  /** When the crossing was seen (Unix ms); the alert's id and "as of". */
  at: number;
  /** The dispute whose event saw it cross. */
  disputeId: string;
  rate: number;
  disputes30d: number;
  payments30d: number;
  /** Its alert is queued and its level announced: nothing more to do that day. */
  queued: boolean;
}

/**
 * Whether a new opening message carries the evidence staged while it waited (a dispute), or the
 * auto-refund decision made while it waited (a dispute alert: `with_refund`).
 */
export type OpeningClaim = 'with_evidence' | 'without_evidence' | 'with_refund';

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

/**
 * Sets the crossing unless one is there; returns what is there now. KEYS: marker. ARGV: crossing JSON,
 * TTL (s).
 */
const CLAIM_CROSSING = `
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return ARGV[1]
`;

/** Marks the crossing seen at ARGV[1] (ms) queued, if it is still the one in the marker. */
const MARK_CROSSING_QUEUED = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local ok, c = pcall(cjson.decode, v)
if not ok or type(c) ~= 'table' or c.at ~= tonumber(ARGV[1]) then return 0 end
c.queued = true
redis.call('SET', KEYS[1], cjson.encode(c), 'KEEPTTL')
return 1
`;

/**
 * An opening job was queued (ARGV[1]: its alert id): evidence staged from now on waits for it, unless
 * that opening already went out. KEYS: opening hash. ARGV: opening id, TTL (s).
 */
const MARK_OPENING_PENDING = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local s = redis.call('HGET', KEYS[1], 'state')
if s ~= 'evidence_waiting' and s ~= 'refund_waiting' then
  redis.call('HSET', KEYS[1], 'state', 'pending')
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * The opening ARGV[1] goes out now: with the evidence when it was staged while the opening waited. The
 * first answer is kept, so a retry composes the same message. Records when the opening for the due date
 * ARGV[2] (ms, or '') went out (ARGV[3], ms), once. KEYS: opening hash. ARGV: id, due ms, now ms, TTL (s).
 */
const CLAIM_OPENING = `
local done = redis.call('HGET', KEYS[1], ARGV[1])
if done then return done end
local r = 'without_evidence'
local s = redis.call('HGET', KEYS[1], 'state')
if s == 'evidence_waiting' then r = 'with_evidence' end
if s == 'refund_waiting' then r = 'with_refund' end
redis.call('HSET', KEYS[1], ARGV[1], r, 'state', 'opened')
if ARGV[2] ~= '' then redis.call('HSETNX', KEYS[1], 'covered:' .. ARGV[2], ARGV[3]) end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return r
`;

/**
 * Evidence was staged or submitted: 'folded' when an opening message is still to come (it carries the
 * evidence), else 'send'. Repeatable: the same answer until the opening goes out. KEYS: opening hash.
 */
const EVIDENCE_READY = `
local s = redis.call('HGET', KEYS[1], 'state')
if s == 'pending' or s == 'evidence_waiting' then
  redis.call('HSET', KEYS[1], 'state', 'evidence_waiting')
  return 'folded'
end
return 'send'
`;

/**
 * A dispute alert's refund decision (or outcome) has an alert ARGV[1]: 'folded' when the alert's opening
 * message is still to come (it carries the decision; state `refund_waiting`), else 'send'. No state yet
 * also folds: every alert auto-refund decides has an opening job (both come from the same event, neither
 * for a backfill), and the refunds worker may decide before the alerts worker marks it pending. The
 * answer is recorded per refund alert (`refund:<id>`), so a retry gets it again — also after the opening
 * went out, when a first 'folded' must not become a second message. KEYS: opening hash. ARGV: refund
 * alert id, TTL (s).
 */
const REFUND_READY = `
local f = 'refund:' .. ARGV[1]
local done = redis.call('HGET', KEYS[1], f)
if done then return done end
local s = redis.call('HGET', KEYS[1], 'state')
if not s or s == 'pending' or s == 'refund_waiting' then
  redis.call('HSET', KEYS[1], 'state', 'refund_waiting', f, 'folded')
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 'folded'
end
redis.call('HSET', KEYS[1], f, 'send')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 'send'
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

  /**
   * The cached 30-day count with when it was counted (ISO, from the key's remaining time to live), or
   * null: what the insights page shows, so a reader knows payments since then are not in it.
   */
  async cachedPayments30dAt(
    companyId: string,
    now: Date,
  ): Promise<{ count: number; countedAt: string } | null> {
    const key = companyPayments30dKey(companyId);
    const [[, cached], [, pttl]] = (await this.redis.multi().get(key).pttl(key).exec()) as [
      [unknown, string | null],
      [unknown, number],
    ];
    if (cached === null || pttl < 0) return null;
    const countedAt = new Date(now.getTime() - (PAYMENTS_CACHE_S * 1000 - pttl));
    return { count: Number(cached), countedAt: countedAt.toISOString() };
  }

  async cachePayments30d(companyId: string, count: number): Promise<void> {
    await this.redis.set(companyPayments30dKey(companyId), String(count), 'EX', PAYMENTS_CACHE_S);
  }

  /**
   * Records the company's dispute-rate message for the UTC `day` (YYYY-MM-DD), unless one is recorded
   * for that day already; returns the one recorded (this or the earlier). Its alert is queued by
   * whichever run finds it not `queued` — the marker promises the alert rather than suppressing it, so a
   * crash before the alert is queued loses nothing — and the alert's id comes from the recorded `at`,
   * so runs that race queue one alert.
   */
  async claimRateDay(
    companyId: string,
    day: string,
    crossing: Omit<RateCrossing, 'queued'>,
  ): Promise<RateCrossing> {
    const raw = (await this.redis.eval(
      CLAIM_CROSSING,
      1,
      rateDayKey(companyId, day),
      JSON.stringify({ ...crossing, queued: false }),
      RATE_DAY_TTL_S,
    )) as string;
    return JSON.parse(raw) as RateCrossing;
  }

  /** The day's rate message recorded at `at` (Unix ms) is queued and its level announced. */
  async markRateDayQueued(companyId: string, day: string, at: number): Promise<void> {
    await this.redis.eval(MARK_CROSSING_QUEUED, 1, rateDayKey(companyId, day), String(at));
  }

  /** Whether a message already named this dispute-rate level (or a higher one) since the rate last fell below it. */
  async levelAnnounced(companyId: string, threshold: number): Promise<boolean> {
    return (await this.redis.exists(rateThresholdKey(companyId, threshold))) > 0;
  }

  /** A message named `levels`' highest: each of them (and every lower one) counts as announced. */
  async announceLevels(companyId: string, levels: readonly number[]): Promise<void> {
    if (levels.length === 0) return;
    const multi = this.redis.multi();
    for (const t of levels) multi.set(rateThresholdKey(companyId, t), '1');
    await multi.exec();
  }

  /** The rate fell back below the threshold: the next crossing alerts again. */
  async clearThresholdCrossed(companyId: string, threshold: number): Promise<void> {
    await this.redis.del(rateThresholdKey(companyId, threshold));
  }

  /**
   * An opening job for `openingId` is queued: evidence staged before it goes out is folded into it (see
   * `evidenceStaged`). Nothing changes once that opening went out.
   */
  async markOpeningPending(caseId: string, openingId: string): Promise<void> {
    await this.redis.eval(MARK_OPENING_PENDING, 1, openingKey(caseId), openingId, SENT_MARKER_TTL_S);
  }

  /**
   * The opening `openingId` is composed now (`nowMs`): whether it carries the evidence staged while it
   * waited. The same answer on every call. Records that the opening covers the reminders of `dueAt`
   * already passed at `nowMs`.
   */
  async claimOpening(
    caseId: string,
    openingId: string,
    dueAt: string | null,
    nowMs: number,
  ): Promise<OpeningClaim> {
    const due = dueAt ? Date.parse(dueAt) : Number.NaN;
    return (await this.redis.eval(
      CLAIM_OPENING,
      1,
      openingKey(caseId),
      openingId,
      Number.isFinite(due) ? String(due) : '',
      String(nowMs),
      SENT_MARKER_TTL_S,
    )) as OpeningClaim;
  }

  /**
   * Evidence was staged or submitted: `folded` when an opening still to go out will carry it, else
   * `send` its own alert.
   */
  async evidenceReady(caseId: string): Promise<'folded' | 'send'> {
    return (await this.redis.eval(EVIDENCE_READY, 1, openingKey(caseId))) as 'folded' | 'send';
  }

  /**
   * A dispute alert's refund decision has the alert `refundAlertId`: `folded` when the alert's opening
   * message, still to go out, will carry it (the same answer on every call), else `send` its own alert.
   */
  async refundReady(caseId: string, refundAlertId: string): Promise<'folded' | 'send'> {
    return (await this.redis.eval(REFUND_READY, 1, openingKey(caseId), refundAlertId, SENT_MARKER_TTL_S)) as
      | 'folded'
      | 'send';
  }

  /** When the opening message for this due date went out (Unix ms), or null: reminders passed by then are covered. */
  async openingCovered(caseId: string, dueAt: string): Promise<number | null> {
    const due = Date.parse(dueAt);
    if (!Number.isFinite(due)) return null;
    const v = await this.redis.hget(openingKey(caseId), `covered:${due}`);
    return v === null ? null : Number(v);
  }

  /** Whether an opening job for the case is still waiting to go out. */
  async openingPending(caseId: string): Promise<boolean> {
    const s = await this.redis.hget(openingKey(caseId), 'state');
    return s === 'pending' || s === 'evidence_waiting' || s === 'refund_waiting';
  }

  /** Records something for the company's digest (idempotent: the same entry is one member). */
  async recordActivity(companyId: string, entry: ActivityEntry): Promise<void> {
    const at = Date.parse(entry.at);
    await this.redis
      .multi()
      .zadd(companyActivityKey(companyId), at, JSON.stringify(entry))
      .zremrangebyscore(companyActivityKey(companyId), '-inf', `(${at - ACTIVITY_KEEP_MS}`)
      .exec();
  }

  /** The company's activity after `sinceMs` (exclusive) up to `untilMs` (inclusive), oldest first. */
  async activityBetween(companyId: string, sinceMs: number, untilMs: number): Promise<ActivityEntry[]> {
    const rows = await this.redis.zrangebyscore(companyActivityKey(companyId), `(${sinceMs}`, untilMs);
    return rows.map((r) => JSON.parse(r) as ActivityEntry);
  }

  /** When the company's last digest was composed (Unix ms), or null. */
  async lastDigestAt(companyId: string): Promise<number | null> {
    const v = await this.redis.get(digestLastKey(companyId));
    return v === null ? null : Number(v);
  }

  async setLastDigestAt(companyId: string, atMs: number): Promise<void> {
    await this.redis.set(digestLastKey(companyId), String(atMs));
  }
}
