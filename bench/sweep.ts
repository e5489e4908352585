/**
 * Sweep cost: API requests and time of one periodic sweep as history, open items and new items grow.
 * Runs the real Sweeper, SDK client and Redis store against the simulator.
 */
import { Redis } from 'ioredis';
import { startWhopSimulator } from '../simulator/index.js';
import { createLogger } from '../src/logger/logger.js';
import { CaseReconciler } from '../src/reconcile/case-reconciler.js';
import { Sweeper } from '../src/reconcile/sweep.js';
import { CaseStore } from '../src/store/case-store.js';
import { createWhopClient } from '../src/whop/whop-client.js';
import { RedisServerProcess } from '../test/support/redis-server.js';

const DAY = 86_400_000;

interface Row {
  history: number;
  open: number;
  fresh: number;
  requests: number;
  retrieves: number;
  ms: number;
}

async function measure(history: number, open: number, fresh: number): Promise<Row> {
  const redisServer = await RedisServerProcess.start();
  const redis = new Redis(redisServer.url);
  const sim = await startWhopSimulator();
  try {
    const log = createLogger('silent');
    const store = new CaseStore(redis);
    const whop = createWhopClient({ apiKey: sim.apiKey, baseURL: sim.baseURL });
    const sweeper = new Sweeper(whop, store, new CaseReconciler(whop, store, log), log);
    const company = sim.createCompany();
    const old = Date.now() - 200 * DAY;
    for (let i = 0; i < history; i++) {
      const p = sim.createPayment({ companyId: company.id, createdAt: old });
      const d = sim.openDispute({ paymentId: p.id, createdAt: old }, { webhook: false });
      sim.moveDispute(d.id, i % 2 ? 'won' : 'lost', { webhook: false });
    }
    const openIds: string[] = [];
    for (let i = 0; i < open; i++) {
      const p = sim.createPayment({ companyId: company.id, createdAt: Date.now() - 20 * DAY });
      openIds.push(
        sim.openDispute({ paymentId: p.id, createdAt: Date.now() - 20 * DAY }, { webhook: false }).id,
      );
    }
    // Everything so far is known: a backfill, then a first sweep sets the watermarks.
    await sweeper.run({
      companyIds: [company.id],
      since: new Date(old - DAY),
      source: 'backfill',
      initialLookbackMs: 0,
    });
    await sweeper.run({ companyIds: [company.id], source: 'sweep', initialLookbackMs: 45 * DAY });

    // Between two sweeps: new disputes arrive and a tenth of the open ones move, all without webhooks.
    for (let i = 0; i < fresh; i++) {
      sim.openDispute({ paymentId: sim.createPayment({ companyId: company.id }).id }, { webhook: false });
    }
    for (const id of openIds.slice(0, Math.ceil(open / 10)))
      sim.moveDispute(id, 'under_review', { webhook: false });

    sim.resetRequestLog();
    const started = performance.now();
    const report = await sweeper.run({
      companyIds: [company.id],
      source: 'sweep',
      initialLookbackMs: 45 * DAY,
    });
    const ms = performance.now() - started;
    if (report.failed) throw new Error('sweep failed');
    return {
      history,
      open,
      fresh,
      requests: sim.requestCount(),
      retrieves: sim.requestCount('GET /disputes/:id'),
      ms,
    };
  } finally {
    await sim.close();
    redis.disconnect();
    await redisServer.destroy();
  }
}

export async function runSweepBench() {
  const rows: Row[] = [];
  for (const [history, open, fresh] of [
    [0, 20, 10],
    [2_000, 20, 10],
    [10_000, 20, 10],
    [10_000, 200, 10],
    [10_000, 20, 100],
  ] as const) {
    const row = await measure(history, open, fresh);
    console.log(
      `history ${history} open ${open} new ${fresh}: ${row.requests} requests, ${Math.round(row.ms)} ms`,
    );
    rows.push(row);
  }
  return rows;
}

export function sweepMarkdown(rows: Row[]): string {
  return [
    'One periodic sweep of one company after a first sweep set the watermarks: real `Sweeper`, `@whop/sdk` client and Redis store against the simulator (no API latency, so times are our own work). Between the two sweeps `new` disputes were created and a tenth of the `open` ones moved, all without webhooks.',
    '',
    '| closed history | open items | new items | API requests | of which re-reads | sweep time ms |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.history} | ${r.open} | ${r.fresh} | ${r.requests} | ${r.retrieves} | ${Math.round(r.ms)} |`,
    ),
    '',
    'Requests = one listing page per kind (4, plus one per 100 new items) + one re-read per new item + one re-read per open item; the closed history never appears.',
  ].join('\n');
}
