import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../errors/http-error.js';
import { onError } from '../../error-answer.js';
import { startHttpServer } from '../../serve.js';
import { type RawBodyVariables, rawBody } from './index.js';

const tooLarge = () => new HttpError('payload_too_large', 'too large');

function app(maxBytes: number) {
  const a = new Hono<{ Variables: RawBodyVariables }>();
  a.post('/', rawBody({ maxBytes, tooLarge }), (c) => c.text(String(c.get('rawBody').byteLength)));
  a.onError(onError);
  return a;
}

function streamOf(chunks: number, chunkBytes: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(chunkBytes).fill(97));
    },
  });
  return { body, pulled: () => pulled };
}

describe('rawBody', () => {
  it('passes the exact bytes through', async () => {
    const a = new Hono<{ Variables: RawBodyVariables }>();
    a.post('/', rawBody({ maxBytes: 100, tooLarge }), (c) => c.json([...c.get('rawBody')]));
    const res = await a.request('/', { method: 'POST', body: new Uint8Array([0, 255, 10, 13]) });
    expect(await res.json()).toEqual([0, 255, 10, 13]);
  });

  it('takes a body at the limit and refuses one byte more by Content-Length, without reading it', async () => {
    expect(await (await app(10).request('/', { method: 'POST', body: 'x'.repeat(10) })).text()).toBe('10');
    const s = streamOf(100, 10);
    const res = await app(10).request('/', {
      method: 'POST',
      body: s.body,
      headers: { 'content-length': '11' },
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    expect(s.pulled()).toBeLessThanOrEqual(1);
  });

  it('stops reading a chunked body as soon as it passes the limit', async () => {
    const s = streamOf(1000, 1024);
    const res = await app(8 * 1024).request('/', { method: 'POST', body: s.body, duplex: 'half' });
    expect(res.status).toBe(413);
    expect(s.pulled()).toBeLessThan(20);
  });

  it('reads a chunked body under the limit whole', async () => {
    const s = streamOf(5, 1000);
    const res = await app(8 * 1024).request('/', { method: 'POST', body: s.body, duplex: 'half' });
    expect(await res.text()).toBe('5000');
  });

  it('answers 413 with Connection: close on a real server, and closes the socket (no keep-alive promise it breaks)', async () => {
    const server = await startHttpServer(
      app(8 * 1024) as unknown as Parameters<typeof startHttpServer>[0],
      0,
      '127.0.0.1',
    );
    try {
      // A raw socket sending a chunked body past the limit: what comes back, and whether the server ends it.
      const answer = await new Promise<{ head: string; ended: boolean }>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1');
        let text = '';
        let ended = false;
        const chunk = `400\r\n${'a'.repeat(1024)}\r\n`;
        let timer: NodeJS.Timeout | undefined;
        socket.on('connect', () => {
          socket.write(
            'POST / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n',
          );
          timer = setInterval(() => socket.writable && socket.write(chunk), 5);
        });
        socket.on('data', (d) => {
          text += d;
        });
        socket.on('error', () => {});
        socket.on('close', () => {
          ended = true;
          clearInterval(timer);
          resolve({ head: text.split('\r\n\r\n')[0] ?? '', ended });
        });
        setTimeout(() => {
          clearInterval(timer);
          socket.destroy();
          reject(new Error(`socket still open; got ${JSON.stringify(text)}`));
        }, 5000);
      });
      expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.head.toLowerCase()).toContain('connection: close');
      expect(answer.head.toLowerCase()).not.toContain('keep-alive');
      expect(answer.ended).toBe(true);

      // A pooled client (one keep-alive socket) sends the next request on a fresh connection: no reset.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const post = (body: Buffer) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port: server.port, method: 'POST', path: '/', agent },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          // Written in pieces without a length: chunked, as a streaming client sends it.
          for (let i = 0; i < body.length; i += 1024) req.write(body.subarray(i, i + 1024));
          req.end();
        });
      expect(await post(Buffer.alloc(64 * 1024, 97))).toBe(413);
      expect(await post(Buffer.alloc(100, 97))).toBe(200);
      agent.destroy();
    } finally {
      await server.close(1000);
    }
  });
});
