import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestRedis } from '../../test/support/redis-server.js';
import type { AccessEvent } from './access-event.js';
import { AccessEventStore, accessLogBytesPerEvent, accessLogMemoryUsage } from './access-event-store.js';

const DAY = 86_400_000;
const NOW = Date.now();

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let client: Redis;
let store: AccessEventStore;

beforeAll(async () => {
  redis = await startTestRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.close();
});
beforeEach(async () => {
  await client.flushdb();
  store = new AccessEventStore(client, { retentionDays: 540, now: () => NOW });
});

let seq = 0;
function ev(fields: Partial<AccessEvent> & { daysAgo?: number }): AccessEvent {
  const { daysAgo = 1, ...rest } = fields;
  return {
    eventId: `evt_${++seq}`,
    occurredAt: new Date(NOW - daysAgo * DAY).toISOString(),
    action: 'login',
    ...rest,
  };
}
const ids = (events: AccessEvent[]) => events.map((e) => e.eventId);

describe('AccessEventStore.add', () => {
  it('stores every field and gives it back as it came, oldest first', async () => {
    const full = ev({
      userId: 'user_1',
      membershipId: 'mem_1',
      email: 'ann@example.com',
      daysAgo: 2,
      action: 'lesson_viewed',
      ip: '2001:db8::1',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 "quoted"',
      deviceId: 'dev_1',
      sessionId: 'sess_1',
      metadata: { lesson: 'intro', nested: { b: [1, 2], a: null }, ünï: '✓' },
    });
    const bare = ev({ userId: 'user_1', daysAgo: 3 });
    expect(await store.add([full, bare])).toEqual({ stored: 2, duplicates: 0, expired: 0 });
    expect(await store.forCustomer({ userId: 'user_1' })).toEqual([bare, full]);
  });

  it('is idempotent: the same events again, or twice in one batch, are duplicates and stored once', async () => {
    const batch = [ev({ userId: 'user_1' }), ev({ email: 'a@b.co' }), ev({ membershipId: 'mem_1' })];
    expect(await store.add(batch)).toEqual({ stored: 3, duplicates: 0, expired: 0 });
    expect(await store.add(batch)).toEqual({ stored: 0, duplicates: 3, expired: 0 });
    const fresh = ev({ userId: 'user_1', daysAgo: 0.5 });
    expect(await store.add([fresh, fresh, batch[0]!])).toEqual({ stored: 1, duplicates: 2, expired: 0 });
    expect(await client.zcard('da:access:u:user_1')).toBe(2);
    expect(await store.countForCustomer({ userId: 'user_1' })).toBe(2);
  });

  it('keeps each event once, under its primary identifier, compactly, with alias links for the others', async () => {
    const e = ev({ userId: 'user_1', membershipId: 'mem_1', email: 'ann@example.com', ip: '192.0.2.1' });
    await store.add([
      e,
      ev({ membershipId: 'mem_2', email: 'bob@example.com' }),
      ev({ email: 'cy@example.com' }),
    ]);
    expect((await client.keys('da:access:*')).sort()).toEqual([
      'da:access:alias:e:ann@example.com',
      'da:access:alias:e:bob@example.com',
      'da:access:alias:m:mem_1',
      'da:access:alias:m:mem_2',
      'da:access:alias:u:user_1',
      'da:access:e:cy@example.com',
      'da:access:m:mem_2',
      'da:access:u:user_1',
    ]);
    // The key names the primary identifier, so the member does not repeat it; no empty fields.
    const [member] = await client.zrange('da:access:u:user_1', '0', '-1');
    expect(JSON.parse(member!)).toEqual({
      i: e.eventId,
      a: 'login',
      m: 'mem_1',
      e: 'ann@example.com',
      p: '192.0.2.1',
    });
    expect(member).not.toContain('user_1');
    expect(await client.smembers('da:access:alias:e:ann@example.com')).toEqual(
      expect.arrayContaining(['u:user_1', 'm:mem_1']),
    );
    expect((await client.smembers('da:access:alias:u:user_1')).sort()).toEqual([
      'e:ann@example.com',
      'm:mem_1',
    ]);
  });

  it('keeps each of a customer’s user agents once, events referring to it by a short hash', async () => {
    const chrome =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0';
    const app = 'MyCourseApp/3.4.1 (iOS 17.5; iPhone15,2)';
    const events = [chrome, app, chrome, chrome, undefined].map((userAgent, i) =>
      ev({ userId: 'user_1', daysAgo: 5 - i, ...(userAgent && { userAgent }) }),
    );
    await store.add(events.slice(0, 2));
    await store.add(events.slice(2));
    expect(Object.values(await client.hgetall('da:access:ua:u:user_1')).sort()).toEqual([app, chrome].sort());
    const members = (await client.zrange('da:access:u:user_1', '0', '-1')).map((m) => JSON.parse(m));
    expect(members.map((m) => m.g?.length)).toEqual([8, 8, 8, 8, undefined]);
    expect(await store.forCustomer({ userId: 'user_1' })).toEqual(events);
  });

  it('stores nothing for an empty batch', async () => {
    expect(await store.add([])).toEqual({ stored: 0, duplicates: 0, expired: 0 });
    expect(await client.dbsize()).toBe(0);
  });
});

