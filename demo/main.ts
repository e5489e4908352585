/**
 * `npm run demo`: Dispute Autopilot working, with no Whop account and no configuration. Starts a
 * private redis-server, emptied at each start (unless REDIS_URL is set, which is used as is), the Whop simulator as Whop, the service (server and
 * workers, the same code production runs) pointed at it, and a stream of realistic activity. Alerts
 * print here as readable lines (and go to Slack/Discord/email too if those are configured). Ctrl-C
 * stops everything. Honours PORT, REDIS_URL, ADMIN_TOKEN; DEMO_PACE speeds the story up (tests).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { startWhopSimulator } from '../simulator/index.js';
import { type Config, ConfigError, loadConfig } from '../src/config/env.js';
import { LOGIN_LINK_TTL_MS, LoginLinks } from '../src/dashboard/login-links.js';
import { startServer } from '../src/http/start-server.js';
import { createLogger } from '../src/logger/logger.js';
import { secretsOf } from '../src/logger/secrets.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { PolicyError } from '../src/policy/policy-error.js';
import { startWorkers } from '../workers/index.js';
import { startActivity } from './activity.js';
import { freePort, NO_REDIS_SERVER, portIsFree, startPrivateRedis } from './private-redis.js';

const DATA_DIR = resolve(process.env.DEMO_DATA_DIR ?? 'data');
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const closers: (() => Promise<void>)[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping the demo …');
    setTimeout(() => process.exit(1), 15_000).unref();
    for (const close of closers.reverse()) await close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  mkdirSync(DATA_DIR, { recursive: true });
  let redisUrl = process.env.REDIS_URL;
  // A REDIS_URL of the user's may hold a password: only the private one is printed.
  let redisNote = 'REDIS_URL, used as is (not emptied: it keeps whatever earlier runs left)';
  if (!redisUrl) {
    try {
      const redis = await startPrivateRedis(resolve(DATA_DIR, 'redis'));
      closers.push(() => redis.stop());
      redisUrl = redis.url;
      redisNote = `${redis.url} (private, empty at each start; data in ${resolve(DATA_DIR, 'redis')})`;
    } catch (err) {
      console.error(
        (err as Error).message === NO_REDIS_SERVER ? NO_REDIS_SERVER : `demo: ${(err as Error).message}`,
      );
      return stop(1);
    }
  }

  const wanted = process.env.PORT ? Number(process.env.PORT) : 3000;
  const port = process.env.PORT || (await portIsFree(wanted)) ? wanted : await freePort();
  const serviceUrl = `http://localhost:${port}`;
  const sim = await startWhopSimulator({
    webhook: { url: `http://127.0.0.1:${port}/webhooks/whop` },
  });
  closers.push(() => sim.close());

  const adminToken = process.env.ADMIN_TOKEN ?? randomBytes(18).toString('base64url');
  const accessEventsToken = process.env.ACCESS_EVENTS_TOKEN ?? randomBytes(18).toString('base64url');
  const pace = Math.max(1, Number(process.env.DEMO_PACE ?? 1) || 1);
  // Everything but Whop is the real service, configured as an operator would.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    REDIS_URL: redisUrl,
    WHOP_API_KEY: sim.apiKey,
    WHOP_BASE_URL: sim.baseURL,
    WHOP_WEBHOOK_SECRET: sim.webhookSecret,
    ADMIN_TOKEN: adminToken,
    ACCESS_EVENTS_TOKEN: accessEventsToken,
    POLICY_FILE: process.env.POLICY_FILE ?? resolve(import.meta.dirname, 'policy.yaml'),
    ALERTS_TO_TERMINAL: 'true',
    // Short offsets, so reminders come within the demo's minutes-long deadlines.
    REMINDER_OFFSETS: process.env.REMINDER_OFFSETS ?? `${Math.ceil(10 / pace)}m,${Math.ceil(5 / pace)}m`,
    SWEEP_INTERVAL: process.env.SWEEP_INTERVAL ?? '2m',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      return stop(1);
    }
    throw err;
  }
  // The service's JSON log goes to a file; the terminal is for the story and the alerts.
  const logFile = resolve(DATA_DIR, 'demo.log');
  const logger = createLogger(config.logLevel, createWriteStream(logFile, { flags: 'a' }), {
    secrets: secretsOf(config),
  });

  // One process runs both, as role `all` does: one registry, so /metrics shows the workers' too.
  const metrics = createMetrics();
  // Login links: the banner's one-click login (single use, an hour), instead of a token in a URL.
  const server = await startServer(config, logger, { metrics, loginLinks: true });
  closers.push(() => server.close());
  const workers = await startWorkers(config, logger, { metrics });
  closers.push(() => workers.close());
  const loginLink = await mintLoginLink(redisUrl);

  say('');
  say('Dispute Autopilot demo: the service is running against a simulated Whop.');
  say(`  Dashboard:  ${serviceUrl}/`);
  say(
    `  Log in:     ${serviceUrl}/login/${loginLink}   (one click; works once, for ${LOGIN_LINK_TTL_MS / 60_000} minutes)`,
  );
  say(`  Admin token: ${adminToken}   (or log in at ${serviceUrl}/login with it)`);
  say(`  Read API:   curl -H "Authorization: Bearer ${adminToken}" ${serviceUrl}/api/cases`);
  say(`  Redis:      ${redisNote}`);
  say(`  Service log: ${logFile}`);
  say('  Ctrl-C stops everything.');
  say('');

  const activity = startActivity({ sim, serviceUrl, accessEventsToken, pace, say });
  closers.push(async () => activity.stop());
}

/** A single-use login link's code, stored in the demo's Redis for the server to accept. */
async function mintLoginLink(redisUrl: string): Promise<string> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    return await new LoginLinks(redis).mint();
  } finally {
    redis.disconnect();
  }
}

main().catch((err) => {
  if (err instanceof PolicyError || err instanceof ConfigError)
    console.error(`configuration error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
