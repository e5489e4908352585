import { describe, expect, it } from 'vitest';
import { HOSTILE, hostileAlert, sampleAlert } from '../../test/support/builders/alerts.js';
import { EMAIL_SUBJECT_MAX, formatEmail } from './format-email.js';

describe('formatEmail', () => {
  it('subject with the severity; text and HTML parts saying the same', () => {
    const mail = formatEmail(sampleAlert());
    expect(mail.subject).toBe('[Urgent] Chargeback: $49.00 — respond by Mon 24 Mar');
    expect(mail.text).toContain("The customer's bank opened a chargeback");
    expect(mail.text).toContain(
      'Amount: $49.00\nReason: Product Not Received\nRespond by: Mon 24 Mar 2025, 23:59 UTC',
    );
    expect(mail.text).toContain(
      'Open in Whop: https://whop.com/dashboard/biz_4Tq8mXv2Lp/payments/pay_7Hq2VbN0rT',
    );
    expect(mail.html).toContain('The customer&#39;s bank opened a chargeback');
    expect(mail.html).toContain(
      '<th align="left" style="padding:4px 12px 4px 0;vertical-align:top;white-space:nowrap">Amount</th>',
    );
    expect(mail.html).toContain('href="https://whop.com/dashboard/biz_4Tq8mXv2Lp/payments/pay_7Hq2VbN0rT"');
    expect(formatEmail(sampleAlert({ severity: 'warning' })).subject).toMatch(/^\[Action needed\] /);
    expect(formatEmail(sampleAlert({ severity: 'info' })).subject).toMatch(/^\[Info\] /);
  });

  it('HTML-escapes every alert string; the text part keeps it as written', () => {
    const mail = formatEmail(hostileAlert({ companyId: '<i>biz</i>', id: 'x<y' }));
    expect(mail.html).not.toContain('<b>x</b>');
    expect(mail.html).not.toContain('<i>biz</i>');
    expect(mail.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(mail.html).toContain('&lt;!channel&gt; @everyone');
    expect(mail.html).toContain('alert x&lt;y');
    expect(mail.text).toContain(HOSTILE);
  });

  it('a one-line subject within its limit: no header injection, no split surrogate', () => {
    const mail = formatEmail(sampleAlert({ title: `Hi\r\nBcc: victim@example.com\n${'😀'.repeat(200)}` }));
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject.startsWith('[Urgent] Hi Bcc: victim@example.com ')).toBe(true);
    expect(mail.subject.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX);
    expect(mail.subject).toMatch(/😀…$/);
  });

  it('links only http(s), attribute-escaped', () => {
    const bad = formatEmail(sampleAlert({ link: 'javascript:alert(1)' }));
    expect(bad.html).not.toContain('javascript:');
    expect(bad.text).not.toContain('javascript:');
    const quoted = formatEmail(sampleAlert({ link: 'https://whop.com/a?x="><script>' }));
    expect(quoted.html).toContain('href="https://whop.com/a?x=&quot;&gt;&lt;script&gt;"');
  });

  it('summary paragraphs and line breaks carry into the HTML', () => {
    const mail = formatEmail(sampleAlert({ summary: 'One.\nStill one.\n\nTwo.' }));
    expect(mail.html).toContain('<p style="margin:0 0 12px">One.<br>Still one.</p>');
    expect(mail.html).toContain('<p style="margin:0 0 12px">Two.</p>');
  });
});
