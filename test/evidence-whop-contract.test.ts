/**
 * The evidence autopilot against what Whop's contract says and the simulator enforces: a log Whop filled
 * itself, the access-log PDF uploaded privately, and Visa Compelling Evidence 3.0 found through
 * `payments.list({ query })`. The whole service against the simulator, through the real SDK.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type EvidenceState, EvidenceStore } from '../src/evidence/evidence-store.js';
import { APPENDED_HEADING } from '../src/evidence/plan-evidence-update.js';
import { pdfText } from './support/pdf-text.js';
import { type ServiceHarness, startServiceHarness } from './support/service-harness.js';

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function evidenceOf(harness: ServiceHarness, disputeId: string): Promise<EvidenceState | undefined> {
  return new EvidenceStore(harness.admin).get(disputeId);
}

/** What we recorded as staged (written just after Whop's update, so tests wait on it, not on Whop). */
async function staged(harness: ServiceHarness, disputeId: string) {
  return (await evidenceOf(harness, disputeId))?.staged ?? undefined;
}

/** `n` events, a day apart from `start` (epoch ms), all from one IP and device. */
function events(userId: string, tag: string, start: number, n: number, ip: string, deviceId: string) {
  return Array.from({ length: n }, (_, i) => ({
    event_id: `ev_${tag}_${i}`,
    user_id: userId,
    occurred_at: new Date(start + (i + 1) * DAY + i * 60_000).toISOString(),
    action: i === 0 ? 'login' : 'lesson_viewed',
    ip,
    device_id: deviceId,
    session_id: `sess_${tag}_${i}`,
  }));
}

const WHOP_LOG =
  'Whop access log\n2026-11-02 10:14 UTC 198.51.100.20 signed in\n2026-11-03 08:01 UTC 198.51.100.20 viewed product';

describe('evidence and the fields Whop fills itself', () => {
  it('keeps the access log Whop filled before we staged, adds ours after it, and replaces only ours later', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
    const paidAt = Date.now() - 10 * DAY;
    const payment = h.sim.createPayment({ total: 49, paidAt, createdAt: paidAt });
    const userId = payment.user!.id;
    await h.postAccessEvents(events(userId, 'a', paidAt, 5, '203.0.113.7', 'dev_laptop_1'));

    const dispute = h.sim.openDispute({
      paymentId: payment.id,
      reason: 'Product Not Received',
      accessActivityLog: WHOP_LOG,
    });
    const heading = APPENDED_HEADING.access_activity_log!;
    // The state is written just after Whop is updated: wait for it, then compare with Whop.
    await expect
      .poll(async () => (await staged(h!, dispute.id))?.fields.access_activity_log, { timeout: 15_000 })
      .toContain(heading);
    const log = h.sim.getDispute(dispute.id).access_activity_log!;
    expect(log.startsWith(`${WHOP_LOG}\n\n${heading}\n`)).toBe(true);
    expect(log).toContain('5 events');
    const state = (await evidenceOf(h, dispute.id))!;
    expect(state.staged?.fields.access_activity_log).toBe(log);
    expect(state.merchantOwned).not.toContain('access_activity_log');
    expect(state.whopFilled).toContain('access_activity_log');
    expect(state.staged?.whopDefaults?.access_activity_log).toBe(WHOP_LOG);

    // New events: our part is rewritten, Whop's stays first and only once.
    await h.postAccessEvents(events(userId, 'b', paidAt + 5 * DAY, 2, '203.0.113.7', 'dev_laptop_1'));
    await expect
      .poll(async () => (await staged(h!, dispute.id))?.fields.access_activity_log, { timeout: 15_000 })
      .toContain('7 events');
    const refreshed = h.sim.getDispute(dispute.id).access_activity_log!;
    expect((await staged(h, dispute.id))?.fields.access_activity_log).toBe(refreshed);
    expect(refreshed.startsWith(`${WHOP_LOG}\n\n${heading}\n`)).toBe(true);
    expect(refreshed.split(WHOP_LOG)).toHaveLength(2);
    expect(refreshed.split(heading)).toHaveLength(2);
    expect((await evidenceOf(h, dispute.id))!.merchantOwned).not.toContain('access_activity_log');
  });
});

