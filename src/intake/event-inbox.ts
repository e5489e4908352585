import type { Redis } from 'ioredis';
import { INBOX_STREAM, WEBHOOK_SEEN_PREFIX } from '../redis/keys.js';

/** Whop stops retrying after ~70 s, but it may replay old events by hand: remember delivery ids for 7 days. */
export const DEDUPE_TTL_SECONDS = 7 * 24 * 60 * 60;

const MAX_BATCH = 256;

/** What the HTTP intake stores for each verified delivery; the relay turns it into a BullMQ job. */
export interface InboxEntry {
  webhookId: string;
  /** The verified request body, exactly as received (it is JSON: we parsed it before storing). */
  rawEvent: string;
  receivedAt: string;
  /** `webhook-timestamp` of this attempt, Unix seconds. */
  attemptTimestamp: number;
}

export type InboxResult = 'accepted' | 'duplicate';

/**
 * For each (id, entry) pair: remember the id for the TTL, and only if it was new append the entry to the
 * stream. Atomic, so a crash can never leave an id marked seen without its event stored (or the reverse).
 */
const STORE_SCRIPT = `
local ttl = ARGV[1]
local out = {}
local n = (#ARGV - 1) / 2
for i = 1, n do
  local id = ARGV[2 * i]
  if redis.call('SET', KEYS[2] .. id, '1', 'NX', 'EX', ttl) then
    redis.call('XADD', KEYS[1], '*', 'e', ARGV[2 * i + 1])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
`;

interface Pending {
  entry: InboxEntry;
  resolve: (r: InboxResult) => void;
  reject: (e: unknown) => void;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    storeInboxEntries(
      streamKey: string,
      dedupePrefix: string,
      ...args: (string | number)[]
    ): import('ioredis').Result<number[], Context>;
  }
}

/**
 * The durable front of the pipeline. Concurrent requests that arrive in the same event-loop tick share one
 * Redis round trip (one script call), which is what keeps intake throughput close to a bare endpoint.
 */
export class EventInbox {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: {
      streamKey?: string;
      dedupePrefix?: string;
      dedupeTtlSeconds?: number;
      onFlush?: (seconds: number, size: number) => void;
    } = {},
  ) {
    if (!redis.storeInboxEntries) {
      redis.defineCommand('storeInboxEntries', { numberOfKeys: 2, lua: STORE_SCRIPT });
    }
  }

  /** Resolves once Redis has the entry (or already had its id); rejects if Redis could not take it. */
  add(entry: InboxEntry): Promise<InboxResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    // Bounded so one script call never holds Redis for long, even under a burst of large bodies.
    const batch = this.pending.splice(0, MAX_BATCH);
    this.scheduled = this.pending.length > 0;
    if (this.scheduled) setImmediate(() => this.flush());
    const args: (string | number)[] = [this.options.dedupeTtlSeconds ?? DEDUPE_TTL_SECONDS];
    for (const { entry } of batch) args.push(entry.webhookId, serializeEntry(entry));
    const started = performance.now();
    try {
      const results = await this.redis.storeInboxEntries(
        this.options.streamKey ?? INBOX_STREAM,
        this.options.dedupePrefix ?? WEBHOOK_SEEN_PREFIX,
        ...args,
      );
      this.options.onFlush?.((performance.now() - started) / 1000, batch.length);
      batch.forEach((p, i) => {
        p.resolve(results[i] === 1 ? 'accepted' : 'duplicate');
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}

/** Built by hand so the event body is not parsed and re-serialized on the hot path. */
export function serializeEntry(entry: InboxEntry): string {
  return `{"webhookId":${JSON.stringify(entry.webhookId)},"receivedAt":"${entry.receivedAt}","attemptTimestamp":${entry.attemptTimestamp},"event":${entry.rawEvent}}`;
}
