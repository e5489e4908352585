import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { channelsFromConfig } from '../alerts/channels/index.js';
import { loadConfig } from '../config/env.js';
import { createLogger } from './logger.js';
import { secretsOf } from './secrets.js';

const SECRETS = {
  WHOP_API_KEY: 'whop_apikey_logger_test_0123456789',
  WHOP_WEBHOOK_SECRET: `ws_${'5e'.repeat(32)}`,
  ADMIN_TOKEN: 'logger-test-admin-token-0001',
  ACCESS_EVENTS_TOKEN: 'logger-test-access-token-001',
  METRICS_TOKEN: 'logger-test-metrics-token-01',
  REDIS_URL: 'redis://:redisPassw0rd@127.0.0.1:6390',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/slackUrlSecret123',
  DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/discordUrlSecret123',
  SMTP_URL: 'smtp://alerts:smtpPassw0rd@127.0.0.1:2525',
};
/** What must never appear: each secret, and the secret part of each URL. */
const NEEDLES = [
  ...Object.values(SECRETS),
  '5e'.repeat(32),
  'redisPassw0rd',
  'slackUrlSecret123',
  'discordUrlSecret123',
  'smtpPassw0rd',
];

function capture(secrets?: readonly string[]) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { log: createLogger('trace', sink, { secrets }), text: () => lines.join('') };
}

const config = loadConfig({
  ...SECRETS,
  ALERT_EMAIL_FROM: 'a@merchant.test',
  ALERT_EMAIL_TO: 'b@merchant.test',
});

describe('the logger', () => {
  it('redacts every secret of the configuration, and the alert channels built from it, however they are logged', () => {
    const channels = channelsFromConfig(config.alertChannels);
    expect(channels.map((c) => c.name).sort()).toEqual(['discord', 'email', 'slack']);
    // As the processes create it (src/main.ts): with the configuration's secrets to scrub.
    const { log, text } = capture(secretsOf(config));
    // The shapes a careless log call would take: the object itself, under a key, one level deeper.
    log.trace(config, 'config as the object');
    log.debug({ config }, 'config under a key');
    log.info({ startup: { config } }, 'config two levels down');
    log.info(config.alertChannels, 'channel settings');
    for (const c of channels) log.warn({ channel: c.channel }, 'a channel object');
    log.error({ channels: channels.map((c) => c.channel) }, 'every channel');
    log.info(
      {
        headers: {
          authorization: `Bearer ${SECRETS.ADMIN_TOKEN}`,
          cookie: `da_session=${SECRETS.ACCESS_EVENTS_TOKEN}`,
          'set-cookie': `da_session=${SECRETS.ACCESS_EVENTS_TOKEN}`,
          'webhook-signature': `v1,${SECRETS.WHOP_API_KEY}`,
        },
      },
      'request headers',
    );
    // Secrets inside text: an error message quoting a URL, a password URL-encoded, the key as base64.
    log.error({ err: new Error(`POST ${SECRETS.SLACK_WEBHOOK_URL} failed`) }, 'send failed');
    log.warn(
      `connecting to ${encodeURIComponent(SECRETS.REDIS_URL)} with ${Buffer.from(SECRETS.WHOP_API_KEY).toString('base64')}`,
    );
    log.info(
      { deep: { a: { b: { c: { d: SECRETS.ACCESS_EVENTS_TOKEN, e: 'discordUrlSecret123' } } } } },
      'deep',
    );
    const out = text();
    expect(out.split('\n').filter(Boolean)).toHaveLength(12);
    for (const needle of NEEDLES) expect(out, needle).not.toContain(needle);
    // Redacted, not dropped: the rest of the configuration is still there to read.
    expect(out).toContain('"whopRateLimit":10');
    expect(out).toContain('[redacted]');
  });

  it('without the secrets list, still redacts the configuration by key at the depths log calls use', () => {
    const { log, text } = capture();
    log.info(config, 'config as the object');
    log.info({ config }, 'config under a key');
    log.info(
      {
        headers: { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}`, 'set-cookie': `s=${SECRETS.ADMIN_TOKEN}` },
      },
      'h',
    );
    const out = text();
    for (const needle of [...Object.values(SECRETS), '5e'.repeat(32)])
      expect(out, needle).not.toContain(needle);
    expect(out).toContain('"whopRateLimit":10');
  });
});
