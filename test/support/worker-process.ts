import { type ChildProcess, spawn } from 'node:child_process';
import type { ServiceHarness } from './service-harness.js';

/**
 * A worker process as `npm run start:worker` runs it, pointed at the harness's Redis and simulator, for
 * tests that kill it (SIGKILL) mid-job. `CRASH_LOG=debug` shows its log.
 */
export function startWorkerProcess(harness: ServiceHarness, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: harness.redisUrl,
      WHOP_API_KEY: harness.sim.apiKey,
      WHOP_BASE_URL: harness.sim.baseURL,
      WHOP_WEBHOOK_SECRET: 'ws_unused_by_workers',
      LOG_LEVEL: process.env.CRASH_LOG ?? 'warn',
      WHOP_RATE_LIMIT: '1000',
      ...env,
    },
    stdio: process.env.CRASH_LOG ? 'inherit' : 'ignore',
  });
}
