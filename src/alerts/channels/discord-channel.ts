import { retryAfterMs } from '../../whop/whop-errors.js';
import type { Alert } from '../alert.js';
import { formatDiscord } from '../format-discord.js';
import type { AlertChannel } from './channel-error.js';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, postJson } from './post-json.js';

export interface DiscordChannelOptions {
  /** The webhook URL (https://discord.com/api/webhooks/<id>/<token>): a secret. */
  webhookUrl: string;
  timeoutMs?: number;
}

/**
 * How long a Discord 429 asks to wait: `retry_after` (seconds, fractional) in the JSON body, the
 * `Retry-After` header (whole seconds), `X-RateLimit-Reset-After`. When several are given the longest
 * wins — retrying sooner than any of them only earns another 429 (and repeated ones, a Cloudflare ban).
 */
export function discordRetryAfterMs(res: Response, body: string): number | undefined {
  const waits: number[] = [];
  try {
    const parsed = JSON.parse(body) as { retry_after?: unknown };
    const seconds = Number(parsed?.retry_after);
    if (parsed?.retry_after !== undefined && Number.isFinite(seconds) && seconds >= 0)
      waits.push(seconds * 1000);
  } catch {
    // Not JSON (Cloudflare's own 429 page): the headers may still say.
  }
  const header = retryAfterMs(res.headers);
  if (header !== undefined) waits.push(header);
  const resetAfter = Number(res.headers.get('x-ratelimit-reset-after') ?? Number.NaN);
  if (Number.isFinite(resetAfter) && resetAfter >= 0) waits.push(resetAfter * 1000);
  return waits.length > 0 ? Math.ceil(Math.max(...waits)) : undefined;
}

/** Posts alerts to a Discord webhook. Discord answers 204 (or 200 with `?wait=true`). */
export class DiscordChannel implements AlertChannel {
  private readonly timeoutMs: number;

  constructor(private readonly opts: DiscordChannelOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  }

  async send(alert: Alert): Promise<void> {
    await postJson(this.opts.webhookUrl, formatDiscord(alert), {
      channel: 'discord',
      timeoutMs: this.timeoutMs,
      rateLimitWaitMs: discordRetryAfterMs,
    });
  }
}
