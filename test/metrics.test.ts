/**
 * `GET /metrics`: the whole service against the simulator (one process's registry, as with role `all`),
 * read with a strict Prometheus text-format parser; each new series moves when its thing happens.
 * Also METRICS_TOKEN, a worker's own metrics port, and a scrape against a Redis that never answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMetricsServer } from '../src/http/metrics-server.js';
import { createLogger } from '../src/logger/logger.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { registerQueueGauges } from '../src/metrics/queue-gauges.js';
import { SWEEP_QUEUE } from '../src/reconcile/sweep-queue.js';
import { buildIntake } from './support/intake.js';
import { type MetricFamily, parsePrometheusText, sampleValue } from './support/prometheus-text.js';
import { freePort } from './support/redis-server.js';
import { HARNESS_ADMIN_TOKEN, type ServiceHarness, startServiceHarness } from './support/service-harness.js';
import { exitOf, startWorkerProcess } from './support/worker-process.js';

const QUEUES = ['whop-events', 'evidence', 'refunds', 'alerts', 'sweeps'];

async function scrape(
  app: { request: ServiceHarness['app']['request'] },
  headers: Record<string, string> = {},
) {
  const res = await app.request('/metrics', { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

/** A counter's or gauge's value, 0 when the series does not exist yet. */
const value = (f: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}) =>
  sampleValue(f, name, labels) ?? 0;

/** Every label value of every series: what must stay a bounded set (no raw ids). */
const labelValues = (f: Map<string, MetricFamily>) =>
  [...f.values()].flatMap((m) => m.samples.flatMap((s) => Object.values(s.labels)));

