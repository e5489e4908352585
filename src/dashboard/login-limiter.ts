import type { Redis } from 'ioredis';
import { loginFailuresKey } from '../redis/keys.js';

/**
 * Failed dashboard logins per client address, in Redis so every server process counts together: after
 * `maxFailures` in a window of `windowMs` (from the first failure), logins from that address are refused
 * until the window ends. Guessing a 16+ character ADMIN_TOKEN is hopeless anyway; this keeps a script
 * from trying, and keeps the log quiet.
 */
export class LoginLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;

  constructor(
    private readonly redis: Redis,
    options: { maxFailures?: number; windowMs?: number } = {},
  ) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 15 * 60_000;
  }

  /** How long (ms) this address must wait before trying again; 0 when it may try now. */
  async waitMs(ip: string): Promise<number> {
    const [count, ttl] = await Promise.all([
      this.redis.get(loginFailuresKey(ip)),
      this.redis.pttl(loginFailuresKey(ip)),
    ]);
    if (Number(count ?? 0) < this.maxFailures) return 0;
    return Math.max(ttl, 1000);
  }

  /** Counts a failure; the window starts with the first one (SET NX, then INCR: any Redis version). */
  async recordFailure(ip: string): Promise<void> {
    await this.redis
      .multi()
      .set(loginFailuresKey(ip), 0, 'PX', this.windowMs, 'NX')
      .incr(loginFailuresKey(ip))
      .exec();
  }

  /** A good login clears the address's failures. */
  async reset(ip: string): Promise<void> {
    await this.redis.del(loginFailuresKey(ip));
  }
}
