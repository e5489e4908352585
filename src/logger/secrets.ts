import type { Config } from '../config/env.js';

/** Shorter values are not scrubbed from log text: they would match ordinary words and ids. */
const MIN_SECRET_LENGTH = 6;

/**
 * Every secret value the configuration holds, in the forms it could be written in: API key, webhook
 * secrets (as pasted and as base64 key), bearer tokens, and of the channel and Redis URLs both the
 * whole URL and the part that is the secret (a password, or a Slack or Discord webhook's path and token).
 */
export function secretsOf(config: Config): string[] {
  const out: (string | undefined)[] = [
    config.whopApiKey,
    config.adminToken,
    config.accessEventsToken,
    config.metricsToken,
  ];
  for (const key of config.webhookKeys) out.push(key.toString('utf8'), key.toString('base64'));
  const { slackWebhookUrl, discordWebhookUrl, smtpUrl } = config.alertChannels;
  for (const url of [slackWebhookUrl, discordWebhookUrl]) out.push(url, ...urlParts(url, 'path'));
  for (const url of [smtpUrl, config.redisUrl]) out.push(...urlParts(url, 'password'));
  if (smtpUrl) out.push(smtpUrl);
  return out.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
}

function urlParts(url: string | undefined, part: 'path' | 'password'): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    // A webhook URL's path, and its last segment: Slack's and Discord's token.
    const raw = part === 'path' ? u.pathname : u.password;
    const extra = part === 'path' ? [u.pathname.split('/').pop() ?? ''] : [];
    return raw ? [raw, decodeURIComponent(raw), ...extra] : [];
  } catch {
    return [url];
  }
}

/**
 * A function that replaces each secret in a log line with `[redacted]`, in every form a JSON line can
 * carry it (as is, JSON-escaped, URL-encoded, base64); undefined when there is nothing to scrub.
 */
export function secretScrubber(secrets: readonly string[]): ((line: string) => string) | undefined {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    for (const f of [
      s,
      JSON.stringify(s).slice(1, -1),
      encodeURIComponent(s),
      Buffer.from(s).toString('base64'),
      Buffer.from(s).toString('base64url'),
    ]) {
      forms.add(f);
    }
  }
  // Longest first, so a secret containing another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return undefined;
  return (line) => {
    let out = line;
    for (const f of ordered) if (out.includes(f)) out = out.split(f).join('[redacted]');
    return out;
  };
}
