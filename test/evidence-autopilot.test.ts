import { afterEach, describe, expect, it } from 'vitest';
import { type EvidenceState, EvidenceStore } from '../src/evidence/evidence-store.js';
import { EVIDENCE_TEXT_FIELDS } from '../src/evidence/plan-evidence-update.js';
import { adverseIn } from './support/evidence-checks.js';
import { pdfText } from './support/pdf-text.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 47 events in 8 sessions over the 10 days after a purchase, from one device and IP, plus 2 before it. */
function usage(userId: string, paidAt: number) {
  const events = [];
  for (let s = 0; s < 8; s++) {
    const perSession = s < 7 ? 6 : 5;
    for (let i = 0; i < perSession; i++) {
      events.push({
        event_id: `ev_${userId}_${s}_${i}`,
        user_id: userId,
        occurred_at: new Date(paidAt + (s + 1) * DAY + i * 60_000).toISOString(),
        action: i === 0 ? 'login' : 'lesson_viewed',
        ip: '203.0.113.7',
        device_id: 'dev_laptop_1',
        session_id: `sess_${s}`,
        user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)',
      });
    }
  }
  for (let i = 0; i < 2; i++) {
    events.push({
      event_id: `ev_${userId}_pre_${i}`,
      user_id: userId,
      occurred_at: new Date(paidAt - (i + 1) * HOUR).toISOString(),
      action: 'page_view',
      ip: '203.0.113.7',
      device_id: 'dev_laptop_1',
    });
  }
  return events;
}

async function evidenceOf(harness: ServiceHarness, disputeId: string): Promise<EvidenceState | undefined> {
  return new EvidenceStore(harness.admin).get(disputeId);
}

/** The text of an uploaded attachment, read as a PDF (rejects when it is not one). */
function attachmentText(harness: ServiceHarness, fileId: string): Promise<string> {
  return pdfText(harness.sim.getFile(fileId).bytes!);
}

