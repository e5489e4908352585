import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Requires `Authorization: Bearer <token>`. Compared in constant time over SHA-256 digests, so neither
 * the content nor the length of the token leaks through timing. Every failure is a 401 with a JSON
 * error (hono's bearerAuth answers a malformed header with 400). Without a configured token the routes
 * are off: 503 says how to turn them on.
 */
export function bearerToken(token: string | undefined, variable: string): MiddlewareHandler {
  const expected = token ? digest(token) : undefined;
  return async (c, next) => {
    if (!expected) {
      return c.json({ error: { code: 'api_disabled', message: `set ${variable} to enable this API` } }, 503);
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: { code: 'unauthorized', message: 'missing or invalid bearer token' } }, 401);
    }
    await next();
  };
}
