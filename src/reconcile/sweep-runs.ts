import type { Redis } from 'ioredis';
import { sweepRunRecoveredKey } from '../redis/keys.js';

/** A day (seconds): far longer than a sweep and its retries take. */
const RUN_TTL_S = 24 * 3600;

/**
 * What each sweep run recovered, kept in Redis as the run goes. A run killed part-way is retried under
 * the same run id; what the first try recovered is no longer new to the retry (it is in the store now),
 * so without this record the "recovered by the sweep" alert would leave it out, or never be sent.
 */
export class SweepRuns {
  constructor(private readonly redis: Redis) {}

  async addRecovered(runId: string, caseId: string): Promise<void> {
    await this.redis
      .multi()
      .sadd(sweepRunRecoveredKey(runId), caseId)
      .expire(sweepRunRecoveredKey(runId), RUN_TTL_S)
      .exec();
  }

  /** Every case id the run (all its tries) recovered, sorted. */
  async recovered(runId: string): Promise<string[]> {
    return (await this.redis.smembers(sweepRunRecoveredKey(runId))).sort();
  }
}
