import { afterEach, describe, expect, it } from 'vitest';
import type { WhopSimulatorOptions } from '../simulator/index.js';
import { createAlertsQueue } from '../src/alerts/alerts-queue.js';
import { alertTitle, type ChatReceiver, startChatReceiver } from './support/chat-receiver.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

let h: ServiceHarness | undefined;
let slack: ChatReceiver | undefined;
let discord: ChatReceiver | undefined;
let smtp: SmtpSink | undefined;
afterEach(async () => {
  await h?.close();
  await slack?.close();
  await discord?.close();
  await smtp?.close();
  h = slack = discord = smtp = undefined;
});

const SEC = 1000;
const HOUR = 3600 * SEC;

const titleOf = alertTitle;
const delivered = (r: ChatReceiver) => r.requests.filter((q) => q.status < 300).map((q) => titleOf(q.body));
/**
 * Titles delivered, leaving out what every new dispute in these small scenarios also brings: the
 * evidence alert, and the dispute-rate watch (one dispute on one payment: below the minimum sample,
 * its counts). The messages themselves are counted in messages-*.test.ts.
 */
const titles = (r: ChatReceiver) => delivered(r).filter((t) => !/^(Evidence|Dispute rate|Disputes:)/.test(t));

async function startWithChannels(env: Record<string, string>, sim: WhopSimulatorOptions = {}) {
  slack = await startChatReceiver({ flavor: 'slack' });
  discord = await startChatReceiver({ flavor: 'discord' });
  smtp = await startSmtpSink();
  h = await startServiceHarness({
    sim,
    env: {
      AUTO_SUBMIT: 'never',
      SLACK_WEBHOOK_URL: slack.url('/services/T1/B1/x'),
      DISCORD_WEBHOOK_URL: discord.url('/api/webhooks/1/x'),
      SMTP_URL: smtp.url(),
      ALERT_EMAIL_FROM: 'autopilot@merchant.test',
      ALERT_EMAIL_TO: 'owner@merchant.test',
      // A short coalescing window keeps these scenarios' timing (messages-*.test.ts tests the window).
      ALERT_COALESCE_WINDOW: '1s',
      ...env,
    },
  });
  return h;
}

