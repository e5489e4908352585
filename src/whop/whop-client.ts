import Whop from '@whop/sdk';
import type { RateLimiter } from './rate-limiter.js';

export interface WhopClientOptions {
  apiKey: string;
  baseURL?: string | undefined;
  limiter?: RateLimiter;
  timeoutMs?: number;
}

/**
 * The SDK client every worker uses. Its own retries are off: they would hold a worker slot through
 * `Retry-After` waits with no cap, and would resend non-idempotent POSTs (refunds, evidence submission)
 * without an idempotency key. Retries happen at the job level instead (see whop-errors.ts). Every HTTP
 * call first takes a slot from the shared rate limiter.
 */
export function createWhopClient(opts: WhopClientOptions): Whop {
  const limiter = opts.limiter;
  const limitedFetch: typeof fetch = async (input, init) => {
    await limiter?.acquire(init?.signal ?? undefined);
    return fetch(input, init);
  };
  return new Whop({
    apiKey: opts.apiKey,
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 30_000,
    fetch: limitedFetch,
    logLevel: 'off',
  });
}
