import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * Runs `fn` holding the lock at `key` (a random token, SET NX PX `lockMs`), or returns `busy()`'s error
 * thrown when another holder has it. The lock is renewed every `lockMs / 3` while `fn` runs, so it can
 * be short: a crashed holder's lock lapses within `lockMs`. Released only if still ours (if it lapsed
 * while Redis was unreachable, another holder may have it now). Redis errors propagate.
 */
export async function withRedisLock<T>(
  redis: Redis,
  key: string,
  lockMs: number,
  busy: () => Error,
  fn: () => Promise<T>,
): Promise<T> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', lockMs, 'NX');
  if (!ok) throw busy();
  const renew = setInterval(() => {
    redis.eval(RENEW, 1, key, token, lockMs).catch(() => {});
  }, lockMs / 3);
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await redis.eval(RELEASE, 1, key, token).catch(() => {});
  }
}