describe('alerts and reminders, end to end', () => {
  it('a new dispute alerts every channel once, each reminder comes once per channel at its time, none after it is won', async () => {
    // Every webhook delivered twice: still one alert per channel.
    const harness = await startWithChannels(
      { REMINDER_OFFSETS: '16s,8s,1s' },
      { faults: { webhookDuplicateRate: 1 } },
    );
    const due = Date.now() + 20 * SEC;
    const payment = harness.sim.createPayment({ total: 120 });
    const dispute = harness.sim.openDispute({
      paymentId: payment.id,
      reason: 'Product Not Received',
      needsResponseBy: due,
    });

    // The dispute alert (and the evidence one), then the 16 s-before reminder (due at +4 s).
    await expect.poll(() => titles(slack!), { timeout: 15_000 }).toHaveLength(2);
    await expect.poll(() => titles(discord!), { timeout: 15_000 }).toHaveLength(2);
    expect(titles(slack!)).toEqual([
      expect.stringMatching(/^Chargeback: \$120/),
      expect.stringMatching(/^Reminder: /),
    ]);
    const reminder = slack!.requests.find((q) => titleOf(q.body).startsWith('Reminder'))!;
    expect(reminder.at).toBeGreaterThanOrEqual(due - 16 * SEC);
    // The evidence is told once: in the opening message when staged within its window (issue 12),
    // else in its own "evidence ready" message.
    const opening = slack!.requests.find((q) => titleOf(q.body).startsWith('Chargeback'))!.raw;
    const evidenceReady = delivered(slack!).filter((t) => t.startsWith('Evidence ready'));
    expect(evidenceReady.length + (opening.includes('Staged in Whop') ? 1 : 0), opening).toBe(1);

    // Won before the next reminders (at +12 s and +19 s): no more reminders, one outcome alert.
    harness.sim.moveDispute(dispute.id, 'won');
    await expect.poll(() => titles(slack!), { timeout: 15_000 }).toHaveLength(3);
    expect(titles(slack!)[2]).toMatch(/^Dispute won/);
    await new Promise((r) => setTimeout(r, Math.max(0, due + 2 * SEC - Date.now())));
    for (const r of [slack!, discord!]) {
      expect(titles(r)).toEqual([
        expect.stringMatching(/^Chargeback/),
        expect.stringMatching(/^Reminder/),
        expect.stringMatching(/^Dispute won/),
      ]);
    }
    const mails = smtp!.messages.filter((m) => !/Evidence|Dispute rate|Disputes:/.test(m.subject));
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringMatching(/Chargeback/),
      expect.stringMatching(/Reminder/),
      expect.stringMatching(/Dispute won/),
    ]);
    // Email has both parts and says what the merchant needs: amount, reason, due date.
    expect(mails[0]!.partTypes).toEqual(['text/plain', 'text/html']);
    expect(mails[0]!.text).toContain('$120');
    expect(mails[0]!.text).toContain('Product Not Received');
    expect(mails[0]!.html).toContain('$120');
    expect(mails[0]!.to).toContain('owner@merchant.test');
  });

  // Issue 12 changed this: the opening message is itself the catch-up for offsets already passed (it
  // says the time left), so no reminder comes at the same moment; before, one reminder came with it.
  it('an item first seen past its reminder offsets gets no burst and no catch-up reminder: its opening message says the time left', async () => {
    const harness = await startWithChannels({ REMINDER_OFFSETS: '72h,24h,6h' });
    harness.sim.openDispute({
      paymentId: harness.sim.createPayment({ total: 40 }).id,
      needsResponseBy: Date.now() + 2 * HOUR,
    });
    await expect.poll(() => titles(slack!), { timeout: 15_000 }).toHaveLength(1);
    await harness.settle();
    await new Promise((r) => setTimeout(r, 500));
    expect(titles(slack!)).toEqual([expect.stringMatching(/^Chargeback/)]);
    expect(titles(discord!)).toEqual([expect.stringMatching(/^Chargeback/)]);
    const opening = slack!.requests.find((q) => titleOf(q.body).startsWith('Chargeback'))!.raw;
    expect(opening).toMatch(/Time left.*1 hour 5\d minutes left/);
  });

  it('a Slack webhook answering 429 then 200 still gets each message exactly once, without holding up Discord', async () => {
    const harness = await startWithChannels({ REMINDER_OFFSETS: '' });
    slack!.rateLimitNext(1, { retryAfterSeconds: 1, style: 'header' });
    harness.sim.openDispute({
      paymentId: harness.sim.createPayment({ total: 75 }).id,
      needsResponseBy: Date.now() + 5 * 24 * HOUR,
    });
    await expect.poll(() => titles(slack!), { timeout: 15_000 }).toHaveLength(1);
    const limited = slack!.requests[0]!;
    expect(limited.status).toBe(429);
    // The same message again, after Slack's Retry-After; Discord was not held up meanwhile. (The first
    // message may be the rate one, which comes before the opening's coalescing window ends.)
    await expect
      .poll(() => slack!.requests.some((q) => q !== limited && q.raw === limited.raw), { timeout: 15_000 })
      .toBe(true);
    const retried = slack!.requests.find((q) => q !== limited && q.raw === limited.raw)!;
    expect(retried.status).toBe(200);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(1000);
    const discordCopy = discord!.requests.find((q) => titleOf(q.body) === titleOf(limited.body))!;
    expect(discordCopy.at).toBeLessThan(retried.at);
    await harness.settle();
    await new Promise((r) => setTimeout(r, 500));
    // Each message exactly once per channel.
    expect(new Set(delivered(slack!)).size).toBe(delivered(slack!).length);
    expect(delivered(slack!).sort()).toEqual(delivered(discord!).sort());
  });

  it('GET /api/alerts lists every delivery once, and those a channel refused for good with its reason', async () => {
    const harness = await startWithChannels({ REMINDER_OFFSETS: '' });
    // Slack refuses everything (a deleted webhook answers 404): nothing to retry.
    slack!.failNext(100, 404, 'no_service');
    harness.sim.openDispute({
      paymentId: harness.sim.createPayment({ total: 75 }).id,
      needsResponseBy: Date.now() + 5 * 24 * HOUR,
    });
    type Delivery = { id: string; kind: string; destination: string; at: string; reason?: string };
    const read = async () => {
      const res = await harness.app.request('/api/alerts', {
        headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { sent: Delivery[]; failed: Delivery[] };
    };
    const ids = (rows: Delivery[]) => rows.map((r) => r.id).sort();
    // Every alert reached Discord and email and failed on Slack.
    await expect
      .poll(
        async () => {
          const { sent, failed } = await read();
          const discordIds = ids(sent.filter((r) => r.destination === 'discord'));
          return (
            // The opening message comes after its coalescing window: wait for it too.
            sent.some((r) => r.kind === 'dispute_opened' && r.destination === 'discord') &&
            slack!.requests.length === discordIds.length &&
            JSON.stringify(ids(failed)) === JSON.stringify(discordIds) &&
            JSON.stringify(ids(sent.filter((r) => r.destination === 'email'))) === JSON.stringify(discordIds)
          );
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await harness.settle();
    await new Promise((r) => setTimeout(r, 500));
    const { sent, failed } = await read();
    expect(sent.map((r) => r.kind)).toContain('dispute_opened');
    expect(new Set(sent.map((r) => `${r.id}/${r.destination}`)).size).toBe(sent.length);
    expect(sent.every((r) => r.destination !== 'slack' && !Number.isNaN(Date.parse(r.at)))).toBe(true);
    expect(failed.length).toBe(slack!.requests.length);
    for (const f of failed) {
      expect(f.destination).toBe('slack');
      expect(f.reason).toBe('slack webhook answered 404: no_service');
    }
    // Refused once each: a 404 is not retried.
    expect(slack!.requests.every((q) => q.status === 404)).toBe(true);
    expect(new Set(slack!.requests.map((q) => q.raw)).size).toBe(slack!.requests.length);
  });

  // Issue 12 replaced "one alert per threshold crossed" (two at once when a rate jumps past both) with
  // one message per crossing naming the highest level, at most one per company and UTC day: tested in
  // messages-rate-digest.test.ts.

  it('the dispute rate counts successful payments only: refunded ones count, failed, open and draft ones do not', async () => {
    const harness = await startWithChannels({ REMINDER_OFFSETS: '', DISPUTE_RATE_WARN: '0.75%' });
    const company = harness.sim.createCompany();
    const paid = Array.from({ length: 70 }, () =>
      harness.sim.createPayment({ companyId: company.id, total: 10 }),
    );
    // Sales later refunded, in full or in part, are still sales a customer could dispute.
    for (let i = 0; i < 30; i++) {
      const p = harness.sim.createPayment({ companyId: company.id, total: 10 });
      const refund = harness.sim.createRefund(
        { paymentId: p.id, amount: i < 20 ? 10 : 4 },
        { webhook: false },
      );
      harness.sim.setRefundStatus(refund.id, 'succeeded', { webhook: false });
    }
    // No money taken: 300 payments that must not dilute the rate (1 in 400 would stay below 0.75%).
    for (const status of ['draft', 'open', 'pending', 'uncollectible', 'unresolved', 'void'] as const) {
      for (let i = 0; i < 50; i++) harness.sim.createPayment({ companyId: company.id, total: 10, status });
    }
    harness.sim.openDispute({ paymentId: paid[0]!.id, needsResponseBy: Date.now() + 5 * 24 * HOUR });
    await harness.settle();

    const rateAlerts = () =>
      slack!.requests.filter((q) => titleOf(q.body).startsWith('Dispute rate')).map((q) => q.raw);
    await expect.poll(rateAlerts, { timeout: 15_000 }).toHaveLength(1);
    expect(rateAlerts()[0]).toMatch(/1 of 100 payments in the last 30 days were disputed \(1%\)/);
  });
});

describe('alerts carrying more than one fact', () => {
  it('a Resolution Center case awaiting the merchant alerts with its case brief, and the daily digest lists what is open', async () => {
    const harness = await startWithChannels({ REMINDER_OFFSETS: '' });
    const rcCase = harness.sim.openCase({
      paymentId: harness.sim.createPayment({ total: 33 }).id,
      issue: 'item_not_received',
      dueDate: Date.now() + 3 * 24 * HOUR,
    });
    await expect
      .poll(() => slack!.requests.find((q) => /Resolution Center|case/i.test(titleOf(q.body))), {
        timeout: 15_000,
      })
      .toBeTruthy();
    const caseAlert = slack!.requests.find((q) => /Resolution Center|case/i.test(titleOf(q.body)))!;
    // The brief (suggested answer and why) travels with the alert.
    expect(caseAlert.raw).toMatch(/accept|deny|more information/i);
    expect(rcCase.id).toBeTruthy();

    // The digest job, as the daily scheduler runs it.
    const queue = createAlertsQueue(harness.admin);
    await queue.add('digest', { type: 'digest' });
    await expect
      .poll(() => delivered(slack!).filter((t) => /^Today: 1 item needs your answer/.test(t)), {
        timeout: 15_000,
      })
      .toHaveLength(1);
    await queue.close();
  });

  it('a backfill of history sends no alert per old item, but an open one still gets its reminder', async () => {
    const harness = await startWithChannels({ REMINDER_OFFSETS: '72h' });
    const company = harness.sim.createCompany();
    const old = Date.now() - 20 * 24 * HOUR;
    const settled = harness.sim.openDispute(
      { paymentId: harness.sim.createPayment({ companyId: company.id, createdAt: old }).id, createdAt: old },
      { webhook: false },
    );
    harness.sim.moveDispute(settled.id, 'won', { webhook: false });
    harness.sim.openDispute(
      {
        paymentId: harness.sim.createPayment({ companyId: company.id, createdAt: old }).id,
        createdAt: old,
        needsResponseBy: Date.now() + 24 * HOUR,
      },
      { webhook: false },
    );
    await harness.sweeper.run({
      companyIds: [company.id],
      since: new Date(old - HOUR),
      source: 'backfill',
      initialLookbackMs: 0,
    });
    // The open one is first seen past its 72h offset: one reminder at once, and nothing else.
    await expect.poll(() => titles(slack!), { timeout: 15_000 }).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(titles(slack!)).toEqual([expect.stringMatching(/^Reminder: /)]);
  });
});
