import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../../logger/logger.js';

export type RequestLoggerVariables = { requestId: string; log: Logger };

/**
 * Gives every request a child logger carrying its request id (set by hono's requestId middleware, which
 * must run first), so every line a request writes can be found together; logs one line when it ends.
 */
export function requestLogger(logger: Logger): MiddlewareHandler<{ Variables: RequestLoggerVariables }> {
  return async (c, next) => {
    const log = logger.child({ reqId: c.get('requestId') });
    c.set('log', log);
    const started = performance.now();
    await next();
    const status = c.res.status;
    const fields = {
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) log.warn(fields, 'request failed');
    else log.info(fields, 'request');
  };
}
