/**
 * The Whop simulator in a process of its own (so its CPU is measured apart from the service and the
 * load generator), driven by the bench over IPC. Args: webhook target URL (or `-`), webhook secret.
 * Messages in → out:
 * - `{ cmd: 'open', rate, seconds }` → opens disputes (each a new payment, `needs_response`, one of four
 *   reasons) at `rate` per second for `seconds`, each sending its `dispute.created` webhook; answers
 *   `{ opened: [[disputeId, createdAtMs], …] }` when the last is opened.
 * - `{ cmd: 'seed', count }` → the same `count` disputes at once, without webhooks; answers `{ ids }`.
 * - `{ cmd: 'stats' }` → `{ requests, byRoute, webhooksPending, webhooksFailed }`: API requests served so far (in all and
 *   by route),
 *   webhooks not yet delivered, webhooks given up on.
 * Prints `{"ready":true,"baseURL":…,"apiKey":…}` once listening.
 */
import { startWhopSimulator } from '../../simulator/index.js';

const [target, secret] = process.argv.slice(2) as [string, string];
const sim = await startWhopSimulator({
  webhook: {
    url: target === '-' ? null : target,
    secret,
    retryDelaysMs: [1000, 2000, 4000],
    // Enough attempts in flight that the sender is never the bottleneck at the rates the bench drives.
    concurrency: 64,
  },
});
const company = sim.createCompany();
const REASONS = ['Product Not Received', 'Fraudulent', 'Subscription Canceled', 'Product Unacceptable'];
let n = 0;
let requests = 0;
const byRoute: Record<string, number> = {};
const fold = () => {
  for (const [route, n] of Object.entries(sim.requestCounts())) byRoute[route] = (byRoute[route] ?? 0) + n;
  requests += sim.requestCount();
  sim.resetRequestLog();
};

function openOne(webhook: boolean): string {
  const payment = sim.createPayment({ companyId: company.id });
  const reason = REASONS[n++ % REASONS.length]!;
  return sim.openDispute({ paymentId: payment.id, reason }, { webhook }).id;
}

/** The request log grows with every request: fold it into a counter now and then. */
setInterval(fold, 1000).unref();

process.on('message', async (m: { cmd: string; rate?: number; seconds?: number; count?: number }) => {
  if (m.cmd === 'open') {
    const opened: [string, number][] = [];
    const total = Math.round(m.rate! * m.seconds!);
    const start = performance.now();
    // Paced against the start, not by fixed sleeps, so timer lateness does not lower the rate.
    while (opened.length < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * m.rate!) + 1);
      while (opened.length < due) opened.push([openOne(true), Date.now()]);
      await new Promise((r) => setTimeout(r, 5));
    }
    process.send!({ opened });
  } else if (m.cmd === 'seed') {
    process.send!({ ids: Array.from({ length: m.count! }, () => openOne(false)) });
  } else if (m.cmd === 'stats') {
    const fates = { pending: 0, failed: 0 };
    for (const e of sim.webhookEvents) if (e.fate === 'pending' || e.fate === 'failed') fates[e.fate]++;
    fold();
    process.send!({
      requests,
      byRoute,
      webhooksPending: fates.pending,
      webhooksFailed: fates.failed,
    });
  }
});
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
console.log(JSON.stringify({ ready: true, baseURL: sim.baseURL, apiKey: sim.apiKey }));