describe('GET /metrics with the whole service', () => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await startServiceHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('parses, and has every queue’s depth per state read from Redis', async () => {
    const f = await scrape(h.app);
    expect(f.get('dispute_autopilot_queue_jobs')!.type).toBe('gauge');
    for (const queue of QUEUES) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(
          sampleValue(f, 'dispute_autopilot_queue_jobs', { queue, state }),
          `${queue} ${state}`,
        ).toBeTypeOf('number');
      }
    }
    expect(sampleValue(f, 'dispute_autopilot_queue_read_success')).toBe(1);
    for (const name of [
      'dispute_autopilot_job_duration_seconds',
      'dispute_autopilot_whop_request_duration_seconds',
    ]) {
      expect(f.get(name)?.type, name).toBe('histogram');
    }
    for (const name of [
      'dispute_autopilot_whop_requests_total',
      'dispute_autopilot_alert_deliveries_total',
      'dispute_autopilot_sweep_recovered_total',
      'dispute_autopilot_refunds_total',
    ]) {
      expect(f.get(name)?.type, name).toBe('counter');
    }
  });

  it('a webhook reconciled: Whop calls counted by route template, jobs timed, the alert delivered, reminders pending', async () => {
    const before = await scrape(h.app);
    const payment = h.sim.createPayment({ total: 80 });
    const dispute = h.sim.openDispute({ paymentId: payment.id });
    await h.settle();
    // The new-dispute alert goes to the log (no channel configured): delivered, counted.
    await expect
      .poll(
        async () =>
          value(await scrape(h.app), 'dispute_autopilot_alert_deliveries_total', {
            channel: 'log',
            outcome: 'sent',
          }),
        {
          timeout: 15_000,
        },
      )
      .toBeGreaterThan(
        value(before, 'dispute_autopilot_alert_deliveries_total', { channel: 'log', outcome: 'sent' }),
      );
    const after = await scrape(h.app);

    const route = { route: 'GET /disputes/:id', status: '200' };
    expect(value(after, 'dispute_autopilot_whop_requests_total', route)).toBeGreaterThan(
      value(before, 'dispute_autopilot_whop_requests_total', route),
    );
    expect(
      value(after, 'dispute_autopilot_whop_request_duration_seconds_count', { route: 'GET /disputes/:id' }),
    ).toBeGreaterThan(0);
    const done = { queue: 'whop-events', outcome: 'completed' };
    expect(value(after, 'dispute_autopilot_job_duration_seconds_count', done)).toBeGreaterThan(
      value(before, 'dispute_autopilot_job_duration_seconds_count', done),
    );
    // Due in 7 days: a reminder at each of 72 h, 24 h and 6 h before, all delayed jobs.
    await expect
      .poll(async () => value(await scrape(h.app), 'dispute_autopilot_reminders_pending'), {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(value(before, 'dispute_autopilot_reminders_pending') + 3);
    // No label carries an id: not the dispute's, not the payment's.
    const labels = labelValues(after);
    expect(labels.filter((v) => v.includes(dispute.id) || v.includes(payment.id))).toEqual([]);
    expect(labels.filter((v) => /\b(dp|pay|biz|user|mem)_[A-Za-z0-9]/.test(v))).toEqual([]);
  });

  it('a refund counted by outcome', async () => {
    const before = await scrape(h.app);
    const payment = h.sim.createPayment({ total: 12 });
    const res = await h.app.request(`/api/payments/${payment.id}/refund`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HARNESS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const after = await scrape(h.app);
    const refunded = { outcome: 'refunded' };
    expect(value(after, 'dispute_autopilot_refunds_total', refunded)).toBe(
      value(before, 'dispute_autopilot_refunds_total', refunded) + 1,
    );
    expect(
      value(after, 'dispute_autopilot_whop_requests_total', {
        route: 'POST /payments/:id/refund',
        status: '200',
      }),
    ).toBe(
      value(before, 'dispute_autopilot_whop_requests_total', {
        route: 'POST /payments/:id/refund',
        status: '200',
      }) + 1,
    );
  });

  it('a sweep that recovers what Whop never delivered counts it, and its run is timed', async () => {
    const before = await scrape(h.app);
    const payment = h.sim.createPayment({ total: 33 });
    h.sim.openDispute({ paymentId: payment.id }, { webhook: false });
    const sweeps = new Queue(SWEEP_QUEUE, { connection: h.admin });
    await sweeps.add('sweep', {});
    await sweeps.close();
    await expect
      .poll(async () => value(await scrape(h.app), 'dispute_autopilot_sweep_recovered_total'), {
        timeout: 20_000,
      })
      .toBe(value(before, 'dispute_autopilot_sweep_recovered_total') + 1);
    // The recovery is counted as the sweep goes; its run is timed when the job completes, a moment later.
    const sweepRuns = async (m: Awaited<ReturnType<typeof scrape>>) =>
      value(m, 'dispute_autopilot_job_duration_seconds_count', { queue: 'sweeps', outcome: 'completed' });
    const runsBefore = await sweepRuns(before);
    await expect
      .poll(async () => sweepRuns(await scrape(h.app)), { timeout: 20_000 })
      .toBeGreaterThan(runsBefore);
  });
});

describe('METRICS_TOKEN and a worker process’s METRICS_PORT', () => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await startServiceHarness({ workers: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when set, a scrape needs the bearer token; otherwise 401 through the one error answer', async () => {
    const intake = await buildIntake(h.redisUrl, { env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
    try {
      const none = await intake.app.request('/metrics');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      const wrong = await intake.app.request('/metrics', {
        headers: { authorization: 'Bearer not-the-token-0000' },
      });
      expect(wrong.status).toBe(401);
      const f = await scrape(intake.app, { authorization: 'Bearer metrics-token-0123456789' });
      expect(sampleValue(f, 'dispute_autopilot_queue_read_success')).toBe(1);
    } finally {
      await intake.close();
    }
  });

  it('`npm run start:worker` with METRICS_PORT serves what its workers record, and stops with the process', async () => {
    const port = await freePort();
    const worker = startWorkerProcess(h, {
      METRICS_PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_TOKEN: 'metrics-token-0123456789',
    });
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      const auth = { authorization: 'Bearer metrics-token-0123456789' };
      // Its start-up sweep runs in this process: its duration is in this process's metrics.
      const sweeps = { queue: 'sweeps', outcome: 'completed' };
      await expect
        .poll(
          async () => {
            const res = await fetch(url, { headers: auth }).catch(() => null);
            if (res?.status !== 200) return 0;
            return (
              sampleValue(
                parsePrometheusText(await res.text()),
                'dispute_autopilot_job_duration_seconds_count',
                sweeps,
              ) ?? 0
            );
          },
          { timeout: 30_000, interval: 200 },
        )
        .toBeGreaterThanOrEqual(1);
      expect((await fetch(url)).status).toBe(401);
    } finally {
      worker.kill('SIGTERM');
      expect(await exitOf(worker)).toBeNull();
    }
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('a worker process’s own metrics port serves its registry behind the same token', async () => {
    const metrics = createMetrics();
    metrics.jobSeconds.observe({ queue: 'evidence', outcome: 'completed' }, 0.2);
    const server = await startMetricsServer(
      metrics,
      { host: '127.0.0.1', metricsPort: 0, metricsToken: 'metrics-token-0123456789' },
      createLogger('silent'),
    );
    try {
      const url = `http://127.0.0.1:${server.port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      const res = await fetch(url, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
      const f = parsePrometheusText(await res.text());
      expect(
        sampleValue(f, 'dispute_autopilot_job_duration_seconds_count', {
          queue: 'evidence',
          outcome: 'completed',
        }),
      ).toBe(1);
      // Queue depths are the server's: a worker never reports them (they would be counted once per process).
      expect(f.has('dispute_autopilot_queue_jobs')).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('a scrape while Redis does not answer', () => {
  let silent: Server;
  let port = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never says a word: a Redis that hangs.
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((done) => silent.close(done));
  });

  it('answers within the timeout, with the depths left out and read_success 0', async () => {
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: null });
    redis.on('error', () => {});
    void redis.connect().catch(() => {});
    const queue = new Queue('alerts', { connection: redis });
    queue.on('error', () => {});
    const metrics = createMetrics();
    registerQueueGauges(metrics, [queue], redis, { timeoutMs: 300 });
    // A scrape that waited on Redis would never return (the test's timeout would fail it).
    const f = parsePrometheusText(await metrics.registry.metrics());
    expect(sampleValue(f, 'dispute_autopilot_queue_read_success')).toBe(0);
    expect(f.get('dispute_autopilot_queue_jobs')!.samples).toEqual([]);
    expect(sampleValue(f, 'dispute_autopilot_reminders_pending')).toBeNaN();
    redis.disconnect();
    await queue.close().catch(() => {});
  });
});
