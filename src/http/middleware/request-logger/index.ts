import type { MiddlewareHandler } from 'hono';
import { LOGIN_LINK_PATH } from '../../../dashboard/login-links.js';
import type { Logger } from '../../../logger/logger.js';

type Level = 'error' | 'warn' | 'info' | 'debug';
/** The logging calls a request handler makes; every line carries the request id. */
export type RequestLog = Pick<Logger, Level>;
export type RequestLoggerVariables = { requestId: string; log: RequestLog };

/**
 * Gives every request a logger carrying its request id (set by hono's requestId middleware, which must
 * run first), so every line a request writes can be found together, and logs one line when it ends:
 * successes at debug (webhook traffic is high-volume and counted in /metrics), client errors at info,
 * server errors at warn. The pino child is made only when a line is actually written: child() with
 * redaction costs more than the rest of a webhook request's bookkeeping.
 */
export function requestLogger(logger: Logger): MiddlewareHandler<{ Variables: RequestLoggerVariables }> {
  return async (c, next) => {
    let child: Logger | undefined;
    const line =
      (level: Level) =>
      (...args: Parameters<Logger[Level]>) => {
        if (!logger.isLevelEnabled(level)) return;
        child ??= logger.child({ reqId: c.get('requestId') });
        child[level](...args);
      };
    c.set('log', { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') });
    const started = performance.now();
    await next();
    const status = c.res.status;
    const level = status >= 500 ? 'warn' : status >= 400 ? 'info' : 'debug';
    c.get('log')[level](
      {
        method: c.req.method,
        path: loggedPath(c.req.path),
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  };
}

/**
 * Paths whose rest is a secret (a login link's code: used, unknown or live, it is never logged, issue 14).
 * Matched case-insensitively and whether or not a route serves the path (a 404 or 401 logs it too).
 */
const SECRET_PATH_PREFIXES = [`${LOGIN_LINK_PATH}/`];

/** `path` as a request line logs it: `/login/<code>` becomes `/login/[redacted]`; other paths as is. */
export function loggedPath(path: string): string {
  const lower = path.toLowerCase();
  for (const prefix of SECRET_PATH_PREFIXES) {
    if (lower.startsWith(prefix) && path.length > prefix.length)
      return `${path.slice(0, prefix.length)}[redacted]`;
  }
  return path;
}
