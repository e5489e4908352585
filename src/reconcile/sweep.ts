import type Whop from '@whop/sdk';
import { APIError } from '@whop/sdk';
import { CASE_KINDS, type CaseKind, type CaseSource } from '../cases/case-record.js';
import { fromWhop } from '../cases/from-whop.js';
import { listingDiffers } from '../cases/merge-snapshot.js';
import { faultPoint } from '../faults/fault-point.js';
import type { Logger } from '../logger/logger.js';
import type { CaseStore } from '../store/case-store.js';
import { hasMorePages } from '../whop/pagination.js';
import { isPermissionDenied, permissionDenial } from '../whop/permission-denial.js';
import {
  backoffMs,
  classifyWhopError,
  type PermissionDenial,
  WhopPermissionError,
} from '../whop/whop-errors.js';
import { type CaseReconciler, KIND_CALLS } from './case-reconciler.js';

/** What the sweep needs of the SDK's cursor pages, whatever the object type. */
interface ListPage {
  getPaginatedItems(): unknown[];
  hasNextPage(): boolean;
  getNextPage(): Promise<ListPage>;
}

export interface SweepOptions {
  /**
   * Companies from configuration; the store adds those Whop confirmed since (CaseStore.companies) and
   * tries once each those only an event named (CaseStore.unconfirmedCompanies).
   */
  companyIds: string[];
  source: CaseSource;
  /** Backfill: list everything created since then, ignoring watermarks. */
  since?: Date;
  /** First sweep of a company: how far back to list. */
  initialLookbackMs: number;
  /** Re-list this much before the last watermark, for objects whose creation Whop records late. */
  overlapMs?: number;
  /** Retries of one call on 429/5xx/network errors before giving up on it for this sweep. */
  attempts?: number;
  backoffBaseMs?: number;
  onProgress?: (p: SweepReport) => void;
  /** Told of each call Whop refused for want of a permission (403); the sweep goes on without it. */
  onRefused?: (denial: PermissionDenial) => void;
  /** Told of each record the sweep created or changed, as it goes (before the run's end). */
  onRecoveredItem?: (caseId: string) => Promise<void>;
  /**
   * Aborted when the process is shutting down: the sweep stops between calls (and cuts a backoff wait
   * short) and returns what it did. Unfinished listings keep their watermarks, so the next sweep
   * covers them; nothing is lost by stopping early.
   */
  signal?: AbortSignal;
}

export interface SweepReport {
  companies: number;
  listed: number;
  /** Listed items that were new or differed, re-read and merged. */
  reconciled: number;
  /** Open records not in any listing, re-read one by one. */
  reReadOpen: number;
  /** Records the sweep created or changed: events Whop never delivered (or not yet). */
  recovered: number;
  recoveredIds: string[];
  failed: number;
  /**
   * Companies Whop refused (403/404 on every listing) and no longer walked. A company only an event
   * named is tried this way once; its refusal is not counted in `failed`.
   */
  droppedCompanies: string[];
  /** The sweep was stopped (shutdown) before it finished. */
  stopped?: boolean;
}

/**
 * Recovers what webhooks missed. Per company and kind it lists objects created since the last sweep
 * (minus an overlap), re-reads only those that are new or differ from the store, then re-reads every
 * still-open record the listings did not cover. Its cost grows with new and open items, not with
 * history. A company/kind's watermark moves only when its listing completed without failures.
 */
