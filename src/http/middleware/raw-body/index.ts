import type { Context, MiddlewareHandler } from 'hono';

export type RawBodyVariables = { rawBody: Uint8Array };

/**
 * Reads the request body as bytes (signatures are over the exact bytes) and refuses one over `maxBytes`
 * without buffering it: by Content-Length before reading anything, or as soon as a chunked body passes
 * the limit. Hono's own bodyLimit touches `req.raw.body`, which pushes @hono/node-server off its fast
 * path for reading the body; on the webhook hot path that cost two thirds of the throughput.
 *
 * A body over the limit throws what `tooLarge` returns (an HttpError `payload_too_large` in this
 * service; the callback is also where a route counts it), for `app.onError` to answer — with
 * `Connection: close`: the rest of the body is never read, so the connection cannot carry another
 * request. Answered `keep-alive` and then closed, a pooled client sends its next request (the next
 * webhook delivery) into a dead socket and gets a reset (honojs/node-server#246).
 */
export function rawBody(options: {
  maxBytes: number;
  tooLarge: (c: Context) => Error;
}): MiddlewareHandler<{ Variables: RawBodyVariables }> {
  const { maxBytes } = options;
  const tooLarge = (c: Context) => {
    c.header('Connection', 'close');
    return options.tooLarge(c);
  };
  return async (c, next) => {
    const declared = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (declared !== undefined && !chunked) {
      if (Number(declared) > maxBytes) throw tooLarge(c);
      // Node's HTTP parser stops at Content-Length, so the declared size bounds what is read.
      c.set('rawBody', new Uint8Array(await c.req.arrayBuffer()));
      return next();
    }
    const bytes = await readUpTo(c.req.raw.body, maxBytes);
    if (bytes === null) throw tooLarge(c);
    c.set('rawBody', bytes);
    return next();
  };
}

/** The whole stream, or null as soon as it passes `maxBytes` (the rest is never read). */
async function readUpTo(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | null> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
