/**
 * The pipeline run with a narrow API key against the simulator, which answers 403 in Whop's shape for
 * every call whose SDK doc comment lists a permission the key lacks. A secondary lookup refused is a
 * missing fact (the evidence or brief is built without it and says so); the object a job is about
 * refused fails the job for good, with an alert that names the call, the object and the permission.
 */
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { EVIDENCE_QUEUE } from '../src/evidence/evidence-queue.js';
import type { EvidenceState } from '../src/evidence/evidence-store.js';
import type { MissingFact } from '../src/evidence/missing-facts.js';
import { EVIDENCE_TEXT_FIELDS } from '../src/evidence/plan-evidence-update.js';
import { SWEEP_QUEUE } from '../src/reconcile/sweep-queue.js';
import { type ChatReceiver, startChatReceiver } from './support/chat-receiver.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
let slack: ChatReceiver | undefined;
afterEach(async () => {
  await h?.close();
  await slack?.close();
  h = slack = undefined;
});

const DAY = 86_400_000;
const NARROW_KEY = 'narrow_key';

/** The service with WHOP_API_KEY set to a key holding every permission but `without`; alerts go to Slack. */
async function startNarrow(without: string[], beforeWorkers?: (h: ServiceHarness) => Promise<void>) {
  slack = await startChatReceiver({ flavor: 'slack' });
  h = await startServiceHarness({
    workers: false,
    env: {
      WHOP_API_KEY: NARROW_KEY,
      AUTO_SUBMIT: 'never',
      REMINDER_OFFSETS: '',
      SLACK_WEBHOOK_URL: slack.url('/services/T1/B1/x'),
    },
  });
  h.sim.addApiKey(NARROW_KEY, { without });
  await beforeWorkers?.(h);
  await h.startWorkers();
  return h;
}

/** The text of every Slack message that arrived (whatever its layout). */
const slackText = () => slack!.requests.map((r) => r.raw).join('\n');

