import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../src/alerts/alert.js';
import { alertMessageId } from '../src/alerts/channels/email-channel.js';
import {
  ChannelError,
  channelsFromConfig,
  DiscordChannel,
  EmailChannel,
  SlackChannel,
} from '../src/alerts/channels/index.js';
import { formatDiscord } from '../src/alerts/format-discord.js';
import { formatEmail } from '../src/alerts/format-email.js';
import { formatSlack } from '../src/alerts/format-slack.js';
import { hostileAlert, sampleAlert } from './support/builders/alerts.js';
import { type ChatReceiver, startChatReceiver } from './support/chat-receiver.js';
import { freePort } from './support/redis-server.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

/** The ChannelError a send fails with (fails the test if it succeeds or throws anything else). */
async function failure(send: Promise<void>): Promise<ChannelError> {
  try {
    await send;
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelError);
    return err as ChannelError;
  }
  throw new Error('expected the send to fail');
}

const SLACK_PATH = '/services/T0001/B0001/s3cretT0ken';
const DISCORD_PATH = '/api/webhooks/1234567890/s3cret-t0ken';

describe('SlackChannel → local incoming webhook', () => {
  let receiver: ChatReceiver;
  let slack: SlackChannel;
  beforeEach(async () => {
    receiver = await startChatReceiver({ flavor: 'slack' });
    slack = new SlackChannel({ webhookUrl: receiver.url(SLACK_PATH), timeoutMs: 2000 });
  });
  afterEach(() => receiver.close());

  it('POSTs the Block Kit payload as JSON, user text escaped', async () => {
    const alert = hostileAlert();
    await slack.send(alert);
    expect(receiver.requests).toHaveLength(1);
    const req = receiver.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(SLACK_PATH);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual(formatSlack(alert));
    const body = req.body as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.blocks[0]!.text!.text).toBe(`🚨 ${alert.title}`);
    expect(body.blocks[1]!.text!.text).toContain('&lt;!channel&gt; @everyone @here &lt;@U123&gt;');
  });

  it('429 with Retry-After → rate_limited carrying the wait; honoured, the resend goes through', async () => {
    receiver.rateLimitNext(1, { retryAfterSeconds: 1, style: 'header' });
    const err = await failure(slack.send(sampleAlert()));
    expect(err).toMatchObject({ channel: 'slack', code: 'rate_limited', retryAfterMs: 1000, status: 429 });
    expect(err.permanent).toBe(false);
    await new Promise((r) => setTimeout(r, err.retryAfterMs));
    await slack.send(sampleAlert());
    expect(receiver.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(receiver.requests[1]!.at - receiver.requests[0]!.at).toBeGreaterThanOrEqual(990);
    expect(receiver.requests[1]!.body).toEqual(receiver.requests[0]!.body);
  });

  it('429 without Retry-After → rate_limited, waiting a second', async () => {
    receiver.respondNext({ status: 429, body: 'rate_limited' });
    expect(await failure(slack.send(sampleAlert()))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 1000,
    });
  });

  it('5xx → unavailable (with Retry-After when given)', async () => {
    receiver.failNext(1, 500).respondNext({ status: 503, headers: { 'retry-after': '7' }, body: 'down' });
    const a = await failure(slack.send(sampleAlert()));
    expect(a).toMatchObject({ code: 'unavailable', status: 500, retryAfterMs: undefined });
    const b = await failure(slack.send(sampleAlert()));
    expect(b).toMatchObject({ code: 'unavailable', status: 503, retryAfterMs: 7000 });
  });

  it("4xx → rejected (permanent) with Slack's reason, never the webhook URL", async () => {
    for (const [status, reason] of [
      [400, 'invalid_payload'],
      [403, 'action_prohibited'],
      [404, 'no_service'],
      [410, 'channel_is_archived'],
    ] as const) {
      receiver.respondNext({ status, body: reason });
      const err = await failure(slack.send(sampleAlert()));
      expect(err).toMatchObject({
        code: 'rejected',
        status,
        message: `slack webhook answered ${status}: ${reason}`,
      });
      expect(err.permanent).toBe(true);
      expect(err.message).not.toContain('s3cret');
    }
  });

  it('a slow receiver → unavailable after the timeout', async () => {
    receiver.respondNext({ status: 200, body: 'ok', delayMs: 2000 });
    const quick = new SlackChannel({ webhookUrl: receiver.url(SLACK_PATH), timeoutMs: 150 });
    const started = Date.now();
    const err = await failure(quick.send(sampleAlert()));
    expect(err).toMatchObject({ code: 'unavailable', message: 'slack webhook timed out after 150 ms' });
    // The request had gone out: Slack may post it, so it is not one to send again.
    expect(err.maybeDelivered).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('nothing listening → unavailable, naming the network error but not the URL', async () => {
    const port = await freePort();
    const err = await failure(
      new SlackChannel({ webhookUrl: `http://127.0.0.1:${port}${SLACK_PATH}` }).send(sampleAlert()),
    );
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/^slack webhook unreachable: ECONNREFUSED/);
    expect(err.message).not.toContain('s3cret');
    // Nothing went out: safe to send again.
    expect(err.maybeDelivered).toBe(false);
  });

  it('a reset after the request was read → unavailable, and it may have arrived', async () => {
    receiver.respondNext({ status: 200, reset: true });
    const err = await failure(slack.send(sampleAlert()));
    expect(err).toMatchObject({ code: 'unavailable', maybeDelivered: true });
    expect(err.message).toMatch(/^slack webhook connection lost after the request was sent: ECONNRESET/);
    expect(receiver.requests).toHaveLength(1);
  });

  it('an answer with a status is an outcome, whatever it is: never "may have arrived"', async () => {
    receiver
      .failNext(1, 500)
      .rateLimitNext(1, { retryAfterSeconds: 1 })
      .respondNext({ status: 400, body: 'x' });
    for (let i = 0; i < 3; i++) expect((await failure(slack.send(sampleAlert()))).maybeDelivered).toBe(false);
  });
});

