import type { ALERT_CHANNELS } from '../../policy/alerts-section.js';
import type { Alert } from '../alert.js';

/** The channel names the policy file's `alerts` section routes by. */
export type ChannelName = (typeof ALERT_CHANNELS)[number];

/** Something that delivers alerts to one place. */
export interface AlertChannel {
  send(alert: Alert): Promise<void>;
}

/**
 * - `rate_limited`: the receiver asked us to slow down; retry no sooner than `retryAfterMs`.
 * - `unavailable`: 5xx, network error, timeout, SMTP 4xx — worth retrying with backoff.
 * - `rejected`: the receiver refused this message or our configuration (4xx other than 429, SMTP 5xx,
 *   bad credentials): retrying the same thing will fail again. Permanent.
 */
export type ChannelErrorCode = 'rate_limited' | 'unavailable' | 'rejected';

/** Without a hint from the receiver, a rate-limited send waits this long (Slack allows ~1 message/s). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 1000;

/**
 * A failed send, typed for the caller's retry decision. The message never contains the webhook URL or
 * SMTP credentials (a webhook URL is itself a secret: whoever has it can post).
 */
export class ChannelError extends Error {
  readonly channel: ChannelName;
  readonly code: ChannelErrorCode;
  /** Always set for `rate_limited`; for `unavailable` only when the receiver said how long to wait. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status or SMTP reply code, when there was one. */
  readonly status: number | undefined;
  /**
   * The message may have arrived: it had been sent in full when the connection failed or the answer
   * did not come in time (an HTTP timeout or reset after the request was written; SMTP, after the
   * server took DATA). Sending again could post it twice, so the caller does not (at most once per
   * alert and channel). False when nothing was sent (connection refused, DNS, TLS, a timeout while
   * connecting) or the receiver answered that it refused it: a retry cannot duplicate it.
   */
  readonly maybeDelivered: boolean;

  constructor(
    channel: ChannelName,
    code: ChannelErrorCode,
    message: string,
    opts: { retryAfterMs?: number; status?: number; cause?: unknown; maybeDelivered?: boolean } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ChannelError';
    this.channel = channel;
    this.code = code;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
    this.maybeDelivered = opts.maybeDelivered ?? false;
  }

  /** Retrying cannot help. */
  get permanent(): boolean {
    return this.code === 'rejected';
  }
}
