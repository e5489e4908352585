import type { Job, Queue } from 'bullmq';
import { Hono } from 'hono';
import type { DeliveryRecord } from '../../alerts/alert-store.js';
import { formatDateTime, humanize } from '../../alerts/wording.js';
import { type DoctorReport, formatDoctorReport } from '../../doctor/doctor-report.js';
import { HttpError } from '../../errors/http-error.js';
import { SWEEP_QUEUE } from '../../reconcile/sweep-queue.js';
import { CASE_EVENTS_STREAM, deadLetterStream, INBOX_STREAM } from '../../redis/keys.js';
import { evictionProblem, inspectRedis, type RedisInspection } from '../../redis/redis-checks.js';
import { Badge, CsrfField, Layout, Notice, type Tone } from '../components/layout.js';
import { DeliveryTable, nums, TableHead } from '../components/table.js';
import type { DashboardContext, DashboardEnv } from '../dashboard-deps.js';
import { QUEUE_BOARD_PATH } from '../queue-board.js';
import { render } from '../render.js';

const COUNTED = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;
/** Failed jobs listed per queue (the queue UI has them all). */
const FAILED_SHOWN = 5;

interface QueueHealth {
  name: string;
  counts: Partial<Record<(typeof COUNTED)[number], number>> | null;
  failed: { id: string; name: string; reason: string; attempts: number; at: string | null }[];
  error: string | null;
}

interface SweepHealth {
  at: string | null;
  result: Record<string, unknown> | null;
  lastFailure: { at: string | null; reason: string } | null;
  error: string | null;
}

interface HealthData {
  queues: QueueHealth[];
  sweep: SweepHealth;
  redis: RedisInspection;
  deadLetters: { stream: string; entries: number | null }[];
  failedAlerts: DeliveryRecord[] | null;
  uncertainAlerts: DeliveryRecord[] | null;
  /** undefined: no doctor on this page; null: never run (or could not be read). */
  doctor: { last: DoctorReport | null; error: string | null } | undefined;
}

const when = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function queueHealth(queue: Queue): Promise<QueueHealth> {
  try {
    const [counts, failed] = await Promise.all([
      queue.getJobCounts(...COUNTED),
      queue.getFailed(0, FAILED_SHOWN - 1),
    ]);
    return {
      name: queue.name,
      counts,
      failed: failed.filter(Boolean).map((j: Job) => ({
        id: String(j.id),
        name: j.name,
        reason: j.failedReason ?? '',
        attempts: j.attemptsMade,
        at: when(j.finishedOn),
      })),
      error: null,
    };
  } catch (err) {
    return { name: queue.name, counts: null, failed: [], error: message(err) };
  }
}

/** The last finished sweep: its job's return value is the sweep's report (counts). */
async function sweepHealth(queues: readonly Queue[]): Promise<SweepHealth> {
  const queue = queues.find((q) => q.name === SWEEP_QUEUE);
  if (!queue) return { at: null, result: null, lastFailure: null, error: 'no sweep queue' };
  try {
    const [[done], [failed]] = await Promise.all([queue.getCompleted(0, 0), queue.getFailed(0, 0)]);
    return {
      at: when(done?.finishedOn),
      result: (done?.returnvalue as Record<string, unknown> | undefined) ?? null,
      lastFailure: failed ? { at: when(failed.finishedOn), reason: failed.failedReason ?? '' } : null,
      error: null,
    };
  } catch (err) {
    return { at: null, result: null, lastFailure: null, error: message(err) };
  }
}

async function loadHealth(ctx: DashboardContext): Promise<HealthData> {
  const streams = [deadLetterStream(INBOX_STREAM), deadLetterStream(CASE_EVENTS_STREAM)];
  const [queues, sweep, redis, deadLetters, failedAlerts, uncertainAlerts, doctor] = await Promise.all([
    Promise.all(ctx.queues.map(queueHealth)),
    sweepHealth(ctx.queues),
    inspectRedis(ctx.redis),
    Promise.all(
      streams.map(async (stream) => ({ stream, entries: await ctx.redis.xlen(stream).catch(() => null) })),
    ),
    ctx.alerts.recent('failed', 20).catch(() => null),
    ctx.alerts.recent('uncertain', 20).catch(() => null),
    ctx.doctor?.store.last().then(
      (last) => ({ last, error: null }),
      (err) => ({ last: null, error: message(err) }),
    ),
  ]);
  return { queues, sweep, redis, deadLetters, failedAlerts, uncertainAlerts, doctor };
}

