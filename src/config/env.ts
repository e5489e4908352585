import { z } from 'zod';
import { webhookKeyFromSecret } from '../webhooks/verify-signature.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const webhookSecrets = z
  .string({
    error: 'is required (the webhook secret Whop shows, e.g. ws_…; comma-separate several to rotate)',
  })
  .transform((raw, ctx) => {
    const secrets = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (secrets.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'is empty' });
      return z.NEVER;
    }
    try {
      return secrets.map(webhookKeyFromSecret);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

const schema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((v) => /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://'),
  WHOP_API_KEY: z.string({ error: 'is required (a Whop API key)' }).min(1, 'is empty'),
  WHOP_WEBHOOK_SECRET: webhookSecrets,
  WHOP_BASE_URL: z.url({ error: 'must be a URL' }).optional(),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: 'must be milliseconds' }).int().positive().default(10_000),
});

export type Config = {
  port: number;
  redisUrl: string;
  whopApiKey: string;
  /** HMAC keys, one per configured secret (rotation). */
  webhookKeys: Buffer[];
  whopBaseUrl: string | undefined;
  logLevel: (typeof logLevels)[number];
  shutdownTimeoutMs: number;
};

/** A configuration problem, named by its environment variable so the operator knows what to fix. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once, at start. Throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty strings as unset so `FOO=` in an env file falls back to the default or "is required".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    redisUrl: e.REDIS_URL,
    whopApiKey: e.WHOP_API_KEY,
    webhookKeys: e.WHOP_WEBHOOK_SECRET,
    whopBaseUrl: e.WHOP_BASE_URL,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
