/**
 * Issue 14, item 2: two worker processes share a batch of disputes and dispute alerts touching every
 * job kind — reconcile, evidence staging and submission, refunds, alert delivery (Slack and Discord),
 * reminders, and the sweep — and one of them is SIGKILLed at a random moment in the middle of it; a
 * replacement starts. Then every job completes once: no evidence submitted twice and no refund sent twice
 * (counted at the simulator's request log), no message posted twice (counted at the receivers), nothing
 * left undone once the dead worker's locks lapsed (JOB_LOCK_DURATION=2s here).
 *
 * 20 disputes and 6 dispute alerts rather than the 40 disputes: two worker processes and the
 * replacement each need seconds to start on a loaded 2-core machine, and the point — a kill while every
 * kind of job is in flight — is made by any batch that outlasts the kill. The kill moment is drawn from
 * a seed (printed; FAULT_SEED=<n> replays it): after 20–70 % of the submissions reached Whop. Kills at
 * each durable write are test/crash-windows.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { EvidenceStore } from '../../src/evidence/evidence-store.js';
import { alertDecisionId } from '../../src/refunds/refund-record.js';
import { RefundStore } from '../../src/refunds/refund-store.js';
import { type ChatReceiver, startChatReceiver } from '../support/chat-receiver.js';
import { failedJobs, waitForIdleQueues } from '../support/queues.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from '../support/service-harness.js';
import { exitOf, startWorkerProcess } from '../support/worker-process.js';

const DISPUTES = 20;
const ALERTS = 6;
const DAY = 24 * 3_600_000;
const SUBMIT = 'POST /disputes/:id/submit_evidence';
const REFUND = 'POST /payments/:id/refund';

let h: ServiceHarness | undefined;
const receivers: ChatReceiver[] = [];
const workers: ReturnType<typeof startWorkerProcess>[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) w.kill('SIGKILL');
  await h?.close();
  h = undefined;
  for (const r of receivers.splice(0)) await r.close();
});

type Delivery = { id: string; destination: string };

it('a worker process SIGKILLed mid-batch: every job completes once, nothing submitted, refunded or posted twice', async () => {
  const seed = Number(process.env.FAULT_SEED ?? Date.now() % 10_000);
  const killAfter = Math.ceil(DISPUTES * (0.2 + ((seed * 7919) % 1000) / 2000));
  console.log(`worker kill: seed ${seed}, killed after ${killAfter} of ${DISPUTES} submissions`);

  const slack = await startChatReceiver({ flavor: 'slack' });
  const discord = await startChatReceiver({ flavor: 'discord' });
  receivers.push(slack, discord);
  const policyFile = join(mkdtempSync(join(tmpdir(), 'da-kill-')), 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({ defaults: { dispute_alerts: { enabled: true, max_amount: { USD: 50 } } } }),
  );
  const env = {
    JOB_LOCK_DURATION: '2s',
    AUTO_SUBMIT: 'immediately',
    // Disputes due within the hour get a reminder at once; the others one queued for later.
    REMINDER_OFFSETS: '1h',
    POLICY_FILE: policyFile,
    SLACK_WEBHOOK_URL: slack.url('/services/T1/B1/x'),
    DISCORD_WEBHOOK_URL: discord.url('/api/webhooks/1/x'),
  };
  h = await startServiceHarness({ workers: false, env });
  const harness = h;
  workers.push(startWorkerProcess(harness, env), startWorkerProcess(harness, env));
  const [victim] = workers;

  const company = harness.sim.createCompany();
  // Known before the workers' start-up sweeps, so each sweep lists it.
  await harness.store.addCompanies([company.id]);
  const disputes = Array.from({ length: DISPUTES }, (_, i) =>
    harness.sim.openDispute({
      paymentId: harness.sim.createPayment({ companyId: company.id, total: 30 + i }).id,
      reason: 'Fraudulent',
      needsResponseBy: Date.now() + (i % 2 ? 30 * 60_000 : 5 * DAY),
    }),
  );
  const alerts = Array.from({ length: ALERTS }, (_, i) =>
    harness.sim.createDisputeAlert({
      paymentId: harness.sim.createPayment({ companyId: company.id, total: 40 + i }).id,
      alertType: 'dispute',
    }),
  );

  await expect
    .poll(() => harness.sim.requestCount(SUBMIT), { timeout: 60_000, interval: 50 })
    .toBeGreaterThanOrEqual(killAfter);
  victim!.kill('SIGKILL');
  expect(await exitOf(victim!)).toBe('SIGKILL');
  // Whop never announces this one: the replacement's start-up sweep must find it.
  const unannounced = harness.sim.openDispute(
    {
      paymentId: harness.sim.createPayment({ companyId: company.id, total: 99 }).id,
      reason: 'Fraudulent',
      needsResponseBy: Date.now() + 5 * DAY,
    },
    { webhook: false },
  );
  workers.push(startWorkerProcess(harness, env));

  const evidence = new EvidenceStore(harness.admin);
  const refunds = new RefundStore(harness.admin);
  const all = [...disputes, unannounced];
  await expect
    .poll(
      async () => {
        const states = await Promise.all(all.map((d) => evidence.get(d.id)));
        const decided = await Promise.all(alerts.map((a) => refunds.get(alertDecisionId(a.id))));
        return (
          states.filter((s) => s?.submission.submittedAt).length +
          decided.filter((r) => r?.outcome?.code === 'refunded').length
        );
      },
      { timeout: 90_000, interval: 500 },
    )
    .toBe(all.length + alerts.length);
  await waitForIdleQueues(harness.admin);

  // Each dispute submitted once, each alert's payment refunded once: at Whop's end.
  const posts = (route: string) => {
    const byPath = new Map<string, number>();
    for (const r of harness.sim.requestLog.filter((q) => q.route === route))
      byPath.set(r.path, (byPath.get(r.path) ?? 0) + 1);
    return byPath;
  };
  expect([...posts(SUBMIT).values()]).toEqual(all.map(() => 1));
  expect([...posts(REFUND).values()]).toEqual(alerts.map(() => 1));
  for (const a of alerts) expect(harness.sim.getPayment(a.payment!.id).refunds).toHaveLength(1);

  // No message posted twice, at either receiver.
  for (const r of [slack, discord]) {
    const ok = r.requests.filter((q) => q.status < 300).map((q) => q.raw);
    expect(new Set(ok).size).toBe(ok.length);
  }
  const res = await harness.app.request('/api/alerts', {
    headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}` },
  });
  const list = (await res.json()) as Record<'sent' | 'failed' | 'uncertain', Delivery[]>;
  expect(list.failed).toEqual([]);
  const keys = [...list.sent, ...list.uncertain].map((d) => `${d.id}/${d.destination}`);
  expect(new Set(keys).size).toBe(keys.length);
  // Each receiver got every message recorded as sent, and at most those whose outcome is uncertain more.
  for (const [name, r] of [
    ['slack', slack],
    ['discord', discord],
  ] as const) {
    const ok = r.requests.filter((q) => q.status < 300).length;
    const sent = list.sent.filter((d) => d.destination === name).length;
    const uncertain = list.uncertain.filter((d) => d.destination === name).length;
    expect(ok).toBeGreaterThanOrEqual(sent);
    expect(ok).toBeLessThanOrEqual(sent + uncertain);
  }
  // Every dispute's submission was told (or is listed as uncertain: its worker died mid-send), once per
  // channel: in its own "evidence submitted" alert, or — submitted within the opening message's
  // coalescing window (issue 12) — in the opening message itself. No due-soon dispute got a reminder:
  // the 1 h offset had passed when it arrived, which its opening message covers (issue 12; before, one
  // reminder came at once), and a submitted dispute awaits no answer.
  const delivered = new Set(keys);
  for (const d of all) {
    for (const channel of ['slack', 'discord']) {
      const told = [`${d.id}.evidence_submitted`, `${d.id}.needs_response.needs_response`].filter((id) =>
        delivered.has(`${id}/${channel}`),
      );
      expect(told.length, `${d.id} ${channel}`).toBeGreaterThanOrEqual(1);
      expect(keys.filter((k) => k.startsWith(`reminder.${d.id}.`) && k.endsWith(`/${channel}`))).toEqual([]);
    }
  }
  // Where the opening message told the submission, no "evidence submitted" alert came besides it.
  for (const r of [slack, discord]) {
    for (const d of all) {
      const about = r.requests.filter((q) => q.status < 300 && q.raw.includes(d.id)).map((q) => q.raw);
      const inOpening = about.filter((raw) => raw.includes('evidence submitted automatically')).length;
      const own = about.filter((raw) => raw.includes('Evidence submitted:')).length;
      expect(inOpening + own, d.id).toBeLessThanOrEqual(1);
    }
  }
  // Each transition fired once; no job failed for good.
  const events = (await harness.caseEvents()).map((e) => `${e.caseId} ${e.type}`);
  expect(new Set(events).size).toBe(events.length);
  expect(await failedJobs(harness.admin)).toEqual([]);
}, 150_000);
