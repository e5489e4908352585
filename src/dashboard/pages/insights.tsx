import { Hono } from 'hono';
import { disputeCountsWords } from '../../alerts/dispute-rate.js';
import { formatDateTime, formatPercent } from '../../alerts/wording.js';
import { type DisputeRateRow, WHOP_DISPUTE_RATE_LINE } from '../../insights/dispute-rates.js';
import { InsightsCache } from '../../insights/insights-cache.js';
import { type Insights, loadInsights } from '../../insights/load-insights.js';
import { type MoneyTotal, type OutcomeRow, totalOutcomes } from '../../insights/outcomes.js';
import { formatMinor } from '../../money/money.js';
import { BarChart } from '../components/bar-chart.js';
import { Layout, Notice } from '../components/layout.js';
import { nums, TableHead } from '../components/table.js';
import type { DashboardContext, DashboardEnv } from '../dashboard-deps.js';
import { render } from '../render.js';

const percent = (rate: number | null) => (rate === null ? '—' : formatPercent(rate));
const moneyList = (totals: readonly MoneyTotal[]) =>
  totals.length ? totals.map((m) => formatMinor(m.minor, m.currency)).join(' + ') : '—';

/** The currency most money was recovered in: the one the recovered-money charts draw. */
function mainCurrency(rows: readonly OutcomeRow[]): string | null {
  return totalOutcomes(rows).recovered[0]?.currency ?? null;
}

