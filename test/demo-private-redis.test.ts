/**
 * The demo's private Redis starts empty each run (demo/private-redis.ts): the simulator is new each
 * run, so a previous run's cases would be past due, under a company it does not know, and fail for good.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../demo/private-redis.js';

describe("the demo's private Redis", () => {
  const dir = mkdtempSync(join(tmpdir(), 'da-demo-redis-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('does not keep what a previous run in the same data directory wrote', async () => {
    const first = await startPrivateRedis(join(dir, 'redis'));
    const a = new Redis(first.url);
    await a.set('da:left-by-the-last-run', '1');
    // As the append-only file holds it when the demo is stopped.
    await a.call('BGREWRITEAOF');
    for (let i = 0; i < 100 && (await a.info('persistence')).includes('aof_rewrite_in_progress:1'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    a.disconnect();
    await first.stop();

    const second = await startPrivateRedis(join(dir, 'redis'));
    const b = new Redis(second.url);
    try {
      expect(await b.dbsize()).toBe(0);
    } finally {
      b.disconnect();
      await second.stop();
    }
  });
});
