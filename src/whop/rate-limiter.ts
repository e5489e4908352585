import type { Redis } from 'ioredis';
import { WHOP_RATE_LIMIT } from '../redis/keys.js';

/**
 * GCRA (a leaky bucket kept as one timestamp) in Redis, so every worker process shares one budget of
 * calls to Whop. Returns 0 when a call may go now, else how many ms to wait. Redis' clock is used so
 * processes on different machines agree.
 */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - burst - now
if wait > 0 then return wait end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(tat + interval - now + 1000))
return 0
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    acquireRateSlot(
      key: string,
      intervalMs: number,
      burstMs: number,
    ): import('ioredis').Result<number, Context>;
  }
}

export class RateLimiter {
  private readonly intervalMs: number;
  private readonly burstMs: number;

  constructor(
    private readonly redis: Redis,
    requestsPerSecond: number,
    private readonly key = WHOP_RATE_LIMIT,
  ) {
    if (!(requestsPerSecond > 0)) throw new Error('requestsPerSecond must be positive');
    this.intervalMs = 1000 / requestsPerSecond;
    // Allow up to one second's worth at once, then pace.
    this.burstMs = 1000 - this.intervalMs;
    if (!redis.acquireRateSlot)
      redis.defineCommand('acquireRateSlot', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
  }

  /** Waits until a call may be made. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = Number(await this.redis.acquireRateSlot(this.key, this.intervalMs, this.burstMs));
      if (wait <= 0) return;
      if (signal?.aborted) throw signal.reason;
      await new Promise((r) => setTimeout(r, Math.min(wait, 1000)));
    }
  }
}
