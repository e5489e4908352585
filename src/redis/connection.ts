import { Redis, type RedisOptions } from 'ioredis';

/**
 * The HTTP intake must never hang and never answer 2xx for an event Redis did not take. So its connection
 * queues nothing while disconnected and gives up on a command after `commandTimeoutMs`; the handler then
 * answers 503 and Whop retries. ioredis keeps reconnecting in the background, so recovery needs no restart.
 */
export function createIntakeRedis(url: string, commandTimeoutMs = 1500): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 1000),
    lazyConnect: false,
  } satisfies RedisOptions);
}

/**
 * Workers (BullMQ) wait for Redis rather than fail: a job is safe in Redis, so a blip only delays it.
 * BullMQ requires `maxRetriesPerRequest: null` for its blocking connections.
 */
export function createWorkerRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(100 * 2 ** times, 5000),
  } satisfies RedisOptions);
}

/**
 * Resolves when the connection is ready, or after `timeoutMs` regardless: the service starts even with
 * Redis down (it answers 503 and `/readyz` says why), but on a normal start it should not answer 503s
 * merely because the first connection is still being made.
 */
export function waitUntilReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
