import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { testSecret } from './support/signed-webhook.js';

let h: ServiceHarness | undefined;
let worker: ChildProcess | undefined;
afterEach(async () => {
  worker?.kill('SIGKILL');
  await h?.close();
  h = undefined;
});

/** A worker process as `npm run start:worker` runs it, pointed at the harness's Redis and simulator. */
function startWorkerProcess(harness: ServiceHarness, env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: harness.redisUrl,
      WHOP_API_KEY: harness.sim.apiKey,
      WHOP_BASE_URL: harness.sim.baseURL,
      WHOP_WEBHOOK_SECRET: testSecret('unused by workers'),
      LOG_LEVEL: process.env.CRASH_LOG ?? 'warn',
      WHOP_RATE_LIMIT: '1000',
      ...env,
    },
    stdio: process.env.CRASH_LOG ? 'inherit' : 'ignore',
  });
  return proc;
}

it('a worker killed while submitting: the job is taken over, finds the submission went through, and never submits again', async () => {
  h = await startServiceHarness({
    workers: false,
    // The submit call takes a while on Whop's side, so the worker can be killed while it is in flight.
    sim: { faults: { latencyMs: 1500, latencyRoutes: ['POST /disputes/:id/submit_evidence'] } },
  });
  const env = { AUTO_SUBMIT: 'immediately', JOB_LOCK_DURATION: '2s' };
  worker = startWorkerProcess(h, env);

  const dispute = h.sim.openDispute({
    paymentId: h.sim.createPayment({ total: 60 }).id,
    reason: 'Fraudulent',
  });
  const evidence = new EvidenceStore(h.admin);
  // The worker has marked the attempt and is calling Whop: kill it, as a crash or an OOM kill would.
  await expect
    .poll(async () => (await evidence.get(dispute.id))?.submission.attemptedAt, { timeout: 20_000 })
    .toBeTruthy();
  worker.kill('SIGKILL');
  await new Promise((r) => worker!.once('exit', r));
  expect((await evidence.get(dispute.id))?.submission.submittedAt).toBeNull();

  // Whop completed the submission the dead worker sent.
  await expect.poll(() => h!.sim.getDispute(dispute.id).status, { timeout: 5000 }).toBe('under_review');

  // Another worker takes the stalled job over once its lock lapses.
  worker = startWorkerProcess(h, env);
  await expect
    .poll(async () => (await evidence.get(dispute.id))?.submission.submittedAt, { timeout: 30_000 })
    .toBeTruthy();
  expect((await evidence.get(dispute.id))!.submission.outcome).toBe('found_submitted');
  expect(h.sim.requestCount('POST /disputes/:id/submit_evidence')).toBe(1);
});
