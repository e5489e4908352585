import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/logger/logger.js';
import {
  jobIdForWebhook,
  type WhopEventJob,
  whopEventJobOptions,
} from '../src/reconcile/whop-events-queue.js';
import { INBOX_STREAM } from '../src/redis/keys.js';
import { StreamRelay } from './stream-relay.js';

/**
 * Moves stored webhook events from the intake stream into the BullMQ queue; the job id comes from the
 * webhook id, so an entry relayed twice (after a crash) is one job.
 */
export function createInboxRelay(
  redis: Redis,
  queue: Queue<WhopEventJob>,
  log: Logger,
  options: { streamKey?: string; blockMs?: number } = {},
) {
  return new StreamRelay(redis, {
    stream: options.streamKey ?? INBOX_STREAM,
    group: 'relay',
    deleteAfter: true,
    log,
    ...(options.blockMs ? { blockMs: options.blockMs } : {}),
    deliver: async (entries) => {
      const jobs = [];
      const unreadable: string[] = [];
      for (const e of entries) {
        let data: WhopEventJob;
        try {
          data = JSON.parse(e.payload) as WhopEventJob;
        } catch {
          // Cannot happen for entries the intake wrote (it stores parsed JSON).
          log.error({ streamId: e.id }, 'unreadable inbox entry moved to the dead-letter stream');
          unreadable.push(e.id);
          continue;
        }
        jobs.push({
          name: data.event.type,
          data,
          opts: { ...whopEventJobOptions, jobId: jobIdForWebhook(data.webhookId) },
        });
      }
      if (jobs.length) await queue.addBulk(jobs);
      return unreadable;
    },
  });
}
