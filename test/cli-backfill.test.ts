import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWhopSimulator, type WhopSimulator } from '../simulator/index.js';
import type { CaseKind } from '../src/cases/case-record.js';
import { CASE_EVENTS_STREAM } from '../src/redis/keys.js';
import { CaseStore } from '../src/store/case-store.js';
import { runCli as cli, messageLines } from './support/cli.js';
import { startTestRedis } from './support/redis-server.js';
import { testSecret } from './support/signed-webhook.js';

const DAY = 24 * 3_600_000;
const USAGE = 'usage: npm run cli -- backfill --since YYYY-MM-DD [--company biz_…]';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Made {
  id: string;
  kind: CaseKind;
  status: string;
}

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let sim: WhopSimulator;
let admin: Redis;
let store: CaseStore;
let companyA: string;
let companyB: string;
let made: Made[];
let ancientDisputeId: string;

/** What the CLI needs to reach Redis and the simulator; no companies configured unless a test adds them. */
const baseEnv = () => ({
  REDIS_URL: redis.url,
  WHOP_API_KEY: sim.apiKey,
  WHOP_WEBHOOK_SECRET: testSecret('cli backfill'),
  WHOP_BASE_URL: sim.baseURL,
  WHOP_RATE_LIMIT: '1000',
  WHOP_COMPANY_IDS: '',
});

beforeAll(async () => {
  redis = await startTestRedis();
  sim = await startWhopSimulator();
  admin = new Redis(redis.url);
  store = new CaseStore(admin);

  // Months ago, on Whop's side, with no webhook ever sent: only a backfill can learn about these.
  const now = Date.now();
  const quiet = { webhook: false };
  sim.setClock(now - 200 * DAY);
  const a = sim.createCompany({ title: 'Alpha Courses' });
  const b = sim.createCompany({ title: 'Beta Signals' });
  companyA = a.id;
  companyB = b.id;
  // Before the --since date: must not be listed.
  ancientDisputeId = sim.openDispute({ paymentId: sim.createPayment({ companyId: companyA }).id }, quiet).id;

  sim.setClock(now - 100 * DAY);
  const pay = (companyId: string) => sim.createPayment({ companyId, total: 50 }).id;
  const open = sim.openDispute({ paymentId: pay(companyA), reason: 'Fraudulent' }, quiet);
  const won = sim.openDispute({ paymentId: pay(companyA) }, quiet);
  sim.moveDispute(won.id, 'won', quiet);
  const alert = sim.createDisputeAlert({ paymentId: pay(companyA) }, quiet);
  const pending = sim.createRefund({ paymentId: pay(companyA), amount: 5 }, quiet);
  const succeeded = sim.createRefund({ paymentId: pay(companyA), amount: 6 }, quiet);
  sim.setRefundStatus(succeeded.id, 'succeeded', quiet);
  const caseOpen = sim.openCase({ paymentId: pay(companyA) }, quiet);
  const caseDecided = sim.openCase({ paymentId: pay(companyA) }, quiet);
  sim.moveCase(caseDecided.id, 'under_platform_review', undefined, quiet);
  sim.decideCase(caseDecided.id, 'merchant_won', undefined, quiet);
  const otherCompany = sim.openDispute({ paymentId: pay(companyB) }, quiet);
  sim.setClock(now);

  made = [
    { id: open.id, kind: 'dispute', status: 'needs_response' },
    { id: won.id, kind: 'dispute', status: 'won' },
    { id: alert.id, kind: 'dispute_alert', status: 'alerted' },
    { id: pending.id, kind: 'refund', status: 'pending' },
    { id: succeeded.id, kind: 'refund', status: 'succeeded' },
    { id: caseOpen.id, kind: 'resolution_case', status: 'merchant_response_needed' },
    { id: caseDecided.id, kind: 'resolution_case', status: 'merchant_won' },
    { id: otherCompany.id, kind: 'dispute', status: 'needs_response' },
  ];
  expect(sim.webhookEvents).toHaveLength(0);
  expect(sim.getDispute(won.id).status).toBe('won');
  expect(sim.getCase(caseDecided.id).status).toBe('merchant_won');
  expect(Date.parse(sim.getRefund(pending.id).created_at)).toBeLessThan(now - 99 * DAY);
});

afterAll(async () => {
  admin?.disconnect();
  await sim?.close();
  await redis?.close();
});

