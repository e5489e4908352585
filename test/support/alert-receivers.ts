/**
 * Real Slack, Discord and SMTP receivers for end-to-end alert tests, and the whole service wired to
 * them: what each channel got is what a merchant would have read.
 */
import type { WhopSimulatorOptions } from '../../simulator/index.js';
import { alertTitle, type ChatReceiver, startChatReceiver } from './chat-receiver.js';
import { type ServiceHarness, startServiceHarness } from './service-harness.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

export const CHANNELS = ['slack', 'discord', 'email'] as const;

/** Titles sorted into the kinds of message a merchant gets. */
export function byKind(titles: string[]) {
  return {
    opening: titles.filter((t) => /^(Chargeback|Inquiry)/.test(t)),
    evidence: titles.filter((t) => t.startsWith('Evidence ready')),
    submitted: titles.filter((t) => t.startsWith('Evidence submitted')),
    reminder: titles.filter((t) => t.startsWith('Reminder')),
    rate: titles.filter((t) => /^(Dispute rate|Disputes:)/.test(t)),
    digest: titles.filter((t) => /^(Today|Daily digest)/.test(t)),
    disputeAlert: titles.filter((t) => t.startsWith('Dispute alert')),
    refund: titles.filter((t) => /^(Refunded|Refund not made|Dry run)/.test(t)),
  };
}

export interface AlertReceivers {
  slack: ChatReceiver;
  discord: ChatReceiver;
  smtp: SmtpSink;
  /** The titles each channel accepted, in order of arrival (email: the subjects). */
  received(): { slack: string[]; discord: string[]; email: string[] };
  /** How many messages of a kind each channel got: [slack, discord, email]. */
  count(kind: keyof ReturnType<typeof byKind>): number[];
  /** The first Slack message whose body matches, as Slack got it (raw JSON), or ''. */
  slackRaw(match: RegExp): string;
  close(): Promise<void>;
}

/** Titles a chat receiver accepted (2xx), in order. */
export const delivered = (r: ChatReceiver) =>
  r.requests.filter((q) => q.status < 300).map((q) => alertTitle(q.body));

export async function startAlertReceivers(): Promise<AlertReceivers> {
  const slack = await startChatReceiver({ flavor: 'slack' });
  const discord = await startChatReceiver({ flavor: 'discord' });
  const smtp = await startSmtpSink();
  const received = () => ({
    slack: delivered(slack),
    discord: delivered(discord),
    email: smtp.messages.map((m) => m.subject.replace(/^\[[^\]]*\] /, '')),
  });
  return {
    slack,
    discord,
    smtp,
    received,
    count: (kind) => CHANNELS.map((c) => byKind(received()[c])[kind].length),
    slackRaw: (match) => slack.requests.find((q) => match.test(JSON.stringify(q.body)))?.raw ?? '',
    async close() {
      await Promise.all([slack.close(), discord.close(), smtp.close()]);
    },
  };
}

/** Every webhook about `objectId` delivered `times` in all: Whop resends the same webhook-id. */
export function deliverAgain(harness: ServiceHarness, objectId: string, times: number) {
  for (const e of harness.sim.webhookEvents.filter((w) => w.body.includes(objectId))) {
    for (let i = 1; i < times; i++) harness.sim.redeliverWebhook(e.id);
  }
}

/** The service (workers included) against the simulator, alerting the three receivers. */
export function startServiceWithReceivers(
  r: AlertReceivers,
  env: Record<string, string>,
  sim: WhopSimulatorOptions = {},
): Promise<ServiceHarness> {
  return startServiceHarness({
    sim,
    env: {
      AUTO_SUBMIT: 'never',
      SLACK_WEBHOOK_URL: r.slack.url('/services/T1/B1/x'),
      DISCORD_WEBHOOK_URL: r.discord.url('/api/webhooks/1/x'),
      SMTP_URL: r.smtp.url(),
      ALERT_EMAIL_FROM: 'autopilot@merchant.test',
      ALERT_EMAIL_TO: 'owner@merchant.test',
      ...env,
    },
  });
}
