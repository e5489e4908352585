import type { ChainableCommander, Redis } from 'ioredis';
import { CASE_EVENTS_STREAM, deadLetterStream, INBOX_STREAM } from '../redis/keys.js';

/**
 * Entries a stream relay could not turn into a job (a body no job can be serialized from, a payload
 * that does not parse…): moved aside so the rest of their batch goes on, and kept for an operator, since
 * each is an event nobody acted on. Written by the relays (workers/stream-relay.ts), listed by
 * `GET /api/dead-letters`, counted by `/readyz`.
 */

/** The streams whose relays move entries aside (each `<stream>:dead`, see src/redis/keys.ts). */
export const DEAD_LETTER_SOURCES = [INBOX_STREAM, CASE_EVENTS_STREAM] as const;

/**
 * Kept per dead-letter stream (approximately: Redis trims whole nodes). A flood of poison entries must
 * not fill the Redis every event needs; the alert names the first of each batch.
 */
export const MAX_DEAD_LETTERS = 10_000;

/** How much of an entry's payload `GET /api/dead-letters` shows (characters). */
export const PREVIEW_CHARS = 1_000;

/** One entry moved aside, as the API lists it. Times are ISO 8601, UTC. */
export interface DeadLetter {
  /** The stream it came from, and the consumer group that could not relay it. */
  stream: string;
  group: string;
  /** Its id in that stream. */
  entryId: string;
  /** Its id in the dead-letter stream (its time is when it was moved aside). */
  id: string;
  movedAt: string;
  reason: string;
  /** The payload's length in characters, and its start (never parsed: it may be what could not be). */
  length: number;
  preview: string;
}

/** An entry a relay gives up on: its id and payload as read, and why. */
export interface Unrelayable {
  id: string;
  payload: string;
  reason: string;
}

export class DeadLetterStore {
  constructor(private readonly redis: Redis) {}

  /**
   * Queues on `tx` (the relay's acknowledging transaction, so an entry is never both acknowledged and
   * not parked) the commands that park `entries` of `stream`, read by `group`, in `<stream>:dead`:
   * fields `id`, `e` (the payload, unchanged), `group`, `reason`.
   */
  park(tx: ChainableCommander, stream: string, group: string, entries: readonly Unrelayable[]): void {
    for (const e of entries) {
      tx.xadd(
        deadLetterStream(stream),
        'MAXLEN',
        '~',
        MAX_DEAD_LETTERS,
        '*',
        'id',
        e.id,
        'e',
        e.payload,
        'group',
        group,
        'reason',
        e.reason,
      );
    }
  }

  /** How many entries each source stream has moved aside, and in all (one round trip). */
  async counts(): Promise<{ total: number; byStream: Record<string, number> }> {
    const pipe = this.redis.pipeline();
    for (const s of DEAD_LETTER_SOURCES) pipe.xlen(deadLetterStream(s));
    const results = (await pipe.exec()) ?? [];
    const byStream: Record<string, number> = {};
    let total = 0;
    DEAD_LETTER_SOURCES.forEach((s, i) => {
      const [err, n] = results[i] ?? [null, 0];
      if (err) throw err;
      byStream[s] = Number(n);
      total += Number(n);
    });
    return { total, byStream };
  }

  /** The newest `limit` entries moved aside, of all sources, newest first. */
  async recent(limit: number): Promise<DeadLetter[]> {
    const all = await Promise.all(
      DEAD_LETTER_SOURCES.map(async (stream) => {
        const rows = await this.redis.xrevrange(deadLetterStream(stream), '+', '-', 'COUNT', limit);
        return rows.map(([id, fields]) => toDeadLetter(stream, id, fields));
      }),
    );
    return all
      .flat()
      .sort((a, b) => compareStreamIds(b.id, a.id))
      .slice(0, limit);
  }
}

/** Stream ids are `<ms>-<seq>`: compared as numbers, part by part. */
function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

const streamIdMs = (id: string) => Number(id.split('-')[0]);

function toDeadLetter(stream: string, id: string, fields: string[]): DeadLetter {
  const field = (name: string) => {
    for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1] ?? '';
    return '';
  };
  const payload = field('e');
  return {
    stream,
    // Entries parked before groups and reasons were recorded have neither.
    group: field('group') || 'unknown',
    entryId: field('id'),
    id,
    movedAt: new Date(streamIdMs(id)).toISOString(),
    reason: field('reason') || 'unreadable entry',
    length: payload.length,
    preview: payload.length > PREVIEW_CHARS ? `${payload.slice(0, PREVIEW_CHARS)}…` : payload,
  };
}