const mb = (bytes: number | null) => (bytes === null ? 'unknown' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

function Queues(props: { queues: QueueHealth[] }) {
  return (
    <section aria-labelledby="queues-h">
      <h2 id="queues-h">Queues</h2>
      <div class="table-wrap">
        <table>
          <caption>
            Jobs per queue. Details, retries and stack traces: <a href={QUEUE_BOARD_PATH}>the queue UI</a>.
          </caption>
          <TableHead columns={['Queue', ...nums(...COUNTED.map(humanize))]} />
          <tbody>
            {props.queues.map((q) => (
              <tr>
                <th scope="row">{q.name}</th>
                {q.counts ? (
                  COUNTED.map((k) => (
                    <td class={`num${k === 'failed' && (q.counts?.[k] ?? 0) > 0 ? ' due-urgent' : ''}`}>
                      {q.counts?.[k] ?? 0}
                    </td>
                  ))
                ) : (
                  <td colspan={COUNTED.length} class="due-urgent">
                    Could not read: {q.error}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.queues
        .filter((q) => q.failed.length > 0)
        .map((q) => (
          <div class="table-wrap">
            <table>
              <caption>Latest failed jobs in {q.name}</caption>
              <TableHead columns={['Job', 'Failed', ...nums('Attempts'), 'Reason']} />
              <tbody>
                {q.failed.map((j) => (
                  <tr>
                    <th scope="row">
                      {j.name} <div class="small mono">{j.id}</div>
                    </th>
                    <td>{j.at ? formatDateTime(j.at) : '—'}</td>
                    <td class="num">{j.attempts}</td>
                    <td class="small">{j.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function HealthPage(props: { csrf: string; d: HealthData }) {
  const { d } = props;
  const problem = d.redis.reachable ? evictionProblem(d.redis.evictionPolicy) : null;
  const sweep = d.sweep;
  return (
    <Layout title="Health" nav="health" csrf={props.csrf}>
      <h1>Health</h1>
      <Queues queues={d.queues} />
      <div class="grid2">
        <section aria-labelledby="sweep-h" class="card">
          <h2 id="sweep-h">Last sweep</h2>
          {sweep.error && <Notice kind="error">Could not read: {sweep.error}</Notice>}
          {sweep.at ? (
            <dl class="facts">
              <dt>Finished</dt>
              <dd>{formatDateTime(sweep.at)}</dd>
              {Object.entries(sweep.result ?? {}).map(([k, v]) => (
                <>
                  <dt>{humanize(k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`))}</dt>
                  <dd>{String(v)}</dd>
                </>
              ))}
            </dl>
          ) : (
            !sweep.error && <p class="muted">No sweep has finished yet.</p>
          )}
          {sweep.lastFailure && (
            <p class="small due-urgent">
              Last failed sweep {sweep.lastFailure.at ? formatDateTime(sweep.lastFailure.at) : ''}:{' '}
              {sweep.lastFailure.reason}
            </p>
          )}
          <p class="small muted">Recovered: changes webhooks never brought, found by listing Whop.</p>
        </section>
        <section aria-labelledby="redis-h" class="card">
          <h2 id="redis-h">Redis</h2>
          <dl class="facts">
            <dt>Reachable</dt>
            <dd>{d.redis.reachable ? <Badge tone="done">yes</Badge> : <Badge tone="bad">no</Badge>}</dd>
            <dt>Takes writes</dt>
            <dd>{d.redis.writable ? <Badge tone="done">yes</Badge> : <Badge tone="bad">no</Badge>}</dd>
            <dt>Eviction policy</dt>
            <dd>
              {d.redis.evictionPolicy ?? 'unknown'}{' '}
              {problem ? <Badge tone="bad">unsafe</Badge> : <Badge tone="done">safe</Badge>}
            </dd>
            <dt>Memory used</dt>
            <dd>
              {mb(d.redis.usedMemoryBytes)} of{' '}
              {d.redis.maxMemoryBytes ? mb(d.redis.maxMemoryBytes) : 'no limit'}
            </dd>
            <dt>Version</dt>
            <dd>{d.redis.version ?? 'unknown'}</dd>
          </dl>
          {problem && <Notice kind="error">{problem}</Notice>}
          {d.redis.error && <Notice kind="error">{d.redis.error}</Notice>}
          <h3>Dead letters</h3>
          <ul>
            {d.deadLetters.map((s) => (
              <li>
                <span class="mono">{s.stream}</span>: {s.entries === null ? 'unknown' : s.entries}
                {s.entries ? ' (entries a relay could not turn into jobs: look at them)' : ''}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="alerts-h">
        <h2 id="alerts-h">Alert deliveries that failed or are uncertain</h2>
        <p class="small muted">
          Failed: the channel refused it or never answered, after every retry. Uncertain: it may have arrived
          (the answer was lost, or a worker stopped mid-send), so it was not sent again: check the channel.
        </p>
        {d.failedAlerts === null || d.uncertainAlerts === null ? (
          <Notice kind="error">Could not read the delivery log.</Notice>
        ) : d.failedAlerts.length + d.uncertainAlerts.length === 0 ? (
          <p class="muted">None among the last 1,000 of each.</p>
        ) : (
          <DeliveryTable
            rows={[
              ...d.failedAlerts.map((a) => ({ ...a, failed: true })),
              ...d.uncertainAlerts.map((a) => ({ ...a, failed: false, uncertain: true })),
            ]}
          />
        )}
      </section>
      <Doctor csrf={props.csrf} doctor={d.doctor} />
    </Layout>
  );
}

const DOCTOR_TONE: Record<DoctorReport['features'][number]['status'], Tone> = {
  ok: 'done',
  degraded: 'warn',
  missing: 'bad',
  unchecked: 'bad',
};

/** The last `doctor` report and a button to run it again (it calls Whop: never on a page load). */
function Doctor(props: { csrf: string; doctor: HealthData['doctor'] }) {
  const last = props.doctor?.last ?? null;
  return (
    <section aria-labelledby="doctor-h">
      <h2 id="doctor-h">Doctor</h2>
      <p class="small muted">
        Probes every permission the API key needs with a harmless Whop call per method, and checks Redis (the
        same as <span class="mono">npm run cli -- doctor</span>).
      </p>
      {!props.doctor ? (
        <p class="muted">Not available here: run npm run cli -- doctor.</p>
      ) : (
        <>
          {props.doctor.error && (
            <Notice kind="error">Could not read the last report: {props.doctor.error}</Notice>
          )}
          {last ? (
            <>
              <p>
                Last run {formatDateTime(last.checkedAt)}:{' '}
                {last.ok ? <Badge tone="done">ready</Badge> : <Badge tone="bad">not ready</Badge>}
              </p>
              <div class="table-wrap">
                <table>
                  <TableHead columns={['Feature', 'Verdict', 'Missing']} />
                  <tbody>
                    {last.features.map((f) => (
                      <tr>
                        <th scope="row">{f.label}</th>
                        <td>
                          <Badge tone={DOCTOR_TONE[f.status]}>{humanize(f.status)}</Badge>
                        </td>
                        <td class="small">{[...f.missing, ...f.degradedWithout].join(', ') || '—'}</td>
                      </tr>
                    ))}
                    <tr>
                      <th scope="row">Redis</th>
                      <td>
                        <Badge tone={last.redis.status === 'ok' ? 'done' : 'bad'}>
                          {humanize(last.redis.status)}
                        </Badge>
                      </td>
                      <td class="small">{last.redis.problems.join('; ') || '—'}</td>
                    </tr>
                  </tbody>
                </table>
              </div>
              <details>
                <summary>The full report</summary>
                <pre class="small">{formatDoctorReport(last)}</pre>
              </details>
            </>
          ) : (
            !props.doctor.error && <p class="muted">Not run from here yet.</p>
          )}
          <form method="post" action="/health/doctor">
            <CsrfField token={props.csrf} />
            <button type="submit">Run doctor now</button>
          </form>
        </>
      )}
    </section>
  );
}

/**
 * `GET /health`: the operator's page. Each part reads on its own, so one failure shows as that part's
 * error. `POST /health/doctor` (CSRF-checked like every form) runs `doctor`, keeps its report and shows
 * the page again.
 */
export function healthRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();
  app.get('/health', async (c) => {
    return render(c, <HealthPage csrf={c.get('session').csrfToken} d={await loadHealth(ctx)} />);
  });
  app.post('/health/doctor', async (c) => {
    if (!ctx.doctor)
      throw new HttpError('not_found', 'Doctor is not available here: run npm run cli -- doctor.');
    await ctx.doctor.store.save(await ctx.doctor.run());
    return c.redirect('/health#doctor-h', 303);
  });
  return app;
}
