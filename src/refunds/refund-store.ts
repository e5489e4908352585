import type { Redis } from 'ioredis';
import {
  refundDailyKey,
  refundDecisionKey,
  refundLockKey,
  refundPendingKey,
  refundsByCompanyKey,
  refundsByPaymentKey,
} from '../redis/keys.js';
import { withRedisLock } from '../redis/redis-lock.js';
import type { RefundedToday } from './decide-refund.js';
import type { RefundDecisionRecord } from './refund-record.js';

/** A daily counter outlives its UTC day by two, for a look back (seconds). */
const DAILY_TTL_S = 3 * 24 * 3600;

/** Another job or request holds this payment's refund lock: try again shortly (a request answers 409). */
export class RefundBusy extends Error {
  readonly code = 'refund_busy';
  constructor(readonly paymentId: string) {
    super(`a refund of payment ${paymentId} is in progress`);
    this.name = 'RefundBusy';
  }
}

/** Redis failed (unreachable, timed out): whatever was asked was not done. */
export class RefundStoreUnavailable extends Error {
  readonly code = 'refund_store_unavailable';
  constructor(cause: unknown) {
    super(`refund store unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'RefundStoreUnavailable';
  }
}

/** Redis errors of a store call become RefundStoreUnavailable, so callers can tell them from others. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new RefundStoreUnavailable(err);
  }
}

/**
 * Stores the decision (and its indexes), and for an auto-refund also reserves it in the company's daily
 * count, only if the cap still allows it, and sets the payment's pending marker: all at once, so two
 * workers deciding at the same moment can never both take the last refund of the day.
 * KEYS: decision, by-company (or '' when no company), by-payment, pending, daily (or '')
 * ARGV: decisionJson, decisionId, scoreMs, capCount ('' = no cap check), amountField, amountMinor,
 *       capAmount ('' = none), dailyTtlS
 * Returns 1, or 0 when the cap is used up (nothing written).
 */
const RESERVE_SCRIPT = `
if KEYS[5] ~= '' and ARGV[4] ~= '' then
  local count = tonumber(redis.call('HGET', KEYS[5], 'count') or '0')
  if count + 1 > tonumber(ARGV[4]) then return 0 end
  if ARGV[7] ~= '' then
    local used = tonumber(redis.call('HGET', KEYS[5], ARGV[5]) or '0')
    if used + tonumber(ARGV[6]) > tonumber(ARGV[7]) then return 0 end
  end
end
if KEYS[5] ~= '' then
  redis.call('HINCRBY', KEYS[5], 'count', 1)
  redis.call('HINCRBY', KEYS[5], ARGV[5], ARGV[6])
  redis.call('EXPIRE', KEYS[5], ARGV[8])
end
redis.call('SET', KEYS[1], ARGV[1])
if KEYS[2] ~= '' then redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2]) end
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
redis.call('SET', KEYS[4], ARGV[2])
return 1
`;

/**
 * Stores an outcome: the decision, the pending marker dropped if it still names this decision, and for
 * an auto-refund that moved no money, its reservation given back to the day it was counted in.
 * KEYS: decision, pending, daily (or '')   ARGV: decisionJson, decisionId, amountField, amountMinor
 */
const FINISH_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1])
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
if KEYS[3] ~= '' and redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HINCRBY', KEYS[3], 'count', -1)
  redis.call('HINCRBY', KEYS[3], ARGV[3], -tonumber(ARGV[4]))
end
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    reserveRefund(...args: (string | number)[]): import('ioredis').Result<number, Context>;
    finishRefund(...args: (string | number)[]): import('ioredis').Result<number, Context>;
  }
}

/** The cap an auto-refund is reserved against (decide-refund.ts checked it; this makes it atomic). */
export interface DailyCap {
  count: number;
  /** Minor units of the refund's currency; undefined: no amount cap for it. */
  amountMinor: number | undefined;
}

/**
 * All of the refunds' state in Redis, and the only module that touches it (key names in
 * src/redis/keys.ts): decision records and their indexes by company and payment, the per-payment
 * attempt marker (`pending`) and lock, and the per-company daily counts the cap is checked against.
 * Every Redis failure is thrown as RefundStoreUnavailable.
 */
export class RefundStore {
  /** How long a payment's lock outlives a crashed holder (it is renewed while held). */
  readonly lockMs: number;

  constructor(
    private readonly redis: Redis,
    options: { lockMs?: number } = {},
  ) {
    this.lockMs = options.lockMs ?? 30_000;
    if (!redis.reserveRefund) {
      redis.defineCommand('reserveRefund', { numberOfKeys: 5, lua: RESERVE_SCRIPT });
      redis.defineCommand('finishRefund', { numberOfKeys: 3, lua: FINISH_SCRIPT });
    }
  }

  async get(id: string): Promise<RefundDecisionRecord | undefined> {
    const raw = await guarded(() => this.redis.get(refundDecisionKey(id)));
    return raw ? (JSON.parse(raw) as RefundDecisionRecord) : undefined;
  }

  async getMany(ids: string[]): Promise<RefundDecisionRecord[]> {
    if (ids.length === 0) return [];
    const raws = await guarded(() => this.redis.mget(...ids.map(refundDecisionKey)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as RefundDecisionRecord);
  }

  /** Runs `fn` holding the payment's refund lock; throws RefundBusy if another job or request holds it. */
  withPaymentLock<T>(paymentId: string, fn: () => Promise<T>): Promise<T> {
    return withRedisLock(
      this.redis,
      refundLockKey(paymentId),
      this.lockMs,
      { busy: () => new RefundBusy(paymentId), unavailable: (err) => new RefundStoreUnavailable(err) },
      fn,
    );
  }

  /** Stores a decision that sends nothing (a skip, a dry run, a refusal), with its indexes. */
  async save(record: RefundDecisionRecord): Promise<void> {
    const score = Date.parse(record.decidedAt);
    const tx = this.redis.multi().set(refundDecisionKey(record.id), JSON.stringify(record));
    if (record.companyId) tx.zadd(refundsByCompanyKey(record.companyId), score, record.id);
    if (record.paymentId) tx.zadd(refundsByPaymentKey(record.paymentId), score, record.id);
    await guarded(() => tx.exec());
  }

  /**
   * Stores the attempt marker (the record with `attempt` set) before the refund call, and marks the
   * payment pending. With `cap` (auto-refunds), the refund is first counted in the company's UTC day
   * and only if `cap` still allows it: returns false when it does not (nothing is stored; decide again
   * with the fresh count).
   */
  async startAttempt(record: RefundDecisionRecord, cap?: DailyCap): Promise<boolean> {
    const { attempt, amount, paymentId } = record;
    if (!attempt || !amount || !paymentId) throw new Error(`decision ${record.id} has no attempt to start`);
    const daily = cap && record.companyId ? refundDailyKey(record.companyId, attempt.day) : '';
    const result = await guarded(() =>
      this.redis.reserveRefund(
        refundDecisionKey(record.id),
        record.companyId ? refundsByCompanyKey(record.companyId) : '',
        refundsByPaymentKey(paymentId),
        refundPendingKey(paymentId),
        daily,
        JSON.stringify(record),
        record.id,
        Date.parse(record.decidedAt),
        cap ? cap.count : '',
        amount.currency,
        amount.minor,
        cap?.amountMinor ?? '',
        DAILY_TTL_S,
      ),
    );
    return result === 1;
  }

  /**
   * Stores the attempt's outcome and drops the payment's pending marker. `release`: the refund moved no
   * money, so an auto-refund's place in its day's count is given back.
   */
  async finishAttempt(record: RefundDecisionRecord, release: boolean): Promise<void> {
    const { attempt, amount, paymentId } = record;
    if (!attempt || !amount || !paymentId) throw new Error(`decision ${record.id} has no attempt to finish`);
    const daily =
      release && record.trigger === 'alert' && record.companyId
        ? refundDailyKey(record.companyId, attempt.day)
        : '';
    await guarded(() =>
      this.redis.finishRefund(
        refundDecisionKey(record.id),
        refundPendingKey(paymentId),
        daily,
        JSON.stringify(record),
        record.id,
        amount.currency,
        amount.minor,
      ),
    );
  }

  /** The decision whose refund call on this payment has no known outcome yet, if any. */
  async pending(paymentId: string): Promise<RefundDecisionRecord | undefined> {
    const id = await guarded(() => this.redis.get(refundPendingKey(paymentId)));
    return id ? this.get(id) : undefined;
  }

  /** The auto-refunds counted for the company in a UTC day (`YYYY-MM-DD`): count and minor units per currency. */
  async refundedToday(companyId: string, day: string): Promise<RefundedToday> {
    const hash = await guarded(() => this.redis.hgetall(refundDailyKey(companyId, day)));
    const amountMinor: Record<string, number> = {};
    for (const [field, value] of Object.entries(hash)) {
      if (field !== 'count') amountMinor[field] = Number(value);
    }
    return { count: Number(hash.count ?? 0), amountMinor };
  }

  /** The company's decisions made at or after `sinceMs` (epoch ms), oldest first. */
  async forCompany(companyId: string, sinceMs = 0): Promise<RefundDecisionRecord[]> {
    const ids = await guarded(() =>
      this.redis.zrangebyscore(refundsByCompanyKey(companyId), sinceMs, '+inf'),
    );
    return this.getMany(ids);
  }

  /** Every decision about the payment, oldest first. */
  async forPayment(paymentId: string): Promise<RefundDecisionRecord[]> {
    return this.getMany(await guarded(() => this.redis.zrange(refundsByPaymentKey(paymentId), '0', '-1')));
  }
}
