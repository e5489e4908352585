import type { Alert } from './alert.js';
import { SEVERITY_STYLE } from './severity.js';
import { escapeHtml, safeUrl, singleLine, truncate } from './text.js';

/** Long subjects get cut by mail clients anyway; a bound also keeps a runaway title out of the header. */
export const EMAIL_SUBJECT_MAX = 200;

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * An email with a plain-text and an HTML part saying the same. The subject is one line (no header
 * injection through a title); every alert string is HTML-escaped in the HTML part; only http(s) links
 * become anchors.
 */
export function formatEmail(alert: Alert): EmailContent {
  const style = SEVERITY_STYLE[alert.severity];
  const subject = truncate(singleLine(`[${style.label}] ${alert.title}`), EMAIL_SUBJECT_MAX);
  const url = safeUrl(alert.link);

  const text = [
    alert.title,
    '',
    alert.summary,
    '',
    ...alert.fields.map((f) => `${f.label}: ${f.value}`),
    ...(url ? ['', `Open in Whop: ${url}`] : []),
    '',
    '-- ',
    `Dispute Autopilot · ${style.label}${alert.companyId ? ` · ${alert.companyId}` : ''} · alert ${alert.id}`,
    '',
  ].join('\n');

  const paragraphs = alert.summary
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const rows = alert.fields
    .map(
      (f) =>
        `<tr><th align="left" style="padding:4px 12px 4px 0;vertical-align:top;white-space:nowrap">${escapeHtml(f.label)}</th>` +
        `<td style="padding:4px 0">${escapeHtml(f.value).replace(/\n/g, '<br>')}</td></tr>`,
    )
    .join('\n');
  const color = `#${style.color.toString(16).padStart(6, '0')}`;
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#111;margin:0;padding:16px">
<div style="border-left:4px solid ${color};padding-left:12px;max-width:640px">
<p style="margin:0 0 4px;color:${color};font-weight:bold">${escapeHtml(style.label)}</p>
<h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(alert.title)}</h1>
${paragraphs}
${rows ? `<table style="border-collapse:collapse;margin:0 0 12px">\n${rows}\n</table>` : ''}
${url ? `<p style="margin:0 0 12px"><a href="${escapeHtml(url)}" style="color:${color};font-weight:bold">Open in Whop</a></p>` : ''}
<p style="margin:16px 0 0;color:#666;font-size:12px">Dispute Autopilot${alert.companyId ? ` · ${escapeHtml(alert.companyId)}` : ''} · alert ${escapeHtml(alert.id)}</p>
</div>
</body></html>
`;
  return { subject, text, html };
}