describe('DiscordChannel → local webhook', () => {
  let receiver: ChatReceiver;
  let discord: DiscordChannel;
  beforeEach(async () => {
    receiver = await startChatReceiver({ flavor: 'discord' });
    discord = new DiscordChannel({ webhookUrl: receiver.url(DISCORD_PATH), timeoutMs: 2000 });
  });
  afterEach(() => receiver.close());

  it('POSTs one embed with pings disabled; 204 is success', async () => {
    const alert = hostileAlert();
    await discord.send(alert);
    const req = receiver.requests[0]!;
    expect(req.status).toBe(204);
    expect(req.path).toBe(DISCORD_PATH);
    expect(req.body).toEqual(formatDiscord(alert));
    const body = req.body as ReturnType<typeof formatDiscord>;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]!.url).toBe(alert.link);
    expect(body.embeds[0]!.description).toContain('@\u200beveryone');
    expect(req.raw).not.toMatch(/@everyone|@here/);
  });

  it("429: Discord's retry_after (seconds, in the JSON body) and/or Retry-After; the longer wins", async () => {
    receiver.rateLimitNext(1, { retryAfterSeconds: 1.5, style: 'body' });
    expect(await failure(discord.send(sampleAlert()))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 1500,
    });
    receiver.rateLimitNext(1, { retryAfterSeconds: 2, style: 'header' });
    expect(await failure(discord.send(sampleAlert()))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 2000,
    });
    // As Discord really answers: body 0.25 s, header rounded up to 1 s.
    receiver.rateLimitNext(1, { retryAfterSeconds: 0.25, style: 'both' });
    expect(await failure(discord.send(sampleAlert()))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 1000,
    });
    receiver.respondNext({
      status: 429,
      headers: { 'x-ratelimit-reset-after': '0.4', 'content-type': 'application/json' },
      body: '{"message":"You are being rate limited.","global":false}',
    });
    expect(await failure(discord.send(sampleAlert()))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 400,
    });
  });

  it('after N 429s and a 500, a resend that waits goes through with the same content', async () => {
    receiver.rateLimitNext(2, { retryAfterSeconds: 0.1, style: 'body' }).failNext(1, 502);
    const codes: string[] = [];
    for (;;) {
      try {
        await discord.send(sampleAlert());
        break;
      } catch (err) {
        const e = err as ChannelError;
        codes.push(e.code);
        await new Promise((r) => setTimeout(r, e.retryAfterMs ?? 50));
      }
    }
    expect(codes).toEqual(['rate_limited', 'rate_limited', 'unavailable']);
    expect(receiver.requests.map((r) => r.status)).toEqual([429, 429, 502, 204]);
    expect(receiver.requests[1]!.at - receiver.requests[0]!.at).toBeGreaterThanOrEqual(95);
    expect(new Set(receiver.requests.map((r) => r.raw)).size).toBe(1);
  });

  it('5xx → unavailable; 4xx → rejected with Discord’s message', async () => {
    receiver.failNext(1, 503);
    expect(await failure(discord.send(sampleAlert()))).toMatchObject({ code: 'unavailable', status: 503 });
    receiver.respondNext({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: '{"message": "Unknown Webhook", "code": 10015}',
    });
    const err = await failure(discord.send(sampleAlert()));
    expect(err).toMatchObject({ code: 'rejected', status: 404 });
    expect(err.message).toContain('Unknown Webhook');
    expect(err.message).not.toContain('s3cret');
  });
});

