import type { Alert } from './alert.js';
import { SEVERITY_STYLE } from './severity.js';
import { escapeDiscord, escapeWithin, safeUrl, truncate } from './text.js';

/** Discord's webhook and embed limits (discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title, description, field names and values, footer and author of all embeds together. */
  embedTotal: 6000,
} as const;

/** Field values this short sit side by side. */
const INLINE_MAX = 60;

export interface DiscordEmbedField {
  name: string;
  value: string;
  inline: boolean;
}

export interface DiscordEmbed {
  title: string;
  description?: string;
  url?: string;
  color: number;
  fields: DiscordEmbedField[];
  footer: { text: string };
}

export interface DiscordPayload {
  content: string;
  embeds: DiscordEmbed[];
  /** Nothing in an alert may ping anyone: no @everyone, @here, user or role mentions. */
  allowed_mentions: { parse: [] };
}

/** Discord rejects empty field names and values. */
const nonEmpty = (s: string) => (s.trim() === '' ? '—' : s);

/**
 * A webhook message with one embed: title (linking to Whop), description (summary), fields, footer,
 * coloured by severity. User text is markdown-escaped and mentions are broken, and `allowed_mentions`
 * forbids pings whatever the text says. Within Discord's 6000-character embed total the summary comes
 * first; fields follow in order until the next would not fit (the rest are dropped, and counted in the
 * footer).
 */
export function formatDiscord(alert: Alert): DiscordPayload {
  const style = SEVERITY_STYLE[alert.severity];
  const title = escapeWithin(nonEmpty(alert.title), DISCORD_LIMITS.title, escapeDiscord);
  const description =
    alert.summary.trim() === '' ? '' : escapeWithin(alert.summary, DISCORD_LIMITS.description, escapeDiscord);
  const footerBase = `Dispute Autopilot · ${style.label}${alert.companyId ? ` · ${alert.companyId}` : ''}`;

  let used = title.length + description.length + footerBase.length + 40; // 40: room for "· N fields not shown"
  const fields: DiscordEmbedField[] = [];
  for (const f of alert.fields.slice(0, DISCORD_LIMITS.fields)) {
    const name = escapeWithin(nonEmpty(f.label), DISCORD_LIMITS.fieldName, escapeDiscord);
    const value = escapeWithin(nonEmpty(f.value), DISCORD_LIMITS.fieldValue, escapeDiscord);
    if (used + name.length + value.length > DISCORD_LIMITS.embedTotal) break;
    used += name.length + value.length;
    fields.push({ name, value, inline: value.length <= INLINE_MAX });
  }
  const dropped = alert.fields.length - fields.length;
  const footer =
    dropped > 0
      ? `${footerBase} · ${dropped} more ${dropped === 1 ? 'field' : 'fields'} not shown`
      : footerBase;

  const url = safeUrl(alert.link, 2048);
  const embed: DiscordEmbed = {
    title,
    ...(description ? { description } : {}),
    ...(url ? { url } : {}),
    color: style.color,
    fields,
    footer: { text: truncate(footer, DISCORD_LIMITS.footer) },
  };
  return {
    content: escapeWithin(
      `${style.emoji} ${style.label}: ${alert.title}`,
      DISCORD_LIMITS.content,
      escapeDiscord,
    ),
    embeds: [embed],
    allowed_mentions: { parse: [] },
  };
}

/** The characters Discord counts towards an embed's 6000 (title, description, fields, footer). */
export function discordEmbedLength(embed: DiscordEmbed): number {
  return (
    embed.title.length +
    (embed.description?.length ?? 0) +
    embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0) +
    embed.footer.text.length
  );
}
