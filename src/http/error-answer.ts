import { STATUS_CODES } from 'node:http';
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

/**
 * The same answer as raw HTTP/1.1 bytes, for a socket no request object exists for (the parser refused
 * what came in), with `Connection: close`: nothing more can be read from that connection.
 */
export function rawErrorAnswer(err: HttpError): string {
  const body = JSON.stringify(err.toJSON());
  const lines = [
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? ''}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(err.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
