import { SeededRandom } from './random.js';

/**
 * Fault injection. Everything is off by default. Rates are fractions (0..1) decided by a seeded
 * PRNG; "next N" queues are exact and take precedence over rates. All of it can be changed
 * while the simulator runs (`sim.faults.set({...})`).
 *
 * Routes are written as the request log writes them: `GET /disputes`, `GET /disputes/:id`,
 * `POST /payments/:id/refund`, …
 */
export interface FaultOptions {
  /** PRNG seed for every probabilistic decision (API faults, webhook faults, reorder shuffles). */
  seed?: number;
  /** Delay added before each API response: a fixed number or a uniform range. */
  latencyMs?: number | { min: number; max: number };
  /** Restrict the latency to these routes (e.g. `POST /disputes/:id/submit_evidence`); null: every route. */
  latencyRoutes?: string[] | null;
  /** Fraction of API requests answered 429. */
  rateLimitRate?: number;
  /** `Retry-After` (seconds, may be fractional) on injected 429s. Default 1. */
  retryAfterSeconds?: number;
  /** A real limiter like Whop's documented 600 requests / minute per route and API key. Off by default. */
  rateLimitPerMinute?: number | null;
  /** Fraction of API requests answered with a 5xx. */
  serverErrorRate?: number;
  /** Status for injected server errors. Default 500. */
  serverErrorStatus?: number;
  /** Restrict the rate-based faults above to these routes. */
  routes?: string[] | null;
  /** Objects created less than this many ms ago answer 404 on retrieve (read-your-writes lag). */
  readLagMs?: number;
  /** With readLagMs, also leave such objects out of list responses. */
  readLagAffectsLists?: boolean;
  /** Fraction of webhook events never delivered. */
  webhookDropRate?: number;
  /** Fraction of webhook events delivered twice (same webhook-id). */
  webhookDuplicateRate?: number;
  /** Hold events for this many ms, then release everything held in shuffled order. */
  webhookReorderWindowMs?: number;
}

export type ApiFault =
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  | { kind: 'server_error'; status: number; phase: 'before' | 'after' };

interface QueuedApiFault {
  remaining: number;
  route: string | null;
  fault: ApiFault;
}

export interface FailNextOptions {
  /** Default 500. Any status works (e.g. 408 or 409, which the SDK also retries). */
  status?: number;
  /** Only requests to this route consume the fault. */
  route?: string;
  /**
   * `before` (default): the request fails without any effect.
   * `after`: the handler runs (a refund is created, evidence submitted…) and then the client
   * gets the error anyway, as when a response is lost. The SDK will retry a POST.
   */
  phase?: 'before' | 'after';
}

export class FaultController {
  private options: FaultOptions;
  private rng: SeededRandom;
  private queued: QueuedApiFault[] = [];
  private dropNext = 0;
  private duplicateNext = 0;
  private readonly windows = new Map<string, number[]>();

  constructor(initial: FaultOptions = {}) {
    this.options = { ...initial };
    this.rng = new SeededRandom(initial.seed ?? 1);
  }

  get current(): Readonly<FaultOptions> {
    return this.options;
  }

  get random(): SeededRandom {
    return this.rng;
  }

  /** Merge new settings (pass `undefined`/0 to turn one off). A new `seed` restarts the PRNG. */
  set(partial: FaultOptions): void {
    this.options = { ...this.options, ...partial };
    if (partial.seed !== undefined) this.rng = new SeededRandom(partial.seed);
  }

  /** Turn every fault off and forget queued ones (the PRNG keeps its seed). */
  reset(): void {
    this.options = { seed: this.options.seed };
    this.queued = [];
    this.dropNext = 0;
    this.duplicateNext = 0;
    this.windows.clear();
  }

  /** The next `n` matching API requests fail with a 5xx. */
  failNext(n: number, opts: FailNextOptions = {}): void {
    this.queued.push({
      remaining: n,
      route: opts.route ?? null,
      fault: { kind: 'server_error', status: opts.status ?? 500, phase: opts.phase ?? 'before' },
    });
  }

  /** The next `n` matching API requests get a 429 with `Retry-After`. */
  rateLimitNext(n: number, opts: { retryAfterSeconds?: number; route?: string } = {}): void {
    this.queued.push({
      remaining: n,
      route: opts.route ?? null,
      fault: {
        kind: 'rate_limit',
        retryAfterSeconds: opts.retryAfterSeconds ?? this.options.retryAfterSeconds ?? 1,
      },
    });
  }

  /** The next `n` webhook events are never delivered. */
  dropNextWebhooks(n: number): void {
    this.dropNext += n;
  }

  /** The next `n` webhook events are delivered twice. */
  duplicateNextWebhooks(n: number): void {
    this.duplicateNext += n;
  }

  latencyMs(route?: string): number {
    const l = this.options.latencyMs;
    if (!l) return 0;
    const only = this.options.latencyRoutes;
    if (only && (!route || !only.includes(route))) return 0;
    if (typeof l === 'number') return l;
    return this.rng.int(l.min, l.max);
  }

  /** Decides whether an authenticated API request fails. */
  decideApi(route: string, apiKey: string, nowMs = Date.now()): ApiFault | null {
    const queuedIdx = this.queued.findIndex(
      (q) => q.remaining > 0 && (q.route === null || q.route === route),
    );
    if (queuedIdx >= 0) {
      const q = this.queued[queuedIdx] as QueuedApiFault;
      q.remaining -= 1;
      if (q.remaining <= 0) this.queued.splice(queuedIdx, 1);
      return q.fault;
    }

    const perMinute = this.options.rateLimitPerMinute;
    if (perMinute && perMinute > 0) {
      const key = `${apiKey} ${route}`;
      const window = (this.windows.get(key) ?? []).filter((t) => t > nowMs - 60_000);
      if (window.length >= perMinute) {
        this.windows.set(key, window);
        const retryAfter = Math.max(1, Math.ceil(((window[0] as number) + 60_000 - nowMs) / 1000));
        return { kind: 'rate_limit', retryAfterSeconds: retryAfter };
      }
      window.push(nowMs);
      this.windows.set(key, window);
    }

    const routes = this.options.routes;
    if (routes && !routes.includes(route)) return null;
    if (this.rng.chance(this.options.rateLimitRate)) {
      return { kind: 'rate_limit', retryAfterSeconds: this.options.retryAfterSeconds ?? 1 };
    }
    if (this.rng.chance(this.options.serverErrorRate)) {
      return { kind: 'server_error', status: this.options.serverErrorStatus ?? 500, phase: 'before' };
    }
    return null;
  }

  /** True if an object created at `createdRealMs` is still invisible to reads. */
  isLagging(createdRealMs: number, nowMs = Date.now()): boolean {
    const lag = this.options.readLagMs;
    return !!lag && nowMs - createdRealMs < lag;
  }

  decideWebhook(): { drop: boolean; duplicate: boolean } {
    if (this.dropNext > 0) {
      this.dropNext -= 1;
      return { drop: true, duplicate: false };
    }
    if (this.duplicateNext > 0) {
      this.duplicateNext -= 1;
      return { drop: false, duplicate: true };
    }
    const drop = this.rng.chance(this.options.webhookDropRate);
    const duplicate = !drop && this.rng.chance(this.options.webhookDuplicateRate);
    return { drop, duplicate };
  }

  reorderWindowMs(): number {
    return this.options.webhookReorderWindowMs ?? 0;
  }
}
