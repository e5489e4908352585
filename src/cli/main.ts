/**
 * Operator commands: `npm run cli -- <command> [options]`.
 *   backfill --since 2026-01-01 [--company biz_…]   reconcile everything created since a date
 *   import-access-log FILE [--format jsonl|csv]      store the merchant's access events from a file
 *   doctor [--json]                                  check the API key's permissions and Redis
 */
import { accessSync, constants, createReadStream, existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pino from 'pino';
import type { AccessEvent } from '../access-events/access-event.js';
import { AccessEventStore } from '../access-events/access-event-store.js';
import { CsvAccessEventReader } from '../access-events/csv-access-event-reader.js';
import {
  AccessEventsBodyError,
  type ParsedAccessEvents,
  parseAccessEventLine,
  type Rejection,
} from '../access-events/parse-access-events.js';
import { ConfigError, loadConfig } from '../config/env.js';
import { formatDoctorReport } from '../doctor/doctor-report.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { createLogger } from '../logger/logger.js';
import { secretsOf } from '../logger/secrets.js';
import { CaseReconciler } from '../reconcile/case-reconciler.js';
import { Sweeper, type SweepReport } from '../reconcile/sweep.js';
import { createIntakeRedis, createWorkerRedis, waitUntilReady } from '../redis/connection.js';
import { CaseStore } from '../store/case-store.js';
import { permissionAdvice, WhopPermissionError } from '../whop/permission-denial.js';
import { RateLimiter } from '../whop/rate-limiter.js';
import { createWhopClient } from '../whop/whop-client.js';

const USAGE = `usage: npm run cli -- backfill --since YYYY-MM-DD [--company biz_…]`;
const DOCTOR_USAGE = 'usage: npm run cli -- doctor [--json]';

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
    { secrets: secretsOf(config) },
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
    onRefused: (denial) =>
      process.stderr.write(`\n${new WhopPermissionError(denial).message}: ${permissionAdvice(denial)}\n`),
  });
  progress(report);
  process.stderr.write('\n');
  const { recoveredIds: _ids, ...counts } = report;
  console.log(JSON.stringify(counts));
  await redis.quit();
  process.exit(report.failed > 0 ? 1 : 0);
}

const IMPORT_USAGE = 'usage: npm run cli -- import-access-log FILE [--format jsonl|csv]';
const IMPORT_BATCH = 1000;
const MAX_REPORTED_REJECTIONS = 20;
const FORMATS: Record<string, 'jsonl' | 'csv'> = {
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  csv: 'csv',
};

/**
 * Streams a JSONL/NDJSON or CSV file of access events into the store, line by line (files may be larger
 * than memory), in batches of 1,000. Every valid line is stored whatever its neighbours; the report says
 * what was rejected and why. Exit 0: all stored; 1: some lines rejected; 2: bad arguments or I/O.
 */
