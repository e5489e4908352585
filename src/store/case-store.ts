import type { Redis } from 'ioredis';
import type { CaseEvent, CaseKind, CaseRecord, TimelineAction, TimelineEntry } from '../cases/case-record.js';
import { customerEmail } from '../cases/customer-email.js';
import {
  CASE_EVENTS_STREAM,
  CASE_KEY_PREFIX,
  CASES_BY_DUE,
  COMPANIES,
  caseEmailIndexKey,
  caseFiredKey,
  caseKey,
  caseTimelineKey,
  OPEN_CASES_BY_DUE,
  sweepWatermarkKey,
  UNCONFIRMED_COMPANIES,
} from '../redis/keys.js';

const K = {
  record: caseKey,
  timeline: caseTimelineKey,
  fired: caseFiredKey,
  all: CASES_BY_DUE,
  open: OPEN_CASES_BY_DUE,
  companies: COMPANIES,
  unconfirmedCompanies: UNCONFIRMED_COMPANIES,
};
/**
 * Sort key for records with no due date: after every dated one (8.64e15 is past any real date), in order
 * of creation, which also keeps equal scores rare for the page cursor. Stays an exact integer (< 2^53).
 */
const NO_DUE = 8.64e15;
export function dueScore(r: { dueAt: string | null; createdAt: string | null }): number {
  if (r.dueAt) return Date.parse(r.dueAt);
  return NO_DUE + (r.createdAt ? Date.parse(r.createdAt) : 0);
}
/** Case events are kept for later stages to consume; a cap keeps a forgotten consumer from filling Redis. */
const EVENTS_MAXLEN = 1_000_000;

/**
 * Writes a record only if its version is still the one the caller read (compare-and-set), appends the
 * timeline entry, keeps the due-date indexes, and for each transition not fired before for this record
 * appends its event to the case-events stream. All or nothing, so a crash or a concurrent worker can
 * neither lose a transition nor fire one twice. The record's company is not added to the companies the
 * sweep walks here: only the reconciler knows whether Whop confirmed it (`addCompanies`).
 * KEYS: record, timeline, fired, all-index, open-index, events stream, the customer's email index (the
 *       case id is the record key without CASE_KEY_PREFIX)
 * ARGV: expectedVersion, recordJson, timelineJson ('' for none), open (1/0), dueScore, eventsMaxlen,
 *       hasEmail (1, or '' when KEYS[7] is only a placeholder), then pairs of (transitionKey, eventJson)
 */
