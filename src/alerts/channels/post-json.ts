import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { retryAfterMs } from '../../whop/whop-errors.js';
import { ChannelError, type ChannelName, DEFAULT_RATE_LIMIT_WAIT_MS } from './channel-error.js';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** Enough of a 4xx body to say why (Slack answers `invalid_payload`, Discord a JSON message). */
const DETAIL_MAX = 300;
/** More than any chat webhook answers; a longer body is cut (only its start is shown in errors). */
const BODY_MAX = 64 * 1024;

export interface PostJsonOptions {
  channel: ChannelName;
  timeoutMs: number;
  /**
   * How long a 429 asks us to wait, from the response (status and headers) and its already-read body;
   * undefined when it does not say. The default reads `Retry-After` (seconds or a date) and `retry-after-ms`.
   */
  rateLimitWaitMs?: (res: Response, body: string) => number | undefined;
}

/**
 * POSTs a JSON payload to a chat webhook and turns every failure into a ChannelError: 429 → rate_limited
 * (waiting what the receiver says, else a second); 5xx, network errors and timeouts → unavailable; any
 * other non-2xx → rejected. The URL appears in no error: it is the credential.
 *
 * Whether the message may have arrived (`ChannelError.maybeDelivered`) follows from how far the request
 * got, not from an error code: until the whole request was handed to the socket nothing the receiver
 * could act on left this process (connection refused, DNS, TLS, a timeout while connecting — undici's
 * ECONNREFUSED, ENOTFOUND, UND_ERR_CONNECT_TIMEOUT); after it, a timeout or a reset
 * (ECONNRESET, UND_ERR_SOCKET, a headers or body timeout) leaves the outcome unknown. Any answer with a
 * status is an outcome. Written on node:http rather than fetch, which does not say how far it got, and
 * with a connection of its own per message: a kept-alive socket the receiver closes as we write to it
 * would turn a harmless retry into an unknown outcome.
 */
export async function postJson(url: string, payload: unknown, opts: PostJsonOptions): Promise<void> {
  const res = await post(url, JSON.stringify(payload), opts);
  if (res.status >= 200 && res.status < 300) return;

  const { status, body } = res;
  const detail = body.trim().slice(0, DETAIL_MAX);
  const message = `${opts.channel} webhook answered ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    const response = new Response(null, { status, headers: res.headers });
    const wait = (opts.rateLimitWaitMs ?? ((r) => retryAfterMs(r.headers)))(response, body);
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

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * One POST on a fresh connection, answered or failed within `timeoutMs` in all. Resolves with any
 * answer that has a status (a body cut short by a timeout or a reset is kept as far as it came);
 * rejects with a ChannelError saying whether the request had gone out in full.
 */
function post(url: string, body: string, opts: PostJsonOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    /** The whole request was handed to the socket: from here on the receiver may act on it. */
    let written = false;
    let answer: Answer | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;

    const finish = (err?: { timedOut?: boolean; cause?: unknown }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      if (answer) {
        answer.body = Buffer.concat(chunks).toString('utf8');
        resolve(answer);
        return;
      }
      const why = err?.timedOut
        ? `timed out after ${opts.timeoutMs} ms`
        : `${written ? 'connection lost after the request was sent' : 'unreachable'}: ${networkCode(err?.cause)}`;
      reject(
        new ChannelError(opts.channel, 'unavailable', `${opts.channel} webhook ${why}`, {
          maybeDelivered: written,
          ...(err?.cause !== undefined ? { cause: err.cause } : {}),
        }),
      );
    };

    const req = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        agent: false,
      },
      (res: IncomingMessage) => {
        answer = { status: res.statusCode ?? 0, headers: headersOf(res), body: '' };
        res.on('data', (chunk: Buffer) => {
          if (size >= BODY_MAX) return;
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => finish());
        res.on('error', () => finish());
        res.on('close', () => finish());
      },
    );
    req.on('finish', () => {
      written = true;
    });
    req.on('error', (err) => finish({ cause: err }));
    const timer = setTimeout(() => finish({ timedOut: true }), opts.timeoutMs);
    req.end(body);
  });
}

function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header value Headers refuses (stray control characters): not one we read.
    }
  }
  return headers;
}

/** The error's code (ECONNREFUSED, ENOTFOUND, ECONNRESET, CERT_HAS_EXPIRED …), never the URL. */
function networkCode(err: unknown): string {
  const e = err as { code?: string; message?: string } | undefined;
  return e?.code ?? e?.message ?? 'closed without an answer';
}
