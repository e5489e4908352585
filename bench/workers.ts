/**
 * Workers: reconcile jobs per second with 1, 2 and 4 worker processes (`npm run start:worker`) against
 * the simulator with the rate limit at its highest (the simulator itself never answers 429). Each run
 * gets a fresh Redis and simulator, `JOBS` disputes that exist in the simulator, and one stored
 * `dispute.updated` delivery for each in the inbox, written once every worker is up; the workers relay,
 * reconcile (a first read, so each dispute is new), then stage evidence and send alerts (to the log: no
 * channel), as they would in production. CPU of every process is read from /proc and Redis's INFO.
 */
import { cpus } from 'node:os';
import { Queue } from 'bullmq';
import { EventInbox } from '../src/intake/event-inbox.js';
import { WHOP_EVENTS_QUEUE } from '../src/reconcile/whop-events-queue.js';
import { percentile, waitUntil } from './lib.js';
import { cpuShares, startRig } from './service-rig.js';

const JOBS = Number(process.env.BENCH_WORKER_JOBS ?? 1500);
const PROCESS_COUNTS = (process.env.BENCH_WORKER_PROCESSES ?? '1,2,4').split(',').map(Number);

export interface WorkersRun {
  processes: number;
  jobs: number;
  /** Reconcile jobs per second, from the 10th to the 90th percentile of completions. */
  reconcilePerSecond: number;
  /** Seconds from the first inbox entry until every queue was empty (evidence and alerts included). */
  allDoneSeconds: number;
  whopRequestsPerSecond: number;
  /** % of one core over the reconcile window, per process. */
  cpu: Record<string, number>;
  failed: number;
}

async function run(processes: number): Promise<WorkersRun> {
  const rig = await startRig({ server: false, workers: 0, slack: false });
  const queue = new Queue(WHOP_EVENTS_QUEUE, { connection: rig.admin });
  try {
    const ids = await rig.sim.seed(JOBS);
    await rig.addWorkers(processes);
    await waitUntil(
      async () => (await queue.getWorkersCount()) >= processes,
      120_000,
      `${processes} worker processes up`,
      200,
    );
    // Let the start-up sweep (no company known yet: nothing to list) finish.
    await new Promise((r) => setTimeout(r, 2000));
    const inbox = new EventInbox(rig.admin);
    const cpuBefore = await rig.cpu();
    const requestsBefore = (await rig.sim.stats()).requests;
    const started = Date.now();
    await Promise.all(
      ids.map((id, i) =>
        inbox.add({
          webhookId: `msg_bench_${i}`,
          rawEvent: JSON.stringify({
            id: `evt_bench_${i}`,
            api_version: 'v1',
            type: 'dispute.updated',
            timestamp: new Date().toISOString(),
            data: { id },
          }),
          receivedAt: new Date().toISOString(),
          attemptTimestamp: Math.floor(Date.now() / 1000),
        }),
      ),
    );
    await waitUntil(
      async () => (await queue.getJobCounts('completed')).completed! >= JOBS,
      20 * 60_000,
      `${JOBS} reconcile jobs`,
      250,
    );
    const cpuAfter = await rig.cpu();
    const requestsAfter = (await rig.sim.stats()).requests;
    const reconcileEnded = Date.now();
    await waitUntil(async () => (await rig.backlog()) === 0, 20 * 60_000, 'every queue empty', 250);
    const allDone = Date.now();
    const jobs = await queue.getJobs(['completed'], 0, JOBS);
    const finished = jobs.map((j) => j.finishedOn!);
    const from = percentile(finished, 0.1);
    const to = percentile(finished, 0.9);
    let failed = 0;
    for (const k of await rig.admin.keys('bull:*:failed')) failed += await rig.admin.zcard(k);
    const window = (reconcileEnded - started) / 1000;
    const result: WorkersRun = {
      processes,
      jobs: JOBS,
      reconcilePerSecond: (0.8 * JOBS) / Math.max(0.001, (to - from) / 1000),
      allDoneSeconds: (allDone - started) / 1000,
      whopRequestsPerSecond: (requestsAfter - requestsBefore) / window,
      cpu: cpuShares(cpuBefore, cpuAfter, window),
      failed,
    };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    await queue.close();
    await rig.stop();
  }
}

export async function runWorkersBench() {
  const runs: WorkersRun[] = [];
  for (const n of PROCESS_COUNTS) runs.push(await run(n));
  return runs;
}

export function workersMarkdown(runs: WorkersRun[]): string {
  const one = runs[0]!;
  const cpu = (c: Record<string, number>) =>
    Object.entries(c)
      .filter(([k]) => k !== 'bench')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  return [
    `${JOBS} disputes in the simulator, one stored \`dispute.updated\` delivery each in the inbox, written at once when the worker processes are up (fresh Redis and simulator per row). Reconcile jobs/s is measured between the 10th and 90th percentile of the jobs' completion times; "all done" is until every queue is empty, the evidence staging and alerts each new dispute causes included. \`WHOP_RATE_LIMIT=1000\` (the highest allowed) and the simulator never refuses, so Whop is not a limit unless its requests/s column nears 1000. A process that stays well under 100 % of a core while work waits is limited by how many jobs it runs at once (8 reconciles, 4 evidence jobs) times Whop's latency, not by CPU. CPU is % of one core over the reconcile window; the machine has ${cpus().length} cores shared by every process here (and other users).`,
    '',
    '| worker processes | reconcile jobs/s | per process | scaling vs 1 | all done s | disputes fully processed/s | scaling vs 1 | Whop requests/s | CPU % of a core | failed jobs |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.processes} | ${Math.round(r.reconcilePerSecond)} | ${Math.round(r.reconcilePerSecond / r.processes)} | ${(r.reconcilePerSecond / one.reconcilePerSecond).toFixed(2)}× | ${r.allDoneSeconds.toFixed(1)} | ${(r.jobs / r.allDoneSeconds).toFixed(1)} | ${(one.allDoneSeconds / r.allDoneSeconds).toFixed(2)}× | ${Math.round(r.whopRequestsPerSecond)} | ${cpu(r.cpu)} | ${r.failed} |`,
    ),
  ].join('\n');
}