function OutcomeSection(props: { id: string; title: string; groupName: string; rows: OutcomeRow[] }) {
  const { rows } = props;
  const decided = rows.filter((r) => r.winRate !== null);
  const currency = mainCurrency(rows);
  const total = totalOutcomes(rows);
  return (
    <section aria-labelledby={`${props.id}-h`}>
      <h2 id={`${props.id}-h`}>{props.title}</h2>
      {rows.length === 0 ? (
        <p class="muted">No chargebacks yet.</p>
      ) : (
        <>
          <div class="chart-pair">
            <div class="card">
              <h3>Win rate</h3>
              <BarChart
                id={`${props.id}-win`}
                title={`Win rate by ${props.groupName}`}
                summary={`Chargebacks won out of those decided, by ${props.groupName}. Overall ${percent(total.winRate)}.`}
                data={decided.map((r) => ({
                  label: r.group,
                  value: r.winRate!,
                  display: `${percent(r.winRate)} of ${r.won + r.lost}`,
                }))}
                options={{ max: 1 }}
              />
            </div>
            <div class="card">
              <h3>Money recovered{currency ? ` (${currency})` : ''}</h3>
              <BarChart
                id={`${props.id}-money`}
                title={`Money recovered by ${props.groupName}${currency ? ` in ${currency}` : ''}`}
                summary={`Amounts of won chargebacks, by ${props.groupName}. Overall ${moneyList(total.recovered)}.`}
                data={
                  currency
                    ? rows.map((r) => {
                        const minor = r.recovered.find((m) => m.currency === currency)?.minor ?? 0;
                        return { label: r.group, value: minor, display: formatMinor(minor, currency) };
                      })
                    : []
                }
              />
            </div>
          </div>
          <div class="table-wrap">
            <table>
              <caption>{props.title}: the numbers</caption>
              <TableHead
                columns={[
                  props.groupName.charAt(0).toUpperCase() + props.groupName.slice(1),
                  ...nums('Won', 'Lost', 'Closed', 'Pending', 'Win rate', 'Recovered'),
                ]}
              />
              <tbody>
                {[...rows, total].map((r) => (
                  <tr class={r === total ? 'total' : undefined}>
                    <th scope="row">{r.group}</th>
                    <td class="num">{r.won}</td>
                    <td class="num">{r.lost}</td>
                    <td class="num">{r.closed}</td>
                    <td class="num">{r.pending}</td>
                    <td class="num">{percent(r.winRate)}</td>
                    <td class="num">{moneyList(r.recovered)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** A rate cell: the percentage, or below the minimum sample the counts ("5 on 3"), or "—". */
const rateText = (r: DisputeRateRow) =>
  r.tooFewPayments && r.payments !== null ? `${r.disputes} on ${r.payments}` : percent(r.rate);

function RateSection(props: {
  rates: Insights['rates'];
  minPayments: number;
  countedAt: Insights['paymentsCountedAt'];
}) {
  const line = formatPercent(WHOP_DISPUTE_RATE_LINE);
  const rows30 = props.rates.filter((r) => r.days === 30);
  const known = rows30.filter((r) => r.rate !== null);
  const few = rows30.filter((r) => r.tooFewPayments && r.payments !== null);
  const companies = [...new Set(props.rates.map((r) => r.companyId))];
  const cell = (companyId: string, days: 30 | 90) =>
    props.rates.find((r) => r.companyId === companyId && r.days === days);
  return (
    <section aria-labelledby="rate-h">
      <h2 id="rate-h">Dispute rate per company</h2>
      {companies.length === 0 ? (
        <p class="muted">No disputes yet.</p>
      ) : (
        <>
          <div class="card">
            <h3>Last 30 days, against Whop's {line} line</h3>
            {known.length === 0 && few.length === 0 ? (
              <p class="muted">
                No payment count yet: the dispute-rate alert reads it from Whop (and keeps it for an hour)
                when a dispute arrives.
              </p>
            ) : null}
            {known.length > 0 && (
              <BarChart
                id="rate30"
                title={`Dispute rate over the last 30 days per company, with Whop's ${line} line`}
                summary={known.map((r) => `${r.companyId}: ${percent(r.rate)}`).join('; ')}
                data={known.map((r) => ({
                  label: r.companyId,
                  value: r.rate!,
                  display: percent(r.rate),
                  over: r.overLine === true,
                }))}
                options={{ reference: WHOP_DISPUTE_RATE_LINE }}
                referenceLabel={`Whop's ${line}`}
              />
            )}
            {few.length > 0 && (
              <ul class="small">
                {few.map((r) => (
                  <li>
                    <span class="mono">{r.companyId}</span>: {disputeCountsWords(r.disputes, r.payments!)}{' '}
                    (fewer than {props.minPayments} payments: too few for a rate)
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div class="table-wrap">
            <table>
              <caption>
                Disputes, payments and rate. Payments: the 30-day count the dispute-rate alert takes from Whop
                when a dispute arrives and keeps for an hour, so payments made since it was taken are not in
                it; none is kept for 90 days. Below {props.minPayments} payments the rate is given as counts
                (disputes on payments).
              </caption>
              <TableHead
                columns={[
                  'Company',
                  ...nums('Disputes 30 d', 'Payments 30 d', 'Rate 30 d', 'Disputes 90 d', 'Rate 90 d'),
                ]}
              />
              <tbody>
                {companies.map((id) => {
                  const a = cell(id, 30)!;
                  const b = cell(id, 90)!;
                  const countedAt = props.countedAt[id];
                  return (
                    <tr>
                      <th scope="row" class="mono">
                        {id}
                      </th>
                      <td class="num">{a.disputes}</td>
                      <td class="num">
                        {a.payments ?? 'unknown'}
                        {countedAt && <span class="small muted"> (as of {formatDateTime(countedAt)})</span>}
                      </td>
                      <td class={`num${a.overLine ? ' due-urgent' : ''}`}>{rateText(a)}</td>
                      <td class="num">{b.disputes}</td>
                      <td class={`num${b.overLine ? ' due-urgent' : ''}`}>{rateText(b)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function EscalationSection(props: { e: Insights['escalations'] }) {
  const { e } = props;
  return (
    <section aria-labelledby="esc-h">
      <h2 id="esc-h">Inquiries that became chargebacks</h2>
      {e.inquiries === 0 ? (
        <p class="muted">No inquiries yet.</p>
      ) : (
        <>
          <div class="card">
            <p>
              {e.escalated} of {e.inquiries} inquiries became chargebacks ({percent(e.rate)}); {e.closed}{' '}
              closed as inquiries, {e.open} still open.
            </p>
            <BarChart
              id="esc"
              title="Inquiries per month, and how many became chargebacks"
              summary={e.byMonth.map((m) => `${m.month}: ${m.escalated} of ${m.inquiries}`).join('; ')}
              data={e.byMonth.map((m) => ({
                label: m.month,
                value: m.inquiries,
                part: m.escalated,
                display: `${m.escalated} of ${m.inquiries}`,
              }))}
            />
            <p class="small muted">Light bar: inquiries; dark part: those that became chargebacks.</p>
          </div>
          <div class="table-wrap">
            <table>
              <caption>Inquiries by month created</caption>
              <TableHead columns={['Month', ...nums('Inquiries', 'Became chargebacks')]} />
              <tbody>
                {e.byMonth.map((m) => (
                  <tr>
                    <th scope="row">{m.month}</th>
                    <td class="num">{m.inquiries}</td>
                    <td class="num">{m.escalated}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function InsightsPage(props: { csrf: string; insights: Insights }) {
  const i = props.insights;
  return (
    <Layout title="Insights" nav="insights" csrf={props.csrf}>
      <h1>Insights</h1>
      <p class="small muted">
        From {i.disputes} dispute{i.disputes === 1 ? '' : 's'} in the store, computed {formatDateTime(i.at)}{' '}
        in {i.ms} ms (at most once a minute).
      </p>
      {i.disputes === 0 && <Notice>No disputes yet: these fill in as Whop sends them.</Notice>}
      <OutcomeSection id="reason" title="By reason" groupName="reason" rows={i.byReason} />
      <OutcomeSection id="product" title="By product" groupName="product" rows={i.byProduct} />
      <OutcomeSection id="month" title="By month" groupName="month" rows={i.byMonth} />
      <RateSection rates={i.rates} minPayments={i.rateMinPayments} countedAt={i.paymentsCountedAt} />
      <EscalationSection e={i.escalations} />
    </Layout>
  );
}

/** `GET /insights`: computed from the store (src/insights) at most once a minute, charts with their tables. */
export function insightsRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();
  const cache = new InsightsCache(() =>
    loadInsights(ctx.store, ctx.alerts, ctx.now(), ctx.disputeRateMinPayments ?? 0),
  );
  app.get('/insights', async (c) => {
    return render(c, <InsightsPage csrf={c.get('session').csrfToken} insights={await cache.get()} />);
  });
  return app;
}
