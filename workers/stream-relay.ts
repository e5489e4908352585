import type { Redis } from 'ioredis';
import type { Logger } from '../src/logger/logger.js';
import { deadLetterStream } from '../src/redis/keys.js';

/** An entry a crashed relay read but never acknowledged is taken over after this long. */
const CLAIM_IDLE_MS = 30_000;

export type StreamEntry = { id: string; payload: string };

/**
 * Moves entries from a Redis stream into a queue, exactly once in effect. Several worker processes run
 * one each; the consumer group hands every entry to one of them. An entry is acknowledged and deleted
 * only after `deliver` succeeded; a crash in between re-delivers it, so `deliver` must be idempotent
 * (the relays give each job an id derived from the entry, which BullMQ ignores when it already exists).
 */
export class StreamRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly consumer = `relay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    /** A dedicated connection: XREADGROUP blocks it. */
    private readonly redis: Redis,
    private readonly options: {
      stream: string;
      group: string;
      /** Takes the batch; returns the ids it could not read at all (parked in `<stream>:dead`). */
      deliver: (entries: StreamEntry[]) => Promise<string[]>;
      log: Logger;
      /** Delete delivered entries (the inbox) or keep them for other groups (case events). */
      deleteAfter: boolean;
      blockMs?: number;
      batch?: number;
    },
  ) {}

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
        if (Date.now() - lastClaim > CLAIM_IDLE_MS / 2) {
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
        CLAIM_IDLE_MS,
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
    const unreadable = new Set(await this.options.deliver(entries));
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
