/**
 * Issue 14, item 4: the merchant's channels down. Slack, Discord and the SMTP server all refuse
 * connections for a while, then come back on the same address: every alert reaches each channel exactly
 * once. A channel down past the retry budget (12 attempts per delivery, src/alerts/alerts-queue.ts) has
 * each failed delivery listed, with its reason, in `GET /api/alerts` and on the health page; when it
 * returns, new alerts reach it and the failed ones are not sent after all.
 *
 * The workers back off from 10 ms here (production: 2 s), so the 12 attempts span 10–20 s instead of
 * 35–70 minutes (the production budget, whose cap is 10 min per wait); the outage lasts until every
 * channel's deliveries have failed six times, half that budget.
 */
import { Queue } from 'bullmq';
import { afterEach, expect, it } from 'vitest';
import { ALERTS_QUEUE, type AlertJob } from '../../src/alerts/alerts-queue.js';
import { alertTitle, type ChatReceiver, startChatReceiver } from '../support/chat-receiver.js';
import { DashboardClient } from '../support/dashboard-client.js';
import { waitForIdleQueues } from '../support/queues.js';
import { freePort } from '../support/redis-server.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from '../support/service-harness.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';

const DAY = 24 * 3_600_000;
let h: ServiceHarness | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const c of closers.splice(0)) await c();
});

