import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../errors/http-error.js';
import { onError } from '../../error-answer.js';
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
});
