import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../test/support/redis-server.js';
import { evictionProblem, inspectRedis, parseInfo } from './redis-checks.js';

describe('evictionProblem', () => {
  it('accepts only noeviction', () => {
    expect(evictionProblem('noeviction')).toBeNull();
    for (const p of ['allkeys-lru', 'volatile-lru', 'allkeys-lfu', 'volatile-ttl', 'allkeys-random']) {
      expect(evictionProblem(p)).toContain(`maxmemory-policy is ${p}`);
    }
    expect(evictionProblem(null)).toContain('did not report');
  });
});

describe('parseInfo', () => {
  it('reads field:value lines and skips section headers', () => {
    expect(parseInfo('# Memory\r\nused_memory:1024\r\nmaxmemory_policy:noeviction\r\n')).toEqual({
      used_memory: '1024',
      maxmemory_policy: 'noeviction',
    });
  });
});

describe('inspectRedis against a real Redis', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>;
  let redis: Redis;
  beforeAll(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url, { maxRetriesPerRequest: 0 });
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.close();
  });

  it('reports reachable, writable, the eviction policy and memory', async () => {
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    const r = await inspectRedis(redis);
    expect(r).toMatchObject({ reachable: true, writable: true, evictionPolicy: 'noeviction', error: null });
    expect(r.usedMemoryBytes).toBeGreaterThan(0);
    expect(r.version).toMatch(/^\d+\./);
    expect(await redis.keys('da:probe:*')).toEqual([]);
  });

  it('sees an unsafe eviction policy', async () => {
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    expect((await inspectRedis(redis)).evictionPolicy).toBe('allkeys-lru');
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
  });

  it('reports a full Redis under noeviction as not writable', async () => {
    await redis.config('SET', 'maxmemory', '1');
    try {
      const r = await inspectRedis(redis);
      expect(r.reachable).toBe(true);
      expect(r.writable).toBe(false);
      expect(r.error).toMatch(/OOM/);
    } finally {
      await redis.config('SET', 'maxmemory', '0');
    }
  });

  it('reports an unreachable Redis without throwing', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const r = await inspectRedis(dead);
    expect(r).toMatchObject({ reachable: false, writable: false });
    expect(r.error).toBeTruthy();
    dead.disconnect();
  });
});
