import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS_PROBE_PREFIX, REDIS_WRITE_PROBE } from './keys.js';

/**
 * What an operator needs to know about the Redis the service runs on. Redis is the queue and the store:
 * an evicted key is a lost event or a repeated action, and a Redis that refuses writes (full under
 * `noeviction`) takes no webhook.
 */
export interface RedisInspection {
  reachable: boolean;
  /** A probe key could be written (false when Redis is full under `noeviction`, read-only, …). */
  writable: boolean;
  /** `maxmemory_policy` from `INFO memory`; null when Redis did not say. */
  evictionPolicy: string | null;
  /** Bytes; null when unknown. `maxMemoryBytes` 0 means no limit. */
  usedMemoryBytes: number | null;
  maxMemoryBytes: number | null;
  version: string | null;
  /** Why a check failed, in Redis's words. */
  error: string | null;
}

/** The only eviction policy under which Redis never drops the queue's or the store's keys. */
export const SAFE_EVICTION_POLICY = 'noeviction';

/**
 * Why an eviction policy is unsafe for this service, or null when it is safe. Any policy but
 * `noeviction` lets Redis delete keys under memory pressure (Redis docs, "Key eviction"); BullMQ
 * requires `noeviction` too (its docs, "Going to production").
 */
export function evictionProblem(policy: string | null): string | null {
  if (policy === null) return 'Redis did not report its maxmemory-policy; make sure it is noeviction';
  if (policy === SAFE_EVICTION_POLICY) return null;
  return `Redis maxmemory-policy is ${policy}: under memory pressure Redis deletes keys (queued jobs, dedupe markers, case records); set it to noeviction`;
}

/** Reads `field:value` lines of an `INFO` section. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * Inspects Redis: PING, a short-lived probe write (`SET <prefix><uuid> 1 PX 10000`, then `DEL`), and
 * `INFO server` / `INFO memory` (not `CONFIG GET`, which managed Redis services often disable).
 * Never throws: each failure is reported in the result.
 */
export async function inspectRedis(redis: Redis, probePrefix = REDIS_PROBE_PREFIX): Promise<RedisInspection> {
  const result: RedisInspection = {
    reachable: false,
    writable: false,
    evictionPolicy: null,
    usedMemoryBytes: null,
    maxMemoryBytes: null,
    version: null,
    error: null,
  };
  try {
    await redis.ping();
    result.reachable = true;
  } catch (err) {
    result.error = (err as Error).message;
    return result;
  }
  try {
    const info = parseInfo(`${await redis.info('server')}\n${await redis.info('memory')}`);
    result.version = info.redis_version ?? null;
    result.evictionPolicy = info.maxmemory_policy ?? null;
    const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);
    result.usedMemoryBytes = num(info.used_memory);
    result.maxMemoryBytes = num(info.maxmemory);
  } catch (err) {
    result.error = (err as Error).message;
  }
  const probe = `${probePrefix}${randomUUID()}`;
  try {
    await redis.set(probe, '1', 'PX', 10_000);
    result.writable = true;
    await redis.del(probe).catch(() => undefined);
  } catch (err) {
    result.error = (err as Error).message;
  }
  return result;
}

/**
 * One cheap write that proves Redis takes writes: `SET <key> <now> PX 10000` on a fixed key. Resolves to
 * null when it did, else Redis's (or the connection's) error message: `OOM command not allowed…` when
 * Redis is full under `noeviction`, `READONLY…` on a replica, a timeout when it hangs. Never throws.
 */
export async function probeWrite(redis: Redis, key = REDIS_WRITE_PROBE): Promise<string | null> {
  try {
    await redis.set(key, String(Date.now()), 'PX', 10_000);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
