import type { Alert } from './alert.js';
import { SEVERITY_STYLE } from './severity.js';
import { singleLine, truncate } from './text.js';

/** A terminal line is read at a glance: long summaries are cut (the dashboard has the rest). */
export const TERMINAL_SUMMARY_MAX = 240;

const ANSI = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m' } as const;
const SEVERITY_ANSI = { info: '\u001b[36m', warning: '\u001b[33m', urgent: '\u001b[31m' } as const;

/**
 * One alert as terminal lines: `HH:MM:SS  <mark> <title>` then an indented summary and the key fields on
 * one line. Every alert string is reduced to one line (a title cannot forge extra lines or escape codes:
 * control characters are stripped). Colours only when `color` is true (a TTY). Times are UTC.
 */
export function formatTerminal(alert: Alert, at: Date, color = false): string {
  const style = SEVERITY_STYLE[alert.severity];
  const paint = (code: string, text: string) => (color ? `${code}${text}${ANSI.reset}` : text);
  const time = at.toISOString().slice(11, 19);
  const head = `${paint(ANSI.dim, time)}  ${paint(SEVERITY_ANSI[alert.severity], `[${style.label}]`)} ${paint(ANSI.bold, singleLine(alert.title))}`;
  const summary = truncate(singleLine(alert.summary), TERMINAL_SUMMARY_MAX);
  const fields = packFields(
    alert.fields.map((f) => truncate(`${singleLine(f.label)}: ${singleLine(f.value)}`, TERMINAL_SUMMARY_MAX)),
  );
  return [
    head,
    summary && `          ${summary}`,
    ...fields.map((line) => `          ${paint(ANSI.dim, line)}`),
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Fields joined with ` · ` into as few lines as fit TERMINAL_SUMMARY_MAX each: every field is shown
 * (each cut on its own if longer), none is lost off the end of one long line.
 */
function packFields(fields: string[]): string[] {
  const lines: string[] = [];
  for (const field of fields) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 3 + field.length <= TERMINAL_SUMMARY_MAX)
      lines[last] += ` · ${field}`;
    else lines.push(field);
  }
  return lines;
}
