import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Whop from '@whop/sdk';
import { startWhopSimulator, type WhopSimulator, type WhopSimulatorOptions } from '../../simulator/index.js';

/** A simulator with fast webhook retries; always close it in afterEach/afterAll. */
export async function startSim(options: WhopSimulatorOptions = {}): Promise<WhopSimulator> {
  return startWhopSimulator({
    ...options,
    webhook: { retryDelaysMs: [20, 40, 80], timeoutMs: 2_000, ...options.webhook },
  });
}

/** The real SDK pointed at the simulator, exactly as the product will build it. */
export function sdkFor(sim: WhopSimulator, maxRetries = 0): Whop {
  return new Whop({
    apiKey: sim.apiKey,
    baseURL: sim.baseURL,
    webhookKey: btoa(sim.webhookSecret),
    maxRetries,
    timeout: 5_000,
  });
}

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  status: number;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next requests with these statuses (then 200). */
  respondWith(...statuses: number[]): void;
  close(): Promise<void>;
}

function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** A tiny HTTP server standing in for the product's webhook endpoint: keeps raw bodies and headers. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queue: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = queue.shift() ?? 200;
      received.push({
        headers: flatHeaders(req.headers),
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        at: Date.now(),
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/whop`,
    received,
    respondWith: (...statuses) => queue.push(...statuses),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Collects every item of an SDK list (auto-paginating). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
