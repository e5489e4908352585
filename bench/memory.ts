/**
 * Redis memory per thing an operator sizes for, measured in one run on one throwaway redis-server:
 * `MEMORY USAGE <key> SAMPLES 0` summed over every key in the database before and after each step (so
 * shared keys — streams, indexes, sorted sets — count by how much they grew), divided by the count.
 * 1. case records: open disputes written as the reconciler writes a first read (record, timeline, fired
 *    set, due-date and company indexes, and their `da:case-events` entries);
 * 2. reminders and alert deliveries: each record's `dispute.needs_response` case event through the real
 *    AlertDispatcher (three reminders as delayed jobs + one queued delivery job);
 * 3. alerts, once delivered: an alerts worker drains the deliveries (no channel: the `log` destination);
 *    what stays is the sent marker and the delivery logs, plus the completed job BullMQ keeps (bounded);
 * 4. access events: realistic events for a few hundred customers (the access-events bench's generator).
 */
import type { Redis } from 'ioredis';
import { AccessEventStore } from '../src/access-events/access-event-store.js';
import { parseAccessEvents } from '../src/access-events/parse-access-events.js';
import { createAlertsQueue } from '../src/alerts/alerts-queue.js';
import type { CaseEvent } from '../src/cases/case-record.js';
import { createLogger } from '../src/logger/logger.js';
import { createWorkerRedis } from '../src/redis/connection.js';
import { CaseStore } from '../src/store/case-store.js';
import { seededRandom } from '../test/support/builders/ordering.js';
import { RedisServerProcess } from '../test/support/redis-server.js';
import { createAlertsWorker } from '../workers/alerts-worker.js';
import { makeCustomers, makeRawEvents } from './access-events.js';
import { waitUntil } from './lib.js';
import { logOnlyDispatcher, openDispute, pool, storeFirstRead } from './records.js';

const ITEMS = Number(process.env.BENCH_MEMORY_ITEMS ?? 10_000);
const ACCESS_EVENTS = Number(process.env.BENCH_MEMORY_ACCESS_EVENTS ?? 50_000);
const ACCESS_CUSTOMERS = 500;
const OFFSETS_MS = [72 * 3_600_000, 24 * 3_600_000, 6 * 3_600_000];
const DAY = 86_400_000;

/** Every key's MEMORY USAGE, bytes. */
async function usageByKey(redis: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 5000);
    cursor = next;
    if (!keys.length) continue;
    const pipe = redis.pipeline();
    for (const k of keys) pipe.memory('USAGE', k, 'SAMPLES', 0);
    ((await pipe.exec()) ?? []).forEach(([err, bytes], i) => {
      if (err) throw err;
      out.set(keys[i]!, Number(bytes ?? 0));
    });
  } while (cursor !== '0');
  return out;
}

/** A key's family: ids and numbers replaced, so `da:case:dspt_bench0000001` reads `da:case:*`. */
function family(key: string): string {
  return key
    .replace(/[^:]+@[^:]+/g, '*')
    .replace(/[a-z]+_[A-Za-z0-9]{4,}/g, '*')
    .replace(/\d{4,}/g, '#')
    .replace(/(\*[^:]*)+/g, '*');
}

export interface MemoryRow {
  what: string;
  count: number;
  bytes: number;
  perItem: number;
  /** Growth by key family, bytes. */
  families: [string, number][];
}

function diff(
  what: string,
  count: number,
  before: Map<string, number>,
  after: Map<string, number>,
): MemoryRow {
  const byFamily = new Map<string, number>();
  for (const [k, b] of after) {
    const grew = b - (before.get(k) ?? 0);
    if (grew !== 0) byFamily.set(family(k), (byFamily.get(family(k)) ?? 0) + grew);
  }
  for (const [k, b] of before) if (!after.has(k)) byFamily.set(family(k), (byFamily.get(family(k)) ?? 0) - b);
  const bytes = [...byFamily.values()].reduce((a, b) => a + b, 0);
  const families = [...byFamily].sort((a, b) => b[1] - a[1]);
  return { what, count, bytes, perItem: bytes / count, families };
}

