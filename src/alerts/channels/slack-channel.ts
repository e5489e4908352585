import type { Alert } from '../alert.js';
import { formatSlack } from '../format-slack.js';
import type { AlertChannel } from './channel-error.js';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, postJson } from './post-json.js';

export interface SlackChannelOptions {
  /** The incoming webhook URL (https://hooks.slack.com/services/…): a secret. */
  webhookUrl: string;
  timeoutMs?: number;
}

/**
 * Posts alerts to a Slack incoming webhook. Slack answers 200 `ok`; 429 with `Retry-After` in seconds;
 * 400/403/404/410 (`invalid_payload`, `action_prohibited`, `no_service`, `channel_is_archived`) for what
 * no retry fixes.
 */
export class SlackChannel implements AlertChannel {
  private readonly timeoutMs: number;

  constructor(private readonly opts: SlackChannelOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  }

  async send(alert: Alert): Promise<void> {
    await postJson(this.opts.webhookUrl, formatSlack(alert), { channel: 'slack', timeoutMs: this.timeoutMs });
  }
}