describe('AccessEventStore.forCustomer', () => {
  it('finds an email-only event through an event that carried the user id and the email', async () => {
    const emailOnly = ev({ email: 'ann@example.com', action: 'download', daysAgo: 5 });
    const linking = ev({ userId: 'user_1', email: 'ann@example.com', daysAgo: 4 });
    const userOnly = ev({ userId: 'user_1', daysAgo: 3 });
    const membershipOnly = ev({ membershipId: 'mem_1', daysAgo: 2 });
    const linksMembership = ev({ userId: 'user_1', membershipId: 'mem_1', daysAgo: 1 });
    const stranger = ev({ userId: 'user_2', email: 'zed@example.com' });
    await store.add([stranger, linksMembership, membershipOnly, userOnly, linking, emailOnly]);

    const all = ids([emailOnly, linking, userOnly, membershipOnly, linksMembership]);
    // By any one identifier, or all three: the customer's every event, in time order, once each.
    for (const query of [
      { userId: 'user_1' },
      { email: 'ann@example.com' },
      { email: '  Ann@Example.COM ' },
      { membershipId: 'mem_1' },
      { userId: 'user_1', membershipId: 'mem_1', email: 'ann@example.com' },
      { userId: 'user_1', membershipId: null, email: null },
    ]) {
      expect(ids(await store.forCustomer(query)), JSON.stringify(query)).toEqual(all);
      expect(await store.countForCustomer(query), JSON.stringify(query)).toBe(all.length);
    }
    expect(ids(await store.forCustomer({ userId: 'user_2' }))).toEqual([stranger.eventId]);
    expect(await store.forCustomer({ userId: 'user_nobody' })).toEqual([]);
    expect(await store.forCustomer({})).toEqual([]);
    expect(await store.countForCustomer({ email: null })).toBe(0);
  });

  it('with the user id given, never takes in another user’s events through a shared email', async () => {
    const a = ev({ userId: 'user_a', email: 'family@example.com', daysAgo: 3 });
    const aOnly = ev({ userId: 'user_a', daysAgo: 2 });
    const b = ev({ userId: 'user_b', email: 'family@example.com', daysAgo: 1 });
    const shared = ev({ email: 'family@example.com', daysAgo: 4 });
    await store.add([a, aOnly, b, shared]);
    expect(ids(await store.forCustomer({ userId: 'user_a', email: 'family@example.com' }))).toEqual(
      ids([shared, a, aOnly]),
    );
    expect(ids(await store.forCustomer({ userId: 'user_b' }))).toEqual(ids([shared, b]));
    // Known only by the email: everyone seen with it.
    expect(ids(await store.forCustomer({ email: 'family@example.com' }))).toEqual(ids([shared, a, aOnly, b]));
  });

  it('returns an event id seen under two identifiers once, in its fuller form', async () => {
    const first = ev({ email: 'ann@example.com', daysAgo: 2 });
    const again = { ...first, userId: 'user_1' };
    await store.add([first]);
    expect(await store.add([again])).toEqual({ stored: 1, duplicates: 0, expired: 0 });
    await store.add([ev({ userId: 'user_1', daysAgo: 1 })]);
    const found = await store.forCustomer({ userId: 'user_1', email: 'ann@example.com' });
    expect(found).toHaveLength(2);
    expect(found[0]).toEqual(again);
    expect(await store.countForCustomer({ userId: 'user_1', email: 'ann@example.com' })).toBe(2);
  });

  it('limits to a time range: from inclusive, to exclusive', async () => {
    const events = [10, 8, 6, 4, 2].map((d) => ev({ userId: 'user_1', daysAgo: d }));
    await store.add(events);
    const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY);
    const q = { userId: 'user_1' };
    expect(ids(await store.forCustomer(q, { from: at(8), to: at(4) }))).toEqual(ids(events.slice(1, 3)));
    expect(ids(await store.forCustomer(q, { from: at(7) }))).toEqual(ids(events.slice(2)));
    expect(ids(await store.forCustomer(q, { to: at(6) }))).toEqual(ids(events.slice(0, 2)));
    expect(await store.forCustomer(q, { from: at(3), to: at(3) })).toEqual([]);
    expect(await store.countForCustomer(q, { from: at(8), to: at(4) })).toBe(2);
    expect(await store.countForCustomer(q, { from: at(1) })).toBe(0);
  });
});

