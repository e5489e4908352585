import type { Redis } from 'ioredis';
import type { CaseEvent } from '../src/cases/case-record.js';
import { DeadLetterStore, type Unrelayable } from '../src/dead-letters/dead-letter-store.js';
import type { Logger } from '../src/logger/logger.js';
import type { QueuedJob } from '../src/redis/job-options.js';
import { CASE_EVENTS_STREAM } from '../src/redis/keys.js';
import { probeWrite } from '../src/redis/redis-checks.js';

/** An entry a crashed relay read but never acknowledged is taken over after this long (by default). */
const CLAIM_IDLE_MS = 30_000;

export interface StreamRelayOptions<E, T> {
  stream: string;
  /** The consumer group: each group sees every entry once, whichever of its relays reads it. */
  group: string;
  /** Where the jobs go (a BullMQ queue). */
  queue: { addBulk(jobs: QueuedJob<T>[]): Promise<unknown> };
  /**
   * The job an entry (its `e` field, parsed JSON) becomes, its id derived from the entry; null when
   * this group has nothing to do with it. An entry that does not parse, that this throws on, or whose
   * job cannot be added (its data does not serialize) is parked in `<stream>:dead`.
   */
  jobFor: (entry: E) => QueuedJob<T> | null;
  /**
   * Told about entries about to be parked, before they are (so a crash in between tells again rather
   * than never): the alert. Its failure is logged; the entries are parked anyway.
   */
  onDeadLetters?: DeadLetterHandler;
  log: Logger;
  /** Delete relayed entries (the inbox) or keep them for other groups (case events). */
  deleteAfter: boolean;
  blockMs?: number;
  batch?: number;
  /** An entry read but not acknowledged this long (its relay crashed or gave up) is taken over; tests shorten it. */
  claimIdleMs?: number;
}

/** Entries of one relayed batch that are being moved aside. */
export interface DeadLetterBatch {
  stream: string;
  group: string;
  entries: { id: string; reason: string }[];
}

/** What a relay tells about entries it moves aside (workers/index.ts: the dead-letter alert). */
export type DeadLetterHandler = (batch: DeadLetterBatch) => Promise<void>;

/**
 * Moves entries from a Redis stream into a BullMQ queue, exactly once in effect: the one relay every
 * pipeline uses. Several worker processes run one each; the consumer group hands every entry to one of
 * them. An entry is acknowledged (and deleted, if asked) only after its job was added; a crash in between
 * re-delivers it, and the job id derived from the entry makes the second add a no-op.
 *
 * One bad entry never holds up its batch: whatever fails for that entry alone (its payload does not
 * parse, `jobFor` throws, its job cannot be serialized or added while Redis takes other writes) moves it
 * to `<stream>:dead` and the rest is relayed. A failure of Redis itself relays nothing and acknowledges
 * nothing: the batch is taken up again (by any relay) once its entries have been idle for 30 s.
 */
