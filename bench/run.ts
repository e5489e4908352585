/** `npm run bench`: runs every benchmark side by side and rewrites bench/RESULTS.md. */
import { writeFileSync } from 'node:fs';
import { intakeMarkdown, runIntakeBench } from './intake.js';
import { machineLine } from './lib.js';

const only = process.argv[2];
const sections: string[] = [];
const date = new Date().toISOString().slice(0, 10);

if (!only || only === 'intake') {
  console.log('# intake');
  sections.push(`## Webhook intake (issue 2)\n\n${intakeMarkdown(await runIntakeBench())}`);
}

const doc = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${date}. Machine: ${machineLine()}.`,
  'Figures are ratios measured side by side in one run: the machine is shared and noisy, so absolute numbers vary between runs.',
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n');
writeFileSync(new URL('./RESULTS.md', import.meta.url), doc);
console.log(doc);