describe('EmailChannel → local SMTP server', () => {
  let sink: SmtpSink;
  const channels: EmailChannel[] = [];
  const email = (opts: Partial<ConstructorParameters<typeof EmailChannel>[0]> = {}) => {
    const c = new EmailChannel({
      smtpUrl: sink.url(),
      from: 'Dispute Autopilot <alerts@autopilot.example>',
      to: 'owner@shop.example, ops@shop.example',
      timeoutMs: 3000,
      ...opts,
    });
    channels.push(c);
    return c;
  };
  beforeEach(async () => {
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    for (const c of channels.splice(0)) c.close();
    await sink.close();
  });

  it('sends one message with a text and an HTML part, authenticated, to every recipient', async () => {
    const alert: Alert = hostileAlert();
    await email().send(alert);
    const [mail] = await sink.waitForMessages(1);
    const expected = formatEmail(alert);
    expect(mail!.user).toBe('alerts');
    expect(mail!.envelopeFrom).toBe('alerts@autopilot.example');
    expect(mail!.envelopeTo).toEqual(['owner@shop.example', 'ops@shop.example']);
    expect(mail!.from).toBe('Dispute Autopilot <alerts@autopilot.example>');
    expect(mail!.to).toBe('owner@shop.example, ops@shop.example');
    expect(mail!.subject).toBe(expected.subject);
    expect(mail!.headers['content-type']).toMatch(/^multipart\/alternative;/);
    expect(mail!.partTypes).toEqual(['text/plain', 'text/html']);
    expect(mail!.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(expected.text.trimEnd());
    expect(mail!.html?.replace(/\r\n/g, '\n').trimEnd()).toBe(expected.html.trimEnd());
    expect(mail!.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail!.html).not.toContain('<b>x</b>');
    expect(mail!.messageId).toBe(alertMessageId(alert.id));
    expect(mail!.headers['x-dispute-autopilot-alert']).toBe(alert.id);
  });

  it('sends without credentials when the URL has none', async () => {
    await email({ smtpUrl: sink.url(false), to: ['owner@shop.example'] }).send(sampleAlert());
    const [mail] = await sink.waitForMessages(1);
    expect(mail!.user).toBeUndefined();
    expect(mail!.subject).toBe('[Urgent] Chargeback: $49.00 — respond by Mon 24 Mar');
    expect(mail!.text).toContain('Respond by: Mon 24 Mar 2025, 23:59 UTC');
  });

  it('SMTP 4xx → unavailable, 5xx → rejected, at end of DATA or at MAIL FROM; then mail flows again', async () => {
    const channel = email();
    sink.rejectNext(1, { code: 451, message: 'Greylisted, try again later' });
    const a = await failure(channel.send(sampleAlert()));
    expect(a).toMatchObject({ channel: 'email', code: 'unavailable', status: 451 });
    expect(a.message).toContain('Greylisted');
    sink.rejectNext(1, { code: 554, message: 'Message refused' });
    const b = await failure(channel.send(sampleAlert()));
    expect(b).toMatchObject({ code: 'rejected', status: 554 });
    expect(b.permanent).toBe(true);
    sink.rejectNext(1, { code: 450, stage: 'mail', message: 'Sender temporarily blocked' });
    expect(await failure(channel.send(sampleAlert()))).toMatchObject({ code: 'unavailable', status: 450 });
    sink.rejectNext(1, { code: 553, stage: 'mail', message: 'Sender not allowed' });
    expect(await failure(channel.send(sampleAlert()))).toMatchObject({ code: 'rejected', status: 553 });
    expect(sink.messages).toHaveLength(0);
    await channel.send(sampleAlert());
    expect(await sink.waitForMessages(1)).toHaveLength(1);
  });

  it('nothing listening → unavailable, without the password in the message', async () => {
    const port = await freePort();
    const err = await failure(
      email({ smtpUrl: `smtp://alerts:hunter2@127.0.0.1:${port}` }).send(sampleAlert()),
    );
    expect(err.code).toBe('unavailable');
    expect(err.message).not.toContain('hunter2');
    expect(err.maybeDelivered).toBe(false);
  });

  it('no answer after the server took DATA → unavailable, and it may have arrived; refused at MAIL FROM → not', async () => {
    sink.silenceNext(1);
    const silent = await failure(email({ timeoutMs: 400 }).send(sampleAlert()));
    expect(silent).toMatchObject({ code: 'unavailable', maybeDelivered: true });
    sink.rejectNext(1, { code: 451, stage: 'mail' });
    expect((await failure(email().send(sampleAlert()))).maybeDelivered).toBe(false);
    sink.rejectNext(1, { code: 451 });
    // Refused at the end of DATA: an answer, so nothing was delivered.
    expect((await failure(email().send(sampleAlert()))).maybeDelivered).toBe(false);
  });
});

describe('channelsFromConfig → working channels', () => {
  it('builds the configured channels in order, and each delivers', async () => {
    const slack = await startChatReceiver({ flavor: 'slack' });
    const discord = await startChatReceiver({ flavor: 'discord' });
    const sink = await startSmtpSink();
    try {
      const channels = channelsFromConfig({
        slackWebhookUrl: slack.url(SLACK_PATH),
        discordWebhookUrl: discord.url(DISCORD_PATH),
        smtpUrl: sink.url(),
        emailFrom: 'alerts@autopilot.example',
        emailTo: 'owner@shop.example',
      });
      expect(channels.map((c) => c.name)).toEqual(['slack', 'discord', 'email']);
      const alert = sampleAlert();
      await Promise.all(channels.map((c) => c.channel.send(alert)));
      expect((slack.requests[0]!.body as { text: string }).text).toContain(alert.title);
      expect((discord.requests[0]!.body as ReturnType<typeof formatDiscord>).embeds[0]!.title).toBe(
        alert.title,
      );
      expect((await sink.waitForMessages(1))[0]!.subject).toBe(`[Urgent] ${alert.title}`);
      for (const c of channels) if (c.channel instanceof EmailChannel) c.channel.close();
    } finally {
      await Promise.all([slack.close(), discord.close(), sink.close()]);
    }
  });
});
