import { Hono } from 'hono';
import type { DeliveryRecord } from '../../alerts/alert-store.js';
import { formatDateTime, humanize } from '../../alerts/wording.js';
import { AWAITING_MERCHANT, type CaseRecord } from '../../cases/case-record.js';
import { customerEmail } from '../../cases/customer-email.js';
import { HttpError } from '../../errors/http-error.js';
import { renderAccessLogPdf } from '../../evidence/access-log-pdf.js';
import type { CaseBrief } from '../../evidence/case-brief.js';
import type { EvidenceState } from '../../evidence/evidence-store.js';
import { Badge, Layout, Notice } from '../components/layout.js';
import { DeliveryTable, TableHead } from '../components/table.js';
import type { DashboardContext, DashboardEnv } from '../dashboard-deps.js';
import { render } from '../render.js';
import { caseLabel, statusLabel } from '../view/case-labels.js';
import {
  alertsForCase,
  type EvidenceFieldRow,
  evidenceRows,
  refundBlocker,
  submitBlocker,
  type TimelineRow,
  timelineRows,
} from '../view/case-view.js';
import { caseStrength, evidenceStatus } from '../view/evidence-status.js';
import { amountOf, dueOf, nextReminder } from '../view/home-rows.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export const caseHref = (id: string) => `/cases/${encodeURIComponent(id)}`;

/** Notices after an action redirected back here (`?done=`). */
const DONE: Record<string, string> = {
  submit: 'Submission queued: the evidence worker submits it within moments. Reload to see it submitted.',
  refund:
    'Refunded through Whop. The refund shows on the payment in Whop, and its webhook updates this page.',
};

interface CaseData {
  record: CaseRecord;
  timeline: TimelineRow[];
  evidence: EvidenceState | undefined;
  brief: (Partial<CaseBrief> & { builtAt?: string }) | undefined;
  sent: DeliveryRecord[];
  failed: DeliveryRecord[];
  /** Deliveries that may have arrived and were not sent again. */
  uncertain: DeliveryRecord[];
  refundDecisions: Record<string, unknown>[] | null;
  now: Date;
  reminderOffsetsMs: readonly number[];
}

function Facts(props: { d: CaseData }) {
  const { record: r, evidence, now } = props.d;
  const due = dueOf(r.dueAt, now, AWAITING_MERCHANT[r.kind].has(r.status));
  const strength = caseStrength(evidence);
  const product = str(obj(r.whop.product)?.title);
  const email = customerEmail(r);
  const reminder = nextReminder(r, props.d.reminderOffsetsMs, now);
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd>
        <Badge tone={r.open ? 'info' : 'muted'}>{statusLabel(r.status)}</Badge>{' '}
        <span class="small muted">({r.status})</span>
      </dd>
      <dt>Respond by</dt>
      <dd>
        {due.at}
        {due.left && (
          <>
            {' '}
            <span class={`due-${due.tone}`}>({due.left})</span>
          </>
        )}
      </dd>
      <dt>Amount</dt>
      <dd>{amountOf(r)}</dd>
      {r.reason && (
        <>
          <dt>Reason</dt>
          <dd>{r.kind === 'dispute' ? r.reason : humanize(r.reason)}</dd>
        </>
      )}
      {strength && (
        <>
          <dt>Case strength</dt>
          <dd>
            <Badge tone={strength.tone}>{strength.label}</Badge>
            {strength.recommendation && <p class="small">{strength.recommendation}</p>}
            {strength.reasons.length > 0 && (
              <ul class="small">
                {strength.reasons.map((r) => (
                  <li>{r}</li>
                ))}
              </ul>
            )}
            {strength.strengthen.length > 0 && (
              <p class="small muted">To strengthen it: {strength.strengthen.join(' ')}</p>
            )}
          </dd>
        </>
      )}
      {product && (
        <>
          <dt>Product</dt>
          <dd>{product}</dd>
        </>
      )}
      {email && (
        <>
          <dt>Customer</dt>
          <dd>{email}</dd>
        </>
      )}
      <dt>Company</dt>
      <dd class="mono">{r.companyId ?? '—'}</dd>
      <dt>Payment</dt>
      <dd class="mono">{r.paymentId ?? '—'}</dd>
      <dt>Next reminder</dt>
      <dd>{reminder ?? '—'}</dd>
      <dt>Last read from Whop</dt>
      <dd>
        {formatDateTime(r.observedAt)} <span class="small muted">({r.lastSource})</span>
      </dd>
    </dl>
  );
}

function Actions(props: { d: CaseData }) {
  const { record, evidence } = props.d;
  const submitWhy = submitBlocker(record, evidence, props.d.now);
  const refundWhy = refundBlocker(record);
  return (
    <section aria-labelledby="actions-h" class="card">
      <h2 id="actions-h">Actions</h2>
      <div class="actions-row">
        {record.kind === 'dispute' &&
          (submitWhy ? (
            <span class="muted">Submit evidence now: {submitWhy}</span>
          ) : (
            <a class="button" href={`${caseHref(record.id)}/submit`}>
              Submit evidence now
            </a>
          ))}
        {refundWhy ? (
          <span class="muted">Refund: {refundWhy}</span>
        ) : (
          <a class="button danger" href={`${caseHref(record.id)}/refund`}>
            Refund
          </a>
        )}
      </div>
      <p class="small muted">Each action asks you to confirm first.</p>
    </section>
  );
}

