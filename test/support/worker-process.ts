import { type ChildProcess, spawn } from 'node:child_process';
import type { FaultPoint } from '../../src/faults/fault-point.js';
import type { ServiceHarness } from './service-harness.js';
import { testSecret } from './signed-webhook.js';

/**
 * A worker process as `npm run start:worker` runs it, pointed at the harness's Redis and simulator.
 * `faultPoint` arms one of src/faults/fault-point.ts: the process SIGKILLs itself there. Its output is
 * shown with CRASH_LOG=<level> (e.g. `CRASH_LOG=info npx vitest run test/crash-windows.test.ts`).
 */
export function startWorkerProcess(
  harness: Pick<ServiceHarness, 'redisUrl' | 'sim'>,
  env: Record<string, string>,
  faultPoint?: FaultPoint,
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: harness.redisUrl,
      WHOP_API_KEY: harness.sim.apiKey,
      WHOP_BASE_URL: harness.sim.baseURL,
      WHOP_WEBHOOK_SECRET: testSecret('unused by workers'),
      LOG_LEVEL: process.env.CRASH_LOG ?? 'warn',
      WHOP_RATE_LIMIT: '1000',
      ...env,
      ...(faultPoint ? { DA_FAULT_POINT: faultPoint } : {}),
    },
    stdio: process.env.CRASH_LOG ? 'inherit' : 'ignore',
  });
}

/** Resolves with the signal that ended the process (null when it exited by itself), or rejects after `timeoutMs`. */
export function exitOf(proc: ChildProcess, timeoutMs = 30_000): Promise<NodeJS.Signals | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.signalCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker process still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
    proc.once('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}
