/**
 * Operator commands: `npm run cli -- <command> [options]`.
 *   backfill --since 2026-01-01 [--company biz_…]   reconcile everything created since a date
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config/env.js';
import { createLogger } from '../logger/logger.js';
import { CaseReconciler } from '../reconcile/case-reconciler.js';
import { Sweeper, type SweepReport } from '../reconcile/sweep.js';
import { createWorkerRedis, waitUntilReady } from '../redis/connection.js';
import { CaseStore } from '../store/case-store.js';
import { RateLimiter } from '../whop/rate-limiter.js';
import { createWhopClient } from '../whop/whop-client.js';

const USAGE = `usage: npm run cli -- backfill --since YYYY-MM-DD [--company biz_…]`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function backfill(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { since: { type: 'string' }, company: { type: 'string', multiple: true } },
  });
  if (!values.since) fail(`backfill needs --since\n${USAGE}`);
  const since = parseDay(values.since);
  if (!since) fail(`--since: "${values.since}" is not a date (use YYYY-MM-DD, e.g. 2026-01-01)`);
  if (since.getTime() > Date.now()) fail('--since is in the future');
  const badCompany = values.company?.find((c) => !/^biz_\w+$/.test(c));
  if (badCompany) fail(`--company: "${badCompany}" is not a company id (biz_…)`);

  const config = loadConfig();
  const companyIds = [...config.companyIds, ...(values.company ?? [])];
  // Logs go to stderr: stdout carries only the JSON report, for scripts.
  const log = createLogger(
    config.logLevel === 'info' ? 'warn' : config.logLevel,
    pino.destination({ fd: 2, sync: true }),
  );
  const redis = createWorkerRedis(config.redisUrl);
  redis.on('error', () => {});
  if (!(await waitUntilReady(redis, 5000))) {
    redis.disconnect();
    fail(`cannot reach Redis at REDIS_URL within 5 s`);
  }
  const store = new CaseStore(redis);
  if (companyIds.length === 0 && (await store.companies()).length === 0) {
    await redis.quit();
    fail('no companies known: set WHOP_COMPANY_IDS or pass --company biz_…');
  }
  const whop = createWhopClient({
    apiKey: config.whopApiKey,
    baseURL: config.whopBaseUrl,
    limiter: new RateLimiter(redis, config.whopRateLimit),
  });
  const sweeper = new Sweeper(whop, store, new CaseReconciler(whop, store, log), log);
  const progress = (r: SweepReport) =>
    process.stderr.write(
      `\rlisted ${r.listed}  reconciled ${r.reconciled}  open re-read ${r.reReadOpen}  changed ${r.recovered}  failed ${r.failed}   `,
    );
  const report = await sweeper.run({
    companyIds,
    since,
    source: 'backfill',
    initialLookbackMs: config.sweepInitialLookbackMs,
    onProgress: progress,
  });
  progress(report);
  process.stderr.write('\n');
  console.log(JSON.stringify(report));
  await redis.quit();
  process.exit(report.failed > 0 ? 1 : 0);
}

/** A calendar day `YYYY-MM-DD` as UTC midnight; anything else (or an impossible day) is refused. */
export function parseDay(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text ? day : undefined;
}

async function main() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [command, ...rest] = process.argv.slice(2);
  try {
    if (command === 'backfill') return await backfill(rest);
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`);
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      fail(`${(err as Error).message}\n${USAGE}`);
    throw err;
  }
  fail(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
