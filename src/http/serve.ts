import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

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
    server.once('error', reject);
  });
}
