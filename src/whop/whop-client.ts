import Whop from '@whop/sdk';
import type { RateLimiter } from './rate-limiter.js';
import { whopRouteTemplate } from './route-template.js';

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
  /** Told about every HTTP call once it has an answer or failed (metrics); must not throw. */
  onCall?: (call: WhopCallObservation) => void;
}

/** One HTTP call to Whop, as `onCall` hears of it. */
export interface WhopCallObservation {
  /** `GET /disputes/:id`: a template, never a raw id (see route-template.ts); `other` outside the SDK's routes. */
  route: string;
  /** The HTTP status as text (`200`, `429` …), or `error` when no answer came (network, timeout, abort). */
  status: string;
  /** From sending the request to its response headers (or the failure), in seconds; the rate limiter's wait is not counted. */
  seconds: number;
}

/** Whop's base URL when none is configured (the SDK's default). */
const DEFAULT_BASE_URL = 'https://api.whop.com/api/v1';

/**
 * The SDK client every worker uses. Its own retries are off: they would hold a worker slot through
 * `Retry-After` waits with no cap, and would resend non-idempotent POSTs (refunds, evidence submission)
 * without an idempotency key. Retries happen at the job level instead (see whop-errors.ts). Every HTTP
 * call first takes a slot from the shared rate limiter. Every request carries `WHOP_API_VERSION_DATE`.
 */
export function createWhopClient(opts: WhopClientOptions): Whop {
  const limiter = opts.limiter;
  const baseURL = opts.baseURL ?? DEFAULT_BASE_URL;
  const limitedFetch: typeof fetch = async (input, init) => {
    await limiter?.acquire(init?.signal ?? undefined);
    if (!opts.onCall) return fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const route = whopRouteTemplate(init?.method ?? 'GET', url, baseURL);
    const started = performance.now();
    const observe = (status: string) =>
      opts.onCall?.({ route, status, seconds: (performance.now() - started) / 1000 });
    try {
      const res = await fetch(input, init);
      observe(String(res.status));
      return res;
    } catch (err) {
      observe('error');
      throw err;
    }
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
