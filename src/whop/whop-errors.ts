import { APIConnectionError, APIError, NotFoundError } from '@whop/sdk';
import { UnrecoverableError } from 'bullmq';

/** How a failed call to Whop should be handled by the job that made it. */
export type WhopFailure =
  | { kind: 'retry'; retryAfterMs: number | undefined; reason: string }
  | { kind: 'not_found'; reason: string }
  | { kind: 'permanent'; reason: string };

/**
 * 429, 5xx, 408/409 and network errors are worth retrying (429 after what `Retry-After` says); a 404
 * may be Whop's read-your-writes lag just after a webhook, so the caller retries it a few times; 400,
 * 401, 403 and 422 will not get better by waiting.
 */
export function classifyWhopError(err: unknown): WhopFailure {
  if (err instanceof NotFoundError) return { kind: 'not_found', reason: 'whop answered 404' };
  if (err instanceof APIConnectionError)
    return { kind: 'retry', retryAfterMs: undefined, reason: err.message };
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    if (status === 429 || status === 408 || status === 409 || status >= 500) {
      return { kind: 'retry', retryAfterMs: retryAfterMs(err.headers), reason: `whop answered ${status}` };
    }
    return { kind: 'permanent', reason: `whop answered ${status}: ${whopMessage(err)}` };
  }
  // Not from the SDK (a bug of ours, a Redis hiccup in the limiter): retry, BullMQ bounds the attempts.
  return { kind: 'retry', retryAfterMs: undefined, reason: (err as Error)?.message ?? String(err) };
}

/** A failure worth retrying, carrying how long Whop asked us to wait (read by the worker's backoff). */
export class RetryableWhopError extends Error {
  readonly code = 'whop_retryable';
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = 'RetryableWhopError';
  }
}

/** For a worker's backoff: the wait Whop asked for (ms), when the error carries one. */
export function whopRetryAfterMs(err: Error | undefined): number | undefined {
  return err instanceof RetryableWhopError ? err.retryAfterMs : undefined;
}

/**
 * The one mapping from a failed Whop call to what its BullMQ job does next; the caller throws what this
 * returns. What waiting will not fix (400, 401, 403, 422) is an UnrecoverableError: the job fails at
 * once and stays in the failed set. The rest is a RetryableWhopError, retried with backoff and never
 * sooner than Whop's Retry-After. A 404 is given up on at once, unless `notFound` says the object may
 * not be readable yet (Whop's read-your-writes lag just after a webhook): then it is retried until the
 * job's `tries`-th attempt (`attemptsMade` counts those before this one) and given up on naming `what`.
 */
export function whopJobError(
  err: unknown,
  notFound?: { tries: number; attemptsMade: number; what: string },
): UnrecoverableError | RetryableWhopError {
  const failure = classifyWhopError(err);
  switch (failure.kind) {
    case 'permanent':
      return new UnrecoverableError(failure.reason);
    case 'not_found':
      if (!notFound) return new UnrecoverableError(failure.reason);
      if (notFound.attemptsMade + 1 >= notFound.tries)
        return new UnrecoverableError(`${notFound.what} still not found after ${notFound.tries} tries`);
      return new RetryableWhopError(failure.reason, undefined);
    case 'retry':
      return new RetryableWhopError(failure.reason, failure.retryAfterMs);
  }
}

/** Whop's `{"error": {"message"}}`, which the SDK leaves nested. */
export function whopMessage(err: APIError): string {
  const body = err.error as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? err.message;
}

export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** Exponential backoff with full jitter, never shorter than what Whop asked for. */
export function backoffMs(
  attempt: number,
  retryAfter: number | undefined,
  baseMs = 1000,
  capMs = 5 * 60_000,
) {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + Math.random() * (exp / 2);
  return Math.max(jittered, retryAfter ?? 0);
}
