import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger/logger.js';
import type { QueuedJob } from '../src/redis/job-options.js';
import { useTestRedis } from '../test/support/test-redis.js';
import { StreamRelay } from './stream-relay.js';

type Entry = { id: string; skip?: boolean; deep?: unknown };
type Data = { entryId: string; deep?: unknown };

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
  return { name: 'relayed', data: { entryId: e.id, deep: e.deep }, opts: { jobId: `job_${e.id}` } };
};

/** An entry whose job data nests `levels` deep, as text: JSON.parse takes it, JSON.stringify throws. */
const deepEntry = (id: string, levels: number) =>
  `{"id":${JSON.stringify(id)},"deep":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;

const fieldsOf = (fields: string[]) =>
  Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]]));

/** Adds the entries, runs a relay until its group has read and acknowledged all of them, stops it. */
async function relayAll(
  stream: string,
  payloads: string[],
  deleteAfter: boolean,
  extra: Partial<ConstructorParameters<typeof StreamRelay<Entry, Data>>[1]> = {},
) {
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
    ...extra,
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

  it('parks only the entry whose job cannot be serialized (data 10,000 deep), tells first, and relays the rest', async () => {
    const told: { entries: { id: string; reason: string }[]; parkedBefore: number }[] = [];
    await relayAll(
      'da:test-poison',
      [JSON.stringify({ id: 'before' }), deepEntry('deep', 10_000), JSON.stringify({ id: 'after' })],
      true,
      {
        onDeadLetters: async (batch) => {
          expect(batch).toMatchObject({ stream: 'da:test-poison', group: 'test' });
          told.push({ entries: batch.entries, parkedBefore: await admin.xlen('da:test-poison:dead') });
        },
      },
    );
    expect((await queue.getJobs(['waiting'])).map((j) => j.id).sort()).toEqual(['job_after', 'job_before']);
    const dead = await admin.xrange('da:test-poison:dead', '-', '+');
    expect(dead).toHaveLength(1);
    const parked = fieldsOf(dead[0]![1]);
    expect(parked.e).toBe(deepEntry('deep', 10_000));
    expect(parked.group).toBe('test');
    expect(parked.reason).toMatch(/^job could not be added: Maximum call stack size exceeded/);
    // Told once, before the entry was parked (a crash in between tells again rather than never).
    expect(told).toEqual([{ entries: [{ id: parked.id, reason: parked.reason }], parkedBefore: 0 }]);
    expect(await admin.xlen('da:test-poison')).toBe(0);
  });

  it('parks nothing and acknowledges nothing while Redis refuses writes, then relays it all', async () => {
    const stream = 'da:test-full';
    const told: unknown[] = [];
    const relay = new StreamRelay<Entry, Data>(relayRedis, {
      stream,
      group: 'test',
      queue,
      jobFor,
      deleteAfter: true,
      log: createLogger('silent'),
      blockMs: 20,
      claimIdleMs: 300,
      onDeadLetters: async (b) => {
        told.push(b);
      },
    });
    await relay.start();
    // Full under noeviction: past maxmemory every write is refused with OOM, reads still work. The
    // entries and the key that fills Redis arrive together, so the relay reads them only once it is full.
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
    await admin.config('SET', 'maxmemory', String(used + 1024 * 1024));
    try {
      await admin
        .multi()
        .xadd(stream, '*', 'e', JSON.stringify({ id: 'x' }))
        .xadd(stream, '*', 'e', JSON.stringify({ id: 'y' }))
        // A 3 MB value from a tiny command (a big argument would count against maxmemory while queued).
        .setrange('da:test-filler', 3 * 1024 * 1024, 'f')
        .exec();
      const pending = async () => Number((await admin.xpending(stream, 'test'))[0]);
      await expect.poll(pending, { timeout: 5000 }).toBe(2);
      await new Promise((r) => setTimeout(r, 500));
      expect(await admin.exists(`${stream}:dead`)).toBe(0);
      expect(await pending()).toBe(2);
      expect(await queue.count()).toBe(0);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    // Taken up again once idle, by this relay or any other.
    await expect
      .poll(async () => (await queue.getJobs(['waiting'])).map((j) => j.id).sort(), { timeout: 10_000 })
      .toEqual(['job_x', 'job_y']);
    await expect.poll(() => admin.xlen(stream), { timeout: 5000 }).toBe(0);
    await relay.stop();
    expect(await admin.exists(`${stream}:dead`)).toBe(0);
    expect(told).toEqual([]);
  });
});
