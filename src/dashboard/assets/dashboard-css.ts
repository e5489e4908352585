/**
 * The dashboard's one stylesheet, served by the service at `/assets/dashboard.css` (no CDN, no build).
 * Kept as a module so the compiled service carries it without copying files. Colours meet WCAG AA
 * contrast on their backgrounds; layout is one column on a phone, tables scroll sideways.
 */
export const DASHBOARD_CSS = `
:root {
  --fg: #1a1d21; --muted: #4f5964; --bg: #f6f7f9; --card: #ffffff; --line: #d5dae0;
  --accent: #1f4fd1; --accent-fg: #ffffff; --red: #b3261e; --red-bg: #fdecea; --amber: #7a4b00;
  --amber-bg: #fff4dc; --green: #1b6b34; --green-bg: #e5f4ea; --blue-bg: #e8eefc; --focus: #ffbf47;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px;
}
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
header.top { background: #14213d; color: #fff; }
header.top .bar { max-width: 76rem; margin: 0 auto; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; }
header.top .brand { font-weight: 700; color: #fff; text-decoration: none; margin-right: auto; }
header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header.top nav a { color: #fff; text-decoration: none; padding: .25rem 0; display: inline-block; }
header.top nav a[aria-current="page"] { border-bottom: 3px solid var(--focus); }
header.top form { margin: 0; }
header.top button { background: transparent; color: #fff; border: 1px solid #9aa7c7; }
main { max-width: 76rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
.card > h2:first-child, .card > h3:first-child, .card > p:first-child { margin-top: 0; }
.table-wrap { margin-bottom: 1rem; }
.muted { color: var(--muted); }
.small { font-size: .875rem; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .875em; word-break: break-all; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input, select, button { font: inherit; }
input[type="text"], input[type="password"], input[type="search"], select {
  width: 100%; padding: .5rem .6rem; border: 1px solid #8a939e; border-radius: 6px; background: #fff; color: var(--fg);
}
button, .button { display: inline-block; padding: .5rem 1rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: var(--accent-fg); cursor: pointer; text-decoration: none; font-weight: 600; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger, .button.danger { background: var(--red); border-color: var(--red); }
.filters p, .search-row p { margin: 0; }
.search-row { display: flex; gap: .5rem; align-items: end; flex-wrap: wrap; }
.search-row p { flex: 1 1 14rem; }
details.more { margin-top: .75rem; }
details.more summary { cursor: pointer; font-weight: 600; color: var(--accent); padding: .25rem 0; }
details.more .filters { margin-top: .5rem; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; align-items: end; }
.filters .actions { display: flex; gap: .5rem; flex-wrap: wrap; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; padding: .75rem; font-weight: 600; }
th, td { text-align: left; padding: .55rem .75rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f5; font-size: .875rem; white-space: nowrap; }
th[scope="row"] { background: inherit; font-size: inherit; font-weight: 400; white-space: normal; }
th[scope="row"] > a:first-child, th[scope="row"] > strong { font-weight: 600; }
td.due { min-width: 9rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr:last-child td, tr:last-child th { border-bottom: 0; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid var(--line); }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: .75rem; font-size: .8125rem; font-weight: 600; border: 1px solid transparent; }
.tone-done { background: var(--green-bg); color: var(--green); }
.tone-warn { background: var(--amber-bg); color: var(--amber); }
.tone-info { background: var(--blue-bg); color: #173a99; }
.tone-muted { background: #eceff3; color: var(--muted); }
.tone-bad { background: var(--red-bg); color: var(--red); }
.due-urgent, .due-overdue { color: var(--red); font-weight: 700; }
.notice { padding: .75rem 1rem; border-radius: 8px; margin-bottom: 1rem; border: 1px solid var(--line); background: var(--blue-bg); }
.notice.error { background: var(--red-bg); border-color: #e6a49f; color: var(--red); }
.notice.ok { background: var(--green-bg); border-color: #9fd0ad; color: var(--green); }
.pager { display: flex; gap: 1rem; margin: 1rem 0; flex-wrap: wrap; align-items: center; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem; }
ol.timeline { list-style: none; margin: 0; padding: 0; }
ol.timeline > li { border-left: 3px solid var(--line); padding: .25rem 0 .75rem 1rem; }
ol.timeline ul { margin: .25rem 0 0; padding-left: 1.25rem; }
ol.timeline time { font-weight: 600; }
td.changed, .changed { background: #fff1c2; }
td.owned { background: var(--blue-bg); }
.evidence td { min-width: 14rem; white-space: pre-wrap; font-size: .875rem; }
.actions-row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; }
.actions-row form { margin: 0; }
.login { max-width: 26rem; margin: 3rem auto; }
.chart { margin: 0; }
.chart svg { width: 100%; max-width: 36rem; height: auto; display: block; }
.chart text { font: 13px system-ui, sans-serif; fill: var(--fg); }
.chart .bar { fill: #7d9be6; }
.chart .bar-part { fill: #1f4fd1; }
.chart .bar-over { fill: var(--red); }
.chart .ref { stroke: var(--red); stroke-width: 2; stroke-dasharray: 5 3; }
.chart .axis { stroke: #8a939e; stroke-width: 1; }
.chart-pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; align-items: start; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  /* Wide tables marked "stack" become one card per row, each cell with its column's name. */
  .stack table, .stack tbody, .stack tr, .stack th, .stack td { display: block; }
  .stack thead { position: absolute; left: -9999px; }
  .stack caption { display: block; }
  .stack tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  .stack tr:last-child { border-bottom: 0; }
  .stack th[scope="row"], .stack td { border: 0; padding: .2rem .75rem; }
  .stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  .stack td.num { text-align: left; }
  td.due { min-width: 0; }
  h1 { font-size: 1.3rem; }
  th, td { padding: .45rem .5rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .35rem; }
}
`;
