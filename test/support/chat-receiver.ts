import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the receiver saw it, and what it answered. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. `/services/T000/B000/XXXX`. */
  path: string;
  /** Lower-cased names, as Node gives them. */
  headers: Record<string, string>;
  raw: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  /** Date.now() when the request arrived. */
  at: number;
  /** The status answered. */
  status: number;
}

/** A scripted answer for one request. */
export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (for client timeouts). */
  delayMs?: number;
  /** Instead of answering, reset the connection (after reading the whole request, and `delayMs`). */
  reset?: boolean;
}

export interface RateLimitOptions {
  retryAfterSeconds: number;
  /**
   * `header`: Slack's way (`Retry-After` in whole seconds, rounded up, body `rate_limited`);
   * `body`: Discord's JSON `{ message, retry_after, global }` alone; `both`: Discord as it really answers,
   * the JSON body plus `Retry-After`.
   */
  style?: 'header' | 'body' | 'both';
}

/**
 * A local stand-in for a Slack or Discord incoming webhook: a real HTTP server on 127.0.0.1 with an
 * OS-picked port that records every request and answers 2xx, unless scripted to fail the next requests
 * first (429 with Retry-After, 5xx, any status, or a slow answer).
 */
export class ChatReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: ScriptedResponse[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.handle(req, res));

  private constructor(private readonly success: ScriptedResponse) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /**
   * `flavor` picks the success answer: Slack's `200 ok` (text/plain) or Discord's `204` with no body.
   */
  static async start(opts: { flavor?: 'slack' | 'discord'; port?: number } = {}): Promise<ChatReceiver> {
    const success: ScriptedResponse =
      opts.flavor === 'discord'
        ? { status: 204 }
        : { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
    const receiver = new ChatReceiver(success);
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port><path>`; a webhook URL the way Slack or Discord hand them out. */
  url(path = '/webhook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Answer the next requests with these, in order, before going back to success. */
  respondNext(...responses: ScriptedResponse[]): this {
    this.script.push(...responses);
    return this;
  }

  /** The next `n` requests get 429 with a Retry-After in Slack's or Discord's form. */
  rateLimitNext(n: number, opts: RateLimitOptions): this {
    const style = opts.style ?? 'header';
    const headers: Record<string, string> = {};
    let body = 'rate_limited';
    if (style === 'header' || style === 'both')
      headers['retry-after'] = String(Math.ceil(opts.retryAfterSeconds));
    if (style === 'body' || style === 'both') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify({
        message: 'You are being rate limited.',
        retry_after: opts.retryAfterSeconds,
        global: false,
      });
    }
    for (let i = 0; i < n; i++) this.script.push({ status: 429, headers, body });
    return this;
  }

  /** The next `n` requests get `status` (500 unless said). */
  failNext(n: number, status = 500, body = 'internal error'): this {
    for (let i = 0; i < n; i++) this.script.push({ status, body, headers: { 'content-type': 'text/plain' } });
    return this;
  }

  /** Resolves once at least `count` requests have arrived (default 1), or rejects after `timeoutMs`. */
  waitForRequests(count = 1, timeoutMs = 5000): Promise<ReceivedRequest[]> {
    if (this.requests.length >= count) return Promise.resolve(this.requests.slice());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} requests, got ${this.requests.length}`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.requests.slice());
        },
      });
    });
  }

  async close(): Promise<void> {
    // Slow scripted answers keep sockets open; close them rather than wait.
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const answer = this.script.shift() ?? this.success;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = String(v);
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers,
      raw,
      body,
      at: Date.now(),
      status: answer.status,
    });
    for (const w of this.waiters.filter((w) => this.requests.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (res.destroyed) return;
    if (answer.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body ?? '');
  }
}

export function startChatReceiver(
  opts: { flavor?: 'slack' | 'discord'; port?: number } = {},
): Promise<ChatReceiver> {
  return ChatReceiver.start(opts);
}

/** An alert's title as posted (Slack's header block, Discord's embed title), without the severity emoji. */
export function alertTitle(body: unknown): string {
  const b = body as { blocks?: { type: string; text?: { text?: string } }[]; embeds?: { title?: string }[] };
  const title = b.embeds?.[0]?.title ?? b.blocks?.find((x) => x.type === 'header')?.text?.text ?? '';
  return title.replace(/^[^A-Za-z0-9$]+/u, '');
}