function Timeline(props: { rows: TimelineRow[] }) {
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">Timeline</h2>
      {props.rows.length === 0 ? (
        <p class="muted">No changes recorded.</p>
      ) : (
        <ol class="timeline card">
          {props.rows.map((t) => (
            <li>
              <time>{t.at}</time> <span class="small muted">· {t.source}</span>
              <ul>
                {t.changes.map((ch) => (
                  <li class="small">{ch}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Cell(props: { label: string; value: string | null; changed?: boolean; owned?: boolean }) {
  const cls = props.owned ? 'owned' : props.changed ? 'changed' : undefined;
  return (
    <td class={cls} data-label={props.label}>
      {props.value ?? <span class="muted">—</span>}
    </td>
  );
}

function Evidence(props: { d: CaseData; rows: EvidenceFieldRow[] }) {
  const { record, evidence } = props.d;
  const status = evidenceStatus(evidence, record.status);
  const submitted = Boolean(evidence?.submission.submittedAt);
  const pdfHref = `${caseHref(record.id)}/access-log.pdf`;
  const whopFile = str(obj(record.whop.uncategorized_attachment)?.url);
  return (
    <section aria-labelledby="evidence-h">
      <h2 id="evidence-h">Evidence</h2>
      <div class="card">
        <p>
          <Badge tone={status.tone}>{status.label}</Badge>
        </p>
        {status.error && <Notice kind="error">Last submission attempt failed: {status.error}</Notice>}
        <h3>Access log</h3>
        {evidence?.draft ? (
          <p>
            {evidence.draft.accessEvents} access event{evidence.draft.accessEvents === 1 ? '' : 's'} from your
            log went into the draft of {formatDateTime(evidence.draft.builtAt)} (argument:{' '}
            {humanize(evidence.draft.category)}).
          </p>
        ) : (
          <p class="muted">No draft yet.</p>
        )}
        {evidence?.draft?.fields.access_activity_log && (
          <details>
            <summary>Access-log summary as drafted</summary>
            <p class="small">{evidence.draft.fields.access_activity_log}</p>
          </details>
        )}
        <p>
          <a href={pdfHref}>Access-log PDF (built now from your access events)</a>
          {whopFile && (
            <>
              {' · '}
              <a href={whopFile} rel="noreferrer">
                The PDF attached in Whop
              </a>
            </>
          )}
        </p>
      </div>
      {props.rows.length > 0 ? (
        <div class="table-wrap evidence stack">
          <table>
            <caption>
              The draft beside what is staged in Whop{submitted ? ' and what was submitted' : ''}.
              Highlighted: a draft value that differs from what is staged; blue: a field you wrote in Whop,
              which the autopilot leaves alone.
            </caption>
            <TableHead columns={['Field', 'Draft', 'Staged in Whop', 'Submitted']} />
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <th scope="row">
                    <strong>{row.label}</strong>
                    {row.merchantEdited && <div class="small">written by you in Whop</div>}
                    {row.draftChanged && <div class="small">draft changed</div>}
                  </th>
                  <Cell label="Draft" value={row.draft} changed={row.draftChanged} />
                  <Cell label="Staged in Whop" value={row.staged} owned={row.merchantEdited} />
                  {submitted ? (
                    <Cell label="Submitted" value={row.submitted} owned={row.merchantEdited} />
                  ) : (
                    <td class="muted" data-label="Submitted">
                      Not submitted yet
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted">No evidence fields yet.</p>
      )}
    </section>
  );
}

function Brief(props: { brief: CaseData['brief'] }) {
  const b = props.brief;
  return (
    <section aria-labelledby="brief-h">
      <h2 id="brief-h">Case brief</h2>
      {!b ? (
        <p class="muted">No brief yet: it is written when the case awaits you.</p>
      ) : (
        <div class="card">
          {b.suggestion && (
            <p>
              Suggestion:{' '}
              <Badge tone={b.suggestion === 'deny' ? 'done' : 'warn'}>{humanize(b.suggestion)}</Badge>
            </p>
          )}
          {b.reasons && b.reasons.length > 0 && (
            <ul>
              {b.reasons.map((r) => (
                <li>{r}</li>
              ))}
            </ul>
          )}
          {b.text && (
            <details>
              <summary>The brief as sent</summary>
              <p class="small">{b.text}</p>
            </details>
          )}
          {b.builtAt && <p class="small muted">Written {formatDateTime(b.builtAt)}.</p>}
        </div>
      )}
    </section>
  );
}

function Deliveries(props: {
  sent: DeliveryRecord[];
  failed: DeliveryRecord[];
  uncertain: DeliveryRecord[];
}) {
  const rows = [
    ...props.sent.map((r) => ({ ...r, failed: false })),
    ...props.failed.map((r) => ({ ...r, failed: true })),
    ...props.uncertain.map((r) => ({ ...r, failed: false, uncertain: true })),
  ];
  return (
    <section aria-labelledby="alerts-h">
      <h2 id="alerts-h">Alerts sent</h2>
      {rows.length === 0 ? (
        <p class="muted">No alert about this item among the last 1,000 deliveries.</p>
      ) : (
        <DeliveryTable rows={rows} />
      )}
    </section>
  );
}

function RefundDecisions(props: { decisions: Record<string, unknown>[] }) {
  return (
    <section aria-labelledby="refunds-h">
      <h2 id="refunds-h">Auto-refund decisions</h2>
      {props.decisions.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        props.decisions.map((d) => (
          <dl class="facts card">
            {Object.entries(d).map(([k, v]) => (
              <>
                <dt>{humanize(k)}</dt>
                <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
              </>
            ))}
          </dl>
        ))
      )}
    </section>
  );
}

function CasePage(props: { csrf: string; d: CaseData; done: string | undefined }) {
  const { d } = props;
  const r = d.record;
  return (
    <Layout title={`${caseLabel(r)} ${r.id}`} nav="home" csrf={props.csrf}>
      <p class="small">
        <a href="/">← What needs you</a>
      </p>
      <h1>
        {caseLabel(r)} <span class="mono">{r.id}</span>
      </h1>
      {props.done && DONE[props.done] && <Notice kind="ok">{DONE[props.done]}</Notice>}
      <div class="grid2">
        <section class="card" aria-label="Facts">
          <Facts d={d} />
        </section>
        <Actions d={d} />
      </div>
      {r.kind === 'dispute' && <Evidence d={d} rows={evidenceRows(d.evidence, r.whop)} />}
      {r.kind === 'resolution_case' && <Brief brief={d.brief} />}
      {d.refundDecisions && <RefundDecisions decisions={d.refundDecisions} />}
      <Deliveries sent={d.sent} failed={d.failed} uncertain={d.uncertain} />
      <Timeline rows={d.timeline} />
    </Layout>
  );
}

/** `GET /cases/:id` (the page) and `GET /cases/:id/access-log.pdf`. Throws HttpError `not_found`. */
export function caseRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();

  app.get('/cases/:id', async (c) => {
    const id = c.req.param('id');
    const record = await ctx.store.get(id);
    if (!record) throw new HttpError('not_found', `No dispute, inquiry or case with id ${id}.`);
    const [timeline, evidence, brief, sent, failed, uncertain, refundDecisions] = await Promise.all([
      ctx.store.timeline(id),
      record.kind === 'dispute' ? ctx.evidence.get(id) : undefined,
      record.kind === 'resolution_case' ? ctx.evidence.getBrief(id) : undefined,
      ctx.alerts.recent('sent', 1000),
      ctx.alerts.recent('failed', 1000),
      ctx.alerts.recent('uncertain', 1000),
      ctx.refundDecisions ? ctx.refundDecisions(id) : null,
    ]);
    const data: CaseData = {
      record,
      timeline: timelineRows(timeline),
      evidence,
      brief: brief as CaseData['brief'],
      sent: alertsForCase(sent, id),
      failed: alertsForCase(failed, id),
      uncertain: alertsForCase(uncertain, id),
      refundDecisions,
      now: ctx.now(),
      reminderOffsetsMs: ctx.reminderOffsetsMs,
    };
    return render(c, <CasePage csrf={c.get('session').csrfToken} d={data} done={c.req.query('done')} />);
  });

  app.get('/cases/:id/access-log.pdf', async (c) => {
    const id = c.req.param('id');
    const record = await ctx.store.get(id);
    if (!record) throw new HttpError('not_found', `No dispute, inquiry or case with id ${id}.`);
    const payment = obj(record.whop.payment);
    const user = obj(payment?.user);
    const events = await ctx.accessEvents.forCustomer({
      userId: record.userId,
      membershipId: str(obj(payment?.membership)?.id),
      email: customerEmail(record),
    });
    const company = obj(record.whop.company);
    const pdf = await renderAccessLogPdf({
      disputeId: record.id,
      merchant: str(company?.title) ?? record.companyId ?? 'the merchant',
      customer:
        [user?.name, user?.username, user?.email, record.userId]
          .filter((x) => typeof x === 'string' && x)
          .join(', ') || 'unknown customer',
      purchasedAt: str(payment?.paid_at) ?? str(payment?.created_at),
      events,
      generatedAt: ctx.now(),
    });
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', `inline; filename="access-log-${record.id.replace(/[^\w-]/g, '_')}.pdf"`);
    c.header('Cache-Control', 'no-store');
    return c.body(new Uint8Array(pdf));
  });

  return app;
}
