/**
 * Reminders at scale: 100,000 open disputes with three reminders each.
 * 1. Redis memory (`INFO memory` used_memory, plus `MEMORY USAGE` per key family) for the case records,
 *    then for the reminders the real AlertDispatcher schedules as delayed BullMQ jobs.
 * 2. How late reminders start (BullMQ's own `processedOn` against `timestamp + opts.delay`) and how late
 *    their alert is delivered, when all 300,000 fall due within about 75 seconds and two in-process
 *    alerts workers (`createAlertsWorker`, default concurrency) take them.
 * Everything is real — CaseStore, AlertDispatcher, alerts queue and worker — on a throwaway redis-server.
 */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { type AlertJob, alertJobOptions, createAlertsQueue } from '../src/alerts/alerts-queue.js';
import { reminderKey } from '../src/alerts/reminder-schedule.js';
import type { CaseEvent } from '../src/cases/case-record.js';
import { fromWhop } from '../src/cases/from-whop.js';
import { mergeSnapshot } from '../src/cases/merge-snapshot.js';
import { toCaseEvent, transitionsFor } from '../src/cases/transitions.js';
import { createLogger } from '../src/logger/logger.js';
import { createWorkerRedis } from '../src/redis/connection.js';
import { ALERT_SENT_PREFIX, CASE_EVENTS_STREAM } from '../src/redis/keys.js';
import { CaseStore } from '../src/store/case-store.js';
import { RedisServerProcess } from '../test/support/redis-server.js';
import { createAlertsWorker } from '../workers/alerts-worker.js';
import { logOnlyDispatcher, pool } from './records.js';

const ITEMS = Number(process.env.BENCH_REMINDER_ITEMS ?? 100_000);
/**
 * 6 h + 50 s, 6 h + 25 s and 6 h, not 72h/24h/6h: an item's reminders fall due at `due − offset`, so
 * with 72h/24h/6h its three are 66 h apart and cannot all fall due in one short window. Offsets 25 s
 * apart can; the 6 h keeps each reminder hours before its due date, as in production, so a late one is
 * still sent (`composeReminder` drops a reminder whose due date has passed). A delayed job costs the
 * same whatever its delay (a job hash and a sorted-set entry), so only the density of due moments differs.
 */
const OFFSETS_MS = [6 * 3_600_000 + 50_000, 6 * 3_600_000 + 25_000, 6 * 3_600_000];
/** Due dates spread over 25 s: with offsets 25 s apart the 300,000 moments are uniform over 75 s. */
const SPREAD_MS = 25_000;
const WINDOW_MS = Math.max(...OFFSETS_MS) - Math.min(...OFFSETS_MS) + SPREAD_MS;
/** From the end of scheduling to the first due reminder. */
const LEAD_MS = 30_000;
const WORKERS = 2;
/** onCaseEvent / store.apply calls in flight during setup. */
const IN_FLIGHT = 256;
const COMPANIES = 50;
const REASONS = ['Product Not Received', 'Fraudulent', 'Subscription Canceled', 'Product Unacceptable'];
/** Guard: gives up waiting for reminders after this long. */
const MAX_WAIT_MS = 12 * 60_000;

export interface LatencyStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RemindersResult {
  items: number;
  reminders: number;
  offsetsMs: number[];
  windowMs: number;
  workers: number;
  concurrency: number;
  setup: { recordsMs: number; scheduleMs: number; leadMs: number; alertBacklogDrainedMs: number | null };
  memory: {
    empty: number;
    afterRecords: number;
    afterScheduling: number;
    afterFiring: number;
    /** MEMORY USAGE sums, bytes. */
    caseEventsStream: number;
    reminderJobs: number;
    delayedIndex: number;
    alertJobs: number;
    waitList: number;
    keys: { afterScheduling: number; afterFiring: number };
    completedRetained: number;
    sentMarkers: number;
  };
  start: LatencyStats;
  delivered: LatencyStats;
  /** First due moment → last reminder started. */
  spanMs: number;
  completedReminders: number;
  deliveredReminders: number;
  failed: number;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)![1]);
}

async function memoryUsage(redis: Redis, keys: string[]): Promise<number> {
  let sum = 0;
  for (let i = 0; i < keys.length; i += 5000) {
    const pipe = redis.pipeline();
    for (const k of keys.slice(i, i + 5000)) pipe.memory('USAGE', k, 'SAMPLES', 0);
    for (const [err, bytes] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      sum += Number(bytes ?? 0);
    }
  }
  return sum;
}