describe('retention', () => {
  it('refuses events older than the retention, trims on write, and never returns what has expired', async () => {
    let now = NOW;
    const short = new AccessEventStore(client, { retentionDays: 30, now: () => now });
    expect(short.cutoff().getTime()).toBe(NOW - 30 * DAY);
    const old = ev({ userId: 'user_1', daysAgo: 31 });
    const aging = ev({ userId: 'user_1', daysAgo: 29 });
    const recent = ev({ userId: 'user_1', daysAgo: 1 });
    expect(await short.add([old, aging, recent])).toEqual({ stored: 2, duplicates: 0, expired: 1 });
    expect(await client.zcard('da:access:u:user_1')).toBe(2);

    // Two days on, before any write: `aging` is past the retention and no longer read, though still stored.
    now = NOW + 2 * DAY;
    expect(ids(await short.forCustomer({ userId: 'user_1' }))).toEqual([recent.eventId]);
    expect(await short.countForCustomer({ userId: 'user_1' })).toBe(1);
    expect(await client.zcard('da:access:u:user_1')).toBe(2);
    // The next write trims it.
    await short.add([ev({ userId: 'user_1', daysAgo: 0 })]);
    expect(await client.zcard('da:access:u:user_1')).toBe(2);
    expect(ids(await short.forCustomer({ userId: 'user_1' }))).not.toContain(aging.eventId);
  });

  it('expires a key a retention after its newest event; back-filling older events never shortens that', async () => {
    const short = new AccessEventStore(client, { retentionDays: 30 });
    const ttlDays = async (key: string) => (await client.pttl(key)) / DAY;
    await short.add([ev({ userId: 'user_1', email: 'ann@example.com', daysAgo: 10, userAgent: 'curl/8.5' })]);
    // `ev` dates from NOW, set when the file loaded; a few seconds of slack cover the test's own time.
    expect(await ttlDays('da:access:u:user_1')).toBeCloseTo(20, 3);
    expect(await ttlDays('da:access:ua:u:user_1')).toBeCloseTo(20, 3);
    expect(await ttlDays('da:access:alias:e:ann@example.com')).toBeCloseTo(30, 3);
    await short.add([ev({ userId: 'user_1', daysAgo: 1 })]);
    expect(await ttlDays('da:access:u:user_1')).toBeCloseTo(29, 3);
    expect(await ttlDays('da:access:ua:u:user_1')).toBeCloseTo(29, 3);
    await short.add([ev({ userId: 'user_1', daysAgo: 25 })]);
    expect(await ttlDays('da:access:u:user_1')).toBeCloseTo(29, 3);
  });
});

describe('memory measurement', () => {
  it('sums MEMORY USAGE over every access-log key', async () => {
    expect(await accessLogMemoryUsage(client)).toEqual({ keys: 0, bytes: 0 });
    const events = Array.from({ length: 300 }, (_, i) =>
      ev({ userId: `user_${i % 3}`, email: `c${i % 3}@example.com`, ip: '198.51.100.7', daysAgo: i / 100 }),
    );
    await store.add(events);
    await client.set('da:other', 'x');
    const usage = await accessLogMemoryUsage(client);
    expect(usage.keys).toBe(9);
    expect(usage.bytes).toBeGreaterThan(300 * 50);
    expect(await accessLogBytesPerEvent(client, 300)).toBe(usage.bytes / 300);
  });
});
