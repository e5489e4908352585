import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * Runs `fn` holding the lock at `key` (a random token, SET NX PX `lockMs`), or throws `errors.busy()`
 * when another holder has it, and `errors.unavailable(err)` (default: `err`) when Redis fails to take
 * it. The lock is renewed every `lockMs / 3` while `fn` runs, so it can be short: a crashed holder's
 * lock lapses within `lockMs`. Released only if still ours (if it lapsed while Redis was unreachable,
 * another holder may have it now); a failed release is left to lapse, never hiding `fn`'s result.
 */
export async function withRedisLock<T>(
  redis: Redis,
  key: string,
  lockMs: number,
  errors: { busy: () => Error; unavailable?: (err: unknown) => Error },
  fn: () => Promise<T>,
): Promise<T> {
  const token = randomUUID();
  let ok: string | null;
  try {
    ok = await redis.set(key, token, 'PX', lockMs, 'NX');
  } catch (err) {
    throw errors.unavailable ? errors.unavailable(err) : err;
  }
  if (!ok) throw errors.busy();
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
