import pino, { type DestinationStream, type Logger } from 'pino';

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
  'password',
  'redisUrl',
  'smtpUrl',
  'webhook-signature',
  'cookie',
];
export const redactPaths = [
  ...secretKeys.map((k) => `["${k}"]`),
  ...secretKeys.map((k) => `*["${k}"]`),
  ...secretKeys.map((k) => `*.*["${k}"]`),
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'dispute-autopilot' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ sync: false }),
  );
}