function stats(xs: number[]): LatencyStats {
  const s = Float64Array.from(xs).sort();
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! : 0);
  return { count: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.length ? s[s.length - 1]! : 0 };
}

/** A Whop dispute as `disputes.retrieve` returns it, with only what we keep. */
function whopDispute(i: number, dueAt: number, createdAt: number): Record<string, unknown> {
  const n = String(i).padStart(6, '0');
  return {
    id: `dspt_bench${n}`,
    status: 'needs_response',
    amount: 19 + (i % 7) * 10,
    currency: 'usd',
    reason: REASONS[i % REASONS.length],
    needs_response_by: new Date(dueAt).toISOString(),
    created_at: new Date(createdAt).toISOString(),
    editable: true,
    visa_rdr: false,
    company: { id: `biz_bench${i % COMPANIES}`, title: `Bench Company ${i % COMPANIES}` },
    payment: {
      id: `pay_bench${n}`,
      payment_method_type: 'card',
      user: { id: `user_bench${n}`, email: `buyer${n}@example.com` },
    },
  };
}

export async function runRemindersBench(): Promise<RemindersResult> {
  const redisServer = await RedisServerProcess.start();
  const command = createWorkerRedis(redisServer.url);
  const workerConnections = Array.from({ length: WORKERS }, () => createWorkerRedis(redisServer.url));
  const queue = createAlertsQueue(command);
  const log = createLogger('silent');
  const store = new CaseStore(command);
  // The dispatcher's clock runs `skew` ahead of the wall clock. Due dates are written with the records,
  // before we know how long scheduling will take; the skew, set when scheduling starts, puts the first
  // due reminder LEAD_MS after scheduling is expected to end. BullMQ delays are `due − offset − now()`,
  // so jobs fall due on the wall clock at `due − offset − skew`.
  let skew = 0;
  const dispatcher = logOnlyDispatcher(
    { redis: command, store, queue, log },
    { reminderOffsetsMs: OFFSETS_MS, now: () => new Date(Date.now() + skew) },
  );
  const workers: ReturnType<typeof createAlertsWorker>[] = [];
  try {
    await queue.waitUntilReady();
    const empty = await usedMemory(command);

    // 1. The records, as the reconciler writes a dispute first read as needs_response.
    const virtualWindow = Date.now() + 3_600_000;
    const maxOffset = Math.max(...OFFSETS_MS);
    const dueOf = (i: number) => virtualWindow + maxOffset + Math.floor((i * SPREAD_MS) / ITEMS);
    const events: CaseEvent[] = new Array(ITEMS);
    const t0 = performance.now();
    await pool(ITEMS, IN_FLIGHT, async (i) => {
      const observedAt = new Date().toISOString();
      const snap = fromWhop('dispute', whopDispute(i, dueOf(i), Date.now() - 3_600_000));
      const merged = mergeSnapshot(undefined, snap, observedAt, 'webhook');
      const record = merged.record;
      const transitions = transitionsFor(undefined, record).map((t) => ({
        key: t.key,
        event: toCaseEvent(t, undefined, record, observedAt, 'webhook'),
      }));
      const needs = transitions.find((t) => t.event.type === 'dispute.needs_response');
      if (!needs) throw new Error('a needs_response dispute did not fire dispute.needs_response');
      events[i] = needs.event;
      await store.apply(0, record, { at: observedAt, source: 'webhook', change: 'created' }, transitions);
    });
    const recordsMs = performance.now() - t0;
    const afterRecords = await usedMemory(command);
    const caseEventsStream = Number(await command.memory('USAGE', CASE_EVENTS_STREAM, 'SAMPLES', 0));
    console.log(`${ITEMS} records in ${Math.round(recordsMs)} ms`);

    // 2. Reminders, through onCaseEvent and onOpening as the alerts worker calls them for each case event. Scheduling
    // costs 7–10 times as much per item as writing a record (measured, growing with the count); plus a margin.
    const scheduleEstimate = Math.max(20_000, recordsMs * 12);
    const scheduleStart = Date.now();
    const windowStart = Math.round(scheduleStart + scheduleEstimate + LEAD_MS);
    skew = virtualWindow - windowStart;
    const t1 = performance.now();
    await pool(ITEMS, IN_FLIGHT, async (i) => {
      if ((await dispatcher.onCaseEvent(events[i]!)) !== 'done') throw new Error('not done');
      // The opening job it queued, run here as the worker would after the coalescing window: it sends
      // the opening message and schedules the reminders (issue 12). The queued job, run again by the
      // workers later, finds both done (the same ids).
      if ((await dispatcher.onOpening(events[i]!)) !== 'done') throw new Error('opening not done');
    });
    const scheduleMs = performance.now() - t1;
    const scheduledEnd = Date.now();
    const counts = await queue.getJobCounts('delayed', 'waiting');
    const reminders = counts.delayed ?? 0;
    console.log(
      `scheduled ${reminders} reminders (+${counts.waiting} alert deliveries) in ${Math.round(scheduleMs)} ms; first due in ${windowStart - scheduledEnd} ms`,
    );
    if (reminders !== ITEMS * OFFSETS_MS.length) throw new Error(`expected ${ITEMS * 3} reminders`);
    if (scheduledEnd >= windowStart) throw new Error('scheduling ran into the due window');
    const afterScheduling = await usedMemory(command);
    const reminderKeys = events.flatMap((e) =>
      OFFSETS_MS.map((o) => `bull:alerts:${reminderKey(e.caseId, o, e.dueAt!)}`),
    );
    const reminderJobs = await memoryUsage(command, reminderKeys);
    const delayedIndex = Number(await command.memory('USAGE', 'bull:alerts:delayed', 'SAMPLES', 0));
    const waitingIds = await command.lrange('bull:alerts:wait', 0, -1);
    const alertJobs = await memoryUsage(
      command,
      waitingIds.map((id) => `bull:alerts:${id}`),
    );
    const waitList = Number(await command.memory('USAGE', 'bull:alerts:wait', 'SAMPLES', 0));
    const keysAfterScheduling = await command.dbsize();

    // 3. Workers: first the alert deliveries onCaseEvent queued, then the reminders as they fall due.
    const started: number[] = [];
    const delivered: number[] = [];
    const reminderIds = new Set<string>();
    let deliveredReminders = 0;
    let lastStart = 0;
    let failed = 0;
    let alertBacklogDrainedAt: number | null = null;
    const onCompleted = (job: Job<AlertJob>) => {
      if (job.data.type === 'reminder') {
        const scheduledFor = job.timestamp + (job.opts.delay ?? 0);
        started.push(job.processedOn! - scheduledFor);
        lastStart = Math.max(lastStart, job.processedOn!);
        reminderIds.add(job.id!);
      } else if (job.data.type === 'deliver' && job.data.alert.kind === 'reminder') {
        // The alert id is the reminder key: `…<offsetMs>.<dueMs>`; it fell due at due − offset − skew.
        const [offsetMs, dueMs] = job.data.alert.id.split('.').slice(-2).map(Number) as [number, number];
        delivered.push((job.finishedOn ?? Date.now()) - (dueMs - offsetMs - skew));
        deliveredReminders++;
      }
    };
    for (const connection of workerConnections) {
      const w = createAlertsWorker(connection, dispatcher, log);
      w.on('completed', onCompleted);
      w.on('failed', () => failed++);
      workers.push(w);
    }
    const deadline = Date.now() + MAX_WAIT_MS;
    let lastReport = 0;
    let emptyPolls = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const pending = (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
      if (alertBacklogDrainedAt === null && pending === 0) alertBacklogDrainedAt = Date.now();
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        console.log(
          `t=${Math.round((Date.now() - windowStart) / 1000)}s from first due: ${reminderIds.size} reminders started, ${deliveredReminders} delivered, waiting ${c.waiting}, delayed ${c.delayed}`,
        );
      }
      // A reminder job queues its delivery before it completes: once every reminder job completed and
      // the queue is empty, every delivery has run. An empty queue with reminders missing means lost.
      if (pending + (c.delayed ?? 0) === 0 && (reminderIds.size >= reminders || ++emptyPolls > 20)) break;
      if (Date.now() > deadline) {
        console.log('gave up waiting: the queue never emptied');
        break;
      }
    }
    await Promise.all(workers.map((w) => w.close()));
    workers.length = 0;
    const afterFiring = await usedMemory(command);
    const completedRetained = await command.zcard('bull:alerts:completed');
    let sentMarkers = 0;
    let cursor = '0';
    do {
      const [next, keys] = await command.scan(cursor, 'MATCH', `${ALERT_SENT_PREFIX}*`, 'COUNT', 10_000);
      cursor = next;
      sentMarkers += keys.length;
    } while (cursor !== '0');

    return {
      items: ITEMS,
      reminders,
      offsetsMs: OFFSETS_MS,
      windowMs: WINDOW_MS,
      workers: WORKERS,
      concurrency: 8,
      setup: {
        recordsMs,
        scheduleMs,
        leadMs: windowStart - scheduledEnd,
        alertBacklogDrainedMs: alertBacklogDrainedAt === null ? null : alertBacklogDrainedAt - scheduledEnd,
      },
      memory: {
        empty,
        afterRecords,
        afterScheduling,
        afterFiring,
        caseEventsStream,
        reminderJobs,
        delayedIndex,
        alertJobs,
        waitList,
        keys: { afterScheduling: keysAfterScheduling, afterFiring: await command.dbsize() },
        completedRetained,
        sentMarkers,
      },
      start: stats(started),
      delivered: stats(delivered),
      spanMs: lastStart - windowStart,
      completedReminders: reminderIds.size,
      deliveredReminders,
      failed,
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await queue.close();
    for (const c of [command, ...workerConnections]) c.disconnect();
    await redisServer.destroy();
  }
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const offsetText = (ms: number) => {
  const h = Math.floor(ms / 3_600_000);
  const s = (ms % 3_600_000) / 1000;
  return [h ? `${h} h` : '', s ? `${s} s` : ''].filter(Boolean).join(' + ');
};

export function remindersMarkdown(r: RemindersResult): string {
  const m = r.memory;
  const records = m.afterRecords - m.empty;
  const scheduled = m.afterScheduling - m.afterRecords;
  const remindersBytes = m.reminderJobs + m.delayedIndex;
  const alertBytes = m.alertJobs + m.waitList;
  const dueRate = r.reminders / (r.windowMs / 1000);
  const throughput = r.completedReminders / (r.spanMs / 1000);
  const kept = r.start.p99 < 2000;
  const row = (name: string, s: LatencyStats) =>
    `| ${name} | ${s.count} | ${Math.round(s.p50)} | ${Math.round(s.p95)} | ${Math.round(s.p99)} | ${Math.round(s.max)} |`;
  return [
    `${r.items} open disputes (\`needs_response\`, 50 companies) written through the real \`CaseStore.apply\` as the reconciler writes a first read; then each one's \`dispute.needs_response\` case event handed to the real \`AlertDispatcher.onCaseEvent\` and its opening job's \`onOpening\`, as the alerts worker does, with three reminder offsets and no channel configured, so alerts go to the \`log\` destination (a silent logger: a delivery costs only its Redis writes). Per item that is **one alert delivery job** (the "Chargeback: … respond by" alert, queued at once) and **three delayed reminder jobs**; when a reminder falls due the worker re-reads the record and the evidence state and queues **one more delivery job**. So the workers run ${r.reminders} reminder jobs and ${r.reminders + r.items} delivery jobs. The \`dispute.opened\` event (it only feeds the dispute-rate watch, an API call per company per hour) is not part of the load.`,
    '',
    `Offsets ${r.offsetsMs.map(offsetText).join(', ')} rather than 72 h, 24 h, 6 h: an item's reminders fall due at \`due − offset\`, so 72h/24h/6h puts its three 66 h apart, and no short window can hold them. A delayed job costs the same whatever its delay (a job hash and a sorted-set entry), so the memory figures hold for 72h/24h/6h; the 6 h keeps every reminder hours before its due date, as in production, so a late one is still sent (a reminder processed after the due date is dropped). Due dates are spread so that the ${r.reminders} moments are uniform over ${sec(r.windowMs)}: **${Math.round(dueRate)} reminders falling due per second**. Setup: records ${sec(r.setup.recordsMs)}, scheduling ${sec(r.setup.scheduleMs)} (${Math.round(r.items / (r.setup.scheduleMs / 1000))} items/s, ${IN_FLIGHT} \`onCaseEvent\` calls in flight, no worker running yet); the ${r.items} alert deliveries were drained ${r.setup.alertBacklogDrainedMs === null ? 'never' : sec(r.setup.alertBacklogDrainedMs)} and the first reminder fell due ${sec(r.setup.leadMs)} after scheduling ended. Workers: ${r.workers} \`createAlertsWorker\` instances in one Node process (default concurrency ${r.concurrency} each, own connections), on the same machine as redis-server.`,
    '',
    '**Memory** (`INFO memory` used_memory deltas; the split from `MEMORY USAGE … SAMPLES 0` summed over the keys):',
    '',
    '| what | Redis bytes | per item |',
    '|---|---|---|',
    `| ${r.items} case records (record hash, timeline, fired set, due-date indexes, and ${mib(m.caseEventsStream)} of \`da:case-events\` stream: two events per record) | ${records} (${mib(records)}) | ${Math.round(records / r.items)} |`,
    `| scheduling: ${r.reminders} reminders + ${r.items} queued alert deliveries | ${scheduled} (${mib(scheduled)}) | ${Math.round(scheduled / r.items)} |`,
    `| **of which the reminders**: ${r.reminders} delayed job hashes + the delayed sorted set | **${remindersBytes} (${mib(remindersBytes)})** | **${Math.round(remindersBytes / r.items)}** (${Math.round(remindersBytes / r.reminders)} per reminder) |`,
    `| of which the alert deliveries: ${r.items} job hashes (each carries the whole alert) + the wait list | ${alertBytes} (${mib(alertBytes)}) | ${Math.round(alertBytes / r.items)} |`,
    `| everything, after every reminder fired and was delivered | ${m.afterFiring - m.empty} (${mib(m.afterFiring - m.empty)}) | ${Math.round((m.afterFiring - m.empty) / r.items)} |`,
    '',
    `A reminder job is ${Math.round(m.reminderJobs / r.reminders)} bytes, about a quarter of it BullMQ's per-job copy of the job options (attempts, backoff, removeOnComplete …, the same in every job); the delayed sorted set adds ${Math.round(m.delayedIndex / r.reminders)} per reminder. After firing, Redis still holds ${m.completedRetained} completed jobs (\`removeOnComplete\`: up to ${alertJobOptions.removeOnComplete.count.toLocaleString('en')} for ${alertJobOptions.removeOnComplete.age / 86_400} days, most of them delivery jobs carrying a whole alert) and ${m.sentMarkers} \`da:alert-sent:*\` markers (one per delivered alert, 90-day TTL): ${m.keys.afterFiring} keys, against ${m.keys.afterScheduling} before firing.`,
    '',
    `**Lateness** in ms after the reminder's scheduled moment. Started: BullMQ's \`processedOn − (timestamp + opts.delay)\` of each reminder job; delivered: its delivery job's \`finishedOn\` − the same moment.`,
    '',
    '| | count | p50 | p95 | p99 | max |',
    '|---|---|---|---|---|---|',
    row('reminder job started', r.start),
    row('reminder alert delivered', r.delivered),
    '',
    `Throughput: ${r.completedReminders} reminders started within ${sec(r.spanMs)} of the first falling due: **${Math.round(throughput)} reminders/s**, each a reminder job plus a delivery job. Lost: scheduled ${r.reminders}, reminder jobs completed ${r.completedReminders}, reminder alerts delivered ${r.deliveredReminders}, failed jobs ${r.failed}.`,
    '',
    kept
      ? `At ${Math.round(dueRate)} reminders falling due per second the workers kept up: lateness is BullMQ's own pick-up delay, not a backlog.`
      : `Lateness here is the backlog, not the scheduler: ${Math.round(dueRate)} reminders/s fall due but the two in-process workers, sharing the cores with Redis and also running every reminder's delivery, start about ${Math.round(throughput)}/s, so the queue grows through the window and the last reminders start ${sec(r.start.max)} late; each delivery job then waits behind the reminders promoted after it in the same first-in-first-out wait list (median ${sec(r.delivered.p50 - r.start.p50)} more), so alerts reach the merchant up to ${sec(r.delivered.max)} late. Against offsets of hours that is harmless, and reminders spread over a day (${r.reminders} a day is ${(r.reminders / 86_400).toFixed(1)}/s) never build such a queue.`,
  ].join('\n');
}
