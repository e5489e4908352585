import type { Config } from '../src/config/env.js';
import type { Logger } from '../src/logger/logger.js';
import { createWhopEventsQueue } from '../src/queue/whop-events-queue.js';
import { createWorkerRedis } from '../src/redis/connection.js';
import { InboxRelay } from './inbox-relay.js';
import { createWhopEventWorker, type WhopEventHandler } from './whop-event-worker.js';

export interface RunningWorkers {
  /** Stops taking work, lets running jobs finish (bounded by the caller), closes Redis. */
  close(): Promise<void>;
}

/** Everything a worker process runs. Any number of these may share one Redis. */
export async function startWorkers(
  config: Config,
  log: Logger,
  handler: WhopEventHandler,
): Promise<RunningWorkers> {
  const queueRedis = createWorkerRedis(config.redisUrl);
  const relayRedis = createWorkerRedis(config.redisUrl);
  const workerRedis = createWorkerRedis(config.redisUrl);
  const queue = createWhopEventsQueue(queueRedis);
  const relay = new InboxRelay(relayRedis, queue, log.child({ component: 'inbox-relay' }));
  await relay.start();
  const worker = createWhopEventWorker(workerRedis, handler, log.child({ component: 'whop-event-worker' }));
  log.info('workers started');

  return {
    async close() {
      await relay.stop();
      await worker.close();
      await queue.close();
      await Promise.allSettled([queueRedis.quit(), relayRedis.quit(), workerRedis.quit()]);
    },
  };
}