export class StreamRelay<E, T> {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly consumer = `relay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly claimIdleMs: number;

  private readonly deadLetters: DeadLetterStore;

  constructor(
    /** A dedicated connection: XREADGROUP blocks it. */
    private readonly redis: Redis,
    private readonly options: StreamRelayOptions<E, T>,
  ) {
    this.deadLetters = new DeadLetterStore(redis);
    this.claimIdleMs = options.claimIdleMs ?? CLAIM_IDLE_MS;
  }

  async start(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.options.stream, this.options.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    while (this.running) {
      try {
        if (Date.now() - lastClaim > this.claimIdleMs / 2) {
          lastClaim = Date.now();
          await this.claimAbandoned();
        }
        const res = (await this.redis.xreadgroup(
          'GROUP',
          this.options.group,
          this.consumer,
          'COUNT',
          this.options.batch ?? 500,
          'BLOCK',
          this.options.blockMs ?? 1000,
          'STREAMS',
          this.options.stream,
          '>',
        )) as [string, [string, string[]][]][] | null;
        const entries = res?.[0]?.[1];
        if (entries?.length) await this.relay(entries);
      } catch (err) {
        if (!this.running) break;
        this.options.log.warn({ err: (err as Error).message }, 'stream relay failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async claimAbandoned(): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.redis.xautoclaim(
        this.options.stream,
        this.options.group,
        this.consumer,
        this.claimIdleMs,
        cursor,
        'COUNT',
        500,
      )) as [string, [string, string[]][]];
      const live = entries.filter((e) => e?.[1]);
      if (live.length) {
        this.options.log.info({ count: live.length }, 'relaying entries abandoned by another worker');
        await this.relay(live);
      }
      cursor = next;
    } while (cursor !== '0-0' && this.running);
  }

  private async relay(raw: [string, string[]][]): Promise<void> {
    const { stream, group } = this.options;
    const entries = raw.map(([id, fields]) => ({ id, payload: fields[fields.indexOf('e') + 1] ?? '' }));
    const jobs: { entry: (typeof entries)[number]; job: QueuedJob<T> }[] = [];
    const dead: Unrelayable[] = [];
    for (const entry of entries) {
      try {
        const job = this.options.jobFor(JSON.parse(entry.payload) as E);
        if (job) jobs.push({ entry, job });
      } catch (err) {
        // Cannot happen for entries this service wrote; retrying would only block the stream behind it.
        dead.push({ ...entry, reason: `unreadable entry: ${brief(err)}` });
      }
    }
    if (jobs.length) {
      try {
        await this.options.queue.addBulk(jobs.map((j) => j.job));
      } catch (err) {
        // One job that cannot be added fails the whole bulk add (BullMQ serializes all, then sends one
        // MULTI): find which, one at a time. Ids make re-adding those that did go in a no-op.
        this.options.log.warn({ stream, err: (err as Error).message }, 'batch add failed; adding one by one');
        for (const { entry, job } of jobs) {
          const reason = await this.addAlone(job);
          if (reason) dead.push({ ...entry, reason: `job could not be added: ${reason}` });
        }
      }
    }
    if (dead.length) await this.reportDead(dead);
    const ids = entries.map((e) => e.id);
    const tx = this.redis.multi();
    // Never silently dropped: kept for an operator to look at, in the transaction that acknowledges them.
    this.deadLetters.park(tx, stream, group, dead);
    tx.xack(stream, group, ...ids);
    if (this.options.deleteAfter) tx.xdel(stream, ...ids);
    await tx.exec();
  }

  /**
   * Adds one job; null when it went in. A failure is the entry's own only if the add fails again while
   * Redis demonstrably takes writes: otherwise (Redis down, full, read-only) this throws, the batch stays
   * unacknowledged and nothing is parked for a fault that is not the entry's.
   */
  private async addAlone(job: QueuedJob<T>): Promise<string | null> {
    try {
      await this.options.queue.addBulk([job]);
      return null;
    } catch (first) {
      const redisProblem = await probeWrite(this.redis);
      if (redisProblem) throw first;
      try {
        await this.options.queue.addBulk([job]);
        return null;
      } catch (err) {
        return brief(err);
      }
    }
  }

  private async reportDead(dead: Unrelayable[]): Promise<void> {
    const { stream, group, log } = this.options;
    const entries = dead.map((d) => ({ id: d.id, reason: d.reason }));
    log.error({ stream, group, entries }, 'stream entries moved to the dead-letter stream');
    await this.options
      .onDeadLetters?.({ stream, group, entries })
      .catch((err: Error) => log.error({ stream, err: err.message }, 'could not alert about dead letters'));
  }
}

/** An error's message for a dead letter's reason, cut to 300 characters (some quote the payload). */
function brief(err: unknown): string {
  const m = String((err as Error)?.message ?? err);
  return m.length > 300 ? `${m.slice(0, 300)}…` : m;
}

/**
 * How an automation subscribes to the case events (the extension point every automation uses): a
 * consumer group of its own on `da:case-events`, so each sees every event, and entries stay for the
 * others. `jobFor` picks the events it acts on.
 */
export function caseEventsRelay<T>(
  redis: Redis,
  options: Pick<
    StreamRelayOptions<CaseEvent, T>,
    'group' | 'queue' | 'jobFor' | 'log' | 'claimIdleMs' | 'onDeadLetters'
  >,
) {
  return new StreamRelay<CaseEvent, T>(redis, { ...options, stream: CASE_EVENTS_STREAM, deleteAfter: false });
}