describe('the access-log PDF', () => {
  it('is uploaded as a private file, readable only through its signed url', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
    const paidAt = Date.now() - 10 * DAY;
    const payment = h.sim.createPayment({ total: 49, paidAt, createdAt: paidAt });
    await h.postAccessEvents(events(payment.user!.id, 'a', paidAt, 3, '203.0.113.7', 'dev_laptop_1'));
    const dispute = h.sim.openDispute({ paymentId: payment.id, reason: 'Product Not Received' });
    await expect
      .poll(() => h!.sim.getDispute(dispute.id).uncategorized_attachment, { timeout: 15_000 })
      .toBeTruthy();
    const attached = h.sim.getDispute(dispute.id).uncategorized_attachment!;
    const file = h.sim.getFile(attached.id);
    expect(file).toMatchObject({
      visibility: 'private',
      content_type: 'application/pdf',
      upload_status: 'ready',
    });
    expect(await pdfText(file.bytes!)).toContain('Events recorded: 3');
    expect(h.sim.requestLog.filter((r) => r.route === 'POST /files')).toHaveLength(1);

    // Nobody gets the customer's IPs and emails without the signed url Whop hands out.
    const url = new URL(attached.url!);
    expect((await fetch(`${url.origin}${url.pathname}`)).status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
  });

  it('when the upload fails, the evidence is still staged (without it, and the state says so) and the PDF follows later', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
    const paidAt = Date.now() - 10 * DAY;
    const payment = h.sim.createPayment({ total: 49, paidAt, createdAt: paidAt });
    const userId = payment.user!.id;
    await h.postAccessEvents(events(userId, 'a', paidAt, 3, '203.0.113.7', 'dev_laptop_1'));
    h.sim.failNext(1, { status: 500, route: 'POST /files' });
    const dispute = h.sim.openDispute({ paymentId: payment.id, reason: 'Product Not Received' });

    await expect
      .poll(async () => (await staged(h!, dispute.id))?.fields.access_activity_log, { timeout: 15_000 })
      .toContain('3 events');
    expect(h.sim.getDispute(dispute.id).access_activity_log).toContain('3 events');
    expect(h.sim.getDispute(dispute.id).uncategorized_attachment).toBeNull();
    const first = (await staged(h, dispute.id))!;
    expect(first.attachmentFileId).toBeNull();
    expect(first.attachmentError).toMatch(/access-log PDF not uploaded: 500/);

    // The next run (here: new access events) uploads it and clears the note.
    await h.postAccessEvents(events(userId, 'b', paidAt + 3 * DAY, 1, '203.0.113.7', 'dev_laptop_1'));
    await expect
      .poll(async () => (await staged(h!, dispute.id))?.attachmentFileId, { timeout: 15_000 })
      .toBeTruthy();
    const after = (await staged(h, dispute.id))!;
    expect(after.attachmentError).toBeNull();
    expect(h.sim.getDispute(dispute.id).uncategorized_attachment?.id).toBe(after.attachmentFileId);
    expect(h.sim.getFile(after.attachmentFileId!).visibility).toBe('private');
  });
});

describe('Visa Compelling Evidence 3.0', () => {
  it('finds the customer’s two earlier payments 120–365 days old sharing IP and device, and names them', async () => {
    h = await startServiceHarness({ env: { AUTO_SUBMIT: 'never' } });
    const now = Date.now();
    const ip = '203.0.113.50';
    const device = 'dev_phone_77';
    const disputedAt = now - 6 * DAY;
    const disputed = h.sim.createPayment({ total: 89, paidAt: disputedAt, createdAt: disputedAt });
    const userId = disputed.user!.id;
    const productId = disputed.product!.id;
    const earlier = (daysAgo: number, extra: Parameters<ServiceHarness['sim']['createPayment']>[0] = {}) => {
      const at = now - daysAgo * DAY;
      return h!.sim.createPayment({ total: 89, userId, productId, paidAt: at, createdAt: at, ...extra });
    };
    const first = earlier(300);
    const second = earlier(160);
    // Sharing the IP too, but not CE 3.0 history: too recent, and one from another card.
    const recent = earlier(60);
    const otherCard = earlier(200, { cardLast4: '0005' });
    // Reported as fraud by the issuer (a dispute alert): never "undisputed" history.
    const reported = earlier(220);
    h!.sim.createDisputeAlert({ paymentId: reported.id, alertType: 'fraud' }, { webhook: false });
    // Another customer's payment from the same IP: never the disputing customer's history.
    const stranger = h.sim.createPayment({ total: 89, productId, paidAt: now - 250 * DAY });

    const sent = await h.postAccessEvents([
      ...events(userId, 'disputed', disputedAt, 4, ip, device),
      ...events(userId, 'first', now - 300 * DAY, 3, ip, device),
      ...events(userId, 'second', now - 160 * DAY, 3, ip, device),
      ...events(userId, 'recent', now - 60 * DAY, 2, ip, device),
      ...events(userId, 'other', now - 200 * DAY, 2, ip, device),
      ...events(userId, 'reported', now - 220 * DAY, 2, ip, device),
      ...events(stranger.user!.id, 'stranger', now - 250 * DAY, 2, ip, device),
    ]);
    expect(await sent.json()).toMatchObject({ accepted: 18, rejected: [] });

    const dispute = h.sim.openDispute({ paymentId: disputed.id, reason: 'Fraudulent' });
    await expect
      .poll(async () => (await staged(h!, dispute.id))?.fields.notes, { timeout: 15_000 })
      .toContain('Compelling Evidence 3.0');
    const notes = h.sim.getDispute(dispute.id).notes!;
    expect(notes).toContain(first.id);
    expect(notes).toContain(second.id);
    for (const p of [recent, otherCard, reported, stranger]) expect(notes).not.toContain(p.id);

    const ce3 = (await evidenceOf(h, dispute.id))!.draft!.ce3 as {
      qualifies: boolean;
      matches: { paymentId: string; sharedIps: string[]; sharedDeviceIds: string[] }[];
    };
    expect(ce3.qualifies).toBe(true);
    expect(ce3.matches).toEqual([
      {
        paymentId: first.id,
        paidAt: expect.any(String),
        amount: 89,
        currency: 'usd',
        sharedIps: [ip],
        sharedDeviceIds: [device],
      },
      {
        paymentId: second.id,
        paidAt: expect.any(String),
        amount: 89,
        currency: 'usd',
        sharedIps: [ip],
        sharedDeviceIds: [device],
      },
    ]);
    // Found through Whop's search by the customer's user id: one page, no extra empty one after it.
    const searches = h.sim.requestLog.filter(
      (r) => r.route === 'GET /payments' && r.query.includes('query='),
    );
    expect(searches.length).toBeGreaterThan(0);
    for (const r of searches) {
      expect(new URLSearchParams(r.query).get('query')).toBe(userId);
      expect(r.query).not.toContain('after=');
    }
  });
});
