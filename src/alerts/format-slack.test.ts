import { describe, expect, it } from 'vitest';
import { HOSTILE, hostileAlert, sampleAlert } from '../../test/support/builders/alerts.js';
import { formatSlack, SLACK_LIMITS, type SlackBlock } from './format-slack.js';
import { ELLIPSIS } from './text.js';

const byType = <T extends SlackBlock['type']>(blocks: SlackBlock[], type: T) =>
  blocks.filter((b): b is Extract<SlackBlock, { type: T }> => b.type === type);

describe('formatSlack', () => {
  it('renders header, summary, fields, context with a local-time due date, and a button to Whop', () => {
    const payload = formatSlack(sampleAlert());
    expect(payload.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(payload.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🚨 Chargeback: $49.00 — respond by Mon 24 Mar', emoji: true },
    });
    expect(payload.blocks[1]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    const fields = byType(payload.blocks, 'section')[1]!.fields!;
    expect(fields[0]).toEqual({ type: 'mrkdwn', text: '*Amount*\n$49.00' });
    expect(fields).toHaveLength(5);
    const context = byType(payload.blocks, 'context')[0]!.elements.map((e) => e.text);
    expect(context[0]).toBe('Urgent · Dispute Autopilot · biz_4Tq8mXv2Lp');
    expect(context[1]).toBe(
      'Due <!date^1742860799^{date_short_pretty} at {time}|Mon 24 Mar 2025, 23:59 UTC>',
    );
    expect(byType(payload.blocks, 'actions')[0]!.elements[0]).toEqual({
      type: 'button',
      text: { type: 'plain_text', text: 'Open in Whop', emoji: true },
      url: 'https://whop.com/dashboard/biz_4Tq8mXv2Lp/payments/pay_7Hq2VbN0rT',
      style: 'primary',
    });
    expect(payload.text).toContain('Chargeback: $49.00');
    expect(formatSlack(sampleAlert({ severity: 'info' })).blocks[0]).toMatchObject({
      text: { text: expect.stringMatching(/^ℹ️ /) },
    });
  });

  it('escapes &, < and > in every mrkdwn text, so mentions and links in user text stay text', () => {
    const payload = formatSlack(hostileAlert());
    const escaped =
      '&lt;!channel&gt; @everyone @here &lt;@U123&gt; *bold* _it_ [click](https://evil.example) &amp; &lt;b&gt;x&lt;/b&gt;';
    const summary = byType(payload.blocks, 'section')[0]!.text!.text;
    expect(summary).toBe(`Reason: ${escaped}\n# not a heading\n&gt; not a quote`);
    expect(byType(payload.blocks, 'section')[1]!.fields![0]!.text).toBe(`*Reason*\n${escaped}`);
    expect(payload.text).toContain(escaped);
    // Nothing that Slack would parse as a mention or a link survives anywhere in mrkdwn.
    const mrkdwn = JSON.stringify([
      payload.text,
      byType(payload.blocks, 'section'),
      byType(payload.blocks, 'context'),
    ]);
    expect(mrkdwn).not.toMatch(/<!channel>|<@U123>|<https?:/);
    // plain_text is not parsed by Slack: the header keeps the title as written.
    expect(byType(payload.blocks, 'header')[0]!.text.text).toBe(`🚨 Chargeback: ${HOSTILE}`);
  });

  it('keeps every Slack limit, cutting with an ellipsis and never inside an entity or a surrogate pair', () => {
    const long = `${'&'.repeat(2000)}😀${'x'.repeat(5000)}`;
    const payload = formatSlack(
      sampleAlert({
        title: `${'T'.repeat(147)}😀😀`,
        summary: long,
        fields: Array.from({ length: 45 }, (_, i) => ({
          label: `Field ${i} ${'<'.repeat(300)}`,
          value: long,
        })),
      }),
    );
    const header = byType(payload.blocks, 'header')[0]!.text.text;
    expect(header.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(header.endsWith(ELLIPSIS)).toBe(true);
    expect(header).not.toMatch(/[\ud800-\udbff]…$/);
    const sections = byType(payload.blocks, 'section');
    expect(sections[0]!.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(sections[0]!.text!.text).toMatch(/^(&amp;)+…$/);
    const fieldSections = sections.slice(1);
    expect(fieldSections.map((s) => s.fields!.length)).toEqual([10, 10, 10, 10]);
    for (const f of fieldSections.flatMap((s) => s.fields!)) {
      expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      expect(f.text).not.toMatch(/&(a|am|amp|l|lt)?…/);
    }
    expect(payload.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(payload.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const context = byType(payload.blocks, 'context')[0]!.elements;
    expect(context.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    expect(context.at(-1)!.text).toBe('5 more fields not shown');
  });

  it('leaves out the button for a missing, non-http or over-long link, and the summary section when empty', () => {
    for (const link of [undefined, 'javascript:alert(1)', `https://whop.com/${'x'.repeat(3000)}`]) {
      expect(formatSlack(sampleAlert({ link })).blocks.some((b) => b.type === 'actions')).toBe(false);
    }
    const payload = formatSlack(
      sampleAlert({ summary: '  ', fields: [], dueAt: undefined, companyId: null }),
    );
    expect(payload.blocks.map((b) => b.type)).toEqual(['header', 'context', 'actions']);
    expect(byType(payload.blocks, 'context')[0]!.elements).toEqual([
      { type: 'mrkdwn', text: 'Urgent · Dispute Autopilot' },
    ]);
  });

  it('an empty field value still renders (Slack rejects empty text)', () => {
    const fields = byType(
      formatSlack(sampleAlert({ fields: [{ label: 'Evidence', value: '' }] })).blocks,
      'section',
    )[1]!;
    expect(fields.fields![0]!.text).toBe('*Evidence*\n—');
  });
});
