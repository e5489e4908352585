import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { CaseRecord } from '../../cases/case-record.js';
import { HttpError } from '../../errors/http-error.js';
import { queueSubmissionNow } from '../../evidence/evidence-queue.js';
import { requestRefund } from '../../refunds/request-refund.js';
import { CsrfField, Layout } from '../components/layout.js';
import type { DashboardContext, DashboardEnv } from '../dashboard-deps.js';
import { render } from '../render.js';
import { caseLabel } from '../view/case-labels.js';
import { refundBlocker, submitBlocker } from '../view/case-view.js';
import { amountOf } from '../view/home-rows.js';
import { caseHref } from './case.js';

/**
 * An action's confirmation step as a page of its own (the CSP allows no script, so no `confirm()`):
 * what will happen, a button that posts the form with the session's CSRF token, and a way back.
 */
function ConfirmPage(props: {
  csrf: string;
  record: CaseRecord;
  title: string;
  action: string;
  button: string;
  danger?: boolean;
  children?: Child;
}) {
  const r = props.record;
  return (
    <Layout title={props.title} nav="home" csrf={props.csrf}>
      <h1>{props.title}</h1>
      <div class="card">
        <p>
          {caseLabel(r)} <span class="mono">{r.id}</span>, {amountOf(r)}
          {r.reason ? `, ${r.reason}` : ''}.
        </p>
        {props.children}
        <form method="post" action={props.action} class="actions-row">
          <CsrfField token={props.csrf} />
          <button type="submit" class={props.danger ? 'danger' : undefined}>
            {props.button}
          </button>
          <a href={caseHref(r.id)}>Cancel</a>
        </form>
      </div>
    </Layout>
  );
}

async function recordOrThrow(ctx: DashboardContext, id: string): Promise<CaseRecord> {
  const record = await ctx.store.get(id);
  if (!record) throw new HttpError('not_found', `No dispute, inquiry or case with id ${id}.`);
  return record;
}

/**
 * The case page's actions, each behind a confirmation page:
 * - "Submit evidence now": `POST /cases/:id/submit` queues a submission job for the evidence worker,
 *   the same guarded step a scheduled submission runs (per-dispute lock, fresh read of Whop, at most one
 *   submission); the route never calls Whop. Throws HttpError `action_not_allowed` when the record takes
 *   no submission now.
 * - "Refund": `POST /cases/:id/refund` refunds the record's payment in full through `requestRefund`
 *   (src/refunds/request-refund.ts), the one guarded, exactly-once path every refund takes (the API's
 *   `POST /api/payments/:id/refund` too). A refusal (disputed, refunded already, in flight…) is shown as
 *   the page's error with its reason.
 */
export function caseActionRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();

  app.get('/cases/:id/submit', async (c) => {
    const record = await recordOrThrow(ctx, c.req.param('id'));
    const why = submitBlocker(record, await ctx.evidence.get(record.id), ctx.now());
    if (why) throw new HttpError('action_not_allowed', why);
    return render(
      c,
      <ConfirmPage
        csrf={c.get('session').csrfToken}
        record={record}
        title="Submit evidence now?"
        action={`${caseHref(record.id)}/submit`}
        button="Yes, submit the evidence"
      >
        <p>
          The evidence staged in Whop, refreshed with any newer access events, is submitted now. Whop takes
          one submission per dispute: afterwards nobody can change it.
        </p>
      </ConfirmPage>,
    );
  });

  app.post('/cases/:id/submit', async (c) => {
    const record = await recordOrThrow(ctx, c.req.param('id'));
    const why = submitBlocker(record, await ctx.evidence.get(record.id), ctx.now());
    if (why) throw new HttpError('action_not_allowed', why);
    await queueSubmissionNow(ctx.evidenceQueue, record.id, ctx.now().getTime());
    return c.redirect(`${caseHref(record.id)}?done=submit`, 303);
  });

  app.get('/cases/:id/refund', async (c) => {
    const record = await recordOrThrow(ctx, c.req.param('id'));
    const why = refundBlocker(record);
    if (why) throw new HttpError('action_not_allowed', why);
    return render(
      c,
      <ConfirmPage
        csrf={c.get('session').csrfToken}
        record={record}
        title="Refund this payment?"
        action={`${caseHref(record.id)}/refund`}
        button="Yes, refund in full"
        danger
      >
        <p>
          Payment <span class="mono">{record.paymentId}</span> is refunded in full through Whop, after the
          same checks as every refund (not disputed, not refunded already). The money goes back to the
          customer.
        </p>
      </ConfirmPage>,
    );
  });

  app.post('/cases/:id/refund', async (c) => {
    const record = await recordOrThrow(ctx, c.req.param('id'));
    const why = refundBlocker(record);
    if (why) throw new HttpError('action_not_allowed', why);
    if (!ctx.refunds) throw new HttpError('action_not_allowed', 'Refunds are not available in this process.');
    await requestRefund(
      ctx.refunds,
      record.paymentId!,
      { reason: 'asked on the dashboard' },
      c.get('log') ?? noLog,
    );
    return c.redirect(`${caseHref(record.id)}?done=refund`, 303);
  });

  return app;
}

const noLog = { info: () => {}, error: () => {} };
