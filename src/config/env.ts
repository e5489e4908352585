import { isIP } from 'node:net';
import { z } from 'zod';
import { type MinorAmount, parseAmountList } from './amount-list.js';
import { AUTO_SUBMIT_MODES, type AutoSubmitMode } from './auto-submit.js';
import { parseDuration, parseReminderOffsets } from './duration.js';
import { webhookKeysFromSecrets } from './webhook-secret.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const webhookSecrets = z
  .string({
    error: 'is required (the webhook secret Whop shows, e.g. ws_…; comma-separate several to rotate)',
  })
  .transform((raw, ctx) => {
    try {
      return webhookKeysFromSecrets(raw);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

const duration = (fallback: string, min = 1) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const ms = parseDuration(raw);
      if (ms === undefined || ms < min) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a duration like 30s, 10m, 24h or 7d (got "${raw}")`,
        });
        return z.NEVER;
      }
      return ms;
    });

const idList = (prefix: string) =>
  z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const ids = raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = ids.find((id) => !id.startsWith(prefix));
      if (bad) {
        ctx.addIssue({ code: 'custom', message: `"${bad}" is not a ${prefix}… id` });
        return z.NEVER;
      }
      return ids;
    });

const schema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
  // Every interface by default (a container's port mapping needs it); 127.0.0.1 behind a local proxy.
  HOST: z
    .string()
    .default('0.0.0.0')
    .refine(
      (v) =>
        isIP(v) !== 0 ||
        /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(
          v,
        ),
      'must be an IP address to listen on (0.0.0.0, ::, 127.0.0.1 …) or a host name',
    ),
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((v) => /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://'),
  WHOP_API_KEY: z.string({ error: 'is required (a Whop API key)' }).min(1, 'is empty'),
  WHOP_WEBHOOK_SECRET: webhookSecrets,
  WHOP_BASE_URL: z.url({ error: 'must be a URL' }).optional(),
  ALLOW_REDIS_EVICTION: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: 'must be milliseconds' }).int().positive().default(10_000),
  WHOP_COMPANY_IDS: idList('biz_'),
  WHOP_RATE_LIMIT: z.coerce
    .number({ error: 'must be requests per second' })
    .positive('must be above 0')
    .max(1000)
    .default(10),
  SWEEP_INTERVAL: duration('10m', 1000),
  SWEEP_INITIAL_LOOKBACK: duration('45d', 60_000),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ACCESS_EVENTS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).optional(),
  ACCESS_LOG_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(3650, 'must be at most 3650')
    .default(540),
  AUTO_SUBMIT: z
    .enum(AUTO_SUBMIT_MODES, {
      error: 'must be never, immediately or before_deadline',
    })
    .default('before_deadline'),
  SUBMIT_LEAD: duration('24h', 0),
  POLICY_FILE: z.string().min(1).optional(),
  JOB_LOCK_DURATION: duration('30s', 1000),
  SLACK_WEBHOOK_URL: z.string().optional(),
  DISCORD_WEBHOOK_URL: z.string().optional(),
  SMTP_URL: z.string().optional(),
  ALERT_EMAIL_FROM: z.string().optional(),
  ALERT_EMAIL_TO: z.string().optional(),
  ALERTS_TO_TERMINAL: z
    .enum(['true', 'false', '1', '0', ''], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  REMINDER_OFFSETS: z
    .string()
    .default('72h,24h,6h')
    .transform((raw, ctx) => {
      try {
        return parseReminderOffsets(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  DISPUTE_RATE_WARN: z
    .string()
    .default('0.75%')
    .transform((raw, ctx) => {
      const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(raw);
      const value = m ? Number(m[1]) / (m[2] ? 100 : 1) : Number.NaN;
      if (!(value > 0 && value < 1)) {
        ctx.addIssue({ code: 'custom', message: 'must be a rate like 0.75% or 0.0075' });
        return z.NEVER;
      }
      return value;
    }),
  ALERT_COALESCE_WINDOW: duration('5s', 0),
  DISPUTE_RATE_MIN_PAYMENTS: z.coerce
    .number({ error: 'must be a number of payments' })
    .int('must be a whole number of payments')
    .min(0, 'must be at least 0')
    .default(100),
  MIN_FIGHT_AMOUNT: z
    .string()
    .default('25 USD')
    .transform((raw, ctx) => {
      try {
        return parseAmountList(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  DIGEST_AT: z
    .string()
    .default('09:00')
    .refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), 'must be a time of day like 09:00'),
  // POSIX's `:/etc/localtime` form names no zone we can schedule in: treated as unset (UTC).
  TZ: z
    .string()
    .default('UTC')
    .transform((tz) => (tz.startsWith(':') ? 'UTC' : tz))
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone like Europe/Berlin'),
});

export type Config = {
  port: number;
  /** The address the HTTP server listens on. */
  host: string;
  redisUrl: string;
  whopApiKey: string;
  /** HMAC keys, one per configured secret (rotation). */
  webhookKeys: Buffer[];
  whopBaseUrl: string | undefined;
  /**
   * Start even when Redis's maxmemory-policy lets it evict keys (an evicted dedupe marker or job is a
   * repeated or lost event). Only for a Redis the operator knows never fills up.
   */
  allowRedisEviction: boolean;
  logLevel: (typeof logLevels)[number];
  shutdownTimeoutMs: number;
  /** Companies to sweep besides those seen in events. */
  companyIds: string[];
  /** Calls per second to Whop, shared by every worker process. */
  whopRateLimit: number;
  sweepIntervalMs: number;
  /** How far back the first sweep of a company looks. */
  sweepInitialLookbackMs: number;
  /** Bearer token for the read API; the API is off without one. */
  adminToken: string | undefined;
  /** Bearer token for `POST /access-events`; the endpoint is off without one. */
  accessEventsToken: string | undefined;
  /** Bearer token `GET /metrics` needs; without one the metrics are open. */
  metricsToken: string | undefined;
  /** A worker-only process serves its own `GET /metrics` on this port (on `host`); none without it. */
  metricsPort: number | undefined;
  /** How long the merchant's access events are kept. */
  accessLogRetentionDays: number;
  /** When evidence is submitted by default (the policy file may say otherwise per company). */
  autoSubmit: AutoSubmitMode;
  /** With before_deadline: this long before Whop's response deadline. */
  submitLeadMs: number;
  /** The merchant's policy file (YAML or JSON); without one, evidence uses Whop data and access events only. */
  policyFile: string | undefined;
  /** A job whose worker stops renewing its lock this long is taken over by another worker. */
  jobLockMs: number;
  /** Alert channels (validated when the channels are built: a partial email setup is an error). */
  alertChannels: {
    slackWebhookUrl: string | undefined;
    discordWebhookUrl: string | undefined;
    smtpUrl: string | undefined;
    emailFrom: string | undefined;
    emailTo: string | undefined;
    /** ALERTS_TO_TERMINAL: alerts also print as readable lines on standard output. */
    terminal: boolean;
  };
  /** Reminders this long before a due date, largest first. */
  reminderOffsetsMs: number[];
  /** Dispute-rate thresholds that alert when crossed: the warning level, then 1.5%. */
  disputeRateThresholds: number[];
  /**
   * Below this many payments in 30 days the dispute-rate message gives counts, not a percentage (one
   * dispute on one payment is no "100 %" worth reading).
   */
  disputeRateMinPayments: number;
  /**
   * How long (ms) a new dispute, inquiry or case waits before its one opening message goes out, so the
   * message carries what is known by then (evidence staged, case strength, a case's brief).
   */
  alertCoalesceMs: number;
  /**
   * Per currency: a weak chargeback for less than this is recommended to be left to close rather than
   * fought (case strength). A currency not listed never gets that recommendation.
   */
  minFightAmounts: MinorAmount[];
  /** The daily digest's time of day (HH:MM) and time zone. */
  digestAt: string;
  timeZone: string;
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
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    whopApiKey: e.WHOP_API_KEY,
    webhookKeys: e.WHOP_WEBHOOK_SECRET,
    whopBaseUrl: e.WHOP_BASE_URL,
    allowRedisEviction: e.ALLOW_REDIS_EVICTION,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    companyIds: e.WHOP_COMPANY_IDS,
    whopRateLimit: e.WHOP_RATE_LIMIT,
    sweepIntervalMs: e.SWEEP_INTERVAL,
    sweepInitialLookbackMs: e.SWEEP_INITIAL_LOOKBACK,
    adminToken: e.ADMIN_TOKEN,
    accessEventsToken: e.ACCESS_EVENTS_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    accessLogRetentionDays: e.ACCESS_LOG_RETENTION_DAYS,
    autoSubmit: e.AUTO_SUBMIT,
    submitLeadMs: e.SUBMIT_LEAD,
    policyFile: e.POLICY_FILE,
    jobLockMs: e.JOB_LOCK_DURATION,
    alertChannels: {
      slackWebhookUrl: e.SLACK_WEBHOOK_URL,
      discordWebhookUrl: e.DISCORD_WEBHOOK_URL,
      smtpUrl: e.SMTP_URL,
      emailFrom: e.ALERT_EMAIL_FROM,
      emailTo: e.ALERT_EMAIL_TO,
      terminal: e.ALERTS_TO_TERMINAL,
    },
    reminderOffsetsMs: e.REMINDER_OFFSETS,
    // Whop stops supporting accounts above 2%: warn at the configured level and again at 1.5%.
    disputeRateThresholds: [...new Set([e.DISPUTE_RATE_WARN, 0.015])].sort((a, b) => a - b),
    disputeRateMinPayments: e.DISPUTE_RATE_MIN_PAYMENTS,
    alertCoalesceMs: e.ALERT_COALESCE_WINDOW,
    minFightAmounts: e.MIN_FIGHT_AMOUNT,
    digestAt: e.DIGEST_AT,
    timeZone: e.TZ,
  };
}
