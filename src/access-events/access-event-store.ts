import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ACCESS_KEY_PREFIX } from '../redis/keys.js';
import { type AccessEvent, type CustomerIdentifiers, customerKeys } from './access-event.js';
import { canonicalJson } from './validate-access-event.js';

/**
 * Layout (a ref is `u:<userId>`, `m:<membershipId>` or `e:<email>`; every key expires on its own):
 *   da:access:<ref>         sorted set, score = occurred_at (ms), member = the event in short-key JSON. An
 *                           event lives under its *primary* identifier only (userId, else membershipId, else
 *                           email), without repeating it.
 *   da:access:ua:<ref>      hash: user-agent hash → user agent, for the events under <ref>. A customer uses
 *                           a few user agents thousands of times, and the string is a third of an event.
 *   da:access:alias:<ref>   set of the other refs seen on one event with <ref>.
 * A lookup follows the alias links from the identifiers it is given, so an email-only event is found by
 * the user id once any event has carried both.
 */
const eventsKey = (ref: string) => `${ACCESS_KEY_PREFIX}${ref}`;
const agentsKey = (ref: string) => `${ACCESS_KEY_PREFIX}ua:${ref}`;
const aliasKey = (ref: string) => `${ACCESS_KEY_PREFIX}alias:${ref}`;

const DAY_MS = 86_400_000;
/** How far the alias links are followed, and how many identifiers one lookup may gather. */
const MAX_LINK_ROUNDS = 3;
const MAX_REFS = 32;

/** Events per script call: one call per chunk keeps Redis free for other clients between chunks. */
const CHUNK = 1000;

/**
 * One chunk in one call (one command instead of thousands keeps ioredis and Redis overhead per event low).
 * For each customer key: record its user agents, ZADD NX each event (NX: a stored event is kept as first
 * stored), trim what fell out of the retention, and expire both keys a retention after the newest event,
 * so back-filling old events never shortens the life of newer ones. Then add the alias links, each set
 * living a retention after its last link. Returns how many events were new.
 * KEYS: events and user-agents key per customer key, then the alias keys.
 * ARGV: cutoffMs, retentionMs, customer keys, alias keys; per customer key: agent count, event count,
 *       hash/agent pairs, score/member pairs; per alias key: member count, members.
 */
