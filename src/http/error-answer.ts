import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HttpError } from '../errors/http-error.js';
import type { RequestLog } from './middleware/request-logger/index.js';

/**
 * The one place an error becomes an answer: the code's status and headers, and
 * `{"error":{"code","message"},...fields}` as the body.
 */
export function renderError(c: Context, err: HttpError): Response {
  const { headers } = err;
  if (headers) for (const name in headers) c.header(name, headers[name]);
  return c.json(err.toJSON(), err.status);
}

/** `app.onError`: an HttpError is answered as it says; anything else is a bug, logged and answered 500. */
export const onError: ErrorHandler = (err, c) => {
  if (err instanceof HttpError) return renderError(c, err);
  (c.get('log') as RequestLog | undefined)?.error({ err }, 'unhandled error');
  return renderError(c, new HttpError('internal_error', 'internal error'));
};

/** `app.notFound`: no route matched the method and path. */
export const notFound: NotFoundHandler = (c) => renderError(c, new HttpError('not_found', 'no such route'));
