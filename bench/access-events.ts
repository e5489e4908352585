/**
 * Access-events benchmark:
 * 1. Redis bytes per stored event (MEMORY USAGE over every access-log key) for realistic events — a few
 *    devices, user agents and IPs per customer, mixed identifiers, some metadata — over many customers.
 * 2. Ingest throughput through `POST /access-events` in NDJSON batches of 1,000, against a bare Hono
 *    endpoint reading the same bodies and a parse-and-validate-only endpoint, interleaved in one run.
 * Run as a target process (`… bench/access-events.ts target <mode> <redisUrl>`) it serves one endpoint.
 */
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import {
  AccessEventStore,
  accessLogBytesPerEvent,
  accessLogMemoryUsage,
} from '../src/access-events/access-event-store.js';
import { parseAccessEvents } from '../src/access-events/parse-access-events.js';
import { webhookKeyFromSecret } from '../src/config/webhook-secret.js';
import { createApp } from '../src/http/app.js';
import { startHttpServer } from '../src/http/serve.js';
import { EventInbox } from '../src/intake/event-inbox.js';
import { createLogger } from '../src/logger/logger.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { createIntakeRedis, waitUntilReady } from '../src/redis/connection.js';
import { WebhookSignatureVerifier } from '../src/webhooks/verify-signature.js';
import { seededRandom } from '../test/support/builders/ordering.js';
import { RedisServerProcess } from '../test/support/redis-server.js';
import { testSecret } from '../test/support/signed-webhook.js';
import { median, startTarget } from './lib.js';

const TOKEN = 'bench-access-events-token-0123';
const EVENTS = Number(process.env.BENCH_ACCESS_EVENTS ?? 50_000);
const CUSTOMERS = Number(process.env.BENCH_ACCESS_CUSTOMERS ?? 500);
const BATCH = 1000;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 6);
const CONNECTIONS = 4;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DAY = 86_400_000;

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68',
  'Discord/1.0.9150 (Windows NT 10.0.22631; x64)',
  'MyCourseApp/3.4.1 (iOS 17.5; iPhone15,2)',
  'python-requests/2.32.3',
];
const ACTIONS = [
  'login',
  'lesson_viewed',
  'lesson_viewed',
  'video_played',
  'download',
  'api_call',
  'page_view',
];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface Customer {
  userId: string;
  membershipId: string;
  email: string;
  devices: { ua: string; ip: string; deviceId: string }[];
}

export function makeCustomers(count: number, rand: () => number): Customer[] {
  const id = (n: number) =>
    Array.from({ length: n }, () => ALNUM[Math.floor(rand() * ALNUM.length)]).join('');
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => ({
    userId: `user_${id(14)}`,
    membershipId: `mem_${id(14)}`,
    email: `customer.${i}.${id(4).toLowerCase()}@example.com`,
    devices: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
      ua: pick(USER_AGENTS),
      ip:
        rand() < 0.8
          ? `${1 + Math.floor(rand() * 223)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`
          : `2a02:${Math.floor(rand() * 65535).toString(16)}:${Math.floor(rand() * 65535).toString(16)}::${Math.floor(rand() * 65535).toString(16)}`,
      deviceId: `dev_${id(12)}`,
    })),
  }));
}

/**
 * Events as a merchant sends them: 50 % carry only the user id, 20 % the user id and the email, 20 % only
 * the email, 5 % only the membership, 5 % the user id and the membership; half carry the merchant's own
 * event id; lessons and downloads carry small metadata.
 */
export function makeRawEvents(count: number, customers: Customer[], rand: () => number, tag = '') {
  const now = Date.now();
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const c = customers[i % customers.length]!;
    const d = c.devices[Math.floor(rand() * c.devices.length)]!;
    const who = rand();
    const action = ACTIONS[Math.floor(rand() * ACTIONS.length)]!;
    out.push({
      ...(who < 0.7 || who >= 0.95 ? { user_id: c.userId } : {}),
      ...(who >= 0.5 && who < 0.9 ? { email: c.email } : {}),
      ...(who >= 0.9 ? { membership_id: c.membershipId } : {}),
      occurred_at: new Date(now - 2 * DAY - Math.floor(rand() * 180 * DAY)).toISOString(),
      action,
      ip: d.ip,
      user_agent: d.ua,
      device_id: d.deviceId,
      session_id: `sess_${tag}${Math.floor(i / 20)}`,
      ...(i % 2 ? { event_id: `evt_${tag}${i.toString(36)}` } : {}),
      ...(action === 'lesson_viewed' || action === 'download'
        ? { metadata: { lesson_id: `les_${Math.floor(rand() * 400)}`, seconds: Math.floor(rand() * 1800) } }
        : {}),
    });
  }
  return out;
}

