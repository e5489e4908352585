import type { Redis } from 'ioredis';
import type { Logger } from '../logger/logger.js';
import { waitUntilReady } from './connection.js';
import { evictionProblem, inspectRedis } from './redis-checks.js';

/** What the start-up guard concluded about the Redis the service runs on. */
export type EvictionVerdict =
  | { kind: 'safe' }
  /** Redis reported a policy under which it deletes keys. */
  | { kind: 'unsafe'; problem: string }
  /** Redis did not say (INFO restricted, or it could not be read): started, with a warning. */
  | { kind: 'unknown'; why: string };

/** Asks Redis for its `maxmemory-policy` (via `inspectRedis`, read from INFO) and judges it. Never throws. */
export async function evictionVerdict(redis: Redis): Promise<EvictionVerdict> {
  const inspection = await inspectRedis(redis);
  if (inspection.evictionPolicy === null) {
    return { kind: 'unknown', why: inspection.error ?? evictionProblem(null)! };
  }
  const problem = evictionProblem(inspection.evictionPolicy);
  return problem ? { kind: 'unsafe', problem } : { kind: 'safe' };
}

/**
 * The start-up guard: a Redis whose `maxmemory-policy` lets it evict keys can drop a dedupe marker (a
 * redelivery processed twice) or a queued job (an event lost), and only BullMQ's console warning would
 * say so. Such a Redis is refused — `refuse` is called with one line naming the problem and the
 * override — unless `allow` (ALLOW_REDIS_EVICTION=true), which logs a warning instead. A Redis that does
 * not answer within `waitMs` is checked once it does (the service starts and answers 503 meanwhile).
 * Uses a connection of its own, closed once the check ran.
 */
export async function guardEviction(options: {
  connect: () => Redis;
  allow: boolean;
  log: Logger;
  refuse: (line: string) => void;
  waitMs?: number;
}): Promise<void> {
  const { allow, log, refuse } = options;
  const redis = options.connect();
  // Connection errors are the roles' own connections' to report.
  redis.on('error', () => {});
  const check = async () => {
    const verdict = await evictionVerdict(redis);
    redis.disconnect();
    if (verdict.kind === 'unknown') {
      log.warn({ why: verdict.why }, 'could not read Redis maxmemory-policy; make sure it is noeviction');
    } else if (verdict.kind === 'unsafe') {
      if (allow)
        log.warn(
          { problem: verdict.problem },
          'Redis may evict keys; running anyway (ALLOW_REDIS_EVICTION=true)',
        );
      else refuse(`${verdict.problem} (or set ALLOW_REDIS_EVICTION=true to run anyway)`);
    }
  };
  if (await waitUntilReady(redis, options.waitMs ?? 2000)) return check();
  log.warn('redis not reachable yet; its maxmemory-policy is checked once it answers');
  redis.once('ready', () => void check());
}
