import type { Alert } from './alert.js';
import { SEVERITY_STYLE } from './severity.js';
import { escapeSlack, escapeWithin, safeUrl, truncate } from './text.js';
import { formatDateTime, toMs } from './wording.js';

/** Slack's Block Kit limits (docs.slack.dev, block and composition object references). */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonUrl: 3000,
  contextElements: 10,
  blocks: 50,
  /** The top-level `text` (notifications, clients without blocks); Slack advises staying under 4000. */
  fallbackText: 3000,
} as const;

/** Sections of fields we render at most (10 fields each); what does not fit is counted in the context. */
const MAX_FIELD_SECTIONS = 4;

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: { type: 'button'; text: SlackText; url: string; style?: 'primary' }[] };

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

/**
 * An incoming-webhook payload: header (title), section (summary), sections of fields, context (severity,
 * company, due date in each reader's own time zone), and a button to Whop. All alert text goes through
 * `escapeSlack` where Slack parses mrkdwn, so `<!channel>` or `<https://evil|Whop>` in a customer's words
 * stays text. plain_text objects (header, button) are not parsed by Slack and are not escaped.
 */
export function formatSlack(alert: Alert): SlackPayload {
  const style = SEVERITY_STYLE[alert.severity];
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${style.emoji} ${alert.title}`, SLACK_LIMITS.headerText),
        emoji: true,
      },
    },
  ];
  if (alert.summary.trim() !== '') {
    blocks.push({
      type: 'section',
      text: mrkdwn(escapeWithin(alert.summary, SLACK_LIMITS.sectionText, escapeSlack)),
    });
  }

  const shown = alert.fields.slice(0, SLACK_LIMITS.fieldsPerSection * MAX_FIELD_SECTIONS);
  for (let i = 0; i < shown.length; i += SLACK_LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: shown.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((f) => {
        const label = `*${escapeWithin(f.label, 200, escapeSlack)}*\n`;
        return mrkdwn(
          label + escapeWithin(f.value || '—', SLACK_LIMITS.fieldText - label.length, escapeSlack),
        );
      }),
    });
  }

  // Context elements are built already escaped.
  const context = [
    escapeWithin(
      `${style.label} · Dispute Autopilot${alert.companyId ? ` · ${alert.companyId}` : ''}`,
      500,
      escapeSlack,
    ),
  ];
  const due = toMs(alert.dueAt);
  if (alert.dueAt && Number.isFinite(due)) {
    // Slack renders <!date^…> in the reader's time zone; the text after | is the fallback.
    context.push(
      `Due <!date^${Math.floor(due / 1000)}^{date_short_pretty} at {time}|${escapeSlack(formatDateTime(alert.dueAt))}>`,
    );
  }
  const hidden = alert.fields.length - shown.length;
  if (hidden > 0) context.push(`${hidden} more ${hidden === 1 ? 'field' : 'fields'} not shown`);
  blocks.push({
    type: 'context',
    elements: context.slice(0, SLACK_LIMITS.contextElements).map(mrkdwn),
  });

  const url = safeUrl(alert.link, SLACK_LIMITS.buttonUrl);
  if (url) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in Whop', emoji: true },
          url,
          ...(alert.severity === 'urgent' ? { style: 'primary' as const } : {}),
        },
      ],
    });
  }

  return {
    text: escapeWithin(
      `${style.emoji} ${alert.title}\n${alert.summary}`,
      SLACK_LIMITS.fallbackText,
      escapeSlack,
    ),
    blocks,
  };
}