const ADD_SCRIPT = `
local function inChunks(cmd, key, from, to)
  for i = from, to, 200 do
    redis.call(cmd, key, unpack(ARGV, i, math.min(i + 199, to)))
  end
end
local cutoff, retention = ARGV[1], tonumber(ARGV[2])
local groups, aliases = tonumber(ARGV[3]), tonumber(ARGV[4])
local p, added = 5, 0
for g = 1, groups do
  local events, agents = KEYS[2 * g - 1], KEYS[2 * g]
  local na, ne = tonumber(ARGV[p]), tonumber(ARGV[p + 1])
  p = p + 2
  if na > 0 then inChunks('HSET', agents, p, p + 2 * na - 1) end
  p = p + 2 * na
  for i = p, p + 2 * ne - 1, 2 do
    added = added + redis.call('ZADD', events, 'NX', ARGV[i], ARGV[i + 1])
  end
  p = p + 2 * ne
  redis.call('ZREMRANGEBYSCORE', events, '-inf', '(' .. cutoff)
  local newest = redis.call('ZRANGE', events, -1, -1, 'WITHSCORES')
  if newest[2] then
    local at = string.format('%d', tonumber(newest[2]) + retention)
    redis.call('PEXPIREAT', events, at)
    redis.call('PEXPIREAT', agents, at)
  end
end
for k = 1, aliases do
  local key, n = KEYS[2 * groups + k], tonumber(ARGV[p])
  inChunks('SADD', key, p + 1, p + n)
  redis.call('PEXPIRE', key, retention)
  p = p + 1 + n
end
return added
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    addAccessEvents(
      numberOfKeys: number,
      ...keysAndArgs: (string | number)[]
    ): import('ioredis').Result<number, Context>;
  }
}

/** 48 bits of SHA-256: a collision among one customer's few user agents is out of reach. */
const agentHashes = new Map<string, string>();
function agentHash(userAgent: string): string {
  let h = agentHashes.get(userAgent);
  if (!h) {
    h = createHash('sha256').update(userAgent).digest('base64url').slice(0, 8);
    if (agentHashes.size >= 10_000) agentHashes.clear();
    agentHashes.set(userAgent, h);
  }
  return h;
}

export interface AccessEventRange {
  /** Inclusive. */
  from?: Date;
  /** Exclusive, so adjacent windows never count an event twice. */
  to?: Date;
}

export interface AddResult {
  /** New events now stored. */
  stored: number;
  /** Events already stored (same event id and content under the same identifier). */
  duplicates: number;
  /** Events older than the retention, not stored (callers normally refuse them before). */
  expired: number;
}

type Kind = 'u' | 'm' | 'e';

/** The event's identifier refs, primary first. */
/**
 * Short keys, no empty fields, the primary identifier left to the key, the user agent by its hash (see
 * agentHash); metadata in canonical JSON, so the same event always encodes to the same member.
 */
export function encodeMember(e: AccessEvent, primary: Kind): string {
  const o: Record<string, string> = { i: e.eventId, a: e.action };
  if (e.userId && primary !== 'u') o.u = e.userId;
  if (e.membershipId && primary !== 'm') o.m = e.membershipId;
  if (e.email && primary !== 'e') o.e = e.email;
  if (e.ip) o.p = e.ip;
  if (e.userAgent) o.g = agentHash(e.userAgent);
  if (e.deviceId) o.d = e.deviceId;
  if (e.sessionId) o.s = e.sessionId;
  const json = JSON.stringify(o);
  return e.metadata ? `${json.slice(0, -1)},"x":${canonicalJson(e.metadata)}}` : json;
}

interface Member {
  i: string;
  a: string;
  u?: string;
  m?: string;
  e?: string;
  p?: string;
  g?: string;
  d?: string;
  s?: string;
  x?: Record<string, unknown>;
}

export function decodeMember(
  member: string,
  score: number,
  ref: string,
  agents: Record<string, string>,
): AccessEvent {
  const o = JSON.parse(member) as Member;
  const userAgent = o.g === undefined ? undefined : agents[o.g];
  const kind = ref[0] as Kind;
  const id = ref.slice(2);
  const userId = kind === 'u' ? id : o.u;
  const membershipId = kind === 'm' ? id : o.m;
  const email = kind === 'e' ? id : o.e;
  return {
    eventId: o.i,
    ...(userId !== undefined && { userId }),
    ...(membershipId !== undefined && { membershipId }),
    ...(email !== undefined && { email }),
    occurredAt: new Date(score).toISOString(),
    action: o.a,
    ...(o.p !== undefined && { ip: o.p }),
    ...(userAgent !== undefined && { userAgent }),
    ...(o.d !== undefined && { deviceId: o.d }),
    ...(o.s !== undefined && { sessionId: o.s }),
    ...(o.x !== undefined && { metadata: o.x }),
  };
}

const identifierCount = (e: AccessEvent) => Number(!!e.userId) + Number(!!e.membershipId) + Number(!!e.email);

/** The merchant's access events in Redis, per customer and in time order, for `retentionDays`. */
export class AccessEventStore {
  readonly retentionMs: number;
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    options: { retentionDays: number; now?: () => number },
  ) {
    this.retentionMs = options.retentionDays * DAY_MS;
    this.now = options.now ?? Date.now;
    if (!redis.addAccessEvents) {
      // Variable number of keys: the caller passes the count first.
      redis.defineCommand('addAccessEvents', { lua: ADD_SCRIPT });
    }
  }

  /** The oldest instant still kept: events before it are neither stored nor returned. */
  cutoff(): Date {
    return new Date(this.now() - this.retentionMs);
  }

  /** Stores a batch, one script call per 1,000 events; storing an event again is counted as a duplicate. */
  async add(events: AccessEvent[]): Promise<AddResult> {
    const cutoff = this.now() - this.retentionMs;
    const fresh = events.filter((e) => Date.parse(e.occurredAt) >= cutoff);
    const expired = events.length - fresh.length;
    if (fresh.length === 0) return { stored: 0, duplicates: 0, expired };
    const pipe = this.redis.pipeline();
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const [keys, args] = this.scriptArgs(fresh.slice(i, i + CHUNK), cutoff);
      pipe.addAccessEvents(keys.length, ...keys, ...args);
    }
    let stored = 0;
    for (const [err, added] of (await pipe.exec())!) {
      if (err) throw err;
      stored += Number(added);
    }
    return { stored, duplicates: fresh.length - stored, expired };
  }

  /** KEYS and ARGV of ADD_SCRIPT for one chunk. */
  private scriptArgs(events: AccessEvent[], cutoff: number): [string[], (string | number)[]] {
    const groups = new Map<string, { pairs: (string | number)[]; agents: Map<string, string> }>();
    const links = new Map<string, Set<string>>();
    for (const e of events) {
      const refs = customerKeys(e);
      const primary = refs[0];
      if (!primary) throw new TypeError(`access event ${e.eventId} has no customer identifier`);
      const group = groups.get(primary) ?? { pairs: [], agents: new Map<string, string>() };
      groups.set(primary, group);
      group.pairs.push(Date.parse(e.occurredAt), encodeMember(e, primary[0] as Kind));
      if (e.userAgent) group.agents.set(agentHash(e.userAgent), e.userAgent);
      for (const a of refs.length > 1 ? refs : []) {
        const others = links.get(a) ?? new Set<string>();
        links.set(a, others);
        for (const b of refs) if (b !== a) others.add(b);
      }
    }
    const keys: string[] = [];
    const args: (string | number)[] = [cutoff, this.retentionMs, groups.size, links.size];
    for (const [ref, { pairs, agents }] of groups) {
      keys.push(eventsKey(ref), agentsKey(ref));
      args.push(agents.size, pairs.length / 2);
      for (const [hash, agent] of agents) args.push(hash, agent);
      for (const x of pairs) args.push(x);
    }
    for (const [ref, others] of links) {
      keys.push(aliasKey(ref));
      args.push(others.size, ...others);
    }
    return [keys, args];
  }

  /**
   * Every event of the customer, oldest first, deduplicated by event id: those stored under any of the
   * given identifiers, and under the identifiers linked to them by an event that carried both. When the
   * user id is given, no other user's events come in through a shared email or membership.
   */
  async forCustomer(ids: CustomerIdentifiers, range: AccessEventRange = {}): Promise<AccessEvent[]> {
    const refs = await this.resolve(ids);
    const [min, max] = this.bounds(range);
    if (refs.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const ref of refs) {
      pipe.zrangebyscore(eventsKey(ref), min, max, 'WITHSCORES');
      pipe.hgetall(agentsKey(ref));
    }
    const results = (await pipe.exec())!;
    for (const [err] of results) if (err) throw err;
    const byId = new Map<string, AccessEvent>();
    refs.forEach((ref, k) => {
      const items = results[2 * k]![1] as string[];
      const agents = results[2 * k + 1]![1] as Record<string, string>;
      for (let i = 0; i < items.length; i += 2) {
        const event = decodeMember(items[i]!, Number(items[i + 1]), ref, agents);
        const seen = byId.get(event.eventId);
        // The same event id sent again with more identifiers lands under another key: keep the fuller one.
        if (!seen || identifierCount(event) > identifierCount(seen)) byId.set(event.eventId, event);
      }
    });
    return [...byId.values()].sort(
      (a, b) =>
        Date.parse(a.occurredAt) - Date.parse(b.occurredAt) ||
        (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
    );
  }

  /** How many events forCustomer would return, without reading them when one key holds them all. */
  async countForCustomer(ids: CustomerIdentifiers, range: AccessEventRange = {}): Promise<number> {
    const refs = await this.resolve(ids);
    if (refs.length === 0) return 0;
    const [min, max] = this.bounds(range);
    const pipe = this.redis.pipeline();
    for (const ref of refs) pipe.zcount(eventsKey(ref), min, max);
    const counts = (await pipe.exec())!.map(([err, n]) => {
      if (err) throw err;
      return Number(n);
    });
    const filled = refs.filter((_, i) => counts[i]! > 0);
    if (filled.length <= 1) return counts.reduce((a, b) => a + b, 0);
    // Several keys: the same event id may be under two of them, so count distinct ids.
    const read = this.redis.pipeline();
    for (const ref of filled) read.zrangebyscore(eventsKey(ref), min, max);
    const ids_ = new Set<string>();
    for (const [err, members] of (await read.exec())!) {
      if (err) throw err;
      for (const m of members as string[]) ids_.add((JSON.parse(m) as Member).i);
    }
    return ids_.size;
  }

  /** ZRANGEBYSCORE bounds: never before the retention cutoff, `to` exclusive. */
  private bounds(range: AccessEventRange): [number, string] {
    const min = Math.max(this.now() - this.retentionMs, range.from?.getTime() ?? 0);
    const max = range.to ? `(${range.to.getTime()}` : '+inf';
    return [min, max];
  }

  /** The given identifiers plus those linked to them, breadth first, bounded. */
  private async resolve(ids: CustomerIdentifiers): Promise<string[]> {
    const seeds = customerKeys(ids);
    const user = ids.userId ? `u:${ids.userId}` : undefined;
    const seen = new Set(seeds);
    let frontier = seeds;
    for (let round = 0; round < MAX_LINK_ROUNDS && frontier.length > 0; round++) {
      const pipe = this.redis.pipeline();
      for (const ref of frontier) pipe.smembers(aliasKey(ref));
      const next: string[] = [];
      for (const [err, members] of (await pipe.exec())!) {
        if (err) throw err;
        for (const ref of (members as string[]).sort()) {
          if (seen.has(ref) || seen.size >= MAX_REFS) continue;
          // A known user is the customer: another user sharing an email is someone else.
          if (user && ref.startsWith('u:') && ref !== user) continue;
          seen.add(ref);
          next.push(ref);
        }
      }
      frontier = next;
    }
    return [...seen];
  }
}

/**
 * Bytes Redis uses for every access-log key (events, aliases): MEMORY USAGE with SAMPLES 0, so large
 * sorted sets are measured exactly rather than estimated. For benchmarks and capacity planning.
 */
export async function accessLogMemoryUsage(redis: Redis): Promise<{ keys: number; bytes: number }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${ACCESS_KEY_PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    if (batch.length === 0) continue;
    const pipe = redis.pipeline();
    for (const key of batch) pipe.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    for (const [err, n] of (await pipe.exec())!) {
      if (err) throw err;
      if (n !== null) {
        keys++;
        bytes += Number(n);
      }
    }
  } while (cursor !== '0');
  return { keys, bytes };
}

/** Mean bytes per stored event: what 540 days of a customer's activity will cost in Redis. */
export async function accessLogBytesPerEvent(redis: Redis, events: number): Promise<number> {
  const { bytes } = await accessLogMemoryUsage(redis);
  return events > 0 ? bytes / events : 0;
}
