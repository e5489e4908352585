import { type Agent, request } from 'node:http';
import { connect } from 'node:net';
import { HTTP_ERRORS, isHttpErrorCode } from '../../src/errors/http-error.js';
import type { FuzzRequest } from './fuzz-requests.js';

/** What came back over the socket: an answer, or how the connection failed (reset, hang-up, timeout). */
export type WireOutcome = { status: number; contentType: string; body: Buffer } | { failure: string };

/**
 * Sends one FuzzRequest to 127.0.0.1:`port` over a real socket: HTTP requests through `agent` (a pooled
 * keep-alive client, as Whop's and merchants' senders are, so an answer that breaks the connection for
 * the next request shows), raw ones on a connection of their own, half-closed once written.
 */
export function sendOverSocket(
  port: number,
  agent: Agent,
  r: FuzzRequest,
  timeoutMs = 15_000,
): Promise<WireOutcome> {
  return 'raw' in r ? sendRaw(port, r.raw, timeoutMs) : sendHttp(port, agent, r, timeoutMs);
}

function sendHttp(
  port: number,
  agent: Agent,
  r: Exclude<FuzzRequest, { raw: Buffer }>,
  timeoutMs: number,
): Promise<WireOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: WireOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const req = request(
      { host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', (err) =>
          done({ failure: `response ${(err as NodeJS.ErrnoException).code ?? err.message}` }),
        );
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ failure: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (err) => done({ failure: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end(r.body);
  });
}

function sendRaw(port: number, bytes: Buffer, timeoutMs: number): Promise<WireOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `socket still open after ${timeoutMs} ms`;
      socket.destroy();
    }, timeoutMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (err) => {
      failure ??= (err as NodeJS.ErrnoException).code ?? err.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks);
      if (failure) return resolve({ failure });
      const head = text.subarray(0, Math.max(0, text.indexOf('\r\n\r\n'))).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(head);
      if (!status)
        return resolve({
          failure: `no HTTP answer: ${JSON.stringify(text.toString('latin1').slice(0, 200))}`,
        });
      resolve({
        status: Number(status[1]),
        contentType: /^content-type: *(.*)$/im.exec(head)?.[1]?.trim() ?? '',
        body: text.subarray(text.indexOf('\r\n\r\n') + 4),
      });
    });
  });
}

/**
 * What is wrong with an answer, or undefined: a failed connection, a 5xx, a status the request does not
 * allow, or a body that is not JSON; a refusal must be `{"error":{"code","message"}}` with a known code
 * whose status it has (src/errors/http-error.ts).
 */
export function problemWith(r: FuzzRequest, o: WireOutcome): string | undefined {
  if ('failure' in o) return `connection failed: ${o.failure}`;
  if (o.status >= 500) return `answered ${o.status}: ${o.body.toString().slice(0, 300)}`;
  if (!('raw' in r) && r.expect && !r.expect.includes(o.status)) {
    return `answered ${o.status}, expected ${r.expect.join(' or ')}: ${o.body.toString().slice(0, 300)}`;
  }
  if (!o.contentType.startsWith('application/json'))
    return `answered ${o.status} with Content-Type "${o.contentType}"`;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(o.body.toString());
  } catch {
    return `answered ${o.status} with a body that is not JSON: ${o.body.toString().slice(0, 200)}`;
  }
  if (o.status < 400) return undefined;
  const code = body.error?.code;
  if (typeof code !== 'string' || !isHttpErrorCode(code))
    return `refusal without a known error.code: ${o.body}`;
  if (HTTP_ERRORS[code].status !== o.status) return `code ${code} answered with ${o.status}`;
  if (typeof body.error?.message !== 'string' || body.error.message === '')
    return `refusal without a message: ${o.body}`;
  return undefined;
}

/** A request as a failure report shows it: long header values and bodies cut, bytes as escaped text. */
export function describeRequest(r: FuzzRequest): string {
  const cut = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);
  if ('raw' in r) return `${r.kind}\n  raw bytes: ${JSON.stringify(cut(r.raw.toString('latin1')))}`;
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `  ${k}: ${cut(JSON.stringify(v))}`)
    .join('\n');
  const body = r.body ? JSON.stringify(cut(r.body.toString('latin1'), 400)) : '(none)';
  return `${r.kind}\n  ${r.method} ${cut(r.path)}\n${headers}\n  body (${r.body?.length ?? 0} bytes): ${body}`;
}
