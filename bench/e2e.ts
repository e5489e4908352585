/**
 * End to end: a dispute opened in the simulator → its signed `dispute.created` webhook → the server
 * process (verify, store) → a worker process (relay, reconcile against the simulator, case event,
 * alert) → the Chargeback alert at a local Slack receiver. Everything runs as deployed: separate
 * processes for the simulator, server, worker and Redis, on the one shared machine.
 * 1. Latency at a steady 100 disputes/s.
 * 2. The highest rate held for a step without the backlog growing: from 100/s, rates stepped up until one
 *    is not.
 */

import { percentile, waitUntil } from './lib.js';
import { cpuShares, type Rig, startRig } from './service-rig.js';

const LATENCY_RATE = 100;
const STEP_S = Number(process.env.BENCH_E2E_STEP_S ?? 60);
/** Rates above the latency run's 100/s, each tried only if the one before held. */
const STEPS = (process.env.BENCH_E2E_RATES ?? '150,225,340,500,750').split(',').map(Number);
/** A step holds when, as its last dispute is opened, fewer than this many seconds of arrivals are still unalerted. */
const HELD_BACKLOG_S = 2;
/** …and the queue's peak in the step's last third is at most this times its peak in the middle third (plus that margin). */
const QUEUE_GROWTH = 1.2;
const DRAIN_TIMEOUT_MS = 300_000;

export interface E2eStep {
  rate: number;
  seconds: number;
  opened: number;
  alerted: number;
  /** Disputes opened but not yet alerted when the last one was opened. */
  backlogAtEnd: number;
  /** Jobs waiting or running in every queue then (plus unrelayed inbox entries). */
  queueAtEnd: number;
  queueByQueue: Record<string, number>;
  /** The largest queue depth seen in the middle and the last third of the step. */
  queueMiddleThird: number;
  queueLastThird: number;
  held: boolean;
  p50: number;
  p99: number;
  max: number;
  /** CPU per process, % of one core over the step. */
  cpu: Record<string, number>;
  /** Whop API requests the simulator served per dispute, in all and by route. */
  whopRequestsPerDispute: number;
  whopRoutesPerDispute: Record<string, number>;
}

/** Chargeback alert arrival time (ms) by dispute id, from what the Slack receiver has seen. */
function chargebackAlerts(rig: Rig, from = 0): Map<string, number> {
  const out = new Map<string, number>();
  const requests = rig.slack!.requests;
  for (let i = from; i < requests.length; i++) {
    const r = requests[i]!;
    if (!r.raw.includes('Chargeback:')) continue;
    const id = /dspt_[A-Za-z0-9]+/.exec(r.raw)?.[0];
    if (id && !out.has(id)) out.set(id, r.at);
  }
  return out;
}

async function step(rig: Rig, rate: number, seconds: number, drain: boolean): Promise<E2eStep> {
  const from = rig.slack!.requests.length;
  const cpuBefore = await rig.cpu();
  const whopBefore = await rig.sim.stats();
  const started = Date.now();
  const queue: { at: number; depth: number }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      queue.push({ at: Date.now() - started, depth: await rig.backlog() });
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  const opened = await rig.sim.open(rate, seconds);
  const endedAt = Date.now();
  const queueByQueue = await rig.backlogByQueue();
  const queueAtEnd = Object.values(queueByQueue).reduce((a, b) => a + b, 0);
  const alertedAtEnd = chargebackAlerts(rig, from);
  const backlogAtEnd = opened.filter(([id]) => !alertedAtEnd.has(id)).length;
  const cpuAfter = await rig.cpu();
  sampling = false;
  await sampler;
  // Every alert of the step, for the latency figures (and, with `drain`, every queue empty after).
  let alerts = alertedAtEnd;
  await waitUntil(
    () => {
      alerts = chargebackAlerts(rig, from);
      return opened.every(([id]) => alerts.has(id));
    },
    DRAIN_TIMEOUT_MS,
    `the alerts of the ${rate}/s step`,
    250,
  ).catch((err) => console.error((err as Error).message));
  if (drain)
    await waitUntil(async () => (await rig.backlog()) === 0, DRAIN_TIMEOUT_MS, 'the queues to empty', 250);
  const latencies = opened.filter(([id]) => alerts.has(id)).map(([id, at]) => alerts.get(id)! - at);
  const third = (seconds * 1000) / 3;
  const maxOf = (xs: { depth: number }[]) => Math.max(0, ...xs.map((q) => q.depth));
  const queueMiddleThird = maxOf(queue.filter((q) => q.at >= third && q.at < 2 * third));
  const queueLastThird = maxOf(queue.filter((q) => q.at >= 2 * third));
  const whopAfter = await rig.sim.stats();
  const perDispute = (n: number) => n / Math.max(1, opened.length);
  return {
    rate,
    seconds,
    opened: opened.length,
    alerted: latencies.length,
    backlogAtEnd,
    queueAtEnd,
    queueByQueue,
    queueMiddleThird,
    queueLastThird,
    held:
      backlogAtEnd <= rate * HELD_BACKLOG_S &&
      latencies.length === opened.length &&
      queueLastThird <= queueMiddleThird * QUEUE_GROWTH + rate * HELD_BACKLOG_S,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: percentile(latencies, 1),
    cpu: cpuShares(cpuBefore, cpuAfter, (endedAt - started) / 1000),
    whopRequestsPerDispute: perDispute(whopAfter.requests - whopBefore.requests),
    whopRoutesPerDispute: Object.fromEntries(
      Object.entries(whopAfter.byRoute)
        .map(([route, n]) => [route, perDispute(n - (whopBefore.byRoute[route] ?? 0))] as const)
        .filter(([, n]) => n >= 0.05),
    ),
  };
}

