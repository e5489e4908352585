import { retryAfterMs } from '../../whop/whop-errors.js';
import { ChannelError, type ChannelName, DEFAULT_RATE_LIMIT_WAIT_MS } from './channel-error.js';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** Enough of a 4xx body to say why (Slack answers `invalid_payload`, Discord a JSON message). */
const DETAIL_MAX = 300;

export interface PostJsonOptions {
  channel: ChannelName;
  timeoutMs: number;
  /**
   * How long a 429 asks us to wait, from the response and its already-read body; undefined when it
   * does not say. The default reads `Retry-After` (seconds or a date) and `retry-after-ms`.
   */
  rateLimitWaitMs?: (res: Response, body: string) => number | undefined;
}

/**
 * POSTs a JSON payload to a chat webhook and turns every failure into a ChannelError: 429 → rate_limited
 * (waiting what the receiver says, else a second); 5xx, network errors and timeouts → unavailable; any
 * other non-2xx → rejected. The URL appears in no error: it is the credential.
 */
export async function postJson(url: string, payload: unknown, opts: PostJsonOptions): Promise<void> {
  let res: Response;
  let body: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    // Read the body under the same deadline, also to free the connection.
    body = await res.text();
  } catch (err) {
    const timedOut = (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
    const why = timedOut ? `timed out after ${opts.timeoutMs} ms` : describeNetworkError(err);
    throw new ChannelError(opts.channel, 'unavailable', `${opts.channel} webhook ${why}`);
  }
  if (res.ok) return;

  const status = res.status;
  const detail = body.trim().slice(0, DETAIL_MAX);
  const message = `${opts.channel} webhook answered ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    const wait = (opts.rateLimitWaitMs ?? ((r) => retryAfterMs(r.headers)))(res, body);
    throw new ChannelError(opts.channel, 'rate_limited', message, {
      status,
      retryAfterMs: wait ?? DEFAULT_RATE_LIMIT_WAIT_MS,
    });
  }
  if (status >= 500) {
    const wait = retryAfterMs(res.headers);
    throw new ChannelError(opts.channel, 'unavailable', message, {
      status,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    });
  }
  throw new ChannelError(opts.channel, 'rejected', message, { status });
}

/** undici's "fetch failed" says nothing; its cause has the code (ECONNREFUSED …). No URL either way. */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return `unreachable: ${cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err)}`;
}