async function measureBytes() {
  const server = await RedisServerProcess.start();
  const redis = new Redis(server.url);
  try {
    // Seeded, so every run measures the same events.
    const rand = seededRandom(42);
    const customers = makeCustomers(CUSTOMERS, rand);
    const raw = makeRawEvents(EVENTS, customers, rand);
    const { accepted, rejected } = parseAccessEvents(raw.map((e) => JSON.stringify(e)).join('\n'));
    if (rejected.length > 0) throw new Error(`bench events rejected: ${JSON.stringify(rejected[0])}`);
    const store = new AccessEventStore(redis, { retentionDays: 540 });
    let stored = 0;
    for (let i = 0; i < accepted.length; i += BATCH)
      stored += (await store.add(accepted.slice(i, i + BATCH))).stored;
    const usage = await accessLogMemoryUsage(redis);
    const ndjsonBytes = raw.reduce((a, e) => a + JSON.stringify(e).length + 1, 0);
    return {
      events: stored,
      customers: CUSTOMERS,
      keys: usage.keys,
      bytes: usage.bytes,
      bytesPerEvent: await accessLogBytesPerEvent(redis, stored),
      ndjsonBytesPerEvent: ndjsonBytes / EVENTS,
    };
  } finally {
    redis.disconnect();
    await server.destroy();
  }
}

interface Run {
  mode: string;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

async function load(port: number, mode: string, round: number, templates: string[]): Promise<Run> {
  let n = 0;
  // autocannon reports whole seconds; a batch is a large unit of work, so time the run ourselves.
  const started = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        path: '/access-events',
        setupRequest: (req) => {
          // A distinct batch per request: ids and sessions carry the request number, so none is a duplicate.
          const body = templates[n % templates.length]!.replaceAll('#R#', `${mode}${round}r${n++}`);
          return {
            ...req,
            body,
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' },
          };
        },
      },
    ],
  });
  return {
    mode,
    eventsPerSecond: (result['2xx'] * BATCH * 1000) / (performance.now() - started),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

export async function runAccessEventsBench() {
  const bytes = await measureBytes();
  console.log(
    `bytes per event: ${bytes.bytesPerEvent.toFixed(1)} (${bytes.events} events, ${bytes.keys} keys)`,
  );

  const redisServer = await RedisServerProcess.start();
  const redis = new Redis(redisServer.url);
  const rand = seededRandom(7);
  const customers = makeCustomers(CUSTOMERS, rand);
  const templates = Array.from({ length: 8 }, (_, t) =>
    makeRawEvents(BATCH, customers, rand, `#R#t${t}_`)
      .map((e) => JSON.stringify(e))
      .join('\n'),
  );
  const file = 'bench/access-events.ts';
  const targets = {
    bare: await startTarget(file, ['target', 'bare', redisServer.url]),
    parse: await startTarget(file, ['target', 'parse', redisServer.url]),
    full: await startTarget(file, ['target', 'full', redisServer.url]),
  };
  const runs: Run[] = [];
  let lost = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['bare', 'parse', 'full'] as const) {
        await redis.flushall();
        const run = await load(targets[mode].port, mode, round, templates);
        if (mode === 'full') {
          // Every 2xx batch must be in Redis in full: count what the store holds for the run's customers.
          const store = new AccessEventStore(redis, { retentionDays: 540 });
          let held = 0;
          for (const c of customers) held += await store.countForCustomer(c);
          lost += Math.max(0, run.ok * BATCH - held);
        }
        runs.push(run);
        console.log(
          `${mode.padEnd(6)} round ${round + 1}: ${Math.round(run.eventsPerSecond)} events/s p50 ${run.p50} ms p99 ${run.p99} ms (failed ${run.failed})`,
        );
      }
    }
  } finally {
    for (const t of Object.values(targets)) await t.stop();
    redis.disconnect();
    await redisServer.destroy();
  }
  const summary = (mode: string) => {
    const rs = runs.filter((r) => r.mode === mode);
    return {
      eventsPerSecond: median(rs.map((r) => r.eventsPerSecond)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      failed: rs.reduce((a, r) => a + r.failed, 0),
      ok: rs.reduce((a, r) => a + r.ok, 0),
    };
  };
  const bodyBytes = Math.round(templates.reduce((a, t) => a + t.length, 0) / templates.length);
  return { bytes, bare: summary('bare'), parse: summary('parse'), full: summary('full'), lost, bodyBytes };
}

