import pino, { type DestinationStream, type Logger } from 'pino';
import { secretScrubber } from './secrets.js';

export type { Logger };

/**
 * Anything that could let a reader act as us or as Whop: API keys, webhook secrets and signatures, bearer
 * tokens, connection strings with passwords. Listed at the depths they appear in our log calls.
 */
const secretKeys = [
  'authorization',
  'apiKey',
  'whopApiKey',
  'webhookKeys',
  'webhookSecret',
  'secret',
  'token',
  'adminToken',
  'accessEventsToken',
  'metricsToken',
  'password',
  'pass',
  'redisUrl',
  'smtpUrl',
  'slackWebhookUrl',
  'discordWebhookUrl',
  'webhookUrl',
  'webhook-signature',
  'cookie',
  'set-cookie',
];
export const redactPaths = [
  ...secretKeys.map((k) => `["${k}"]`),
  ...secretKeys.map((k) => `*["${k}"]`),
  ...secretKeys.map((k) => `*.*["${k}"]`),
];

/**
 * The service's logger: JSON lines, secrets redacted two ways. By key (`redactPaths`, for the shapes our
 * log calls have, and values no one knows up front, like session cookies), and by value: every line is
 * scrubbed of `secrets` (the configuration's, see `secretsOf`) whatever the depth or the text it sits
 * in — an error message quoting a webhook URL, an object nested past the key paths.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  options: { secrets?: readonly string[] } = {},
): Logger {
  const target = destination ?? pino.destination({ sync: false });
  const scrub = secretScrubber(options.secrets ?? []);
  return pino(
    {
      level,
      base: { service: 'dispute-autopilot' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrub ? scrubbed(target, scrub) : target,
  );
}

/** `target` with every line passed through `scrub`; flushing still reaches it. */
function scrubbed(target: DestinationStream, scrub: (line: string) => string): DestinationStream {
  const t = target as DestinationStream & {
    flush?: (cb?: (err?: Error) => void) => void;
    flushSync?: () => void;
  };
  return Object.assign(Object.create(null), {
    write: (line: string) => t.write(scrub(line)),
    ...(t.flush ? { flush: (cb?: (err?: Error) => void) => t.flush?.(cb) } : {}),
    ...(t.flushSync ? { flushSync: () => t.flushSync?.() } : {}),
  }) as DestinationStream;
}
