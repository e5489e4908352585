import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from '../../../errors/http-error.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Requires `Authorization: Bearer <token>`, the scheme in any case (RFC 7235 §2.1: schemes are
 * case-insensitive; clients send `bearer`). Compared in constant time over SHA-256 digests, so neither
 * the content nor the length of the token leaks through timing. Every failure throws HttpError
 * `unauthorized` (401 with `WWW-Authenticate: Bearer`; hono's bearerAuth answers a malformed header
 * with 400). Without a configured token the routes are off: `api_disabled` (503) names `variable`,
 * the setting that turns them on.
 */
export function bearerToken(token: string | undefined, variable: string): MiddlewareHandler {
  const expected = token ? digest(token) : undefined;
  return async (c, next) => {
    if (!expected) throw new HttpError('api_disabled', `set ${variable} to enable this API`);
    const header = c.req.header('authorization') ?? '';
    // RFC 7235: the scheme in any case, then spaces (tabs tolerated). Not `\s`: that also matches
    // NO-BREAK SPACE and other Unicode spaces, which a Latin-1 header can carry.
    const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      throw new HttpError('unauthorized', 'missing or invalid bearer token');
    }
    await next();
  };
}
