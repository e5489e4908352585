import type { ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { startWorkerProcess } from './support/worker-process.js';

let h: ServiceHarness | undefined;
let worker: ChildProcess | undefined;
afterEach(async () => {
  worker?.kill('SIGKILL');
  await h?.close();
  h = undefined;
});

it('a worker killed while submitting: the job is taken over, finds the submission went through, and never submits again', async () => {
  h = await startServiceHarness({
    workers: false,
    // The submit call takes a while on Whop's side, so the worker can be killed while it is in flight.
    sim: { faults: { latencyMs: 4000, latencyRoutes: ['POST /disputes/:id/submit_evidence'] } },
  });
  const env = { AUTO_SUBMIT: 'immediately', JOB_LOCK_DURATION: '2s' };
  worker = startWorkerProcess(h, env);

  const dispute = h.sim.openDispute({
    paymentId: h.sim.createPayment({ total: 60 }).id,
    reason: 'Fraudulent',
  });
  const evidence = new EvidenceStore(h.admin);
  // The worker has marked the attempt and its submit call has reached Whop, which is still working on it:
  // kill it, as a crash or an OOM kill would. Waiting on the attempt marker alone raced the call on a
  // loaded machine (killed before the request left, so Whop never got it).
  await expect
    .poll(() => h!.sim.requestsArrived('POST /disputes/:id/submit_evidence'), {
      timeout: 30_000,
      interval: 20,
    })
    .toBe(1);
  expect((await evidence.get(dispute.id))?.submission.attemptedAt).toBeTruthy();
  worker.kill('SIGKILL');
  await new Promise((r) => worker!.once('exit', r));
  expect((await evidence.get(dispute.id))?.submission.submittedAt).toBeNull();

  // Whop completed the submission the dead worker sent.
  await expect.poll(() => h!.sim.getDispute(dispute.id).status, { timeout: 20_000 }).toBe('under_review');

  // Another worker takes the stalled job over once its lock lapses.
  worker = startWorkerProcess(h, env);
  await expect
    .poll(async () => (await evidence.get(dispute.id))?.submission.submittedAt, { timeout: 30_000 })
    .toBeTruthy();
  expect((await evidence.get(dispute.id))!.submission.outcome).toBe('found_submitted');
  expect(h.sim.requestCount('POST /disputes/:id/submit_evidence')).toBe(1);
});
