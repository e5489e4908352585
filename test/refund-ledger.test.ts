/**
 * A run of a few hundred mixed dispute alerts (and some refunds asked for by hand while it runs), with
 * lost answers and rate limits on the way, must leave the simulator's ledger adding up: no payment
 * refunded beyond its total, and every refund the service made traceable to exactly one decision.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { COUNTED_REFUND_STATUSES, toMinor } from '../src/money/money.js';
import { alertDecisionId, MONEY_MOVED, type RefundDecisionRecord } from '../src/refunds/refund-record.js';
import { RefundStore } from '../src/refunds/refund-store.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';

const REFUND_ROUTE = 'POST /payments/:id/refund';
const ALERTS = 260;
const PAYMENTS = 150;

let h: ServiceHarness | undefined;
afterAll(async () => {
  await h?.close();
});

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
function seeded(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    cents: (min: number, max: number) => Math.round((min + next() * (max - min)) * 100) / 100,
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!,
  };
}

function settled(r: RefundDecisionRecord | undefined): boolean {
  if (!r) return false;
  if (r.decision.action !== 'refund') return true;
  return r.outcome !== null && r.outcome.code !== 'not_refunded';
}

it(`${ALERTS} mixed alerts and some requests by hand leave the ledger adding up, every refund traced to one decision`, async () => {
  const rng = seeded(Number(process.env.LEDGER_SEED ?? 11));
  const policyPath = join(mkdtempSync(join(tmpdir(), 'da-ledger-')), 'policy.json');
  writeFileSync(policyPath, '{}');
  h = await startServiceHarness({
    workers: false,
    env: { AUTO_SUBMIT: 'never', POLICY_FILE: policyPath },
    sim: { faults: { seed: 5 } },
  });
  const { sim } = h;
  const companies = [sim.createCompany(), sim.createCompany()];
  writeFileSync(
    policyPath,
    JSON.stringify({
      defaults: {
        dispute_alerts: {
          enabled: true,
          alert_types: ['dispute', 'fraud', 'dispute_rdr'],
          max_amount: { USD: 80, EUR: 80 },
          daily_cap: { count: 1000 },
        },
      },
      companies: { [companies[1]!.id]: { dispute_alerts: { cancel_membership: true } } },
    }),
  );

  // Answers lost after Whop refunded, turned-away calls and flaky reads while it runs.
  sim.failNext(6, { route: REFUND_ROUTE, phase: 'after', status: 500 });
  sim.rateLimitNext(4, { route: REFUND_ROUTE, retryAfterSeconds: 0.05 });
  sim.setFaults({ serverErrorRate: 0.05, routes: ['GET /payments/:id', 'GET /dispute_alerts/:id'] });
  await h.startWorkers();

  // Refunds made on Whop's side (scripted, and Whop's own auto-refunds): not the service's. The
  // simulator acts synchronously, so what appears on a payment during one call is that call's.
  const notOurs = new Set<string>();
  const whopSide = <T>(paymentId: string, act: () => T): T => {
    const known = new Set(sim.getPayment(paymentId).refunds.map((r) => r.id));
    const result = act();
    for (const r of sim.getPayment(paymentId).refunds) if (!known.has(r.id)) notOurs.add(r.id);
    return result;
  };
  // Payments, some partly or fully refunded, some disputed; then alerts arriving while the workers
  // run, several per payment for many; Whop refunds RDR alerts (and a few others) itself.
  const payments = Array.from({ length: PAYMENTS }, () => {
    const total = rng.cents(5, 120);
    const p = sim.createPayment({
      companyId: rng.pick(companies).id,
      total,
      currency: rng.chance(0.2) ? 'eur' : 'usd',
    });
    whopSide(p.id, () => {
      if (rng.chance(0.15))
        sim.createRefund({ paymentId: p.id, amount: rng.cents(1, total - 1), status: 'succeeded' });
      else if (rng.chance(0.05)) sim.createRefund({ paymentId: p.id, status: 'succeeded' });
      else if (rng.chance(0.1)) sim.openDispute({ paymentId: p.id });
    });
    return p;
  });
  const alerts = Array.from({ length: ALERTS }, () => {
    const p = rng.pick(payments);
    return whopSide(p.id, () =>
      sim.createDisputeAlert({
        paymentId: p.id,
        alertType: rng.pick(['dispute', 'fraud', 'dispute_rdr'] as const),
        amount: rng.chance(0.7) ? p.total! : rng.cents(1, p.total!),
        ...(rng.chance(0.05) ? { autoRefund: true } : {}),
      }),
    );
  });

  // A person refunds some payments by hand meanwhile, through the same path.
  const manual = await Promise.all(
    Array.from({ length: 12 }, async () => {
      const res = await h!.app.request(`/api/payments/${rng.pick(payments).id}/refund`, {
        method: 'POST',
        headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` },
        body: JSON.stringify({ amount: '1.00' }),
      });
      return res.status;
    }),
  );
  expect(manual.every((s) => [200, 409, 422, 503].includes(s))).toBe(true);

  const refunds = new RefundStore(h.admin);
  await h.settle(120_000);
  await expect
    .poll(
      async () =>
        (await Promise.all(alerts.map((a) => refunds.get(alertDecisionId(a.id))))).filter(settled).length,
      { timeout: 120_000, interval: 250 },
    )
    .toBe(ALERTS);
  sim.faults.reset();

  // No payment refunded beyond its total.
  const snapshot = sim.snapshot();
  for (const p of snapshot.payments) {
    const held = p.refunds
      .filter((r) => COUNTED_REFUND_STATUSES.has(r.status))
      .reduce((sum, r) => sum + toMinor(r.amount, p.currency), 0);
    expect(held, p.id).toBeLessThanOrEqual(toMinor(p.total!, p.currency));
  }

  // Every refund the service made is one decision's, of that decision's amount; every decision that
  // says money moved names a refund Whop lists.
  const decisions = (await Promise.all(payments.map((p) => refunds.forPayment(p.id)))).flat();
  const moved = decisions.filter((d) => d.outcome && MONEY_MOVED.has(d.outcome.code));
  const ours = snapshot.refunds.filter((r) => !notOurs.has(r.id));
  const byRefund = new Map<string, RefundDecisionRecord[]>();
  for (const d of moved) {
    expect(d.outcome!.refundId, d.id).not.toBeNull();
    byRefund.set(d.outcome!.refundId!, [...(byRefund.get(d.outcome!.refundId!) ?? []), d]);
  }
  for (const r of ours) {
    const traced = byRefund.get(r.id) ?? [];
    expect(
      traced.map((d) => d.id),
      r.id,
    ).toHaveLength(1);
    expect(toMinor(r.amount, r.currency)).toBe(traced[0]!.amount!.minor);
    expect(r.payment?.id).toBe(traced[0]!.paymentId);
  }
  expect(byRefund.size).toBe(ours.length);
  expect(moved.length).toBe(ours.length);
  // Each alert decided once (one decision record each), and some of each kind of outcome happened.
  expect(new Set(decisions.filter((d) => d.trigger === 'alert').map((d) => d.alertId)).size).toBe(ALERTS);
  const codes = new Set(decisions.map((d) => d.outcome?.code ?? d.decision.code));
  for (const code of ['refunded', 'found_refunded', 'auto_refunded', 'already_refunded', 'payment_disputed'])
    expect(codes, code).toContain(code);
  expect(moved.filter((d) => d.trigger === 'manual').length).toBeGreaterThan(0);
}, 240_000);