export async function runMemoryBench() {
  const server = await RedisServerProcess.start();
  const command = createWorkerRedis(server.url);
  const log = createLogger('silent');
  const store = new CaseStore(command);
  const queue = createAlertsQueue(command);
  const dispatcher = logOnlyDispatcher(
    { redis: command, store, queue, log },
    { reminderOffsetsMs: OFFSETS_MS },
  );
  const rows: MemoryRow[] = [];
  try {
    await queue.waitUntilReady();
    // 1. Case records.
    let before = await usageByKey(command);
    const events: CaseEvent[] = new Array(ITEMS);
    await pool(ITEMS, 128, async (i) => {
      const fired = await storeFirstRead(store, 'dispute', openDispute(i, Date.now() + 7 * DAY - i * 1000));
      events[i] = fired.find((e) => e.type === 'dispute.needs_response')!;
    });
    let after = await usageByKey(command);
    rows.push(diff('case record (open dispute)', ITEMS, before, after));

    // 2. Reminders (+ the queued Chargeback alert delivery each also gets).
    before = after;
    await pool(ITEMS, 128, async (i) => {
      if ((await dispatcher.onCaseEvent(events[i]!)) !== 'done') throw new Error('onCaseEvent not done');
    });
    after = await usageByKey(command);
    const scheduled = diff('3 reminders + 1 queued alert delivery', ITEMS, before, after);
    const delayed = await queue.getDelayedCount();
    const waiting = await queue.getWaitingCount();
    // Split: reminder jobs are the delayed ones, the delivery jobs the waiting ones.
    const reminderIds = new Set((await queue.getDelayed(0, -1)).map((j) => `bull:alerts:${j.id}`));
    let reminderBytes = Number(await command.memory('USAGE', 'bull:alerts:delayed', 'SAMPLES', 0));
    for (const [k, b] of after) if (reminderIds.has(k)) reminderBytes += b;
    rows.push({
      what: 'reminder (delayed job + its delayed-set entry)',
      count: delayed,
      bytes: reminderBytes,
      perItem: reminderBytes / delayed,
      families: [],
    });
    rows.push({
      what: 'alert delivery while queued (job + wait-list entry)',
      count: waiting,
      bytes: scheduled.bytes - reminderBytes,
      perItem: (scheduled.bytes - reminderBytes) / waiting,
      families: [],
    });

    // 3. Alerts once delivered.
    before = after;
    const workerRedis = createWorkerRedis(server.url);
    const worker = createAlertsWorker(workerRedis, dispatcher, log);
    await waitUntil(
      async () => (await queue.getWaitingCount()) + (await queue.getActiveCount()) === 0,
      10 * 60_000,
      'alert deliveries drained',
      250,
    );
    await worker.close();
    workerRedis.disconnect();
    after = await usageByKey(command);
    const delivered = diff('alert delivered', waiting, before, after);
    rows.push(delivered);

    // 4. Access events.
    before = after;
    const rand = seededRandom(42);
    const raw = makeRawEvents(ACCESS_EVENTS, makeCustomers(ACCESS_CUSTOMERS, rand), rand);
    const { accepted } = parseAccessEvents(raw.map((e) => JSON.stringify(e)).join('\n'));
    const access = new AccessEventStore(command, { retentionDays: 540 });
    let stored = 0;
    for (let i = 0; i < accepted.length; i += 1000)
      stored += (await access.add(accepted.slice(i, i + 1000))).stored;
    after = await usageByKey(command);
    rows.push(diff(`access event (${ACCESS_CUSTOMERS} customers)`, stored, before, after));
    for (const r of rows)
      console.log(`${r.what}: ${Math.round(r.perItem)} B each ${JSON.stringify(r.families.slice(0, 6))}`);
    return { rows, items: ITEMS };
  } finally {
    await queue.close();
    command.disconnect();
    await server.destroy();
  }
}

export function memoryMarkdown(r: Awaited<ReturnType<typeof runMemoryBench>>): string {
  const fams = (row: MemoryRow) =>
    row.families
      .filter(([, b]) => Math.abs(b) / row.count >= 5)
      .map(([f, b]) => `\`${f}\` ${Math.round(b / row.count)}`)
      .join(', ');
  return [
    `One redis-server, one run: ${r.items} open disputes stored as the reconciler stores a first read; then each one's \`dispute.needs_response\` case event through the real \`AlertDispatcher\` (reminders at 72 h, 24 h and 6 h, no channel: alerts go to the \`log\` destination); then an alerts worker delivering the queued alerts; then ${ACCESS_EVENTS} realistic access events for ${ACCESS_CUSTOMERS} customers. Bytes are \`MEMORY USAGE … SAMPLES 0\` summed over every key before and after each step (keys shared by many items count by how much they grew).`,
    '',
    '| what | count | Redis bytes | **bytes each** | where (bytes each, by key family) |',
    '|---|---|---|---|---|',
    ...r.rows.map(
      (row) =>
        `| ${row.what} | ${row.count} | ${row.bytes} | **${Math.round(row.perItem)}** | ${fams(row)} |`,
    ),
    '',
    'What lasts: a case record stays for good (it is the history); a reminder until it fires; an alert delivery job while queued. Of an alert once delivered, only the sent marker (`da:alert-sent:*`, one per alert and channel, 90 days) grows with the number of alerts: the completed job BullMQ keeps (`bull:alerts:*` and its `bull:alerts:completed` entry) is bounded at 20,000 jobs and 7 days, and the delivery logs (`da:alerts:sent` …) at the latest 1,000. Access events stay for `ACCESS_LOG_RETENTION_DAYS`; their bytes per event fall a little as each customer has more of them (per-customer keys are shared).',
  ].join('\n');
}
