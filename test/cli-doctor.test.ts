import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhopSimulator } from '../simulator/index.js';
import type { DoctorReport } from '../src/doctor/run-doctor.js';
import { CALL_PERMISSIONS, FEATURE_CALLS } from '../src/whop/permissions.js';
import { startSim } from './simulator/helpers.js';
import { runCli as cli } from './support/cli.js';
import { startTestRedis } from './support/redis-server.js';
import { testSecret } from './support/signed-webhook.js';

let redis: Awaited<ReturnType<typeof startTestRedis>>;
let sim: WhopSimulator;
let companyId: string;

/** The service's environment against the simulator and the test Redis. */
const env = (extra: Record<string, string> = {}) => ({
  REDIS_URL: redis.url,
  WHOP_API_KEY: sim.apiKey,
  WHOP_WEBHOOK_SECRET: testSecret('cli doctor'),
  WHOP_BASE_URL: sim.baseURL,
  WHOP_COMPANY_IDS: companyId,
  ...extra,
});

beforeAll(async () => {
  redis = await startTestRedis();
  sim = await startSim();
  companyId = sim.createCompany().id;
  // Something real that a careless probe could touch: a refundable payment and a disputed one.
  sim.openDispute({ paymentId: sim.createPayment({ companyId }).id });
  sim.createPayment({ companyId });
});
afterAll(async () => {
  await sim?.close();
  await redis?.close();
});

describe('npm run cli -- doctor', () => {
  it('with a full key and a noeviction Redis: every feature OK, exit 0, and no write touched a real object', async () => {
    const before = sim.requestLog.length;
    const run = await cli(['doctor'], env());
    expect(run.code, run.stderr).toBe(0);
    for (const f of Object.values(FEATURE_CALLS)) expect(run.stdout).toContain(`OK              ${f.label}`);
    expect(run.stdout).toMatch(/Redis:\n {2}OK +reachable, writable, maxmemory-policy noeviction/);
    expect(run.stdout).toContain('Ready: every permission present, Redis fit.');

    const requests = sim.requestLog.slice(before);
    // Every method needing a permission was probed once; lists asked for one item of the configured company.
    const probed = Object.entries(CALL_PERMISSIONS).filter(([, p]) => p.length > 0).length;
    expect(requests).toHaveLength(probed);
    for (const r of requests.filter((x) => x.method === 'GET' && !x.route.includes(':id'))) {
      expect(r.query).toContain('first=1');
      expect(r.query).toContain(`company_id=${companyId}`);
    }
    const writes = requests.filter((r) => r.method !== 'GET');
    expect(writes.map((w) => w.route).sort()).toEqual([
      'POST /disputes/:id/submit_evidence',
      'POST /disputes/:id/update_evidence',
      'POST /memberships/:id/cancel',
      'POST /payments/:id/refund',
    ]);
    for (const w of writes) {
      expect(w.path).toMatch(/doctor_probe/);
      expect(w.status).toBe(404);
    }
  });

  it('--json gives the same verdicts as data', async () => {
    const run = await cli(['doctor', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as DoctorReport;
    expect(report.ok).toBe(true);
    expect(report.companyId).toBe(companyId);
    expect(report.features.map((f) => [f.feature, f.status])).toEqual(
      Object.keys(FEATURE_CALLS).map((f) => [f, 'ok']),
    );
    expect(report.redis).toMatchObject({ status: 'ok', inspection: { evictionPolicy: 'noeviction' } });
  });

  it('with a narrow key: names what is missing per feature, exit 1', async () => {
    sim.addApiKey('doctor_narrow', { without: ['payment:dispute', 'promo_code:basic:read'] });
    const run = await cli(['doctor'], env({ WHOP_API_KEY: 'doctor_narrow' }));
    expect(run.code, run.stdout).toBe(1);
    const line = (label: string) => run.stdout.split('\n').find((l) => l.includes(label)) ?? '';
    // Reconciliation only learns a refund's company from its payment: it works without it.
    expect(line(FEATURE_CALLS.reconcile.label)).toMatch(/^ {2}DEGRADED .*without promo_code:basic:read$/);
    // Every other permission of update/submit evidence is proven by disputes.retrieve: only this one is named.
    expect(line(FEATURE_CALLS.evidence.label)).toMatch(/^ {2}MISSING .*: missing payment:dispute$/);
    // Whop named promo_code for payments.refund; payment:manage (which the key has) was not proven either way.
    expect(line(FEATURE_CALLS.refunds.label)).toMatch(
      /MISSING .*: missing promo_code:basic:read \(may also lack payment:manage: Whop names one at a time\)$/,
    );
    expect(line(FEATURE_CALLS.alerts.label)).toMatch(
      /DEGRADED .*works, with fewer facts, without promo_code:basic:read/,
    );
    expect(run.stdout).toMatch(/missing +disputes\.updateEvidence: needs payment:dispute\n/);
    expect(run.stdout).toContain('Not ready: give the API key payment:dispute, promo_code:basic:read');

    const json = JSON.parse((await cli(['doctor', '--json'], env({ WHOP_API_KEY: 'doctor_narrow' }))).stdout);
    const evidence = (json as DoctorReport).features.find((f) => f.feature === 'evidence')!;
    expect(evidence).toMatchObject({ status: 'missing', missing: ['payment:dispute'], mayLack: [] });
    expect(evidence.degradedWithout).toContain('promo_code:basic:read');
  });

  it('with a key Whop refuses (401): could not check, exit 1', async () => {
    const run = await cli(['doctor'], env({ WHOP_API_KEY: 'not_a_key' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('COULD NOT CHECK');
    expect(run.stdout).toContain('Whop refused the API key (401');
  });

  it('with no company known, the lists cannot be checked and it says how to fix it', async () => {
    const run = await cli(['doctor'], env({ WHOP_COMPANY_IDS: '' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('no company known to list (set WHOP_COMPANY_IDS)');
  });

  it('a Redis that evicts (allkeys-lru) is named as the problem, exit 1', async () => {
    const lru = await startTestRedis();
    const admin = new Redis(lru.url);
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const run = await cli(['doctor'], env({ REDIS_URL: lru.url }));
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/PROBLEM +Redis maxmemory-policy is allkeys-lru: .*set it to noeviction/);
      expect(run.stdout).toContain('Not ready: fix Redis.');
    } finally {
      admin.disconnect();
      await lru.close();
    }
  });

  it('an unreachable Redis is reported, not waited for', async () => {
    const run = await cli(['doctor'], env({ REDIS_URL: 'redis://127.0.0.1:1' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Redis is unreachable at REDIS_URL');
  });
});
