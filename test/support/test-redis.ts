import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startTestRedis } from './redis-server.js';

/**
 * A throwaway Redis for the tests of one file: started before them, emptied before each, stopped after.
 * `url` and `client` are set once the file's first beforeAll ran; read them in tests and hooks. The
 * client can also carry BullMQ queues (`maxRetriesPerRequest: null`).
 */
export function useTestRedis() {
  let server: Awaited<ReturnType<typeof startTestRedis>> | undefined;
  const ctx = { url: '', client: undefined as unknown as Redis };
  beforeAll(async () => {
    server = await startTestRedis();
    ctx.url = server.url;
    ctx.client = new Redis(server.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    ctx.client?.disconnect();
    await server?.close();
  });
  beforeEach(async () => {
    await ctx.client.flushdb();
  });
  return ctx;
}
