import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { formatTerminal, TERMINAL_SUMMARY_MAX } from './format-terminal.js';

const alert: Alert = {
  id: 'a1',
  kind: 'dispute_opened',
  severity: 'urgent',
  companyId: 'biz_1',
  title: 'New chargeback: $49.99, due in 6 hours',
  summary: 'Ava Reed disputed a payment as Product Not Received.',
  fields: [
    { label: 'Amount', value: '$49.99' },
    { label: 'Due', value: 'in 6 hours' },
  ],
};
const AT = new Date('2026-11-29T10:11:12Z');

describe('formatTerminal', () => {
  it('gives the time, the severity, the title, the summary and the fields as readable lines', () => {
    expect(formatTerminal(alert, AT)).toBe(
      [
        '10:11:12  [Urgent] New chargeback: $49.99, due in 6 hours',
        '          Ava Reed disputed a payment as Product Not Received.',
        '          Amount: $49.99 · Due: in 6 hours',
      ].join('\n'),
    );
  });

  it('keeps every alert string on its line: no forged lines, no escape codes', () => {
    const evil = { ...alert, title: 'x\n10:00:00  [Info] fake\u001b[2J', summary: 'a\r\nb' };
    const lines = formatTerminal(evil, AT).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.join('')).not.toContain('\u001b');
  });

  it('shows every field: those that do not fit one line go on the next, a long one is cut on its own', () => {
    const fields = [
      { label: 'Reason', value: 'r'.repeat(150) },
      { label: 'Evidence', value: 'e'.repeat(150) },
      { label: 'Case strength', value: `Strong. ${'s'.repeat(400)}` },
    ];
    const lines = formatTerminal({ ...alert, fields }, AT)
      .split('\n')
      .slice(2);
    expect(lines).toHaveLength(3);
    expect(lines[0]!.trim()).toBe(`Reason: ${'r'.repeat(150)}`);
    expect(lines[1]!.trim()).toBe(`Evidence: ${'e'.repeat(150)}`);
    expect(lines[2]!.trim()).toMatch(/^Case strength: Strong\. s+…?$/);
    expect(lines[2]!.trim().length).toBe(TERMINAL_SUMMARY_MAX);
  });

  it('cuts a long summary and colours only when asked', () => {
    const long = formatTerminal({ ...alert, summary: 'y'.repeat(5000) }, AT).split('\n')[1]!;
    expect(long.trim().length).toBe(TERMINAL_SUMMARY_MAX);
    expect(formatTerminal(alert, AT, true)).toContain('\u001b[31m[Urgent]');
  });
});