export class Sweeper {
  constructor(
    private readonly whop: Whop,
    private readonly store: CaseStore,
    private readonly reconciler: CaseReconciler,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(opts: SweepOptions): Promise<SweepReport> {
    const startedAt = this.now();
    // Configured or given companies are remembered only once Whop lists them: a typo is not kept forever.
    const confirmed = await this.store.companies();
    const unconfirmed = new Set(await this.store.unconfirmedCompanies());
    for (const id of [...opts.companyIds, ...confirmed]) unconfirmed.delete(id);
    const companies = [...new Set([...opts.companyIds, ...confirmed, ...unconfirmed])].sort();
    const report: SweepReport = {
      companies: companies.length,
      listed: 0,
      reconciled: 0,
      reReadOpen: 0,
      recovered: 0,
      recoveredIds: [],
      failed: 0,
      droppedCompanies: [],
    };
    const covered = new Set<string>();

    const stopped = () => opts.signal?.aborted === true;
    for (const companyId of companies) {
      if (stopped()) break;
      const trial = unconfirmed.has(companyId);
      let refusals = 0;
      for (const kind of CASE_KINDS) {
        if (stopped()) break;
        const since = await this.listingStart(companyId, kind, startedAt, opts);
        const [failedBefore, refusalsBefore] = [report.failed, refusals];
        try {
          for await (const item of this.list(kind, companyId, since, opts)) {
            if (stopped()) break;
            report.listed++;
            const listed = fromWhop(kind, item);
            covered.add(listed.id);
            if (!listingDiffers(await this.store.get(listed.id), listed)) continue;
            report.reconciled++;
            await this.reconcileOne(kind, listed.id, opts, report, companyId);
          }
          await this.store.addCompanies([companyId]);
        } catch (err) {
          if (stopped()) break;
          const refused = isRefusal(err);
          if (refused) refusals++;
          if (!(refused && trial)) report.failed++;
          // A company on trial (named only by an event) that Whop refuses is not ours: no permission alert.
          if (isPermissionDenied(err) && !(refused && trial)) {
            opts.onRefused?.(permissionDenial(KIND_CALLS[kind].list, null, err));
          }
          this.log.warn(
            { companyId, kind, err: (err as Error).message },
            refused ? 'Whop refused the listing' : 'sweep listing failed; will retry next sweep',
          );
        }
        if (stopped()) break;
        if (report.failed === failedBefore && refusals === refusalsBefore && !opts.since) {
          await this.store.setSweepWatermark(companyId, kind, startedAt.toISOString());
        }
        opts.onProgress?.(report);
      }
      if (refusals === CASE_KINDS.length && !stopped()) {
        // Every listing refused: Whop does not know the company, or this key may not see it.
        await this.store.dropCompanies([companyId]);
        report.droppedCompanies.push(companyId);
        this.log.warn({ companyId }, 'company dropped: Whop refused every listing for it');
      }
    }

    for (const id of stopped() ? [] : await this.store.openIds()) {
      if (stopped()) break;
      if (covered.has(id)) continue;
      const record = await this.store.get(id);
      if (!record) continue;
      report.reReadOpen++;
      await this.reconcileOne(record.kind, id, opts, report);
      opts.onProgress?.(report);
    }
    if (stopped()) report.stopped = true;
    const { recoveredIds: _ids, ...counts } = report;
    const ms = this.now().getTime() - startedAt.getTime();
    this.log.info(
      { ...counts, ms },
      report.stopped ? 'sweep stopped early (shutting down)' : 'sweep finished',
    );
    return report;
  }

  private async listingStart(companyId: string, kind: CaseKind, startedAt: Date, opts: SweepOptions) {
    if (opts.since) return opts.since;
    const watermark = await this.store.sweepWatermark(companyId, kind);
    if (!watermark) return new Date(startedAt.getTime() - opts.initialLookbackMs);
    return new Date(Date.parse(watermark) - (opts.overlapMs ?? 60 * 60_000));
  }

  private async reconcileOne(
    kind: CaseKind,
    id: string,
    opts: SweepOptions,
    report: SweepReport,
    companyId?: string,
  ) {
    try {
      const result = await this.withRetries(
        () => this.reconciler.reconcile(kind, id, opts.source, { listedCompanyId: companyId }),
        opts,
      );
      if (result.outcome === 'created' || result.outcome === 'updated') {
        report.recovered++;
        report.recoveredIds.push(id);
        await opts.onRecoveredItem?.(id);
        faultPoint('sweep.after_reconcile');
      }
    } catch (err) {
      report.failed++;
      if (err instanceof WhopPermissionError) opts.onRefused?.(err.denial);
      this.log.warn(
        { caseId: id, kind, err: (err as Error).message },
        'sweep could not reconcile; will retry next sweep',
      );
    }
  }

  /** Pages through a list endpoint, each page with its own retries. */
  private async *list(kind: CaseKind, companyId: string, since: Date, opts: SweepOptions) {
    const query = { company_id: companyId, created_after: since.toISOString(), first: 100 };
    let page: ListPage = await this.withRetries(() => this.firstPage(kind, query), opts);
    for (;;) {
      for (const item of page.getPaginatedItems()) yield item as Record<string, unknown>;
      if (!hasMorePages(page)) return;
      const current = page;
      page = await this.withRetries(() => current.getNextPage(), opts);
    }
  }

  private async firstPage(
    kind: CaseKind,
    query: { company_id: string; created_after: string; first: number },
  ): Promise<ListPage> {
    // The stop signal is not handed to the SDK: it adds an abort listener per request to the signal and
    // never removes it (a process-long signal piled them up: MaxListenersExceededWarning). A call in
    // flight is bounded by the client's timeout; the sweep stops right after it.
    switch (kind) {
      case 'dispute':
        return this.whop.disputes.list(query);
      case 'dispute_alert':
        return this.whop.disputeAlerts.list(query);
      case 'refund':
        return this.whop.refunds.list(query);
      case 'resolution_case':
        return this.whop.resolutionCenterCases.list(query);
    }
  }

  private async withRetries<T>(fn: () => Promise<T>, opts: SweepOptions): Promise<T> {
    const attempts = opts.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const failure = classifyWhopError(err);
        if (failure.kind !== 'retry' || attempt >= attempts || opts.signal?.aborted) throw err;
        await abortableSleep(
          backoffMs(attempt, failure.retryAfterMs, opts.backoffBaseMs ?? 500, 30_000),
          opts.signal,
        );
        if (opts.signal?.aborted) throw err;
      }
    }
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** 403 (this key may not see the company) or 404 (no such company): waiting will not change the answer. */
function isRefusal(err: unknown): boolean {
  return err instanceof APIError && (err.status === 403 || err.status === 404);
}