const APPLY_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return {-1} end
local id = string.sub(KEYS[1], ${CASE_KEY_PREFIX.length + 1})
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 'd', ARGV[2])
if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[3]) end
redis.call('ZADD', KEYS[4], ARGV[5], id)
if ARGV[4] == '1' then redis.call('ZADD', KEYS[5], ARGV[5], id) else redis.call('ZREM', KEYS[5], id) end
if ARGV[7] == '1' then redis.call('SADD', KEYS[7], id) end
local fired = {}
for i = 8, #ARGV, 2 do
  if redis.call('SADD', KEYS[3], ARGV[i]) == 1 then
    redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[6], '*', 'e', ARGV[i + 1])
    fired[#fired + 1] = ARGV[i]
  end
end
return fired
`;

/**
 * Appends an automation's timeline entry once per key, however often a retried job asks (the key joins
 * the record's fired set, prefixed so it can never match a transition key).
 * KEYS: fired, timeline   ARGV: onceKey, entryJson
 */
const APPEND_ACTION_SCRIPT = `
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then redis.call('RPUSH', KEYS[2], ARGV[2]) return 1 end
return 0
`;

/**
 * Many records (or fired-transition sets) in one command: one reply instead of one per key, which is
 * what makes reading a large store for a report affordable (a pipeline pays per command on the client).
 * KEYS: the record (or fired-set) keys; the reply has one entry per key, false for a missing record.
 */
const READ_RECORDS_SCRIPT = `
local out = {}
for i, k in ipairs(KEYS) do out[i] = redis.call('HGET', k, 'd') or false end
return out
`;
const READ_FIRED_SCRIPT = `
local out = {}
for i, k in ipairs(KEYS) do out[i] = redis.call('SMEMBERS', k) end
return out
`;
/** Keys per read command: large enough to amortise, small enough not to hold Redis for long. */
const READ_BATCH = 1000;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    applyCaseChange(...args: (string | number)[]): import('ioredis').Result<(string | number)[], Context>;
    appendCaseAction(...args: (string | number)[]): import('ioredis').Result<number, Context>;
    readCaseRecords(numKeys: number, ...keys: string[]): import('ioredis').Result<(string | null)[], Context>;
    readFiredSets(numKeys: number, ...keys: string[]): import('ioredis').Result<string[][], Context>;
  }
}

export class VersionConflict extends Error {
  readonly code = 'version_conflict';
  constructor(id: string) {
    super(`record ${id} changed while being reconciled`);
  }
}

export interface ListCasesQuery {
  kind?: CaseKind;
  status?: string;
  companyId?: string;
  openOnly?: boolean;
  limit: number;
  /** Opaque: where the previous page stopped. */
  cursor?: string;
  /** A further filter (an inquiry, a customer), applied like the others before the limit counts. */
  match?: (r: CaseRecord) => boolean;
  /**
   * Stop after looking at this many index entries even if the page is not full: a rare filter over a
   * large index then costs at most this much per page, and `nextCursor` continues the search.
   */
  maxScan?: number;
}

/** Redis I/O for case records. Decisions (what to write) are made by the pure functions in src/cases. */
/** Opaque page cursor: the (due-date score, id) of the last record returned. */
export function encodeCursor(at: { score: number; id: string }): string {
  return Buffer.from(`${at.score}:${at.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { score: number; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const sep = text.indexOf(':');
  const score = Number(text.slice(0, sep));
  const id = text.slice(sep + 1);
  return sep > 0 && Number.isFinite(score) && id ? { score, id } : undefined;
}

export class CaseStore {
  constructor(private readonly redis: Redis) {
    if (!redis.applyCaseChange)
      redis.defineCommand('applyCaseChange', { numberOfKeys: 7, lua: APPLY_SCRIPT });
    if (!redis.readCaseRecords) redis.defineCommand('readCaseRecords', { lua: READ_RECORDS_SCRIPT });
    if (!redis.readFiredSets) redis.defineCommand('readFiredSets', { lua: READ_FIRED_SCRIPT });
    if (!redis.appendCaseAction)
      redis.defineCommand('appendCaseAction', { numberOfKeys: 2, lua: APPEND_ACTION_SCRIPT });
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    const raw = await this.redis.hget(K.record(id), 'd');
    return raw ? (JSON.parse(raw) as CaseRecord) : undefined;
  }

  async getMany(ids: string[]): Promise<(CaseRecord | undefined)[]> {
    const out: (CaseRecord | undefined)[] = [];
    for (let i = 0; i < ids.length; i += READ_BATCH) {
      const keys = ids.slice(i, i + READ_BATCH).map(K.record);
      for (const raw of await this.redis.readCaseRecords(keys.length, ...keys)) {
        out.push(raw ? (JSON.parse(raw) as CaseRecord) : undefined);
      }
    }
    return out;
  }

  /**
   * Stores `next` if the record is still at `expectedVersion` (0: absent). Returns the transition keys
   * that fired now (others fired before). Throws VersionConflict if another writer got there first.
   */
  async apply(
    expectedVersion: number,
    next: CaseRecord,
    timeline: TimelineEntry | undefined,
    transitions: { key: string; event: CaseEvent }[],
  ): Promise<string[]> {
    const email = customerEmail(next);
    const result = await this.redis.applyCaseChange(
      K.record(next.id),
      K.timeline(next.id),
      K.fired(next.id),
      K.all,
      K.open,
      CASE_EVENTS_STREAM,
      // A placeholder key when there is no email (the script writes KEYS[7] only when told to).
      caseEmailIndexKey(email ?? ''),
      expectedVersion,
      JSON.stringify(next),
      timeline ? JSON.stringify(timeline) : '',
      next.open ? '1' : '0',
      dueScore(next),
      EVENTS_MAXLEN,
      email ? '1' : '',
      ...transitions.flatMap((t) => [t.key, JSON.stringify(t.event)]),
    );
    if (result[0] === -1) throw new VersionConflict(next.id);
    return result.map(String);
  }

  /**
   * Adds what an automation decided or did to the case's timeline, once per `onceKey` (a retried job
   * appends nothing twice). Returns false when that key was appended before.
   */
  async appendAction(caseId: string, onceKey: string, entry: TimelineAction): Promise<boolean> {
    const added = await this.redis.appendCaseAction(
      K.fired(caseId),
      K.timeline(caseId),
      `action:${onceKey}`,
      JSON.stringify(entry),
    );
    return added === 1;
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    return (await this.redis.lrange(K.timeline(id), 0, -1)).map((s) => JSON.parse(s) as TimelineEntry);
  }

  async openIds(): Promise<string[]> {
    return this.redis.zrange(K.open, '0', '-1');
  }

  /**
   * Companies Whop confirmed (an object re-read from Whop named it, or a listing for it succeeded): the
   * sweep and the digest walk them from now on. Never pass an id only an event named (`addUnconfirmedCompanies`).
   */
  async addCompanies(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis
      .multi()
      .sadd(K.companies, ...ids)
      .srem(K.unconfirmedCompanies, ...ids)
      .exec();
  }

  /** The confirmed companies, sorted. */
  async companies(): Promise<string[]> {
    return (await this.redis.smembers(K.companies)).sort();
  }

  async hasCompany(id: string): Promise<boolean> {
    return (await this.redis.sismember(K.companies, id)) === 1;
  }

  /** Companies only an event's envelope named: the next sweep confirms or drops each. */
  async addUnconfirmedCompanies(ids: string[]): Promise<void> {
    if (ids.length) await this.redis.sadd(K.unconfirmedCompanies, ...ids);
  }

  /** Companies waiting for the sweep to confirm them (none already confirmed), sorted. */
  async unconfirmedCompanies(): Promise<string[]> {
    return (await this.redis.sdiff(K.unconfirmedCompanies, K.companies)).sort();
  }

  /** Companies Whop refused (403/404 on every listing): no longer walked by the sweep or the digest. */
  async dropCompanies(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis
      .multi()
      .srem(K.companies, ...ids)
      .srem(K.unconfirmedCompanies, ...ids)
      .exec();
  }

  /**
   * Records sorted by due date (undated last), then id, filtered. The cursor is the last returned
   * (due, id), so records closing or arriving between pages neither skip nor repeat others. Walks the
   * index in chunks; a page costs what it skips and returns.
   */
  async list(
    q: ListCasesQuery,
  ): Promise<{ items: CaseRecord[]; nextCursor: string | null; scanLimitReached?: boolean }> {
    const index = q.openOnly ? K.open : K.all;
    let after = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (q.cursor && !after) throw new Error('invalid cursor');
    const items: CaseRecord[] = [];
    let chunk = Math.max(q.limit * 4, 200);
    if (q.maxScan) chunk = Math.min(chunk, q.maxScan);
    let scanned = 0;
    for (;;) {
      // Equal scores are ordered by member in Redis, which is the id order the cursor compares with.
      const flat = await this.redis.zrangebyscore(
        index,
        after ? after.score : '-inf',
        '+inf',
        'WITHSCORES',
        'LIMIT',
        0,
        chunk + 1,
      );
      const rows: { id: string; score: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) {
        const row = { id: flat[i]!, score: Number(flat[i + 1]) };
        if (after && row.score === after.score && row.id <= after.id) continue;
        rows.push(row);
      }
      if (rows.length === 0) {
        if (flat.length / 2 <= chunk) return { items, nextCursor: null };
        // A run of equal scores longer than a chunk, all at or before the cursor: look further.
        chunk *= 2;
        continue;
      }
      const records = await this.getMany(rows.map((r) => r.id));
      for (let i = 0; i < rows.length; i++) {
        const r = records[i];
        after = rows[i]!;
        scanned++;
        if (!r) continue;
        if (q.kind && r.kind !== q.kind) continue;
        if (q.status && r.status !== q.status) continue;
        if (q.companyId && r.companyId !== q.companyId) continue;
        if (q.match && !q.match(r)) continue;
        items.push(r);
        if (items.length === q.limit) {
          const more =
            (await this.redis.zcount(index, `(${after.score}`, '+inf')) > 0 ||
            (await this.sameScoreAfter(index, after));
          return { items, nextCursor: more ? encodeCursor(after) : null };
        }
      }
      if (flat.length / 2 <= chunk) return { items, nextCursor: null };
      if (q.maxScan && scanned >= q.maxScan && after) {
        return { items, nextCursor: encodeCursor(after), scanLimitReached: true };
      }
    }
  }

  /**
   * Every record, in due-date order, `chunk` at a time: for reports over the whole store (insights),
   * which never hold more than one chunk of raw JSON. Records added or moved while it runs may be
   * missed or seen twice; a report is a moment's picture.
   */
  async *scan(chunk = 1000): AsyncGenerator<CaseRecord[]> {
    let after: { score: number; id: string } | undefined;
    let fetch = chunk;
    for (;;) {
      const flat = await this.redis.zrangebyscore(
        K.all,
        after ? after.score : '-inf',
        '+inf',
        'WITHSCORES',
        'LIMIT',
        0,
        fetch,
      );
      const rows: { id: string; score: number }[] = [];
      for (let i = 0; i < flat.length && rows.length < chunk; i += 2) {
        const row = { id: flat[i]!, score: Number(flat[i + 1]) };
        if (after && row.score === after.score && row.id <= after.id) continue;
        rows.push(row);
      }
      const lastPage = flat.length / 2 < fetch;
      if (rows.length === 0) {
        if (lastPage) return;
        fetch *= 2; // a run of equal scores longer than a fetch, all already seen
        continue;
      }
      fetch = chunk;
      const records = await this.getMany(rows.map((r) => r.id));
      after = rows[rows.length - 1]!;
      yield records.filter((r): r is CaseRecord => r !== undefined);
      if (lastPage && rows.length < chunk) return;
    }
  }

  /**
   * The ids of the cases whose customer has this email (normalised by the caller, see
   * `normalizeEmail`). Only records written since the index exists are in it; callers re-check each
   * record, since an entry outlives an email change.
   */
  async idsByEmail(email: string): Promise<string[]> {
    return this.redis.smembers(caseEmailIndexKey(email));
  }

  /** The transition keys fired so far for each case (e.g. `needs_response:warning_needs_response`). */
  async firedTransitions(ids: string[]): Promise<string[][]> {
    const out: string[][] = [];
    for (let i = 0; i < ids.length; i += READ_BATCH) {
      const keys = ids.slice(i, i + READ_BATCH).map(K.fired);
      out.push(...(await this.redis.readFiredSets(keys.length, ...keys)));
    }
    return out;
  }

  private async sameScoreAfter(index: string, after: { score: number; id: string }): Promise<boolean> {
    const ids = await this.redis.zrangebyscore(index, after.score, after.score);
    return ids.some((id) => id > after.id);
  }

  /** When the sweep last listed this company's objects of this kind (its start time). */
  async sweepWatermark(companyId: string, kind: CaseKind): Promise<string | null> {
    return this.redis.get(sweepWatermarkKey(companyId, kind));
  }

  async setSweepWatermark(companyId: string, kind: CaseKind, at: string): Promise<void> {
    await this.redis.set(sweepWatermarkKey(companyId, kind), at);
  }
}
