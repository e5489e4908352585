import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.js';

/** Whop's shape: `ws_` and 64 hex characters. */
const WS = `ws_${'0a1b2c3d'.repeat(8)}`;
const WS_OLD = `ws_${'9f8e'.repeat(16)}`;
const WHSEC_32 = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
const base = { WHOP_API_KEY: 'key', WHOP_WEBHOOK_SECRET: WS };

function errorFor(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills defaults', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.logLevel).toBe('info');
    expect(c.whopBaseUrl).toBeUndefined();
    expect(c.webhookKeys).toEqual([Buffer.from(WS)]);
    expect(c.host).toBe('0.0.0.0');
    expect(c.allowRedisEviction).toBe(false);
  });

  it('takes comma-separated secrets for rotation', () => {
    const c = loadConfig({ ...base, WHOP_WEBHOOK_SECRET: `${WS_OLD}, ${WHSEC_32}` });
    expect(c.webhookKeys).toEqual([Buffer.from(WS_OLD), Buffer.from('a-32-byte-secret-for-the-tests!!')]);
  });

  it.each([
    // A pasted signature header: the rotation list would have made `v1` a key anyone can sign with.
    'v1,whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    'whsec_QQ==',
    'whsec_A',
    'x',
    'ws_abc',
    `${WS},${WS},ws_short`,
  ])('refuses a weak or malformed webhook secret (%s) in one line that never echoes it', (secret) => {
    const err = errorFor({ ...base, WHOP_WEBHOOK_SECRET: secret });
    expect(err.variable).toBe('WHOP_WEBHOOK_SECRET');
    expect(err.message).not.toContain('\n');
    for (const part of secret.split(',')) if (part.length > 2) expect(err.message).not.toContain(part);
  });

  it('reads HOST and ALLOW_REDIS_EVICTION', () => {
    expect(loadConfig({ ...base, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ ...base, HOST: '::' }).host).toBe('::');
    expect(loadConfig({ ...base, HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ ...base, ALLOW_REDIS_EVICTION: 'true' }).allowRedisEviction).toBe(true);
  });

  it.each([
    [{ WHOP_WEBHOOK_SECRET: WS }, 'WHOP_API_KEY'],
    [{ WHOP_API_KEY: 'k' }, 'WHOP_WEBHOOK_SECRET'],
    [{ ...base, WHOP_WEBHOOK_SECRET: ' , ' }, 'WHOP_WEBHOOK_SECRET'],
    [{ ...base, WHOP_WEBHOOK_SECRET: 'whsec_***' }, 'WHOP_WEBHOOK_SECRET'],
    [{ ...base, PORT: 'eighty' }, 'PORT'],
    [{ ...base, HOST: 'http://0.0.0.0' }, 'HOST'],
    [{ ...base, HOST: '0.0.0.0:3000' }, 'HOST'],
    [{ ...base, ALLOW_REDIS_EVICTION: 'yes' }, 'ALLOW_REDIS_EVICTION'],
    [{ ...base, PORT: '70000' }, 'PORT'],
    [{ ...base, REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ ...base, WHOP_BASE_URL: 'not a url' }, 'WHOP_BASE_URL'],
    [{ ...base, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ...base, ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ ...base, ACCESS_EVENTS_TOKEN: 'short' }, 'ACCESS_EVENTS_TOKEN'],
    [{ ...base, METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ ...base, METRICS_PORT: 'nine' }, 'METRICS_PORT'],
    [{ ...base, ACCESS_LOG_RETENTION_DAYS: '0' }, 'ACCESS_LOG_RETENTION_DAYS'],
    [{ ...base, WHOP_COMPANY_IDS: 'biz_ok,acme' }, 'WHOP_COMPANY_IDS'],
    [{ ...base, WHOP_RATE_LIMIT: '0' }, 'WHOP_RATE_LIMIT'],
    [{ ...base, SWEEP_INTERVAL: 'often' }, 'SWEEP_INTERVAL'],
    [{ ...base, SWEEP_INTERVAL: '10ms' }, 'SWEEP_INTERVAL'],
    [{ ...base, AUTO_SUBMIT: 'sometimes' }, 'AUTO_SUBMIT'],
    [{ ...base, SUBMIT_LEAD: 'a day' }, 'SUBMIT_LEAD'],
    [{ ...base, JOB_LOCK_DURATION: '10ms' }, 'JOB_LOCK_DURATION'],
    [{ ...base, REMINDER_OFFSETS: '72h,soon' }, 'REMINDER_OFFSETS'],
    [{ ...base, DISPUTE_RATE_WARN: '150%' }, 'DISPUTE_RATE_WARN'],
    [{ ...base, DISPUTE_RATE_WARN: 'high' }, 'DISPUTE_RATE_WARN'],
    [{ ...base, MIN_FIGHT_AMOUNT: '25' }, 'MIN_FIGHT_AMOUNT'],
    [{ ...base, MIN_FIGHT_AMOUNT: '25 dollars' }, 'MIN_FIGHT_AMOUNT'],
    [{ ...base, MIN_FIGHT_AMOUNT: '25.001 USD' }, 'MIN_FIGHT_AMOUNT'],
    [{ ...base, MIN_FIGHT_AMOUNT: '25 USD, 30 usd' }, 'MIN_FIGHT_AMOUNT'],
    [{ ...base, DIGEST_AT: '9am' }, 'DIGEST_AT'],
    [{ ...base, TZ: 'Mars/Olympus' }, 'TZ'],
  ])('names the bad variable (%o → %s)', (env, variable) => {
    const err = errorFor(env);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  it('reads the reconciliation and evidence settings', () => {
    const c = loadConfig({
      ...base,
      WHOP_COMPANY_IDS: 'biz_a, biz_b',
      SWEEP_INTERVAL: '90s',
      AUTO_SUBMIT: 'never',
      SUBMIT_LEAD: '36h',
      JOB_LOCK_DURATION: '5s',
      ACCESS_LOG_RETENTION_DAYS: '400',
      MIN_FIGHT_AMOUNT: '40 usd, 3000 JPY, 19.50 EUR',
    });
    expect(c).toMatchObject({
      companyIds: ['biz_a', 'biz_b'],
      sweepIntervalMs: 90_000,
      autoSubmit: 'never',
      submitLeadMs: 36 * 3_600_000,
      jobLockMs: 5000,
      accessLogRetentionDays: 400,
      whopRateLimit: 10,
      sweepInitialLookbackMs: 45 * 86_400_000,
      minFightAmounts: [
        { currency: 'USD', minor: 4000 },
        { currency: 'JPY', minor: 3000 },
        { currency: 'EUR', minor: 1950 },
      ],
    });
    expect(loadConfig(base)).toMatchObject({
      minFightAmounts: [{ currency: 'USD', minor: 2500 }],
      autoSubmit: 'before_deadline',
      submitLeadMs: 86_400_000,
      jobLockMs: 30_000,
    });
  });

  it('reads the alert settings', () => {
    const c = loadConfig({
      ...base,
      REMINDER_OFFSETS: '24h,72h',
      DISPUTE_RATE_WARN: '1%',
      DIGEST_AT: '07:30',
      TZ: 'Europe/Berlin',
    });
    expect(c).toMatchObject({
      reminderOffsetsMs: [72 * 3_600_000, 24 * 3_600_000],
      disputeRateThresholds: [0.01, 0.015],
      digestAt: '07:30',
      timeZone: 'Europe/Berlin',
    });
    expect(loadConfig(base).disputeRateThresholds).toEqual([0.0075, 0.015]);
  });

  it('reads the coalescing window and the rate minimum sample, refusing what is not one', () => {
    expect(loadConfig(base)).toMatchObject({ alertCoalesceMs: 5000, disputeRateMinPayments: 100 });
    expect(
      loadConfig({ ...base, ALERT_COALESCE_WINDOW: '0s', DISPUTE_RATE_MIN_PAYMENTS: '0' }),
    ).toMatchObject({ alertCoalesceMs: 0, disputeRateMinPayments: 0 });
    expect(loadConfig({ ...base, ALERT_COALESCE_WINDOW: '30s' }).alertCoalesceMs).toBe(30_000);
    expect(() => loadConfig({ ...base, ALERT_COALESCE_WINDOW: 'soon' })).toThrow(/^ALERT_COALESCE_WINDOW: /);
    expect(() => loadConfig({ ...base, DISPUTE_RATE_MIN_PAYMENTS: '-1' })).toThrow(
      /^DISPUTE_RATE_MIN_PAYMENTS: /,
    );
    expect(() => loadConfig({ ...base, DISPUTE_RATE_MIN_PAYMENTS: '2.5' })).toThrow(/whole number/);
  });

  it('reads ALERTS_TO_TERMINAL as a flag, refusing anything else', () => {
    expect(loadConfig(base).alertChannels.terminal).toBe(false);
    expect(loadConfig({ ...base, ALERTS_TO_TERMINAL: 'true' }).alertChannels.terminal).toBe(true);
    expect(loadConfig({ ...base, ALERTS_TO_TERMINAL: '0' }).alertChannels.terminal).toBe(false);
    expect(errorFor({ ...base, ALERTS_TO_TERMINAL: 'yes please' }).message).toContain('ALERTS_TO_TERMINAL');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...base, PORT: '' }).port).toBe(3000);
  });
});