async function alertsRead(harness: ServiceHarness) {
  const res = await harness.app.request('/api/alerts', {
    headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` },
  });
  return (await res.json()) as { sent: { id: string; kind: string; destination: string }[] };
}

describe('a narrow API key', () => {
  it('without member:phone:read: the dispute read fails once, for good, and an alert names the call and permission', async () => {
    const harness = await startNarrow(['member:phone:read']);
    const dispute = harness.sim.openDispute({ paymentId: harness.sim.createPayment().id });
    await harness.settle();

    // One try: waiting does not grant a permission.
    const failed = await harness.queue.getJobs(['failed']);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attemptsMade).toBe(1);
    expect(failed[0]!.failedReason).toContain(`disputes.retrieve on ${dispute.id}`);
    expect(failed[0]!.failedReason).toContain('member:phone:read');
    expect(harness.sim.requestCount('GET /disputes/:id')).toBe(1);
    expect(await harness.store.get(dispute.id)).toBeUndefined();

    await expect.poll(() => slackText(), { timeout: 15_000 }).toContain('Whop refused disputes.retrieve');
    const text = slackText();
    expect(text).toContain('the API key lacks member:phone:read');
    expect(text).toContain(dispute.id);
    expect(text).toContain("Give the API key the permission member:phone:read in Whop's developer settings");
    await expect
      .poll(async () => (await alertsRead(harness)).sent.map((r) => `${r.kind}/${r.destination}`))
      .toContain('job_failed/slack');
  });

  it('without payment:dispute_alert:read: the sweep lists the rest and alerts once that it cannot list dispute alerts', async () => {
    let companyId = '';
    const harness = await startNarrow(['payment:dispute_alert:read'], async (x) => {
      companyId = x.sim.createCompany().id;
      x.sim.openDispute({ paymentId: x.sim.createPayment({ companyId }).id }, { webhook: false });
      // A company the store knows: the start-up sweep covers it.
      await x.store.addCompanies([companyId]);
    });
    const listings = harness.sim.requestLog.filter((r) => r.method === 'GET' && r.query.includes(companyId));
    expect(listings.find((r) => r.route === 'GET /dispute_alerts')?.status).toBe(403);
    // The other kinds were still listed and what they held recorded.
    expect((await harness.store.list({ companyId, limit: 10 })).items.map((r) => r.kind)).toEqual([
      'dispute',
    ]);

    await expect.poll(() => slackText(), { timeout: 15_000 }).toContain('Whop refused disputeAlerts.list');
    const text = slackText();
    expect(text).toContain('the API key lacks payment:dispute_alert:read');
    expect(text).toContain(
      "Give the API key the permission payment:dispute_alert:read in Whop's developer settings",
    );
    expect(text).toContain('the next sweep tries again');

    // The next sweep is refused the same way: no second alert the same day.
    const sweeps = new Queue(SWEEP_QUEUE, { connection: harness.admin });
    try {
      const job = await sweeps.add('sweep', {});
      await expect
        .poll(async () => (await sweeps.getJob(job.id!))?.finishedOn, { timeout: 15_000 })
        .toBeTruthy();
    } finally {
      await sweeps.close();
    }
    await harness.settle();
    await new Promise((r) => setTimeout(r, 300));
    const refusedListings = harness.sim.requestLog.filter(
      (r) => r.route === 'GET /dispute_alerts' && r.status === 403,
    );
    expect(refusedListings.length).toBeGreaterThanOrEqual(2);
    expect(slack!.requests.filter((r) => r.raw.includes('Whop refused disputeAlerts.list'))).toHaveLength(1);
  });

  it('without payment:dispute: the evidence job fails for good on update_evidence and alerts (no retries)', async () => {
    const harness = await startNarrow(['payment:dispute']);
    const dispute = harness.sim.openDispute({
      paymentId: harness.sim.createPayment().id,
      needsResponseBy: Date.now() + 5 * DAY,
    });
    await harness.settle();
    // Reading needs no payment:dispute: the record is there.
    expect((await harness.store.get(dispute.id))?.status).toBe('needs_response');

    const evidence = new Queue(EVIDENCE_QUEUE, { connection: harness.admin });
    try {
      await expect.poll(() => evidence.getJobCounts('failed'), { timeout: 15_000 }).toEqual({ failed: 1 });
      const [job] = await evidence.getJobs(['failed']);
      expect(job!.attemptsMade).toBe(1);
      expect(job!.failedReason).toContain(`disputes.updateEvidence on ${dispute.id}`);
      // The dispute read proved every other permission update_evidence needs: only this one is named.
      expect(job!.failedReason).toBe(
        `whop answered 403 to disputes.updateEvidence on ${dispute.id}: the API key lacks payment:dispute`,
      );
    } finally {
      await evidence.close();
    }
    expect(harness.sim.requestCount('POST /disputes/:id/update_evidence')).toBe(1);
    await expect
      .poll(() => slackText(), { timeout: 15_000 })
      .toContain('Whop refused disputes.updateEvidence');
    expect(slackText()).toContain(
      "Give the API key the permission payment:dispute in Whop's developer settings",
    );
  });

  it('without promo_code:basic:read: evidence is still staged, the state lists what is missing, Whop hears none of it', async () => {
    const harness = await startNarrow(['promo_code:basic:read']);
    const paidAt = Date.now() - 10 * DAY;
    const payment = harness.sim.createPayment({ total: 49, paidAt, createdAt: paidAt });
    const dispute = harness.sim.openDispute({
      paymentId: payment.id,
      reason: 'Fraudulent',
      needsResponseBy: Date.now() + 5 * DAY,
    });
    await expect
      .poll(async () => ((await harness.readCase(dispute.id)).evidence as EvidenceState | null)?.staged, {
        timeout: 15_000,
      })
      .toBeTruthy();

    // payments.retrieve and payments.list (the customer's other payments) were refused …
    expect(harness.sim.requestLog.filter((r) => r.status === 403).map((r) => r.route)).toEqual(
      expect.arrayContaining(['GET /payments/:id', 'GET /payments']),
    );
    // … and the lookups that did not need them still ran, with the ids the dispute embeds.
    expect(harness.sim.requestCount('GET /memberships/:id')).toBeGreaterThan(0);
    expect(harness.sim.requestCount('GET /members/:id')).toBeGreaterThan(0);

    const state = (await harness.readCase(dispute.id)).evidence as EvidenceState;
    const missing = state.draft!.missingFacts as MissingFact[];
    expect(missing.map((m) => m.lookup).sort()).toEqual(['payments.list', 'payments.retrieve']);
    for (const m of missing) expect(m.permissions[0]).toBe('promo_code:basic:read');
    const retrieve = missing.find((m) => m.lookup === 'payments.retrieve')!;
    expect(retrieve.objectId).toBe(payment.id);
    expect(retrieve.note).toMatch(
      /^payments\.retrieve refused \(needs promo_code:basic:read; may also need payment:resolution_center_case:read\): the evidence lacks the payment's billing address/,
    );
    expect(state.staged!.fields.access_activity_log).toBeTruthy();

    // Nothing about permissions reaches Whop: every evidence field as Whop now holds it.
    const whop = harness.sim.getDispute(dispute.id) as unknown as Record<string, unknown>;
    const sent = EVIDENCE_TEXT_FIELDS.map((f) => whop[f])
      .filter((v) => typeof v === 'string')
      .join('\n');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent).not.toMatch(/promo_code|permission|refused|payments\.(retrieve|list)/i);

    // The merchant hears it with the staged evidence; the evidence queue has nothing failed.
    await expect.poll(() => slackText(), { timeout: 15_000 }).toContain('Built without');
    expect(slackText()).toContain('payments.retrieve refused (needs promo_code:basic:read');
    const evidence = new Queue(EVIDENCE_QUEUE, { connection: harness.admin });
    expect(await evidence.getJobCounts('failed')).toEqual({ failed: 0 });
    await evidence.close();
  });

  it('without promo_code:basic:read and member:basic:read: the case brief is built without the payment and member', async () => {
    const harness = await startNarrow(['promo_code:basic:read', 'member:basic:read']);
    const payment = harness.sim.createPayment({ total: 49 });
    const rcCase = harness.sim.openCase({
      paymentId: payment.id,
      issue: 'item_not_received',
      dueDate: Date.now() + 5 * DAY,
    });
    type Brief = { text: string; missingFacts: MissingFact[] };
    await expect
      .poll(async () => ((await harness.readCase(rcCase.id)).brief as Brief | null)?.missingFacts, {
        timeout: 15_000,
      })
      .toBeDefined();
    const brief = (await harness.readCase(rcCase.id)).brief as Brief;
    expect(brief.missingFacts.map((m) => m.lookup).sort()).toEqual(['members.retrieve', 'payments.retrieve']);
    expect(brief.missingFacts.find((m) => m.lookup === 'members.retrieve')!.permissions[0]).toBe(
      'member:basic:read',
    );
    expect(brief.text).toContain('Built without what Whop refused to this API key: ');
    expect(brief.text).toContain('members.retrieve refused (needs member:basic:read');
  });
});
