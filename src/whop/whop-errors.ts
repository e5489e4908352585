import { APIConnectionError, APIError, NotFoundError } from '@whop/sdk';
import { UnrecoverableError } from 'bullmq';
import type { WhopCall } from './permissions.js';

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
  if (err instanceof WhopPermissionError) return { kind: 'permanent', reason: err.message };
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

/**
 * A call Whop refused with 403 on the object a job is about (a dispute to reconcile, to stage evidence
 * for, to submit): waiting will not help, so the job fails for good, and its failed-for-good alert names
 * the call, the object and the permission. Built by `permissionDenial` (permission-denial.ts). Its name
 * stays `UnrecoverableError`: BullMQ and our workers recognise a final failure by that name.
 */
export class WhopPermissionError extends UnrecoverableError {
  readonly code = 'whop_permission_denied';
  constructor(readonly denial: PermissionDenial) {
    const on = denial.objectId ? ` on ${denial.objectId}` : '';
    super(`whop answered 403 to ${denial.call}${on}: ${deniedBecause(denial)}`);
    this.name = 'UnrecoverableError';
  }
}

/** What a 403 told us (and what it did not): see `permissionDenial`. */
export interface PermissionDenial {
  call: WhopCall;
  /** The object the call was about (`dp_…`), or null for a list. */
  objectId: string | null;
  /** The permission Whop's message named ("Required permission: <perm>": the first one missing), or null. */
  named: string | null;
  /** What the key may lack: `named` first, then the call's others no successful call proved granted. */
  permissions: string[];
  /** Whop's own message. */
  whopMessage: string;
}

/** "the API key lacks X (Whop names the first missing one; the call also needs Y, Z)" and the like. */
export function deniedBecause(d: PermissionDenial): string {
  const others = d.permissions.filter((p) => p !== d.named);
  if (d.named) {
    return (
      `the API key lacks ${d.named}` +
      (others.length ? ` (Whop names the first missing one; ${d.call} also needs ${others.join(', ')})` : '')
    );
  }
  // A 403 naming no permission: Whop's answer to a key without access to the object's company, too.
  return (
    `${d.whopMessage} (the API key may lack access to this company` +
    (others.length ? `, or one of ${others.join(', ')})` : ')')
  );
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
  // Already says which call wanted which permission: kept whole for the failed-for-good alert.
  if (err instanceof WhopPermissionError) return err;
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
