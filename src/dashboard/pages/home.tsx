import { Hono } from 'hono';
import type { CaseRecord } from '../../cases/case-record.js';
import { customerEmail } from '../../cases/customer-email.js';
import { HttpError } from '../../errors/http-error.js';
import { dueScore } from '../../store/case-store.js';
import { Badge, Layout, Notice } from '../components/layout.js';
import { nums, TableHead } from '../components/table.js';
import type { DashboardContext, DashboardEnv } from '../dashboard-deps.js';
import { render } from '../render.js';
import {
  HOME_KINDS,
  type HomeFilters,
  type HomeKind,
  homeHref,
  KNOWN_STATUSES,
  PAGE_SIZE,
  parseHomeQuery,
  passesFilters,
  storeQueryFor,
} from '../view/home-filters.js';
import { type HomeRow, homeRow } from '../view/home-rows.js';

/** A search answers at most this many records. */
const SEARCH_LIMIT = 100;

interface HomeData {
  rows: HomeRow[];
  nextCursor: string | null;
  /** The page stopped looking before it was full (a rare filter over many records). */
  scanLimitReached: boolean;
  companies: string[];
}

function Filters(props: { f: HomeFilters; companies: string[] }) {
  const { f } = props;
  const narrowed = f.kind !== 'needs_you' || f.show !== 'open' || f.status !== null || f.company !== null;
  return (
    <search aria-label="Filter and search">
      <form method="get" action="/" class="card">
        <div class="search-row">
          <p>
            <label for="q">Search by id or customer email</label>
            <input id="q" name="q" type="search" value={f.q ?? ''} placeholder="dspt_… or name@example.com" />
          </p>
          <button type="submit">Search</button>
        </div>
        <details class="more" open={narrowed}>
          <summary>Filters{narrowed ? ' (some applied)' : ''}</summary>
          <div class="filters">
            <p>
              <label for="kind">Kind</label>
              <select id="kind" name="kind">
                {(Object.keys(HOME_KINDS) as HomeKind[]).map((k) => (
                  <option value={k} selected={f.kind === k}>
                    {HOME_KINDS[k]}
                  </option>
                ))}
              </select>
            </p>
            <p>
              <label for="status">Status</label>
              <select id="status" name="status">
                <option value="">Any status</option>
                {KNOWN_STATUSES.map((s) => (
                  <option value={s} selected={f.status === s}>
                    {s}
                  </option>
                ))}
              </select>
            </p>
            <p>
              <label for="company">Company</label>
              <select id="company" name="company">
                <option value="">All companies</option>
                {props.companies.map((id) => (
                  <option value={id} selected={f.company === id}>
                    {id}
                  </option>
                ))}
              </select>
            </p>
            <p>
              <label for="show">Show</label>
              <select id="show" name="show">
                <option value="open" selected={f.show === 'open'}>
                  Open only
                </option>
                <option value="all" selected={f.show === 'all'}>
                  Open and closed
                </option>
              </select>
            </p>
            <p class="actions">
              <button type="submit">Apply</button>
              <a class="button secondary" href="/">
                Reset
              </a>
            </p>
          </div>
        </details>
      </form>
    </search>
  );
}