async function importAccessLog(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { format: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) fail(`import-access-log needs one FILE\n${IMPORT_USAGE}`);
  const file = positionals[0]!;
  if (values.format !== undefined && !FORMATS[values.format]) {
    fail(`--format: "${values.format}" is not one of jsonl, ndjson, csv`);
  }
  const format = FORMATS[values.format ?? extname(file).slice(1).toLowerCase()];
  if (!format) {
    fail(
      `cannot tell the format of ${file} from its name (.jsonl, .ndjson or .csv): pass --format jsonl or csv`,
    );
  }
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) fail(`${file} is not a file`);
    accessSync(file, constants.R_OK);
    size = stat.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(err as Error).message}`);
  }

  const config = loadConfig();
  const redis = createWorkerRedis(config.redisUrl);
  redis.on('error', () => {});
  if (!(await waitUntilReady(redis, 5000))) {
    redis.disconnect();
    fail(`cannot reach Redis at REDIS_URL within 5 s`);
  }
  const store = new AccessEventStore(redis, { retentionDays: config.accessLogRetentionDays });
  const report = { accepted: 0, duplicates: 0, rejected: 0, firstRejections: [] as Rejection[] };
  const reject = (r: Rejection) => {
    report.rejected++;
    if (report.firstRejections.length < MAX_REPORTED_REJECTIONS) report.firstRejections.push(r);
  };

  let batch: { event: AccessEvent; line: number }[] = [];
  const flush = async () => {
    // The retention cutoff moves while a long import runs: refuse here what the store would now trim.
    const cutoff = store.cutoff().getTime() + 60_000;
    const keep = batch.filter(({ event, line }) => {
      if (Date.parse(event.occurredAt) >= cutoff) return true;
      reject({ line, reason: 'occurred_at: is older than the retention period' });
      return false;
    });
    batch = [];
    if (keep.length === 0) return;
    const result = await store.add(keep.map((b) => b.event));
    report.accepted += result.stored;
    report.duplicates += result.duplicates;
  };

  const input = createReadStream(file);
  const bar = new cliProgress.SingleBar(
    { format: 'importing [{bar}] {percentage}% | {lines} lines | {eta_formatted} left', hideCursor: null },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(size, 1), 0, { lines: 0 });
  const csv =
    format === 'csv' ? new CsvAccessEventReader({ notBefore: store.cutoff().getTime() }) : undefined;
  /** `line`: where the record starts (a quoted CSV field may span lines). */
  const take = (r: ParsedAccessEvents, line: number) => {
    for (const event of r.accepted) batch.push({ event, line });
    for (const rejection of r.rejected) reject(rejection);
  };
  let line = 0;
  try {
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const text of lines) {
      line++;
      if (csv) {
        take(csv.push(text, line), csv.recordLine);
      } else {
        const r = parseAccessEventLine(text, line, { notBefore: store.cutoff().getTime() });
        if (r && 'event' in r) batch.push({ event: r.event, line });
        else if (r) reject(r.rejection);
      }
      if (batch.length >= IMPORT_BATCH) {
        await flush();
        bar.update(input.bytesRead, { lines: line });
      }
    }
    if (csv) take(csv.end(), line);
    await flush();
  } catch (err) {
    bar.stop();
    redis.disconnect();
    if (err instanceof AccessEventsBodyError) fail(`${file}: ${err.message}`);
    fail(
      `import stopped at line ${line} of ${file}: ${(err as Error).message}\n` +
        `${report.accepted + report.duplicates} events before it are stored; running it again is safe (already stored events count as duplicates)`,
    );
  }
  bar.update(size, { lines: line });
  bar.stop();
  console.log(JSON.stringify(report));
  await redis.quit();
  process.exit(report.rejected > 0 ? 1 : 0);
}

/**
 * Probes every Whop permission the features need with the configured key, and Redis. Prints a report
 * (`--json`: the report as data). Exit 0: ready (optional permissions may be missing: said); 1: something
 * required is missing or could not be checked, or Redis is unfit.
 */
async function doctor(args: string[]) {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
  const config = loadConfig();
  // Fails fast: Redis is what is being checked, not something to wait for.
  const redis = createIntakeRedis(config.redisUrl);
  redis.on('error', () => {});
  await waitUntilReady(redis, 3000);
  const whop = createWhopClient({
    apiKey: config.whopApiKey,
    baseURL: config.whopBaseUrl,
    timeoutMs: 15_000,
  });
  const report = await runDoctor({ whop, redis, companyIds: config.companyIds });
  redis.disconnect();
  console.log(values.json ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
  process.exit(report.ok ? 0 : 1);
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
    if (command === 'import-access-log') return await importAccessLog(rest);
    if (command === 'doctor') return await doctor(rest);
  } catch (err) {
    if (err instanceof ConfigError) fail(`configuration error: ${err.message}`);
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      fail(
        `${(err as Error).message}\n${command === 'import-access-log' ? IMPORT_USAGE : command === 'doctor' ? DOCTOR_USAGE : USAGE}`,
      );
    throw err;
  }
  fail(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
