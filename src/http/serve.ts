import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { HttpError } from '../errors/http-error.js';
import { rawErrorAnswer } from './error-answer.js';

/** How long a connection we close may keep sending before it is cut (ms). */
const LINGER_MS = 2_000;

/**
 * A lingering close (what nginx and Apache do): send our FIN after the answer, keep reading and
 * discarding what the client is still sending, and let go when it closes its side or after LINGER_MS.
 * Closing a socket with unread bytes makes the kernel send a reset, which can reach the client before
 * the answer does: a sender still writing a body we refused (413 for a body over the limit, answered
 * before it is read) got EPIPE instead of its 413.
 */
function lingeringClose(socket: Socket): void {
  if (socket.destroyed) return;
  socket.end();
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('end', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Node's parser refused the request (`clientError`): answer with our JSON error instead of Node's
 * bodiless one, and close gracefully. Node's default destroys the socket with the rest of the request
 * unread, which the kernel turns into a reset that can reach the client before the answer does. Here the
 * answer is sent with a FIN, what still arrives is drained, and the socket is cut only after LINGER_MS.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // A connection the client already broke, or one an answer has started on: nothing to say. (Not
  // `bytesWritten`: a keep-alive connection has written earlier answers, and its next request's refusal
  // must be answered too. `_httpMessage` is the answer in progress, as Node's own handler checks it.)
  const inProgress = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
    socket.destroy();
    return;
  }
  const refusal =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new HttpError('headers_too_large', 'request headers are over 16 KiB')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new HttpError('request_timeout', 'the request took too long to arrive')
        : new HttpError('malformed_request', 'the request is not valid HTTP/1.1');
  socket.write(rawErrorAnswer(refusal));
  lingeringClose(socket);
}

export interface RunningServer {
  port: number;
  /** Stops accepting, lets in-flight requests finish for up to `timeoutMs`, then cuts what is left. */
  close(timeoutMs: number): Promise<void>;
}

/** Anything with a fetch handler: the app, or a worker's metrics-only app. */
type Fetchable = { fetch: Parameters<typeof serve>[0]['fetch'] };

export function startHttpServer(app: Fetchable, port: number, hostname = '0.0.0.0'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        port: info.port,
        close: (timeoutMs) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            // Idle keep-alive sockets would otherwise hold close() open until they time out.
            server.closeIdleConnections();
          }),
      });
    }) as Server;
    server.on('clientError', answerClientError);
    // Node closes a `Connection: close` answer's socket with destroySoon(), unread bytes or not.
    server.on('connection', (socket: Socket) => {
      socket.destroySoon = () => lingeringClose(socket);
    });
    server.once('error', reject);
  });
}
