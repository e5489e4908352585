import type { Redis } from 'ioredis';
import type { CaseEvent } from '../src/cases/case-record.js';
import type { Logger } from '../src/logger/logger.js';
import type { QueuedJob } from '../src/redis/job-options.js';
import { CASE_EVENTS_STREAM, deadLetterStream } from '../src/redis/keys.js';

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
   * this group has nothing to do with it. An entry that does not parse, or that this throws on, is
   * parked in `<stream>:dead`.
   */
  jobFor: (entry: E) => QueuedJob<T> | null;
  log: Logger;
  /** Delete relayed entries (the inbox) or keep them for other groups (case events). */
  deleteAfter: boolean;
  blockMs?: number;
  batch?: number;
  /** How long an entry a crashed relay read stays its own before another relay takes it over. */
  claimIdleMs?: number;
}

/**
 * Moves entries from a Redis stream into a BullMQ queue, exactly once in effect: the one relay every
 * pipeline uses. Several worker processes run one each; the consumer group hands every entry to one of
 * them. An entry is acknowledged (and deleted, if asked) only after its job was added; a crash in between
 * re-delivers it, and the job id derived from the entry makes the second add a no-op.
 */
export class StreamRelay<E, T> {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly consumer = `relay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly claimIdleMs: number;

  constructor(
    /** A dedicated connection: XREADGROUP blocks it. */
    private readonly redis: Redis,
    private readonly options: StreamRelayOptions<E, T>,
  ) {
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
    const entries = raw.map(([id, fields]) => ({ id, payload: fields[fields.indexOf('e') + 1] ?? '' }));
    const jobs: QueuedJob<T>[] = [];
    const unreadable = new Set<string>();
    for (const e of entries) {
      try {
        const job = this.options.jobFor(JSON.parse(e.payload) as E);
        if (job) jobs.push(job);
      } catch (err) {
        // Cannot happen for entries this service wrote; retrying would only block the stream behind it.
        this.options.log.error(
          { stream: this.options.stream, streamId: e.id, err: (err as Error).message },
          'unreadable stream entry moved to the dead-letter stream',
        );
        unreadable.add(e.id);
      }
    }
    if (jobs.length) await this.options.queue.addBulk(jobs);
    const ids = entries.map((e) => e.id);
    const tx = this.redis.multi();
    for (const e of entries) {
      // Never silently dropped: kept for an operator to look at.
      if (unreadable.has(e.id))
        tx.xadd(deadLetterStream(this.options.stream), '*', 'id', e.id, 'e', e.payload);
    }
    tx.xack(this.options.stream, this.options.group, ...ids);
    if (this.options.deleteAfter) tx.xdel(this.options.stream, ...ids);
    await tx.exec();
  }
}

/**
 * How an automation subscribes to the case events (the extension point every automation uses): a
 * consumer group of its own on `da:case-events`, so each sees every event, and entries stay for the
 * others. `jobFor` picks the events it acts on.
 */
export function caseEventsRelay<T>(
  redis: Redis,
  options: Pick<StreamRelayOptions<CaseEvent, T>, 'group' | 'queue' | 'jobFor' | 'log' | 'claimIdleMs'>,
) {
  return new StreamRelay<CaseEvent, T>(redis, { ...options, stream: CASE_EVENTS_STREAM, deleteAfter: false });
}
