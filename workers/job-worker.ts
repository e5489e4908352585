import {
  type ConnectionOptions,
  DelayedError,
  type Job,
  type Processor,
  RateLimitError,
  WaitingChildrenError,
  WaitingError,
  Worker,
} from 'bullmq';
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
  /** Told how long each attempt of a job took (seconds) and how it ended (metrics); must not throw. */
  observeJob?: JobObserver;
}

/**
 * How a job attempt ended, as the job-duration metric labels it: `completed`; `delayed`, put back on
 * purpose without using up an attempt (another job holds the dispute's lock, a deliberate wait: BullMQ's
 * DelayedError and its kin), which is no failure; `failed`, an error (retried or failed for good).
 */
export type JobOutcome = 'completed' | 'delayed' | 'failed';
export type JobObserver = (queue: string, outcome: JobOutcome, seconds: number) => void;

/** The errors with which a processor hands its job back to BullMQ on purpose: planned, not failures. */
const PLANNED = [DelayedError, RateLimitError, WaitingChildrenError, WaitingError];

/** The outcome of an attempt that threw `err`. */
export function thrownOutcome(err: unknown): Exclude<JobOutcome, 'completed'> {
  return PLANNED.some((E) => err instanceof E) ? 'delayed' : 'failed';
}

/** The processor, timed for `observe` when there is one. */
export function timedProcessor<T, R>(queue: string, processor: Processor<T, R>, observe?: JobObserver) {
  if (!observe) return processor;
  const timed: Processor<T, R> = async (job, token, signal) => {
    const started = performance.now();
    const done = (outcome: JobOutcome) => observe(queue, outcome, (performance.now() - started) / 1000);
    try {
      const result = await processor(job, token, signal);
      done('completed');
      return result;
    } catch (err) {
      done(thrownOutcome(err));
      throw err;
    }
  };
  return timed;
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
  const worker = new Worker<T>(
    input.queue,
    timedProcessor(input.queue, input.processor, options.observeJob),
    {
      connection: input.connection,
      concurrency: options.concurrency ?? input.defaultConcurrency,
      ...(options.lockDuration
        ? { lockDuration: options.lockDuration, stalledInterval: options.lockDuration }
        : {}),
      settings: {
        backoffStrategy: (attemptsMade, _type, err) =>
          backoffMs(attemptsMade, input.retryAfterOf(err), options.backoffBaseMs ?? 2000, input.maxBackoffMs),
      },
    },
  );
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
