/**
 * At most once per (alert, channel) (issue 10, item 3): the dispatcher's `deliver` against real
 * receivers. A send that failed before anything went out is retried; a send whose outcome is unknown
 * (the request went out, then a timeout or a reset) is never sent again and is listed as uncertain.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertDispatcher } from '../src/alerts/alert-dispatcher.js';
import { AlertStore } from '../src/alerts/alert-store.js';
import { createAlertsQueue } from '../src/alerts/alerts-queue.js';
import { ChannelError, EmailChannel, type NamedChannel, SlackChannel } from '../src/alerts/channels/index.js';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { createLogger } from '../src/logger/logger.js';
import { createMetrics, type Metrics } from '../src/metrics/metrics.js';
import { RefundStore } from '../src/refunds/refund-store.js';
import { CaseStore } from '../src/store/case-store.js';
import { createWhopClient } from '../src/whop/whop-client.js';
import { sampleAlert } from './support/builders/alerts.js';
import { type ChatReceiver, startChatReceiver } from './support/chat-receiver.js';
import { freePort } from './support/redis-server.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';
import { useTestRedis } from './support/test-redis.js';

const redis = useTestRedis();
let receiver: ChatReceiver | undefined;
let sink: SmtpSink | undefined;
const queues: { close(): Promise<void> }[] = [];
beforeEach(() => {
  receiver = sink = undefined;
});
afterEach(async () => {
  await receiver?.close();
  await sink?.close();
  for (const q of queues.splice(0)) await q.close();
});

function dispatcherWith(channels: NamedChannel[], metrics?: Metrics) {
  const queue = createAlertsQueue(redis.client);
  queues.push(queue);
  const alerts = new AlertStore(redis.client);
  const dispatcher = new AlertDispatcher(
    {
      // deliver() reads nothing from Whop.
      whop: createWhopClient({ apiKey: 'x', baseURL: 'http://127.0.0.1:9/api/v1' }),
      store: new CaseStore(redis.client),
      evidence: new EvidenceStore(redis.client),
      refunds: new RefundStore(redis.client),
      alerts,
      queue,
      log: createLogger('silent'),
    },
    {
      channels,
      alertPolicyFor: () => null,
      reminderOffsetsMs: [],
      rateThresholds: [],
      // As workers/index.ts wires it.
      ...(metrics
        ? { onDelivery: (channel, outcome) => metrics.alertDeliveries.inc({ channel, outcome }) }
        : {}),
    },
  );
  return { dispatcher, alerts };
}

const slackAt = (url: string, timeoutMs = 2000): NamedChannel[] => [
  { name: 'slack', channel: new SlackChannel({ webhookUrl: url, timeoutMs }) },
];

/** The ChannelError a delivery fails with. */
async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelError);
    return err as ChannelError;
  }
  throw new Error('expected the delivery to fail');
}

describe('the alert deliveries metric', () => {
  const count = async (metrics: Metrics, outcome: string) =>
    (await metrics.alertDeliveries.get()).values.find(
      (v) => v.labels.channel === 'slack' && v.labels.outcome === outcome,
    )?.value ?? 0;

  it('counts each delivery’s end once: sent, uncertain, failed for good', async () => {
    receiver = await startChatReceiver();
    const metrics = createMetrics();
    const { dispatcher } = dispatcherWith(slackAt(receiver.url()), metrics);
    const sent = sampleAlert({ id: 'metric_sent' });
    expect(await dispatcher.deliver(sent, 'slack')).toBe('sent');
    expect(await dispatcher.deliver(sent, 'slack')).toBe('already_sent');
    receiver.respondNext({ status: 200, reset: true });
    const lost = sampleAlert({ id: 'metric_lost' });
    expect(await dispatcher.deliver(lost, 'slack')).toBe('uncertain');
    expect(await dispatcher.deliver(lost, 'slack')).toBe('uncertain');
    await dispatcher.recordFailure(sampleAlert({ id: 'metric_failed' }), 'slack', 'slack answered 404');
    expect([
      await count(metrics, 'sent'),
      await count(metrics, 'uncertain'),
      await count(metrics, 'failed'),
    ]).toEqual([1, 1, 1]);
  });
});

