import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../test/support/redis-server.js';
import { RateLimiter } from './rate-limiter.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.close();
});

describe('RateLimiter', () => {
  it('shares one budget between processes: a second of burst, then pacing', async () => {
    // Two connections stand for two worker processes.
    const a = new Redis(redis.url);
    const b = new Redis(redis.url);
    const perSecond = 10;
    // Constructing a limiter installs its script on the connection; the calls below use the script
    // directly so each answer (granted, or how long to wait) can be seen.
    new RateLimiter(a, perSecond, 'test:shared');
    new RateLimiter(b, perSecond, 'test:shared');
    // Ask both, alternating, far faster than the rate: only a second's worth is granted at once.
    const waits: number[] = [];
    for (let i = 0; i < 30; i++) {
      const which = i % 2 ? b : a;
      waits.push(
        Number(await which.acquireRateSlot('test:shared', 1000 / perSecond, 1000 - 1000 / perSecond)),
      );
    }
    const granted = waits.filter((w) => w === 0).length;
    expect(granted).toBeGreaterThanOrEqual(perSecond - 1);
    expect(granted).toBeLessThanOrEqual(perSecond + 1);
    // Refusals say how long to wait: never more than one interval past the burst.
    for (const w of waits.filter((w) => w > 0)) expect(w).toBeLessThanOrEqual(1000 / perSecond + 1);
    a.disconnect();
    b.disconnect();
  });

  it('acquire() waits for a slot instead of failing', async () => {
    const r = new Redis(redis.url);
    const limiter = new RateLimiter(r, 50, 'test:wait');
    for (let i = 0; i < 120; i++) await limiter.acquire();
    // 120 calls at 50/s with a one-second burst: the limiter must have made us wait for about 70 of them;
    // the key now holds a theoretical arrival time in the future.
    const tat = Number(await r.get('test:wait'));
    const [sec, usec] = (await r.time()).map(Number) as [number, number];
    const now = sec * 1000 + Math.floor(usec / 1000);
    expect(tat).toBeGreaterThan(now);
    r.disconnect();
  });

  it('refuses a non-positive rate', () => {
    const r = new Redis(redis.url, { lazyConnect: true });
    expect(() => new RateLimiter(r, 0)).toThrow(/positive/);
    r.disconnect();
  });
});
