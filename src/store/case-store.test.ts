import { beforeEach, describe, expect, it } from 'vitest';
import { recordOf } from '../../test/support/builders/case-records.js';
import { whopDispute, whopPaymentEmbed } from '../../test/support/builders/whop-cases.js';
import { useTestRedis } from '../../test/support/test-redis.js';
import type { CaseRecord } from '../cases/case-record.js';
import { CaseStore } from './case-store.js';

const redis = useTestRedis();
let store: CaseStore;
beforeEach(() => {
  store = new CaseStore(redis.client);
});

/** A dispute due `hours` after a fixed instant, paid by `email`. */
function dispute(id: string, hours: number, email: string | null, status = 'needs_response'): CaseRecord {
  const due = new Date(Date.UTC(2025, 2, 20) + hours * 3_600_000).toISOString();
  return recordOf(
    'dispute',
    whopDispute({
      id,
      status: status as 'needs_response',
      needs_response_by: due,
      payment: whopPaymentEmbed({
        user: email ? { id: `user_${id}`, email, name: null, username: `u_${id}` } : null,
      }),
    }),
  );
}

const put = (r: CaseRecord) => store.apply(0, r, undefined, []);

describe('CaseStore: the customer-email index', () => {
  it('finds cases by their customer email, normalised', async () => {
    await put(dispute('dspt_a', 1, 'Ann@Example.com'));
    await put(dispute('dspt_b', 2, 'ann@example.com'));
    await put(dispute('dspt_c', 3, 'bob@example.com'));
    await put(dispute('dspt_d', 4, null));
    expect((await store.idsByEmail('ann@example.com')).sort()).toEqual(['dspt_a', 'dspt_b']);
    expect(await store.idsByEmail('bob@example.com')).toEqual(['dspt_c']);
    // A record without an email writes nothing, not even under the placeholder key.
    expect(await redis.client.exists('da:cases:by-email:')).toBe(0);
  });
});

describe('CaseStore.list: a further filter and a bounded scan', () => {
  it('applies `match` before the limit counts', async () => {
    for (let i = 0; i < 10; i++)
      await put(dispute(`dspt_${i}`, i, null, i % 2 ? 'warning_needs_response' : 'needs_response'));
    const page = await store.list({ limit: 3, match: (r) => r.status.startsWith('warning_') });
    expect(page.items.map((r) => r.id)).toEqual(['dspt_1', 'dspt_3', 'dspt_5']);
    expect(page.nextCursor).not.toBeNull();
    const next = await store.list({
      limit: 3,
      cursor: page.nextCursor!,
      match: (r) => r.status.startsWith('warning_'),
    });
    expect(next.items.map((r) => r.id)).toEqual(['dspt_7', 'dspt_9']);
    expect(next.nextCursor).toBeNull();
  });

  it('stops after maxScan entries with a cursor that continues the search', async () => {
    for (let i = 0; i < 30; i++) await put(dispute(`dspt_${String(i).padStart(2, '0')}`, i, null));
    const rare = (r: CaseRecord) => r.id === 'dspt_25';
    const first = await store.list({ limit: 5, match: rare, maxScan: 10 });
    expect(first).toMatchObject({ items: [], scanLimitReached: true });
    const second = await store.list({ limit: 5, match: rare, maxScan: 10, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [], scanLimitReached: true });
    const third = await store.list({ limit: 5, match: rare, maxScan: 10, cursor: second.nextCursor! });
    expect(third.items.map((r) => r.id)).toEqual(['dspt_25']);
    expect(third.nextCursor).toBeNull();
  });
});

describe('CaseStore.firedTransitions', () => {
  it('lists the keys fired per case, empty for one with none', async () => {
    const r = dispute('dspt_x', 1, null, 'warning_needs_response');
    await store.apply(0, r, undefined, [
      { key: 'needs_response:warning_needs_response', event: { id: 'e1' } as never },
    ]);
    const [x, y] = await store.firedTransitions(['dspt_x', 'dspt_y']);
    expect(x).toEqual(['needs_response:warning_needs_response']);
    expect(y).toEqual([]);
  });
});

describe('CaseStore.scan', () => {
  it('yields every record once, in due-date order, a chunk at a time', async () => {
    for (let i = 0; i < 25; i++) await put(dispute(`dspt_${String(i).padStart(2, '0')}`, i % 5, null));
    const chunks: string[][] = [];
    for await (const records of store.scan(4)) chunks.push(records.map((r) => r.id));
    expect(chunks.every((c) => c.length <= 4)).toBe(true);
    const ids = chunks.flat();
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    // Five records share each due date: by due date, then id.
    expect(ids.slice(0, 5)).toEqual(['dspt_00', 'dspt_05', 'dspt_10', 'dspt_15', 'dspt_20']);
  });
});
