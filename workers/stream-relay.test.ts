import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger/logger.js';
import type { QueuedJob } from '../src/redis/job-options.js';
import { useTestRedis } from '../test/support/test-redis.js';
import { StreamRelay } from './stream-relay.js';

type Entry = { id: string; skip?: boolean };
type Data = { entryId: string };

const redis = useTestRedis();
let admin: Redis;
/** The relay's own connection: XREADGROUP blocks it. */
let relayRedis: Redis;
let queue: Queue<Data>;

beforeAll(() => {
  admin = redis.client;
  relayRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
  queue = new Queue<Data>('relay-test', { connection: admin });
});
afterAll(async () => {
  await queue?.close();
  relayRedis?.disconnect();
});

const jobFor = (e: Entry): QueuedJob<Data> | null => {
  if (e.skip) return null;
  if (e.id === 'boom') throw new Error('cannot make a job of this');
  return { name: 'relayed', data: { entryId: e.id }, opts: { jobId: `job_${e.id}` } };
};

/** Adds the entries, runs a relay until its group has read and acknowledged all of them, stops it. */
async function relayAll(stream: string, payloads: string[], deleteAfter: boolean) {
  let last = '';
  for (const p of payloads) last = (await admin.xadd(stream, '*', 'e', p))!;
  const relay = new StreamRelay<Entry, Data>(relayRedis, {
    stream,
    group: 'test',
    queue,
    jobFor,
    deleteAfter,
    log: createLogger('silent'),
    blockMs: 20,
  });
  await relay.start();
  const done = async () => {
    const [group] = (await admin.xinfo('GROUPS', stream)) as unknown[][];
    const field = (name: string) => group![group!.indexOf(name) + 1];
    return field('last-delivered-id') === last && field('pending') === 0;
  };
  await expect.poll(done, { timeout: 5000 }).toBe(true);
  await relay.stop();
}

describe('StreamRelay', () => {
  it('turns each entry into its job, once however often it appears, and deletes what it relayed when asked', async () => {
    await relayAll(
      'da:test-inbox',
      [JSON.stringify({ id: 'a' }), JSON.stringify({ id: 'b' }), JSON.stringify({ id: 'a' })],
      true,
    );
    const jobs = await queue.getJobs(['waiting']);
    expect(jobs.map((j) => j.id).sort()).toEqual(['job_a', 'job_b']);
    expect(jobs.map((j) => j.data.entryId).sort()).toEqual(['a', 'b']);
    expect(await admin.xlen('da:test-inbox')).toBe(0);
    expect(await admin.exists('da:test-inbox:dead')).toBe(0);
  });

  it('keeps entries for other groups, and skips those its jobFor declines', async () => {
    await relayAll(
      'da:test-events',
      [JSON.stringify({ id: 'a' }), JSON.stringify({ id: 'c', skip: true })],
      false,
    );
    expect((await queue.getJobs(['waiting'])).map((j) => j.id)).toEqual(['job_a']);
    expect(await admin.xlen('da:test-events')).toBe(2);
    expect(await admin.exists('da:test-events:dead')).toBe(0);
  });

  it('parks an entry that does not parse, or that jobFor throws on, in <stream>:dead and goes on', async () => {
    await relayAll(
      'da:test-bad',
      ['{not json', JSON.stringify({ id: 'boom' }), JSON.stringify({ id: 'after' })],
      true,
    );
    expect((await queue.getJobs(['waiting'])).map((j) => j.id)).toEqual(['job_after']);
    const dead = await admin.xrange('da:test-bad:dead', '-', '+');
    expect(dead.map(([, fields]) => fields[fields.indexOf('e') + 1])).toEqual([
      '{not json',
      JSON.stringify({ id: 'boom' }),
    ]);
    expect(await admin.xlen('da:test-bad')).toBe(0);
  });
});
