/**
 * Issue 14, item 3: a Whop storm — about half the API calls answered 429 (with Retry-After) or 5xx, and
 * every call slowed — while disputes arrive; then calm. Everything is reconciled and its evidence staged
 * within a bounded time after the storm, the shared rate limit holds throughout (counted at the
 * simulator), and no job fails for good.
 *
 * Shortened from the minute and 50 disputes to 10 s and 12 disputes, to keep the suite's budget:
 * the storm is long enough that jobs go through several failed attempts and backoffs, which is what a
 * longer one repeats. The workers back off from 500 ms (production: 2 s), doubling per attempt, so a job
 * whose attempt failed just before the calm waits at most about as long as the storm has lasted:
 * the bound after the storm is CALM_BOUND_MS, 30 s (the longest backoff a 10 s storm can build up, 16 s,
 * plus the work). In production terms: a storm of S seconds is cleared within about 2·S after it ends,
 * and evidence staging (10 attempts, ~8 Whop calls each) rides out storms up to ~8 minutes.
 */
import { afterEach, expect, it } from 'vitest';
import { EvidenceStore } from '../../src/evidence/evidence-store.js';
import { failedJobs, waitForIdleQueues } from '../support/queues.js';
import { type ServiceHarness, startServiceHarness } from '../support/service-harness.js';

const STORM_MS = 10_000;
const DISPUTES = 12;
const CALM_BOUND_MS = 30_000;
/** Calls per second to Whop, shared by every worker (WHOP_RATE_LIMIT). */
const RATE = 20;

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The most calls that started in any window of `windowMs`. */
function busiestWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

it('a 10 s storm of 429s, 5xx and latency while disputes arrive: all reconciled and staged within 30 s of the calm, the rate limit held, no job failed', async () => {
  h = await startServiceHarness({
    env: { AUTO_SUBMIT: 'never', REMINDER_OFFSETS: '', WHOP_RATE_LIMIT: String(RATE) },
    backoffBaseMs: 500,
  });
  const harness = h;
  // ~30 % 429 with Retry-After 1 s, then 30 % of the rest 5xx: about half of all calls fail.
  harness.sim.faults.set({
    seed: 14,
    rateLimitRate: 0.3,
    retryAfterSeconds: 1,
    serverErrorRate: 0.3,
    serverErrorStatus: 503,
    latencyMs: { min: 50, max: 400 },
  });
  const stormStart = Date.now();
  const disputes: ReturnType<typeof harness.sim.openDispute>[] = [];
  for (let i = 0; i < DISPUTES; i++) {
    disputes.push(
      harness.sim.openDispute({
        paymentId: harness.sim.createPayment({ total: 40 + i }).id,
        reason: i % 2 ? 'Fraudulent' : 'Product Not Received',
      }),
    );
    await new Promise((r) => setTimeout(r, STORM_MS / DISPUTES));
  }
  await new Promise((r) => setTimeout(r, Math.max(0, stormStart + STORM_MS - Date.now())));
  harness.sim.faults.reset();
  const calm = Date.now();
  const stormCalls = harness.sim.requestLog.filter((r) => r.startedAt < calm);
  const faulted = stormCalls.filter((r) => r.fault !== null).length;

  const evidence = new EvidenceStore(harness.admin);
  await expect
    .poll(
      async () => {
        const done = await Promise.all(
          disputes.map(async (d) => (await harness.store.get(d.id)) && (await evidence.get(d.id))?.staged),
        );
        return done.filter(Boolean).length;
      },
      { timeout: CALM_BOUND_MS, interval: 250 },
    )
    .toBe(DISPUTES);
  const clearedMs = Date.now() - calm;
  await waitForIdleQueues(harness.admin);

  const starts = harness.sim.requestLog.map((r) => r.startedAt);
  const perSecond = new Map<number, number>();
  for (const t of starts) {
    const s = Math.floor((t - stormStart) / 1000);
    perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
  }
  console.log(
    `whop storm: ${stormCalls.length} calls in the storm, ${faulted} faulted; cleared ${clearedMs} ms after the calm; calls per second: ${JSON.stringify(Object.fromEntries(perSecond))}`,
  );
  // It was a storm: close to half the calls failed.
  expect(faulted / stormCalls.length).toBeGreaterThan(0.35);
  // The shared limiter (GCRA, a burst of one second's worth) lets through at most RATE per second plus
  // that burst in any window. Counted where the calls arrive, which trails the slot by up to JITTER_MS
  // on a loaded machine: a window of arrivals holds the slots of a window that much longer.
  const JITTER_MS = 500;
  for (const windowMs of [1000, 5000]) {
    expect(busiestWindow(starts, windowMs)).toBeLessThanOrEqual(
      (RATE * (windowMs + JITTER_MS)) / 1000 + RATE,
    );
  }
  expect(await failedJobs(harness.admin)).toEqual([]);
}, 90_000);
