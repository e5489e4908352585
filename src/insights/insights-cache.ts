import type { Insights } from './load-insights.js';

/**
 * Insights read the whole store (about a second per 100,000 disputes), so a process computes them at
 * most once per `maxAgeMs` and every visitor in between gets that picture, which says when it was taken.
 * Visitors arriving while it is computed wait for the same computation. A failed computation is not
 * kept: the next visitor tries again.
 */
export class InsightsCache {
  private last: { at: number; value: Insights } | null = null;
  private pending: Promise<Insights> | null = null;

  constructor(
    private readonly compute: () => Promise<Insights>,
    private readonly maxAgeMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<Insights> {
    if (this.last && this.now() - this.last.at < this.maxAgeMs) return this.last.value;
    this.pending ??= this.compute()
      .then((value) => {
        this.last = { at: this.now(), value };
        return value;
      })
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
