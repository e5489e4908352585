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
  ])('names the bad variable (%o → %s)', (env, variable) => {
    const err = errorFor(env);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}: `)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ ...base, PORT: '' }).port).toBe(3000);
  });
});
