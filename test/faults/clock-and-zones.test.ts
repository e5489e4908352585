/**
 * Issue 14, item 5, the parts that need Redis and processes: the daily digest across a daylight-saving
 * change, through the worker (the table tests of when it fires and which day it is for are in
 * src/alerts/digest-schedule.test.ts; reminders across zones and DST in reminder-schedule.test.ts), and a
 * worker process that is down at a reminder's moment: the delayed job survives in Redis and the next
 * process sends the reminder, once.
 */
import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { afterEach, expect, it } from 'vitest';
import { ALERTS_QUEUE, type AlertJob, createAlertsQueue } from '../../src/alerts/alerts-queue.js';
import { digestPeriodKey } from '../../src/alerts/digest-schedule.js';
import { SWEEP_QUEUE } from '../../src/reconcile/sweep-queue.js';
import { alertTitle, type ChatReceiver, startChatReceiver } from '../support/chat-receiver.js';
import { waitForIdleQueues } from '../support/queues.js';
import { type ServiceHarness, startServiceHarness } from '../support/service-harness.js';
import { exitOf, startWorkerProcess } from '../support/worker-process.js';

const DAY = 24 * 3_600_000;
let h: ServiceHarness | undefined;
let slack: ChatReceiver | undefined;
let worker: ChildProcess | undefined;
afterEach(async () => {
  worker?.kill('SIGKILL');
  await h?.close();
  await slack?.close();
  h = slack = worker = undefined;
});

const titles = () => slack!.requests.filter((q) => q.status < 300).map((q) => alertTitle(q.body));

it('London at 00:30 across the spring-forward night: two digests 23 h apart, one per local day, both sent', async () => {
  slack = await startChatReceiver({ flavor: 'slack' });
  h = await startServiceHarness({
    env: {
      TZ: 'Europe/London',
      DIGEST_AT: '00:30',
      REMINDER_OFFSETS: '',
      AUTO_SUBMIT: 'never',
      SLACK_WEBHOOK_URL: slack.url('/services/T1/B1/x'),
    },
  });
  const harness = h;
  harness.sim.openDispute({
    paymentId: harness.sim.createPayment({ total: 50 }).id,
    needsResponseBy: Date.now() + 5 * DAY,
  });
  await harness.settle();
  await waitForIdleQueues(harness.admin);

  const queue = createAlertsQueue(harness.admin);
  try {
    // The scheduler's own job says when it is due (what the worker keys the digest's day by).
    const scheduled = (await queue.getDelayed()).find((j) => j.name === 'digest');
    expect(scheduled?.opts.prevMillis).toBeGreaterThan(Date.now());
    const [hh, mm] = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(scheduled!.opts.prevMillis)
      .split(':');
    expect(`${hh}:${mm}`).toBe('00:30');

    // The two digests of 30 and 31 March 2025, as the scheduler runs them: both on 30 March in UTC.
    const due = [Date.parse('2025-03-30T00:30:00Z'), Date.parse('2025-03-30T23:30:00Z')];
    for (const prevMillis of due) {
      await queue.add('digest', { type: 'digest' }, { jobId: `digest-at-${prevMillis}`, prevMillis });
    }
    await expect
      // The digest's title since issue 12: "Today: 1 item needs your answer ($50.00 at stake)".
      .poll(() => titles().filter((t) => /^Today: 1 item needs your answer/.test(t)), { timeout: 15_000 })
      .toHaveLength(2);
    // A delivery job completes a moment after the receiver has its post: wait for both to be recorded.
    const digestDays = async () =>
      (await queue.getCompleted())
        .flatMap((j) =>
          j.data.type === 'deliver' && j.data.alert.kind === 'digest' ? [j.data.alert.id] : [],
        )
        .map((id) => id.slice(-10))
        .sort();
    await expect
      .poll(digestDays, { timeout: 15_000 })
      .toEqual(due.map((t) => digestPeriodKey(t, 'Europe/London')));
  } finally {
    await queue.close();
  }
}, 90_000);

it('a worker process down at a reminder’s moment: the next one sends it, once', async () => {
  slack = await startChatReceiver({ flavor: 'slack' });
  const env = {
    JOB_LOCK_DURATION: '2s',
    AUTO_SUBMIT: 'never',
    REMINDER_OFFSETS: '15s',
    SLACK_WEBHOOK_URL: slack.url('/services/T1/B1/x'),
  };
  h = await startServiceHarness({ workers: false, env });
  const harness = h;
  worker = startWorkerProcess(harness, env);
  // Up and running (its start-up sweep done) before the dispute comes, so the reminder's moment is
  // still ahead once it is queued, however slowly the process started.
  const sweeps = new Queue(SWEEP_QUEUE, { connection: harness.admin });
  await expect.poll(() => sweeps.getCompletedCount(), { timeout: 60_000 }).toBeGreaterThan(0);
  await sweeps.close();
  const dueAt = Date.now() + 30_000;
  harness.sim.openDispute({ paymentId: harness.sim.createPayment({ total: 45 }).id, needsResponseBy: dueAt });
  const fireAt = dueAt - 15_000;

  // The process took the dispute, alerted, and queued its reminder; then it dies before the moment.
  const queue = new Queue<AlertJob>(ALERTS_QUEUE, { connection: harness.admin });
  try {
    await expect
      .poll(() => titles().filter((t) => t.startsWith('Chargeback')).length, { timeout: 20_000 })
      .toBe(1);
    await expect
      .poll(async () => (await queue.getDelayed()).filter((j) => j.name === 'reminder').length, {
        timeout: 20_000,
      })
      .toBe(1);
    expect(Date.now()).toBeLessThan(fireAt);
    worker.kill('SIGKILL');
    await exitOf(worker);

    // Nobody runs at the reminder's moment.
    await new Promise((r) => setTimeout(r, Math.max(0, fireAt + 1000 - Date.now())));
    expect(titles().filter((t) => t.startsWith('Reminder'))).toEqual([]);
    worker = startWorkerProcess(harness, env);
    await expect
      .poll(() => titles().filter((t) => t.startsWith('Reminder')).length, { timeout: 30_000 })
      .toBe(1);
    await waitForIdleQueues(harness.admin);
    expect(titles().filter((t) => t.startsWith('Reminder'))).toHaveLength(1);
    expect(titles().filter((t) => t.startsWith('Chargeback'))).toHaveLength(1);
  } finally {
    await queue.close();
  }
}, 90_000);
