/**
 * No secret in any log line at any level. The whole service (test/support/service-harness.ts: real
 * HTTP intake, workers, Redis, the Whop simulator through @whop/sdk) runs at `trace` with every line
 * captured, through a full day's work and its failures: signed webhooks → reconcile → evidence → alerts
 * to real Slack, Discord and SMTP receivers (each failing once first), access events, a dashboard login
 * and its pages, API calls with the admin token, and requests with wrong credentials. Then every line is
 * searched for each secret, in the encodings it travels in.
 *
 * The logger here has no secrets list: production's also scrubs the configuration's secrets by value
 * (src/logger/secrets.ts), and this checks the stricter thing, that no log call writes one at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginLinks } from '../src/dashboard/login-links.js';
import { SESSION_COOKIE } from '../src/dashboard/session.js';
import { type ChatReceiver, startChatReceiver } from './support/chat-receiver.js';
import { DashboardClient } from './support/dashboard-client.js';
import { captureLogger } from './support/intake.js';
import {
  HARNESS_ACCESS_TOKEN,
  HARNESS_ADMIN_TOKEN,
  type ServiceHarness,
  startServiceHarness,
} from './support/service-harness.js';
import { signWebhook, testSecret, whopEvent } from './support/signed-webhook.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

const WHOP_API_KEY = 'whop_apikey_secrets_in_logs_0123456789abcdef';
const SLACK_PATH = '/services/T0SECRET/B0SECRET/slackSecretPart0123456789';
const DISCORD_PATH = '/api/webhooks/998877665544/discordSecretPart-0123456789';
const METRICS_TOKEN = 'metrics-token-secrets-in-logs-01';
const SMTP = { user: 'alerts-user', pass: 'smtpPassw0rdSecret!' };

let h: ServiceHarness;
let slack: ChatReceiver;
let discord: ChatReceiver;
let smtp: SmtpSink;
const { logger, text } = captureLogger('trace');
beforeAll(async () => {
  slack = await startChatReceiver({ flavor: 'slack' });
  discord = await startChatReceiver({ flavor: 'discord' });
  smtp = await startSmtpSink();
  // Each channel fails its first delivery, so the failure paths log too.
  slack.failNext(1, 500);
  discord.failNext(1, 500);
  smtp.rejectNext(1, { code: 451 });
  h = await startServiceHarness({
    sim: { apiKey: WHOP_API_KEY },
    logger,
    loginLinks: true,
    backoffBaseMs: 50,
    env: {
      LOG_LEVEL: 'trace',
      METRICS_TOKEN,
      AUTO_SUBMIT: 'never',
      SLACK_WEBHOOK_URL: slack.url(SLACK_PATH),
      DISCORD_WEBHOOK_URL: discord.url(DISCORD_PATH),
      SMTP_URL: smtp.url(SMTP),
      ALERT_EMAIL_FROM: 'autopilot@merchant.test',
      ALERT_EMAIL_TO: 'owner@merchant.test',
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await slack?.close();
  await discord?.close();
  await smtp?.close();
});

/** Each secret and the forms it could be logged in: as is, URL-encoded, base64, and its secret part. */
function secretForms(secrets: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(secrets)) {
    for (const form of new Set([
      value,
      encodeURIComponent(value),
      Buffer.from(value).toString('base64'),
      Buffer.from(value).toString('base64url'),
    ])) {
      out.push([name, form]);
    }
  }
  return out;
}

