/**
 * `npm run bench [intake|sweep|access-events|e2e|workers|memory|dashboard|reminders]`: runs the benchmarks side by side and rewrites
 * their sections of bench/RESULTS.md (sections not re-run are kept as they were, with their own dates).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { accessEventsMarkdown, runAccessEventsBench } from './access-events.js';
import { dashboardMarkdown, runDashboardBench } from './dashboard.js';
import { e2eMarkdown, runE2eBench } from './e2e.js';
import { intakeMarkdown, runIntakeBench } from './intake.js';
import { loadLine, machineLine } from './lib.js';
import { memoryMarkdown, runMemoryBench } from './memory.js';
import { remindersMarkdown, runRemindersBench } from './reminders.js';
import { runSweepBench, sweepMarkdown } from './sweep.js';
import { runWorkersBench, workersMarkdown } from './workers.js';

const benches: { key: string; title: string; run: () => Promise<string> }[] = [
  {
    key: 'intake',
    title: 'Webhook intake (issues 2 and 14)',
    run: async () => intakeMarkdown(await runIntakeBench()),
  },
  { key: 'sweep', title: 'Sweep cost (issue 3)', run: async () => sweepMarkdown(await runSweepBench()) },
  {
    key: 'access-events',
    title: 'Access events (issue 4)',
    run: async () => accessEventsMarkdown(await runAccessEventsBench()),
  },
  {
    key: 'e2e',
    title: 'End to end: webhook to Slack alert (issue 14)',
    run: async () => e2eMarkdown(await runE2eBench()),
  },
  {
    key: 'workers',
    title: 'Worker processes: reconcile throughput (issue 14)',
    run: async () => workersMarkdown(await runWorkersBench()),
  },
  {
    key: 'dashboard',
    title: 'Dashboard server time (issue 13)',
    run: async () => dashboardMarkdown(await runDashboardBench()),
  },
  {
    key: 'memory',
    title: 'Redis memory per item (issue 14)',
    run: async () => memoryMarkdown(await runMemoryBench()),
  },
  {
    key: 'reminders',
    title: 'Reminders at scale (issue 5)',
    run: async () => remindersMarkdown(await runRemindersBench()),
  },
];

const only = process.argv[2];
if (only && !benches.some((b) => b.key === only)) {
  console.error(`unknown benchmark "${only}"; one of: ${benches.map((b) => b.key).join(', ')}`);
  process.exit(2);
}

const file = new URL('./RESULTS.md', import.meta.url);
const previous = new Map<string, string>();
if (existsSync(file)) {
  for (const part of readFileSync(file, 'utf8').split(/^## /m).slice(1)) {
    const title = part.slice(0, part.indexOf('\n'));
    previous.set(title, `## ${part.trimEnd()}`);
  }
}

const stamp = `${new Date().toISOString().slice(0, 10)} on ${machineLine()}`;
const sections: string[] = [];
for (const b of benches) {
  if (!only || only === b.key) {
    console.log(`# ${b.key}`);
    // The load when the bench starts: the machine is shared, and other work lowers every absolute figure.
    const load = loadLine();
    sections.push(`## ${b.title}\n\nMeasured ${stamp}; ${load} at the start.\n\n${await b.run()}`);
  } else if (previous.has(b.title)) {
    sections.push(previous.get(b.title)!);
  }
}

const doc = [
  '# Benchmark results',
  '',
  'Written by `npm run bench`. Figures are ratios or counts measured side by side in one run: the machines are shared and noisy, so absolute numbers vary between runs.',
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n');
writeFileSync(file, doc);
console.log(doc);
