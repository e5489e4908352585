import { ConfigError } from '../../config/env.js';
import type { AlertChannel, ChannelName } from './channel-error.js';
import { DiscordChannel } from './discord-channel.js';
import { EmailChannel } from './email-channel.js';
import { SlackChannel } from './slack-channel.js';
import { TerminalChannel } from './terminal-channel.js';

export { type AlertChannel, ChannelError, type ChannelErrorCode, type ChannelName } from './channel-error.js';
export { DiscordChannel, discordRetryAfterMs } from './discord-channel.js';
export { classifySmtpError, EmailChannel } from './email-channel.js';
export { SlackChannel } from './slack-channel.js';
export { TerminalChannel } from './terminal-channel.js';

/** The environment variables behind each setting, for error messages (and whoever adds them to env.ts). */
export const ALERT_CHANNEL_ENV = {
  slackWebhookUrl: 'SLACK_WEBHOOK_URL',
  discordWebhookUrl: 'DISCORD_WEBHOOK_URL',
  smtpUrl: 'SMTP_URL',
  emailFrom: 'ALERT_EMAIL_FROM',
  emailTo: 'ALERT_EMAIL_TO',
  terminal: 'ALERTS_TO_TERMINAL',
} as const;

export interface AlertChannelsConfig {
  slackWebhookUrl?: string | undefined;
  discordWebhookUrl?: string | undefined;
  smtpUrl?: string | undefined;
  emailFrom?: string | undefined;
  emailTo?: string | undefined;
  /** Readable lines on standard output (for running by hand and the demo). */
  terminal?: boolean | undefined;
}

export interface NamedChannel {
  name: ChannelName;
  channel: AlertChannel;
}

/**
 * The channels the configuration turns on, in a fixed order (slack, discord, email, terminal); none is fine (alerts
 * off). Email needs SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO together: a partial set is a mistake
 * and throws a ConfigError naming the first missing variable, as does a URL that is not one. Errors
 * never repeat a value (webhook URLs and SMTP URLs carry secrets). Empty strings count as unset.
 */
export function channelsFromConfig(
  config: AlertChannelsConfig,
  opts: { webhookTimeoutMs?: number; smtpTimeoutMs?: number } = {},
): NamedChannel[] {
  const value = (key: Exclude<keyof AlertChannelsConfig, 'terminal'>) => {
    const v = config[key]?.trim();
    return v ? v : undefined;
  };
  const out: NamedChannel[] = [];

  const slack = value('slackWebhookUrl');
  if (slack) {
    checkUrl('slackWebhookUrl', slack, ['https:', 'http:']);
    out.push({
      name: 'slack',
      channel: new SlackChannel({ webhookUrl: slack, timeoutMs: opts.webhookTimeoutMs }),
    });
  }
  const discord = value('discordWebhookUrl');
  if (discord) {
    checkUrl('discordWebhookUrl', discord, ['https:', 'http:']);
    out.push({
      name: 'discord',
      channel: new DiscordChannel({ webhookUrl: discord, timeoutMs: opts.webhookTimeoutMs }),
    });
  }

  const email = { smtpUrl: value('smtpUrl'), emailFrom: value('emailFrom'), emailTo: value('emailTo') };
  const given = Object.entries(email).filter(([, v]) => v !== undefined);
  if (given.length > 0) {
    const missing = (Object.keys(email) as (keyof typeof email)[]).find((k) => email[k] === undefined);
    if (missing) {
      throw new ConfigError(
        ALERT_CHANNEL_ENV[missing],
        `is required for email alerts (${given.map(([k]) => ALERT_CHANNEL_ENV[k as keyof typeof email]).join(', ')} ` +
          `${given.length === 1 ? 'is' : 'are'} set; email needs SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO)`,
      );
    }
    checkUrl('smtpUrl', email.smtpUrl!, ['smtp:', 'smtps:']);
    const to = email
      .emailTo!.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    out.push({
      name: 'email',
      channel: new EmailChannel({
        smtpUrl: email.smtpUrl!,
        from: email.emailFrom!,
        to,
        timeoutMs: opts.smtpTimeoutMs,
      }),
    });
  }
  if (config.terminal) out.push({ name: 'terminal', channel: new TerminalChannel() });
  return out;
}

function checkUrl(
  key: Exclude<keyof AlertChannelsConfig, 'terminal'>,
  raw: string,
  protocols: string[],
): void {
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    throw new ConfigError(ALERT_CHANNEL_ENV[key], `is not a URL (expected ${protocols[0]}//…)`);
  }
  if (!protocols.includes(protocol)) {
    throw new ConfigError(
      ALERT_CHANNEL_ENV[key],
      `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );
  }
}
