/**
 * A dispute that moves on while its evidence is being built (the merchant submitted in Whop, or Whop
 * closed it): Whop refuses the update as no longer editable. That is nothing to alert on and no job
 * failure: the stage finds there is nothing left to stage. Seen in the demo as "Job failed for good:
 * stage … 422 This dispute can no longer be edited".
 */
import { afterEach, expect, it } from 'vitest';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { failedJobs } from './support/queues.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('a dispute submitted in Whop while its evidence was being built: the refused update fails no job and stages nothing', async () => {
  // The customer's other payments are looked up while the facts are gathered: slow that call down so
  // the dispute can move on in the meantime.
  h = await startServiceHarness({
    env: { AUTO_SUBMIT: 'never' },
    sim: { faults: { latencyMs: 1500, latencyRoutes: ['GET /payments'] } },
  });
  const dispute = h.sim.openDispute({
    paymentId: h.sim.createPayment({ total: 80 }).id,
    reason: 'Fraudulent',
  });
  await expect
    .poll(() => h!.sim.requestsArrived('GET /payments'), { timeout: 20_000, interval: 20 })
    .toBeGreaterThan(0);
  h.sim.moveDispute(dispute.id, 'under_review', { webhook: false });

  await expect
    .poll(() => h!.sim.requestCount('POST /disputes/:id/update_evidence'), { timeout: 20_000 })
    .toBeGreaterThan(0);
  await h.settle();
  expect(await failedJobs(h.admin)).toEqual([]);
  const state = await new EvidenceStore(h.admin).get(dispute.id);
  expect(state?.staged ?? null).toBeNull();
  expect(state?.sending ?? null).toBeNull();
  expect(h.sim.requestCount('POST /disputes/:id/submit_evidence')).toBe(0);
});