/**
 * One step on a fresh deployment (Redis, simulator, server, one worker), so a step that fell behind
 * leaves no backlog to the next; a short warm-up first (start-up sweep, JIT, connections), not counted.
 */
async function freshStep(rate: number): Promise<E2eStep & { failedJobs: number }> {
  const rig = await startRig({ server: true, workers: 0, slack: true });
  try {
    await rig.addWorkers(1);
    const warm = await step(rig, 20, 5, true);
    // Whop requests per dispute from the warm-up: it is drained, so they cover each dispute's whole work.
    const s = {
      ...(await step(rig, rate, STEP_S, false)),
      whopRequestsPerDispute: warm.whopRequestsPerDispute,
      whopRoutesPerDispute: warm.whopRoutesPerDispute,
    };
    let failedJobs = 0;
    for (const k of await rig.admin.keys('bull:*:failed')) failedJobs += await rig.admin.zcard(k);
    console.log(`step ${rate}/s: ${JSON.stringify(s)}`);
    return { ...s, failedJobs };
  } finally {
    await rig.stop();
  }
}

export async function runE2eBench() {
  const latency = await freshStep(LATENCY_RATE);
  // The latency run is the first step of the staircase: up while steps hold; if even 100/s does not,
  // down until one does.
  const steps: E2eStep[] = [latency];
  let failedJobs = latency.failedJobs;
  for (const rate of latency.held ? STEPS : [50, 35, 25, 18, 12]) {
    const s = await freshStep(rate);
    failedJobs += s.failedJobs;
    steps.push(s);
    if (s.held !== latency.held) break;
  }
  return { latency, steps, failedJobs };
}

export function e2eMarkdown(r: Awaited<ReturnType<typeof runE2eBench>>): string {
  const cpu = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const best = Math.max(0, ...r.steps.filter((s) => s.held).map((s) => s.rate));
  const l = r.latency;
  return [
    `Path: the simulator opens a dispute (new payment, \`needs_response\`) and sends its signed \`dispute.created\` webhook → the server process verifies and stores it → one worker process relays it, re-reads the dispute from the simulator, stores the record and its case events → the alert is delivered to a local Slack receiver (a real HTTP server). Latency is from the moment the dispute was opened to the moment the Chargeback alert reached the receiver. Each process is its own: redis-server, simulator, server, worker, and this bench (the generator and Slack receiver); all share the machine's cores. The worker also stages each dispute's evidence and sends its "Evidence ready" alert, so every dispute costs its full work, not only the alert.`,
    '',
    `**At ${LATENCY_RATE} disputes/s for ${l.seconds} s**: p50 **${l.p50} ms**, p99 **${l.p99} ms**, max ${l.max} ms (${l.alerted} of ${l.opened} alerted; ${l.whopRequestsPerDispute.toFixed(1)} Whop requests per dispute). CPU, % of one core: ${cpu(l.cpu)}.`,
    '',
    `Whop requests per dispute by route (what each new dispute costs of \`WHOP_RATE_LIMIT\`; counted over the drained warm-up, so each dispute's whole work): ${Object.entries(
      l.whopRoutesPerDispute,
    )
      .sort((a, b) => b[1] - a[1])
      .map(([route, n]) => `\`${route}\` ${n.toFixed(2)}`)
      .join(', ')}.`,
    '',
    `**Stepping the rate up**, ${STEP_S} s per step, one server and one worker process. A step holds when, as its last dispute is opened, at most ${HELD_BACKLOG_S} s of arrivals still await their alert, and the queue (jobs waiting or running in every queue, evidence staging included, plus unrelayed inbox entries) peaked in the step's last third at most ${QUEUE_GROWTH}× its peak in the middle third plus ${HELD_BACKLOG_S} s of arrivals: it settled rather than grew. Each step runs on a fresh deployment (after a 5 s warm-up at 20/s, not counted), so none inherits a backlog.`,
    '',
    '| disputes/s | opened | unalerted at end | queue peak, middle third | last third | queue at end, by queue | held | p50 ms | p99 ms | CPU % of a core |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.steps.map(
      (s) =>
        `| ${s.rate} | ${s.opened} | ${s.backlogAtEnd} | ${s.queueMiddleThird} | ${s.queueLastThird} | ${Object.entries(
          s.queueByQueue,
        )
          .filter(([, n]) => n > 0)
          .map(([q, n]) => `${q} ${n}`)
          .join(', ')} | ${s.held ? 'yes' : '**no**'} | ${s.p50} | ${s.p99} | ${cpu(s.cpu)} |`,
    ),
    '',
    `Highest rate held for ${STEP_S} s: **${best} disputes/s** (one server, one worker process), every dispute's whole work included. The alerts alone kept up (at most ${HELD_BACKLOG_S} s of arrivals unalerted at the end) up to ${Math.max(0, ...r.steps.filter((s) => s.backlogAtEnd <= s.rate * HELD_BACKLOG_S && s.alerted === s.opened).map((s) => s.rate))} disputes/s: above the held rate, the queue-at-end column shows which queue grows. Failed jobs at the end of the steps: ${r.failedJobs}.`,
  ].join('\n');
}
