import { type ConnectionOptions, type Job, type Processor, Worker } from 'bullmq';
import type { Logger } from '../src/logger/logger.js';
import { logErrors } from '../src/logger/throttled-errors.js';
import { backoffMs } from '../src/whop/whop-errors.js';

/** Options every worker process's queues share; tests shorten the timings. */
export interface JobWorkerOptions {
  concurrency?: number;
  /** Base of the exponential backoff between attempts. */
  backoffBaseMs?: number;
  /** A crashed worker's job is taken over once its lock lapses; checked as often as the lock lasts. */
  lockDuration?: number;
  /** Told about a job that failed for good (alerts). */
  onFailedForGood?: (job: Job, err: Error) => Promise<void>;
}

/**
 * A BullMQ worker with the project's policies in one place: exponential backoff with jitter that never
 * retries sooner than the far side asked (`retryAfterOf` reads it from the error), stalled-job takeover
 * after the lock duration, and failures logged — at error level, and reported, once final.
 */
export function createJobWorker<T>(input: {
  queue: string;
  connection: ConnectionOptions;
  processor: Processor<T>;
  log: Logger;
  /** What the logs call this worker's jobs ("whop event", "evidence job" …). */
  label: string;
  retryAfterOf: (err: Error | undefined) => number | undefined;
  defaultConcurrency: number;
  maxBackoffMs?: number;
  options: JobWorkerOptions;
}) {
  const { options, log, label } = input;
  const worker = new Worker<T>(input.queue, input.processor, {
    connection: input.connection,
    concurrency: options.concurrency ?? input.defaultConcurrency,
    ...(options.lockDuration
      ? { lockDuration: options.lockDuration, stalledInterval: options.lockDuration }
      : {}),
    settings: {
      backoffStrategy: (attemptsMade, _type, err) =>
        backoffMs(attemptsMade, input.retryAfterOf(err), options.backoffBaseMs ?? 2000, input.maxBackoffMs),
    },
  });
  worker.on('failed', (job, err) => {
    const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError';
    if (final && job) options.onFailedForGood?.(job, err).catch(() => {});
    log[final ? 'error' : 'warn'](
      { jobId: job?.id, name: job?.name, attempts: job?.attemptsMade, err: err.message, final },
      final ? `${label} failed for good` : `${label} failed; will retry`,
    );
  });
  logErrors(worker, log, `${label} worker`, { level: 'error' });
  return worker;
}
