import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { INBOX_STREAM_KEY } from '../src/intake/event-inbox.js';
import type { Logger } from '../src/logger/logger.js';
import { jobIdForWebhook, type WhopEventJob, whopEventJobOptions } from '../src/queue/whop-events-queue.js';

const GROUP = 'relay';
/** An entry a crashed relay read but never acknowledged is taken over after this long. */
const CLAIM_IDLE_MS = 30_000;

type StreamEntries = [id: string, fields: string[]][];

/**
 * Moves stored webhook events from the intake stream into the BullMQ queue. Several worker processes run
 * one each: the consumer group hands every entry to exactly one of them. An entry is deleted only after
 * its job exists; a crash in between re-relays it, and the job id (from the webhook id) makes that a no-op.
 */
export class InboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly consumer = `relay-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    /** A dedicated connection: XREADGROUP blocks it. */
    private readonly redis: Redis,
    private readonly queue: Queue<WhopEventJob>,
    private readonly log: Logger,
    private readonly options: { streamKey?: string; blockMs?: number; batch?: number } = {},
  ) {}

  private get stream() {
    return this.options.streamKey ?? INBOX_STREAM_KEY;
  }

  async start(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.stream, GROUP, '0', 'MKSTREAM');
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
          GROUP,
          this.consumer,
          'COUNT',
          this.options.batch ?? 500,
          'BLOCK',
          this.options.blockMs ?? 1000,
          'STREAMS',
          this.stream,
          '>',
        )) as [string, StreamEntries][] | null;
        const entries = res?.[0]?.[1];
        if (entries?.length) await this.relay(entries);
      } catch (err) {
        if (!this.running) break;
        this.log.warn({ err: (err as Error).message }, 'inbox relay failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async claimAbandoned(): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.redis.xautoclaim(
        this.stream,
        GROUP,
        this.consumer,
        CLAIM_IDLE_MS,
        cursor,
        'COUNT',
        500,
      )) as [string, StreamEntries, string[]?];
      if (entries.length) {
        this.log.info({ count: entries.length }, 'relaying entries abandoned by another worker');
        await this.relay(entries.filter((e) => e?.[1]));
      }
      cursor = next;
    } while (cursor !== '0-0' && this.running);
  }

  private async relay(entries: StreamEntries): Promise<void> {
    const jobs = [];
    const ids: string[] = [];
    const unreadable: [string, string][] = [];
    for (const [id, fields] of entries) {
      ids.push(id);
      const raw = fields[fields.indexOf('e') + 1];
      let data: WhopEventJob;
      try {
        data = JSON.parse(raw ?? '') as WhopEventJob;
      } catch {
        // Cannot happen for entries the intake wrote (it stores parsed JSON); parked, never silently dropped.
        this.log.error({ streamId: id }, 'unreadable inbox entry moved to the dead-letter stream');
        unreadable.push([id, raw ?? '']);
        continue;
      }
      jobs.push({
        name: data.event.type,
        data,
        opts: { ...whopEventJobOptions, jobId: jobIdForWebhook(data.webhookId) },
      });
    }
    if (jobs.length) await this.queue.addBulk(jobs);
    const tx = this.redis.multi();
    for (const [id, raw] of unreadable) tx.xadd(`${this.stream}:dead`, '*', 'id', id, 'e', raw);
    await tx
      .xack(this.stream, GROUP, ...ids)
      .xdel(this.stream, ...ids)
      .exec();
  }
}
