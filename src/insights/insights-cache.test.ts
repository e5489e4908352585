import { describe, expect, it } from 'vitest';
import { InsightsCache } from './insights-cache.js';
import type { Insights } from './load-insights.js';

const picture = (n: number) => ({ disputes: n }) as Insights;

describe('InsightsCache', () => {
  it('computes once per max age, shares a computation in flight, and retries after a failure', async () => {
    let clock = 0;
    let calls = 0;
    let fail = false;
    const cache = new InsightsCache(
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 5));
        if (fail) throw new Error('redis down');
        return picture(calls);
      },
      60_000,
      () => clock,
    );
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    clock = 59_999;
    expect((await cache.get()).disputes).toBe(1);
    clock = 60_000;
    expect((await cache.get()).disputes).toBe(2);
    clock = 200_000;
    fail = true;
    await expect(cache.get()).rejects.toThrow('redis down');
    fail = false;
    expect((await cache.get()).disputes).toBe(4);
  });
});