function Rows(props: { rows: HomeRow[] }) {
  return (
    <div class="table-wrap stack">
      <table>
        <caption>Sorted by deadline, soonest first</caption>
        <TableHead
          columns={[
            'Item',
            'Time left',
            ...nums('Amount'),
            'Reason',
            'Case strength',
            'Evidence',
            'Next reminder',
          ]}
        />
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">
                <a href={r.href}>{r.label}</a> <Badge tone="muted">{r.status}</Badge>
                <div class="small mono">{r.id}</div>
                {r.companyId && <div class="small muted">{r.companyId}</div>}
              </th>
              <td class="due" data-label="Time left">
                <span class={`due-${r.due.tone}`}>{r.due.left || r.due.at}</span>
                {r.due.left && <div class="small muted">{r.due.at}</div>}
              </td>
              <td class="num" data-label="Amount">
                {r.amount}
              </td>
              <td data-label="Reason">{r.reason ?? <span class="muted">—</span>}</td>
              <td data-label="Case strength">
                {r.strength ? (
                  <Badge tone={r.strength.tone}>{r.strength.label}</Badge>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td data-label="Evidence">
                {r.evidence ? (
                  <Badge tone={r.evidence.tone}>{r.evidence.label}</Badge>
                ) : (
                  <span class="muted">—</span>
                )}
                {r.evidence?.error && (
                  <div class="small due-urgent">Last attempt failed: {r.evidence.error}</div>
                )}
              </td>
              <td class="small" data-label="Next reminder">
                {r.nextReminder ?? <span class="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HomePage(props: { csrf: string; f: HomeFilters; data: HomeData }) {
  const { f, data } = props;
  const searching = f.search !== null;
  return (
    <Layout title="Needs you" nav="home" csrf={props.csrf}>
      <h1>What needs you now</h1>
      <Filters f={f} companies={data.companies} />
      {f.search?.by === 'email' && (
        <p class="small muted">
          Email search finds disputes, dispute alerts and refunds (Whop gives Resolution Center cases no
          email); records stored before the email index existed are found once they next change.
        </p>
      )}
      {data.rows.length === 0 ? (
        <Notice>
          {searching
            ? `Nothing matches “${f.q}” with these filters.`
            : data.scanLimitReached
              ? 'No match in this part of the list yet.'
              : f.show === 'open' && f.kind === 'needs_you' && !f.status && !f.company
                ? 'Nothing needs you right now: no open dispute, inquiry or case.'
                : 'Nothing matches these filters.'}
        </Notice>
      ) : (
        <Rows rows={data.rows} />
      )}
      <nav class="pager" aria-label="Pages">
        {f.cursor && <a href={homeHref(f, null)}>First page</a>}
        {data.nextCursor && (
          <a href={homeHref(f, data.nextCursor)}>{data.scanLimitReached ? 'Keep searching' : 'Next page'}</a>
        )}
        {data.scanLimitReached && (
          <span class="small muted">Looked through part of the list; follow the link to look further.</span>
        )}
      </nav>
    </Layout>
  );
}

/** `GET /`: what needs the merchant, by deadline, filtered, searched and paged by keyset. */
export function homeRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();

  app.get('/', async (c) => {
    const parsed = parseHomeQuery(c.req.query());
    if ('error' in parsed) throw new HttpError('invalid_query', parsed.error);
    const f = parsed.filters;
    const [found, companies] = await Promise.all([find(ctx, f), ctx.store.companies()]);
    const now = ctx.now();
    const states = await Promise.all(
      found.records.map((r) => (r.kind === 'dispute' ? ctx.evidence.get(r.id) : undefined)),
    );
    const rows = found.records.map((r, i) => homeRow(r, states[i], now, ctx.reminderOffsetsMs));
    return render(
      c,
      <HomePage
        csrf={c.get('session').csrfToken}
        f={f}
        data={{ rows, companies, nextCursor: found.nextCursor, scanLimitReached: found.scanLimitReached }}
      />,
    );
  });

  return app;
}

/** The records of one page: a search by id or email, or a keyset page of the due-date index. */
async function find(ctx: DashboardContext, f: HomeFilters) {
  if (f.search) {
    const search = f.search;
    const ids = search.by === 'id' ? [search.id] : (await ctx.store.idsByEmail(search.email)).slice(0, 5_000);
    const records = (await ctx.store.getMany(ids))
      .filter((r): r is CaseRecord => r !== undefined)
      // The index may be stale for a record whose email changed: check it.
      .filter((r) => search.by === 'id' || customerEmail(r) === search.email)
      .filter((r) => passesFilters(f, r))
      .sort((a, b) => dueScore(a) - dueScore(b) || a.id.localeCompare(b.id))
      .slice(0, SEARCH_LIMIT);
    return { records, nextCursor: null, scanLimitReached: false };
  }
  const page = await ctx.store.list(storeQueryFor(f));
  return {
    records: page.items.slice(0, PAGE_SIZE),
    nextCursor: page.nextCursor,
    scanLimitReached: page.scanLimitReached ?? false,
  };
}