type Delivery = { id: string; kind: string; destination: string; reason?: string };
async function alertsApi(harness: ServiceHarness) {
  const res = await harness.app.request('/api/alerts', {
    headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<'sent' | 'failed' | 'uncertain', Delivery[]>;
}

/** The fewest failed attempts among the waiting delivery jobs of each channel, by channel. */
async function failedAttempts(harness: ServiceHarness): Promise<Record<string, number>> {
  const queue = new Queue<AlertJob>(ALERTS_QUEUE, { connection: harness.admin });
  try {
    const out: Record<string, number> = {};
    for (const job of await queue.getJobs(['delayed', 'waiting', 'active'])) {
      if (job.data.type !== 'deliver') continue;
      const channel = job.data.channel;
      out[channel] = Math.min(out[channel] ?? Number.POSITIVE_INFINITY, job.attemptsMade);
    }
    return out;
  } finally {
    await queue.close();
  }
}

async function channelsAt(ports: { slack: number; discord: number; smtp: number }) {
  return {
    SLACK_WEBHOOK_URL: `http://127.0.0.1:${ports.slack}/services/T1/B1/x`,
    DISCORD_WEBHOOK_URL: `http://127.0.0.1:${ports.discord}/api/webhooks/1/x`,
    SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
    ALERT_EMAIL_FROM: 'autopilot@merchant.test',
    ALERT_EMAIL_TO: 'owner@merchant.test',
  };
}

function openDisputes(harness: ServiceHarness, n: number) {
  for (let i = 0; i < n; i++) {
    harness.sim.openDispute({
      paymentId: harness.sim.createPayment({ total: 30 + i }).id,
      needsResponseBy: Date.now() + 5 * DAY,
    });
  }
}

it('Slack, Discord and SMTP down for a while: when they return, every alert reaches each once', async () => {
  const ports = { slack: await freePort(), discord: await freePort(), smtp: await freePort() };
  h = await startServiceHarness({
    env: { AUTO_SUBMIT: 'never', REMINDER_OFFSETS: '', ...(await channelsAt(ports)) },
    backoffBaseMs: 10,
  });
  const harness = h;
  openDisputes(harness, 3);
  // Down until every channel's deliveries have failed six times (half their budget) and wait for the next.
  await expect
    .poll(
      async () => {
        const attempts = await failedAttempts(harness);
        return ['slack', 'discord', 'email'].every((c) => (attempts[c] ?? 0) >= 6);
      },
      { timeout: 20_000, interval: 100 },
    )
    .toBe(true);
  expect((await alertsApi(harness)).sent).toEqual([]);

  // Back where they were.
  const slack = await startChatReceiver({ flavor: 'slack', port: ports.slack });
  const discord = await startChatReceiver({ flavor: 'discord', port: ports.discord });
  const smtp: SmtpSink = await startSmtpSink({ port: ports.smtp });
  closers.push(
    () => slack.close(),
    () => discord.close(),
    () => smtp.close(),
  );
  await expect.poll(async () => Object.keys(await failedAttempts(harness)), { timeout: 30_000 }).toEqual([]);
  await waitForIdleQueues(harness.admin);

  const { sent, failed, uncertain } = await alertsApi(harness);
  expect({ failed, uncertain }).toEqual({ failed: [], uncertain: [] });
  const ids = (channel: string) =>
    sent
      .filter((d) => d.destination === channel)
      .map((d) => d.id)
      .sort();
  // Each dispute's alert (and its evidence's) went to every channel, and each channel got each once.
  expect(new Set(ids('slack')).size).toBe(ids('slack').length);
  expect(ids('slack').length).toBeGreaterThanOrEqual(3);
  expect(ids('discord')).toEqual(ids('slack'));
  expect(ids('email')).toEqual(ids('slack'));
  for (const r of [slack, discord]) {
    expect(r.requests.every((q) => q.status < 300)).toBe(true);
    expect(new Set(r.requests.map((q) => q.raw)).size).toBe(r.requests.length);
    expect(r.requests).toHaveLength(ids('slack').length);
  }
  expect(slack.requests.filter((q) => alertTitle(q.body).startsWith('Chargeback'))).toHaveLength(3);
  expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(ids('slack').length);
  expect(smtp.messages).toHaveLength(ids('slack').length);
}, 90_000);

it('a channel down past the retry budget: each failure in /api/alerts and on the health page; back, it gets new alerts and no old ones', async () => {
  const ports = { slack: await freePort(), discord: await freePort(), smtp: await freePort() };
  const discord = await startChatReceiver({ flavor: 'discord', port: ports.discord });
  const smtp = await startSmtpSink({ port: ports.smtp });
  closers.push(
    () => discord.close(),
    () => smtp.close(),
  );
  // 12 attempts from 2 ms: the budget is spent within a few seconds.
  h = await startServiceHarness({
    env: { AUTO_SUBMIT: 'never', REMINDER_OFFSETS: '', ...(await channelsAt(ports)) },
    backoffBaseMs: 2,
  });
  const harness = h;
  openDisputes(harness, 1);
  await expect
    .poll(
      async () => {
        const { sent, failed } = await alertsApi(harness);
        const discordIds = sent.filter((d) => d.destination === 'discord').map((d) => d.id);
        return discordIds.length > 0 && failed.length === discordIds.length;
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe(true);
  const { failed } = await alertsApi(harness);
  expect(failed.every((f) => f.destination === 'slack')).toBe(true);
  for (const f of failed) expect(f.reason).toMatch(/^slack webhook unreachable: ECONNREFUSED/);

  // The operator sees the same on the health page.
  const dashboard = new DashboardClient(harness.app);
  await dashboard.login(HARNESS_ADMIN_TOKEN);
  const health = await dashboard.get('/health');
  expect(health.status).toBe(200);
  const html = await health.text();
  expect(html).toContain('Alert deliveries that failed');
  for (const f of failed) expect(html).toContain(f.id);
  expect(html).toContain('slack webhook unreachable: ECONNREFUSED');

  // Slack is back: a new dispute's alert reaches it; the failed ones stay failed, not sent late.
  const slack: ChatReceiver = await startChatReceiver({ flavor: 'slack', port: ports.slack });
  closers.push(() => slack.close());
  openDisputes(harness, 1);
  await expect.poll(() => slack.requests.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await waitForIdleQueues(harness.admin);
  const after = await alertsApi(harness);
  const sentToSlack = after.sent.filter((d) => d.destination === 'slack').map((d) => d.id);
  expect(slack.requests).toHaveLength(sentToSlack.length);
  expect(sentToSlack.filter((id) => failed.some((f) => f.id === id))).toEqual([]);
  expect(after.failed.map((f) => f.id).sort()).toEqual(failed.map((f) => f.id).sort());
}, 90_000);