describe('evidence autopilot against the Whop simulator', () => {
  it('stages evidence with the true usage counts and the access-log PDF, leaving the merchant’s own field alone', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
    const paidAt = Date.now() - 12 * DAY;
    const payment = h.sim.createPayment({ total: 49, paidAt, createdAt: paidAt });
    const userId = payment.user!.id;
    const sent = await h.postAccessEvents(usage(userId, paidAt));
    expect(await sent.json()).toMatchObject({ accepted: 49, rejected: [] });

    // The merchant writes their own note in Whop before our worker gets to the dispute.
    h.sim.holdWebhooks();
    const dispute = h.sim.openDispute({
      paymentId: payment.id,
      reason: 'Product Not Received',
      needsResponseBy: Date.now() + 5 * DAY,
    });
    await h.whop.disputes.updateEvidence(dispute.id, { notes: 'Written by the merchant in Whop.' });
    h.sim.releaseWebhooks();

    await expect
      .poll(() => h!.sim.getDispute(dispute.id).access_activity_log, { timeout: 15_000 })
      .toBeTruthy();
    await h.settle();
    const staged = h.sim.getDispute(dispute.id);
    const log = staged.access_activity_log!;
    // The count with its unit: a bare '47' also matches a time such as 08:47 in the event list.
    expect(log).toContain('47 events');
    expect(log).toMatch(/8 sessions/);
    expect(log).toContain('203.0.113.7');
    expect(staged.notes).toBe('Written by the merchant in Whop.');
    expect(staged.customer_email_address).toBe(payment.user!.email);
    expect(staged.status).toBe('needs_response');

    // The attachment opens as a PDF and lists the events.
    const fileId = staged.uncategorized_attachment!.id;
    const text = await attachmentText(h, fileId);
    expect(text).toContain(`Dispute: ${dispute.id}`);
    expect(text).toContain('Events recorded: 49');
    expect(text.match(/lesson_viewed/g)?.length).toBe(39);

    // Visible to the merchant through the read API.
    const read = await h.readCase(dispute.id);
    const evidence = read.evidence as EvidenceState;
    expect(evidence.merchantOwned).toContain('notes');
    expect(evidence.staged?.fields.access_activity_log).toBe(log);
    expect(evidence.submission).toMatchObject({ mode: 'never', scheduledFor: null, submittedAt: null });
    // The case strength, for the merchant: use after purchase makes a delivery claim strong.
    expect(evidence.draft?.strength).toMatchObject({
      strength: 'strong',
      recommendation: { action: 'fight' },
    });
    expect(evidence.draft?.strength?.reasons[0]).toBe(
      'For: the customer used it after buying: 47 access events in 8 sessions on 8 days.',
    );

    // Running again with the same facts changes nothing; re-sent events are duplicates and refresh nothing.
    const updatesBefore = h.sim.requestCount('POST /disputes/:id/update_evidence');
    expect(await (await h.postAccessEvents(usage(userId, paidAt))).json()).toMatchObject({
      accepted: 0,
      duplicates: 49,
    });
    await h.settle();
    expect(h.sim.requestCount('POST /disputes/:id/update_evidence')).toBe(updatesBefore);

    // New access events before submission refresh the draft, and a new PDF replaces ours.
    const more = [0, 1, 2].map((i) => ({
      event_id: `ev_late_${i}`,
      user_id: userId,
      occurred_at: new Date(Date.now() - (i + 1) * HOUR).toISOString(),
      action: 'download',
      ip: '203.0.113.7',
      device_id: 'dev_laptop_1',
      session_id: 'sess_late',
    }));
    expect(await (await h.postAccessEvents(more)).json()).toMatchObject({ accepted: 3 });
    await expect
      .poll(() => h!.sim.getDispute(dispute.id).access_activity_log, { timeout: 15_000 })
      .toContain('50 events'); // not a bare '50': the old draft's times (08:50) already held one
    const refreshed = h.sim.getDispute(dispute.id);
    expect(refreshed.notes).toBe('Written by the merchant in Whop.');
    expect(refreshed.uncategorized_attachment!.id).not.toBe(fileId);
    expect(await attachmentText(h, refreshed.uncategorized_attachment!.id)).toContain('Events recorded: 52');
  });

  // Issue 12: evidence is advocacy. This test used to expect "recorded no access events" in the staged
  // access log and in the attached PDF; now that fact must be absent from everything Whop receives, and
  // present, with the case strength, in what the merchant reads (GET /api/cases/:id).
  it('never tells Whop there was no usage: no PDF, no adverse sentence; the merchant reads it, and the case strength, in the read API', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
    // 20.00 USD: under the default MIN_FIGHT_AMOUNT of 25 USD.
    const payment = h.sim.createPayment({ total: 20 });
    const dispute = h.sim.openDispute({ paymentId: payment.id, reason: 'Product Not Received' });
    await expect
      .poll(async () => (await evidenceOf(h!, dispute.id))?.staged?.stagedAt, { timeout: 15_000 })
      .toBeTruthy();
    await h.settle();

    // What Whop holds: fields that argue only for the merchant, and no access-log PDF at all.
    const staged = h.sim.getDispute(dispute.id);
    expect(staged.notes).toContain('The customer says they did not receive the product.');
    for (const field of EVIDENCE_TEXT_FIELDS) {
      expect(adverseIn(String(staged[field] ?? '')), field).toEqual([]);
    }
    expect(staged.uncategorized_attachment).toBeNull();
    expect(h.sim.requestCount('POST /files')).toBe(0);

    // What the merchant reads: the missing usage, and the case strength with its recommendation.
    const evidence = (await h.readCase(dispute.id)).evidence as EvidenceState;
    expect(evidence.draft?.warnings).toContain(
      'No access events for this customer: the evidence rests on Whop data alone.',
    );
    const strength = evidence.draft!.strength!;
    expect(strength.strength).toBe('weak');
    expect(strength.reasons).toContain(
      'Against: no access events are recorded for this customer: no proof of use to show.',
    );
    expect(strength.recommendation.action).toBe('let_close');
    expect(strength.recommendation.text).toContain(
      "Whop's API has no call to accept a dispute: not fighting means not submitting evidence.",
    );
    expect(strength.recommendation.strengthen.join('\n')).toContain('POST /access-events');

    // None of it ever reached Whop: not in any object Whop holds, nor in any notification.
    const everything = JSON.stringify(h.sim.snapshot());
    for (const text of [
      ...strength.reasons,
      strength.recommendation.text,
      ...strength.recommendation.strengthen,
      ...evidence.draft!.warnings!,
    ]) {
      expect(everything).not.toContain(text);
      expect(everything).not.toContain(JSON.stringify(text).slice(1, -1));
    }
    expect(everything).not.toMatch(/\bweak\b|let_close|MIN_FIGHT_AMOUNT/);
  });

  it('submits exactly once at the lead time, despite duplicate webhooks and a submit that failed after it went through', async () => {
    h = await startServiceHarness({
      env: { AUTO_SUBMIT: 'before_deadline', SUBMIT_LEAD: '1h' },
      sim: { faults: { webhookDuplicateRate: 1 } },
    });
    const payment = h.sim.createPayment({ total: 80 });
    const due = Date.now() + HOUR + 2500;
    // Whop takes the submission but the answer is lost: our worker must find out, not submit again.
    h.sim.failNext(1, { status: 500, route: 'POST /disputes/:id/submit_evidence', phase: 'after' });
    const dispute = h.sim.openDispute({
      paymentId: payment.id,
      reason: 'Product Unacceptable',
      needsResponseBy: due,
    });

    await expect
      .poll(async () => (await evidenceOf(h!, dispute.id))?.submission.scheduledFor, { timeout: 15_000 })
      .toBe(new Date(due - HOUR).toISOString());
    expect(h.sim.getDispute(dispute.id).status).toBe('needs_response');

    await expect
      .poll(async () => (await evidenceOf(h!, dispute.id))?.submission.submittedAt, { timeout: 20_000 })
      .toBeTruthy();
    await h.settle();
    const submits = h.sim.requestLog.filter((r) => r.route === 'POST /disputes/:id/submit_evidence');
    expect(submits).toHaveLength(1);
    expect(submits[0]!.startedAt).toBeGreaterThanOrEqual(due - HOUR);
    const state = (await evidenceOf(h, dispute.id))!;
    expect(state.submission.outcome).toBe('found_submitted');
    expect(h.sim.getDispute(dispute.id)).toMatchObject({ status: 'under_review', editable: false });
  });

  it('never submits a dispute that is no longer editable, and never twice', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'immediately' } });
    const payment = h.sim.createPayment({ total: 25 });
    const dispute = h.sim.openDispute({ paymentId: payment.id, reason: 'Fraudulent' });
    await expect
      .poll(async () => (await evidenceOf(h!, dispute.id))?.submission.submittedAt, { timeout: 15_000 })
      .toBeTruthy();
    expect((await evidenceOf(h, dispute.id))!.submission.outcome).toBe('submitted');
    // Whatever arrives later (a status change, the sweep) finds it submitted: no second call.
    h.sim.moveDispute(dispute.id, 'won');
    await h.settle();
    await h.sweep({ companyIds: [dispute.company!.id] });
    await h.settle();
    expect(h.sim.requestCount('POST /disputes/:id/submit_evidence')).toBe(1);
  });

  it('writes a case brief for a Resolution Center case awaiting the merchant, visible in the read API', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
    const paidAt = Date.now() - 12 * DAY;
    const payment = h.sim.createPayment({ total: 49, paidAt, createdAt: paidAt });
    await h.postAccessEvents(usage(payment.user!.id, paidAt));
    const rcCase = h.sim.openCase({
      paymentId: payment.id,
      issue: 'item_not_received',
      dueDate: Date.now() + 5 * DAY,
    });
    await expect
      .poll(
        async () => ((await h!.readCase(rcCase.id)).brief as { suggestion?: string } | null)?.suggestion,
        {
          timeout: 15_000,
        },
      )
      .toBe('deny');
    const brief = (await h.readCase(rcCase.id)).brief as {
      text: string;
      reasons: string[];
      usedAfterPurchase: { events: number };
    };
    expect(brief.usedAfterPurchase.events).toBe(47);
    expect(brief.text).toContain('47');
    expect(brief.reasons.length).toBeGreaterThan(0);
  });

  it('answers an inquiry, and again when it escalates into a chargeback', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'immediately' } });
    const payment = h.sim.createPayment({ total: 45 });
    const inquiry = h.sim.openDispute({
      paymentId: payment.id,
      status: 'warning_needs_response',
      reason: 'Fraudulent',
    });
    await expect
      .poll(async () => (await evidenceOf(h!, inquiry.id))?.submission.submittedAt, { timeout: 15_000 })
      .toBeTruthy();
    expect((await evidenceOf(h, inquiry.id))!.submission.forStatus).toBe('warning_needs_response');

    h.sim.moveDispute(inquiry.id, 'needs_response');
    await expect
      .poll(async () => (await evidenceOf(h!, inquiry.id))?.submission.forStatus, { timeout: 15_000 })
      .toBe('needs_response');
    await expect
      .poll(async () => (await evidenceOf(h!, inquiry.id))?.submission.submittedAt, { timeout: 15_000 })
      .toBeTruthy();
    const state = (await evidenceOf(h, inquiry.id))!;
    expect(state.previousSubmissions?.map((p) => p.forStatus)).toEqual(['warning_needs_response']);
    expect(h.sim.requestCount('POST /disputes/:id/submit_evidence')).toBe(2);
    expect(h.sim.getDispute(inquiry.id).status).toBe('under_review');
  });
});