export function accessEventsMarkdown(r: Awaited<ReturnType<typeof runAccessEventsBench>>): string {
  const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}×`;
  const row = (name: string, s: ReturnType<typeof Object>, strong = false) => {
    const cells = [
      name,
      Math.round(s.eventsPerSecond),
      (1e6 / s.eventsPerSecond).toFixed(1),
      s.p50,
      s.p99,
      ratio(s.eventsPerSecond, r.bare.eventsPerSecond),
      ratio(s.eventsPerSecond, r.parse.eventsPerSecond),
      s.failed,
    ].map((c, i) => (strong && (i === 0 || i === 5 || i === 6) ? `**${c}**` : c));
    return `| ${cells.join(' | ')} |`;
  };
  const b = r.bytes;
  return [
    `**Storage.** ${b.events} events for ${b.customers} customers (1–3 devices each, realistic browser and app user agents, IPv4 and IPv6; 75 % of events carry the user id, a fifth of them also the email, 20 % only the email, 5 % only the membership; half with the merchant's own event id, the rest with a derived one; lessons and downloads with small metadata), over the last 180 days, stored in batches of ${BATCH}. Redis \`MEMORY USAGE … SAMPLES 0\` summed over all ${b.keys} access-log keys (per customer identifier: its events, its user agents, its alias links):`,
    '',
    '| events | customers | Redis bytes | **bytes per event** | NDJSON bytes per event as sent |',
    '|---|---|---|---|---|',
    `| ${b.events} | ${b.customers} | ${b.bytes} | **${b.bytesPerEvent.toFixed(1)}** | ${b.ndjsonBytesPerEvent.toFixed(1)} |`,
    '',
    `A year and a half (the default 540-day retention) of 10 events a day for 10,000 customers is 54 M events: about ${((b.bytesPerEvent * 54e6) / 2 ** 30).toFixed(1)} GiB at this size.`,
    '',
    `**Ingest.** autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per run, every request a distinct NDJSON batch of ${BATCH} events (~${Math.round(r.bodyBytes / 1024)} KiB), ${ROUNDS} interleaved rounds (medians shown). Redis is a throwaway local redis-server on the same machine.`,
    '',
    '| endpoint | events/s | µs per event | p50 ms | p99 ms | ratio to bare | ratio to parse only | failed requests |',
    '|---|---|---|---|---|---|---|---|',
    row('bare Hono (read body, 200)', r.bare),
    row('parse + validate, no storage (ceiling)', r.parse),
    row('POST /access-events (auth, parse, validate, store)', r.full, true),
    '',
    "The bare endpoint does no work per event, so the ratio to it mainly shows that ingest costs per event, not per request: JSON.parse, validation and (for events without an id) the derived id per line — the parse-only row — then one Redis script call per 1,000 events writing each customer's keys.",
    '',
    `Events answered 2xx but not in Redis afterwards: **${r.lost}** of ${r.full.ok * BATCH}.`,
  ].join('\n');
}

/** One endpoint in its own process, so the load generator does not share its event loop. */
async function serveTarget(mode: string, redisUrl: string) {
  let app: ReturnType<typeof createApp>;
  if (mode === 'bare') {
    const bare = new Hono();
    bare.post('/access-events', async (c) => {
      await c.req.arrayBuffer();
      return c.json({ accepted: 0, duplicates: 0, rejected: [] }, 200);
    });
    app = bare as unknown as typeof app;
  } else if (mode === 'parse') {
    const parse = new Hono();
    parse.post('/access-events', async (c) => {
      const body = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
      const r = parseAccessEvents(body, { format: 'ndjson', maxEvents: 10_000 });
      return c.json({ accepted: r.accepted.length, duplicates: 0, rejected: r.rejected }, 200);
    });
    app = parse as unknown as typeof app;
  } else {
    const redis = createIntakeRedis(redisUrl);
    await waitUntilReady(redis, 5000);
    app = createApp({
      logger: createLogger(process.env.BENCH_LOG_LEVEL ?? 'info'),
      metrics: createMetrics(),
      verifier: new WebhookSignatureVerifier([webhookKeyFromSecret(testSecret('bench unused'))]),
      inbox: new EventInbox(redis),
      redis,
      accessEvents: { store: new AccessEventStore(redis, { retentionDays: 540 }), token: TOKEN },
    });
  }
  const server = await startHttpServer(app, 0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  process.on('SIGTERM', () => server.close(1000).then(() => process.exit(0)));
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  process.argv[2] === 'target'
) {
  await serveTarget(process.argv[3]!, process.argv[4]!);
}
