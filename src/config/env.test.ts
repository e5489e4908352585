import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.js';

const base = { WHOP_API_KEY: 'key', WHOP_WEBHOOK_SECRET: 'ws_abc' };

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
    expect(c.webhookKeys).toEqual([Buffer.from('ws_abc')]);
  });

  it('takes comma-separated secrets for rotation', () => {
    const c = loadConfig({ ...base, WHOP_WEBHOOK_SECRET: 'ws_old, whsec_aGVsbG8=' });
    expect(c.webhookKeys).toEqual([Buffer.from('ws_old'), Buffer.from('hello')]);
  });

  it.each([
    [{ WHOP_WEBHOOK_SECRET: 'ws_abc' }, 'WHOP_API_KEY'],
    [{ WHOP_API_KEY: 'k' }, 'WHOP_WEBHOOK_SECRET'],
    [{ ...base, WHOP_WEBHOOK_SECRET: ' , ' }, 'WHOP_WEBHOOK_SECRET'],
    [{ ...base, WHOP_WEBHOOK_SECRET: 'whsec_***' }, 'WHOP_WEBHOOK_SECRET'],
    [{ ...base, PORT: 'eighty' }, 'PORT'],
    [{ ...base, PORT: '70000' }, 'PORT'],
    [{ ...base, REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ ...base, WHOP_BASE_URL: 'not a url' }, 'WHOP_BASE_URL'],
    [{ ...base, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ...base, ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ ...base, ACCESS_EVENTS_TOKEN: 'short' }, 'ACCESS_EVENTS_TOKEN'],
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
    });
    expect(loadConfig(base)).toMatchObject({
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
