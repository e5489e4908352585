import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env.js';
import { channelsFromConfig, DiscordChannel, EmailChannel, SlackChannel, TerminalChannel } from './index.js';

const SLACK = 'https://hooks.slack.com/services/T0001/B0001/s3cretT0ken';
const DISCORD = 'https://discord.com/api/webhooks/1234/s3cret-t0ken';
const SMTP = 'smtp://alerts:hunter2@smtp.example.com:587';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('channelsFromConfig', () => {
  it('nothing configured: no channels (alerts off); empty strings count as unset', () => {
    expect(channelsFromConfig({})).toEqual([]);
    expect(channelsFromConfig({ slackWebhookUrl: '', smtpUrl: ' ', emailFrom: '', emailTo: '' })).toEqual([]);
  });

  it('each configured channel, in a fixed order', () => {
    const all = channelsFromConfig({
      emailTo: 'a@shop.example, b@shop.example',
      emailFrom: 'alerts@autopilot.example',
      smtpUrl: SMTP,
      discordWebhookUrl: DISCORD,
      slackWebhookUrl: SLACK,
    });
    expect(all.map((c) => c.name)).toEqual(['slack', 'discord', 'email']);
    expect(all[0]!.channel).toBeInstanceOf(SlackChannel);
    expect(all[1]!.channel).toBeInstanceOf(DiscordChannel);
    expect(all[2]!.channel).toBeInstanceOf(EmailChannel);
    (all[2]!.channel as EmailChannel).close();
    expect(channelsFromConfig({ discordWebhookUrl: DISCORD }).map((c) => c.name)).toEqual(['discord']);
  });

  it('the terminal channel comes last, and only when turned on', () => {
    const named = channelsFromConfig({ slackWebhookUrl: SLACK, terminal: true });
    expect(named.map((c) => c.name)).toEqual(['slack', 'terminal']);
    expect(named[1]!.channel).toBeInstanceOf(TerminalChannel);
    expect(channelsFromConfig({ terminal: false })).toEqual([]);
  });

  it('partial email configuration names the missing variable', () => {
    const cases: [Parameters<typeof channelsFromConfig>[0], string][] = [
      [{ smtpUrl: SMTP }, 'ALERT_EMAIL_FROM'],
      [{ smtpUrl: SMTP, emailFrom: 'a@x.example' }, 'ALERT_EMAIL_TO'],
      [{ smtpUrl: SMTP, emailTo: 'b@x.example' }, 'ALERT_EMAIL_FROM'],
      [{ emailFrom: 'a@x.example', emailTo: 'b@x.example' }, 'SMTP_URL'],
      [{ emailTo: 'b@x.example' }, 'SMTP_URL'],
    ];
    for (const [config, missing] of cases) {
      const err = configError(() => channelsFromConfig(config));
      expect(err.variable).toBe(missing);
      expect(err.message).toMatch(new RegExp(`^${missing}: is required for email alerts`));
      expect(err.message).toContain('email needs SMTP_URL, ALERT_EMAIL_FROM and ALERT_EMAIL_TO');
      expect(err.message).not.toContain('hunter2');
    }
    expect(configError(() => channelsFromConfig({ smtpUrl: SMTP })).message).toContain('(SMTP_URL is set;');
  });

  it('a value that is not a URL of the right kind names its variable and never echoes the secret', () => {
    const slack = configError(() => channelsFromConfig({ slackWebhookUrl: 's3cretT0ken' }));
    expect(slack.message).toBe('SLACK_WEBHOOK_URL: is not a URL (expected https://…)');
    const discord = configError(() => channelsFromConfig({ discordWebhookUrl: 'ftp://x/s3cret' }));
    expect(discord.message).toBe('DISCORD_WEBHOOK_URL: must start with https:// or http://');
    const smtp = configError(() =>
      channelsFromConfig({
        smtpUrl: 'https://alerts:hunter2@x',
        emailFrom: 'a@x.example',
        emailTo: 'b@x.example',
      }),
    );
    expect(smtp.message).toBe('SMTP_URL: must start with smtp:// or smtps://');
    for (const e of [slack, discord, smtp]) expect(e.message).not.toMatch(/s3cret|hunter2/);
  });
});