describe('a chat webhook', () => {
  it('answering after our timeout: the post is not sent again, and is listed as uncertain', async () => {
    receiver = await startChatReceiver();
    receiver.respondNext({ status: 200, body: 'ok', delayMs: 1500 });
    const { dispatcher, alerts } = dispatcherWith(slackAt(receiver.url(), 200));
    const alert = sampleAlert();
    expect(await dispatcher.deliver(alert, 'slack')).toBe('uncertain');
    // The worker's retry, and the same alert queued again: nothing more reaches Slack.
    expect(await dispatcher.deliver(alert, 'slack')).toBe('uncertain');
    await new Promise((r) => setTimeout(r, 1600));
    expect(receiver.requests).toHaveLength(1);
    const uncertain = await alerts.recent('uncertain');
    expect(uncertain).toEqual([
      expect.objectContaining({
        id: alert.id,
        destination: 'slack',
        reason: 'slack webhook timed out after 200 ms; it may have arrived, not sent again',
      }),
    ]);
    expect(await alerts.recent('sent')).toEqual([]);
  });

  it('resetting the connection after reading the post: not sent again, listed as uncertain', async () => {
    receiver = await startChatReceiver();
    receiver.respondNext({ status: 200, reset: true });
    const { dispatcher, alerts } = dispatcherWith(slackAt(receiver.url()));
    expect(await dispatcher.deliver(sampleAlert(), 'slack')).toBe('uncertain');
    expect(await dispatcher.deliver(sampleAlert(), 'slack')).toBe('uncertain');
    expect(receiver.requests).toHaveLength(1);
    expect((await alerts.recent('uncertain'))[0]!.reason).toMatch(
      /^slack webhook connection lost after the request was sent: ECONNRESET/,
    );
  });

  it('refusing the connection: nothing went out, so the retry sends it, once', async () => {
    const port = await freePort();
    const { dispatcher, alerts } = dispatcherWith(slackAt(`http://127.0.0.1:${port}/services/T/B/x`));
    const err = await failure(dispatcher.deliver(sampleAlert(), 'slack'));
    expect(err).toMatchObject({ code: 'unavailable', maybeDelivered: false });
    expect(err.message).toMatch(/^slack webhook unreachable: ECONNREFUSED/);
    receiver = await startChatReceiver({ port });
    expect(await dispatcher.deliver(sampleAlert(), 'slack')).toBe('sent');
    expect(await dispatcher.deliver(sampleAlert(), 'slack')).toBe('already_sent');
    expect(receiver.requests).toHaveLength(1);
    expect(await alerts.recent('uncertain')).toEqual([]);
  });

  it('answering 5xx: refused, so the retry sends it, once', async () => {
    receiver = await startChatReceiver();
    receiver.failNext(1, 503);
    const { dispatcher } = dispatcherWith(slackAt(receiver.url()));
    expect(await failure(dispatcher.deliver(sampleAlert(), 'slack'))).toMatchObject({
      status: 503,
      maybeDelivered: false,
    });
    expect(await dispatcher.deliver(sampleAlert(), 'slack')).toBe('sent');
    expect(receiver.requests.map((q) => q.status)).toEqual([503, 200]);
  });
});

describe('email', () => {
  const email = (smtpUrl: string) => [
    {
      name: 'email' as const,
      channel: new EmailChannel({
        smtpUrl,
        from: 'alerts@autopilot.example',
        to: 'owner@shop.example',
        timeoutMs: 500,
      }),
    },
  ];

  it('no answer after the server took DATA: not sent again, listed as uncertain', async () => {
    sink = await startSmtpSink();
    sink.silenceNext(1);
    const { dispatcher, alerts } = dispatcherWith(email(sink.url()));
    expect(await dispatcher.deliver(sampleAlert(), 'email')).toBe('uncertain');
    expect(await dispatcher.deliver(sampleAlert(), 'email')).toBe('uncertain');
    expect(sink.messages).toHaveLength(1);
    expect((await alerts.recent('uncertain'))[0]).toMatchObject({ destination: 'email' });
  });

  it('refused before DATA (4xx at MAIL FROM): nothing was sent, so the retry sends it, once', async () => {
    sink = await startSmtpSink();
    sink.rejectNext(1, { code: 451, stage: 'mail' });
    const { dispatcher } = dispatcherWith(email(sink.url()));
    expect(await failure(dispatcher.deliver(sampleAlert(), 'email'))).toMatchObject({
      status: 451,
      maybeDelivered: false,
    });
    expect(await dispatcher.deliver(sampleAlert(), 'email')).toBe('sent');
    expect(sink.messages).toHaveLength(1);
  });

  it('no server listening: nothing was sent, so the retry may send it', async () => {
    const port = await freePort();
    const { dispatcher, alerts } = dispatcherWith(email(`smtp://127.0.0.1:${port}`));
    expect(await failure(dispatcher.deliver(sampleAlert(), 'email'))).toMatchObject({
      code: 'unavailable',
      maybeDelivered: false,
    });
    expect(await alerts.beginAttempt(sampleAlert().id, 'email')).toBe('send');
  });
});