// Every run is its own process and the runs share nothing they change, so they go in parallel.
// See cli-import-access-log.test.ts: several tsx processes at once on a loaded machine.
describe.concurrent('npm run cli -- backfill', { timeout: 120_000 }, () => {
  it('reconciles what was created months ago without webhooks, prints a JSON report, exits 0, and is idempotent', async () => {
    const since = isoDay(Date.now() - 120 * DAY);
    const env = { ...baseEnv(), WHOP_COMPANY_IDS: companyA };
    const first = await cli(['backfill', '--since', since, '--company', companyB], env);
    expect(first.code, first.stderr).toBe(0);

    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!);
    expect(report).toEqual({
      companies: 2,
      listed: made.length,
      reconciled: made.length,
      reReadOpen: 0,
      recovered: made.length,
      failed: 0,
      droppedCompanies: [],
    });
    // Progress goes to stderr, never mixed into the report.
    expect(first.stderr).toContain(`listed ${made.length}`);

    for (const m of made) {
      const record = await store.get(m.id);
      expect(record, m.id).toBeDefined();
      expect({ kind: record!.kind, status: record!.status, lastSource: record!.lastSource }, m.id).toEqual({
        kind: m.kind,
        status: m.status,
        lastSource: 'backfill',
      });
      expect(record!.whop.id).toBe(m.id);
      expect(await store.timeline(m.id)).toEqual([
        expect.objectContaining({ source: 'backfill', change: 'created' }),
      ]);
    }
    expect((await store.get(made[0]!.id))!.companyId).toBe(companyA);
    expect((await store.get(made.at(-1)!.id))!.companyId).toBe(companyB);
    // Created before --since: not listed, not stored.
    expect(await store.get(ancientDisputeId)).toBeUndefined();
    expect(await admin.zcard('da:cases:by-due')).toBe(made.length);
    // Both the configured and the --company company are remembered for later sweeps.
    expect(await store.companies()).toEqual([companyA, companyB].sort());

    // Transitions fire for later stages, marked as learnt from the backfill.
    const events = (await admin.xrange(CASE_EVENTS_STREAM, '-', '+')).map(
      ([, f]) => JSON.parse(f[1]!) as { caseId: string; type: string; source: string },
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.source === 'backfill')).toBe(true);
    for (const m of made.filter((x) => x.kind === 'dispute')) {
      expect(events.filter((e) => e.caseId === m.id && e.type === 'dispute.opened')).toHaveLength(1);
    }

    // A second run finds everything already known: nothing re-read, nothing changed, nothing fired.
    const second = await cli(['backfill', '--since', since], env);
    expect(second.code, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout.trim());
    expect(again).toMatchObject({
      companies: 2,
      listed: made.length,
      reconciled: 0,
      recovered: 0,
      failed: 0,
    });
    expect(await admin.xlen(CASE_EVENTS_STREAM)).toBe(events.length);
    for (const m of made) expect(await store.timeline(m.id)).toHaveLength(1);
  });

  it('with no company configured, passed or known, exits 2 naming WHOP_COMPANY_IDS and --company', async () => {
    const empty = await startTestRedis();
    try {
      const run = await cli(['backfill', '--since', isoDay(Date.now() - 30 * DAY)], {
        ...baseEnv(),
        REDIS_URL: empty.url,
      });
      expect(run.code).toBe(2);
      const last = messageLines(run.stderr).at(-1)!;
      expect(last).toMatch(/^no companies known/);
      expect(last).toContain('WHOP_COMPANY_IDS');
      expect(last).toContain('--company');
      const probe = new Redis(empty.url);
      try {
        expect(await probe.zcard('da:cases:by-due')).toBe(0);
      } finally {
        probe.disconnect();
      }
    } finally {
      await empty.close();
    }
  });

  // Argument errors: exit 2 before touching Redis or Whop.
  // [label, args, first line, whether the usage follows (the command line itself was malformed)]
  const cases: [string, string[], RegExp, boolean][] = [
    ['--since missing', ['backfill'], /^backfill needs --since$/, true],
    ['--since without a value', ['backfill', '--since'], /--since/, true],
    [
      '--since not a date',
      ['backfill', '--since', 'yesterday'],
      /^--since: "yesterday" is not a date/,
      false,
    ],
    [
      '--since in the future',
      ['backfill', '--since', isoDay(Date.now() + 2 * DAY)],
      /^--since is in the future$/,
      false,
    ],
    ['an unknown option', ['backfill', '--since', '2025-01-01', '--frobnicate'], /frobnicate/, true],
    [
      '--since an impossible day',
      ['backfill', '--since', '2026-02-30'],
      /^--since: "2026-02-30" is not a date/,
      false,
    ],
    ['--since a bare number', ['backfill', '--since', '12'], /^--since: "12" is not a date/, false],
    [
      '--company not a company id',
      ['backfill', '--since', '2025-01-01', '--company', 'oops'],
      /^--company: "oops" is not a company id/,
      false,
    ],
  ];
  it.each(cases)('%s', async (_label, args, message, withUsage) => {
    // Nothing listens at these: a run that went past argument checking would hang or fail differently.
    const run = await cli(args, {
      REDIS_URL: 'redis://127.0.0.1:1',
      WHOP_API_KEY: 'k',
      WHOP_WEBHOOK_SECRET: testSecret('x'),
      WHOP_BASE_URL: 'http://127.0.0.1:1/api/v1',
      WHOP_COMPANY_IDS: 'biz_x',
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    const lines = messageLines(run.stderr);
    expect(lines[0]).toMatch(message);
    expect(lines.slice(1)).toEqual(withUsage ? [USAGE] : []);
  });

  it('with Redis unreachable, exits 2 saying so instead of hanging', async () => {
    const run = await cli(['backfill', '--since', '2025-01-01'], {
      REDIS_URL: 'redis://127.0.0.1:1',
      WHOP_API_KEY: 'k',
      WHOP_WEBHOOK_SECRET: testSecret('x'),
      WHOP_COMPANY_IDS: 'biz_x',
    });
    expect(run.code).toBe(2);
    expect(messageLines(run.stderr).at(-1)).toMatch(/cannot reach Redis/);
  });

  it('an unknown command exits 2 with the usage', async () => {
    const run = await cli(['frobnicate', '--since', '2025-01-01']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(messageLines(run.stderr)).toEqual(['unknown command "frobnicate"', USAGE]);
  });

  it('a configuration error exits 2 with one line naming the variable', async () => {
    // Set but empty counts as unset (and keeps a developer's .env from filling it in).
    const run = await cli(['backfill', '--since', '2025-01-01'], {
      REDIS_URL: 'redis://127.0.0.1:1',
      WHOP_API_KEY: '',
    });
    expect(run.code).toBe(2);
    expect(messageLines(run.stderr)).toEqual([expect.stringMatching(/^configuration error: WHOP_API_KEY: /)]);
  });
});
