import type { Context } from 'hono';
import type { SimConfig } from '../context.js';
import { badRequest, invalidParam } from '../errors.js';
import type { BaseRecord } from '../state.js';

/**
 * Cursor pagination as the SDK's CursorPage expects: `{ data, page_info: { end_cursor,
 * start_cursor, has_next_page, has_previous_page } }`; the SDK follows `after=end_cursor` and
 * stops when end_cursor is empty, so it is null on the last page (unless configured otherwise).
 * A cursor encodes the item's sort key, so items added while a client pages don't shift pages.
 */
export interface ListParams {
  first: number | null;
  last: number | null;
  after: string | null;
  before: string | null;
  direction: 'asc' | 'desc';
}

export interface PageInfo {
  end_cursor: string | null;
  start_cursor: string | null;
  has_next_page: boolean;
  has_previous_page: boolean;
}

function positiveInt(c: Context, name: string): number | null {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidParam(name, `${name} must be a positive integer.`);
  return n;
}

export function parseListParams(c: Context, config: SimConfig): ListParams {
  const direction = c.req.query('direction') ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc')
    throw invalidParam('direction', 'direction must be asc or desc.');
  const first = positiveInt(c, 'first');
  const last = positiveInt(c, 'last');
  if (first !== null && last !== null) throw badRequest('Pass either first or last, not both.', 'last');
  const clamp = (n: number | null) => (n === null ? null : Math.min(n, config.pageSizeMax));
  return {
    first: clamp(first),
    last: clamp(last),
    after: c.req.query('after') || null,
    before: c.req.query('before') || null,
    direction,
  };
}

type Key = [number, number];

function encodeCursor(key: Key): string {
  return Buffer.from(`${key[0]}:${key[1]}`).toString('base64url');
}

function decodeCursor(cursor: string, param: string): Key {
  const m = /^(-?\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw invalidParam(param, 'Invalid cursor.');
  return [Number(m[1]), Number(m[2])];
}

function compare(a: Key, b: Key): number {
  return a[0] - b[0] || a[1] - b[1];
}

export function createdKey(r: BaseRecord): number {
  return Date.parse(r.created_at);
}

export function paginate<T extends BaseRecord, O>(
  items: T[],
  params: ListParams,
  config: SimConfig,
  serialize: (item: T) => O,
  sortValue: (item: T) => number = createdKey,
): { data: O[]; page_info: PageInfo } {
  const sign = params.direction === 'asc' ? 1 : -1;
  const keyed = items.map((item) => ({ item, key: [sortValue(item), item.seq] as Key }));
  keyed.sort((a, b) => sign * compare(a.key, b.key));
  // "x comes after y" in the requested order.
  const after = (x: Key, y: Key) => sign * compare(x, y) > 0;

  let window = keyed;
  const afterKey = params.after ? decodeCursor(params.after, 'after') : null;
  const beforeKey = params.before ? decodeCursor(params.before, 'before') : null;
  if (afterKey) window = window.filter((k) => after(k.key, afterKey));
  if (beforeKey) window = window.filter((k) => after(beforeKey, k.key));

  let page: typeof keyed;
  let hasNext: boolean;
  let hasPrevious: boolean;
  if (params.last !== null) {
    page = window.slice(-params.last);
    hasPrevious = window.length > params.last;
    hasNext = beforeKey ? keyed.some((k) => !after(beforeKey, k.key)) : false;
  } else {
    const n = params.first ?? config.pageSizeDefault;
    page = window.slice(0, n);
    hasNext = window.length > n;
    hasPrevious = afterKey ? keyed.some((k) => !after(k.key, afterKey)) : false;
  }
  const firstItem = page[0];
  const lastItem = page[page.length - 1];
  return {
    data: page.map((k) => serialize(k.item)),
    page_info: {
      end_cursor: lastItem && (hasNext || config.endCursorOnLastPage) ? encodeCursor(lastItem.key) : null,
      start_cursor: firstItem ? encodeCursor(firstItem.key) : null,
      has_next_page: hasNext,
      has_previous_page: hasPrevious,
    },
  };
}