describe('a full run at LOG_LEVEL=trace', () => {
  it('logs every step and never a secret: webhook secret, API key, tokens, session cookie, channel URLs, SMTP password', async () => {
    // Webhooks (the simulator signs them) → reconcile → evidence → alerts on every channel.
    const payment = h.sim.createPayment({ total: 80 });
    h.sim.openDispute({
      paymentId: payment.id,
      reason: 'Product Not Received',
      needsResponseBy: Date.now() + 5 * 86_400_000,
    });
    const accessRes = await h.postAccessEvents([
      {
        user_id: payment.user?.id ?? 'user_logs1',
        occurred_at: new Date(Date.now() - 3_600_000).toISOString(),
        action: 'login',
      },
    ]);
    expect(accessRes.status).toBeLessThan(500);
    await slack.waitForRequests(3, 20_000);
    await discord.waitForRequests(3, 20_000);
    await smtp.waitForMessages(2, 20_000);
    await h.settle();

    // The dashboard: login, pages, the queue board, logout.
    const browser = new DashboardClient(h.app);
    expect((await browser.login(HARNESS_ADMIN_TOKEN)).status).toBe(303);
    const sessionCookie = browser.jar.get(SESSION_COOKIE)!;
    for (const page of ['/', '/insights', '/health', '/admin/queues', '/admin/queues/api/queues']) {
      expect((await browser.get(page)).status, page).toBeLessThan(400);
    }
    // The read API with the token, and wrong credentials everywhere.
    const api = (path: string, authorization: string) => h.app.request(path, { headers: { authorization } });
    expect((await api('/api/cases', `Bearer ${HARNESS_ADMIN_TOKEN}`)).status).toBe(200);
    expect((await api('/api/alerts', `Bearer ${HARNESS_ADMIN_TOKEN}`)).status).toBe(200);
    expect(
      (await api(`/api/cases?token=${HARNESS_ADMIN_TOKEN}`, 'Bearer wrong-token-000000000000')).status,
    ).toBe(401);
    expect((await api('/api/cases', `Bearer ${HARNESS_ACCESS_TOKEN}`)).status).toBe(401);
    expect((await api('/metrics', `Bearer ${METRICS_TOKEN}`)).status).toBe(200);
    expect((await api('/metrics', `Bearer ${HARNESS_ADMIN_TOKEN}`)).status).toBe(401);
    expect((await new DashboardClient(h.app).login(`${HARNESS_ADMIN_TOKEN}x`)).status).toBe(401);
    // A login link used, used again (401), and a made-up one (401): no code is logged.
    const loginCode = await new LoginLinks(h.admin).mint();
    const unknownCode = 'u5iV8XpiGVADnd-unknownLoginCode0123456789ab';
    expect((await new DashboardClient(h.app).get(`/login/${loginCode}`)).status).toBe(302);
    expect((await new DashboardClient(h.app).get(`/login/${loginCode}`)).status).toBe(401);
    expect((await new DashboardClient(h.app).get(`/login/${unknownCode}`)).status).toBe(401);
    // A webhook signed with the wrong secret, and one with a signature but a stale timestamp.
    const body = JSON.stringify(whopEvent('dispute.created', { id: 'dspt_x' }));
    for (const headers of [
      signWebhook(testSecret('not ours'), 'msg_logs_1', body),
      signWebhook(testSecret('harness'), 'msg_logs_2', body, Math.floor(Date.now() / 1000) - 3600),
    ]) {
      expect((await h.app.request('/webhooks/whop', { method: 'POST', body, headers })).status).toBe(401);
    }
    expect((await browser.post('/logout', { csrf: await browser.csrf() })).status).toBe(303);

    const webhookSecret = testSecret('harness');
    const secrets = {
      WHOP_WEBHOOK_SECRET: webhookSecret,
      'webhook key (the secret without ws_)': webhookSecret.slice(3),
      WHOP_API_KEY,
      ADMIN_TOKEN: HARNESS_ADMIN_TOKEN,
      ACCESS_EVENTS_TOKEN: HARNESS_ACCESS_TOKEN,
      METRICS_TOKEN,
      'session cookie': decodeURIComponent(sessionCookie),
      'session id': decodeURIComponent(sessionCookie).split('.')[0]!,
      SLACK_WEBHOOK_URL: slack.url(SLACK_PATH),
      'Slack URL secret part': 'slackSecretPart0123456789',
      DISCORD_WEBHOOK_URL: discord.url(DISCORD_PATH),
      'Discord URL secret part': 'discordSecretPart-0123456789',
      'SMTP password': SMTP.pass,
      SMTP_URL: smtp.url(SMTP),
      'login link code': loginCode,
      'unknown login link code': unknownCode,
    };
    const found: string[] = [];
    for (const [name, form] of secretForms(secrets)) {
      const line = text.find((l) => l.includes(form));
      if (line) found.push(`${name} in: ${line.slice(0, 300)}`);
    }
    expect(found).toEqual([]);

    // The run was logged in full: requests, the workers' steps, the channel failures, debug and below.
    const levels = new Set(text.map((l) => (JSON.parse(l) as { level: number }).level));
    expect(text.length).toBeGreaterThan(25);
    expect([...levels].some((l) => l <= 20)).toBe(true);
    expect(text.some((l) => l.includes('"msg":"request"'))).toBe(true);
    expect(text.filter((l) => /"level":(40|50)/.test(l)).length).toBeGreaterThan(0);
  }, 90_000);
});
