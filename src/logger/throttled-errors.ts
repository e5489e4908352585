import { format } from 'node:util';
import type { Logger } from './logger.js';

/** Anything that emits 'error' events: ioredis connections, BullMQ queues and workers. */
export interface ErrorEmitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * At most one line per message and `intervalMs`; the line after a quiet spell says how many it held
 * back. During a Redis outage every connection reports every reconnect attempt: hundreds of identical
 * lines a minute otherwise.
 */
export class Throttle {
  private readonly seen = new Map<string, { at: number; held: number }>();
  constructor(private readonly intervalMs: number) {}

  /** Undefined when this message was logged within the interval (it is counted); else how many were held back. */
  pass(message: string, now = Date.now()): { held: number } | undefined {
    const last = this.seen.get(message);
    if (last && now - last.at < this.intervalMs) {
      last.held++;
      return undefined;
    }
    this.seen.delete(message);
    this.seen.set(message, { at: now, held: 0 });
    // Bounded: the oldest message is forgotten (a forgotten one is merely logged again).
    if (this.seen.size > 200) this.seen.delete(this.seen.keys().next().value!);
    return { held: last?.held ?? 0 };
  }
}

const sharedThrottle = new Throttle(30_000);

/**
 * Logs an emitter's 'error' events through the logger as JSON, throttled per name and message across
 * all emitters (see Throttle; tests pass a throttle of their own). Attaching a
 * listener is also what stops ioredis (`[ioredis] Unhandled error event: …`) and BullMQ (a queue with no
 * listener prints the error object) from writing multi-line stack traces to stderr.
 */
export function logErrors(
  emitter: ErrorEmitter,
  log: Logger,
  what: string,
  options: { level?: 'warn' | 'error'; throttle?: Throttle } = {},
): void {
  const throttle = options.throttle ?? sharedThrottle;
  const level = options.level ?? 'warn';
  emitter.on('error', (err: Error) => {
    const message = err instanceof Error ? err.message : String(err);
    // Shared by every emitter of the same name: a process's many Redis connections fail together.
    const pass = throttle.pass(`${what}\u0000${message}`);
    if (!pass) return;
    log[level]({ err: message, ...(pass.held ? { repeated: pass.held } : {}) }, `${what} error`);
  });
}

/**
 * Routes `console.*` to the logger, throttled: libraries print there (BullMQ's eviction-policy warning,
 * its last-resort `console.error` of an unheard error event), and the service's output must stay one
 * JSON object per line. For the service process only (`src/main.ts`); one-line refusals at start are
 * written before it is installed, or straight to stderr.
 */
export function routeConsoleToLog(log: Logger, intervalMs = 30_000): void {
  const throttle = new Throttle(intervalMs);
  const route =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      // Errors by their message only: a stack trace is many lines of text inside one JSON string.
      const text = format(...args.map((a) => (a instanceof Error ? a.message : a)));
      const pass = throttle.pass(text);
      if (pass) log[level]({ source: 'console', ...(pass.held ? { repeated: pass.held } : {}) }, text);
    };
  console.debug = route('debug');
  console.log = route('info');
  console.info = route('info');
  console.warn = route('warn');
  console.error = route('error');
}
