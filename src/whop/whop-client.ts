import Whop from '@whop/sdk';
import type { RateLimiter } from './rate-limiter.js';

/**
 * The `Api-Version-Date` the pinned `@whop/sdk` 0.0.42 was generated for (its `client.ts`:
 * `version = readEnv('WHOP_API_VERSION') ?? '2026-07-20'`). Whop shapes its responses by this date;
 * the SDK's types, and our parsing, describe this version only. Pinned in code so that an operator's
 * `WHOP_API_VERSION` (or `WHOP_CUSTOM_HEADERS`) cannot change response shapes under us. Upgrade it
 * together with the SDK: `whop-client.test.ts` fails when the SDK's default moves.
 */
export const WHOP_API_VERSION_DATE = '2026-07-20';

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
 * call first takes a slot from the shared rate limiter. Every request carries `WHOP_API_VERSION_DATE`.
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
    // `version` alone would beat WHOP_API_VERSION; the default header also beats a
    // WHOP_CUSTOM_HEADERS line naming Api-Version-Date (the SDK merges ours over the env's).
    version: WHOP_API_VERSION_DATE,
    defaultHeaders: { 'Api-Version-Date': WHOP_API_VERSION_DATE },
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 30_000,
    fetch: limitedFetch,
    logLevel: 'off',
  });
}
