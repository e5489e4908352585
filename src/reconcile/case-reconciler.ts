import type Whop from '@whop/sdk';
import type { CaseKind, CaseSnapshot, CaseSource } from '../cases/case-record.js';
import { fromWhop } from '../cases/from-whop.js';
import { type MergeResult, mergeSnapshot } from '../cases/merge-snapshot.js';
import { toCaseEvent, transitionsFor } from '../cases/transitions.js';
import type { Logger } from '../logger/logger.js';
import { type CaseStore, VersionConflict } from '../store/case-store.js';
import { primaryCall } from '../whop/permission-denial.js';
import type { WhopCall } from '../whop/permissions.js';
import { CompanyResolver } from './company-resolver.js';

export interface ReconcileResult {
  outcome: MergeResult['outcome'];
  /** Transition keys that fired with this write (none for unchanged or stale). */
  fired: string[];
}

const MAX_CONFLICT_RETRIES = 5;

/** The SDK calls that read and list each kind of object (their permissions: src/whop/permissions.ts). */
export const KIND_CALLS = {
  dispute: { retrieve: 'disputes.retrieve', list: 'disputes.list' },
  dispute_alert: { retrieve: 'disputeAlerts.retrieve', list: 'disputeAlerts.list' },
  refund: { retrieve: 'refunds.retrieve', list: 'refunds.list' },
  resolution_case: { retrieve: 'resolutionCenterCases.retrieve', list: 'resolutionCenterCases.list' },
} as const satisfies Record<CaseKind, { retrieve: WhopCall; list: WhopCall }>;

export interface ReconcileMeta {
  webhookId?: string;
  /** The company the event's envelope named (`envelopeCompanyId`): a hint Whop has not confirmed. */
  companyHint?: string | undefined;
  /** The company whose listing returned the object (the sweep): Whop's own answer. */
  listedCompanyId?: string | undefined;
}

/**
 * Brings one stored record in line with Whop: read the object by id, merge (pure), write with
 * compare-and-set. Thin on purpose: what a snapshot means is decided in src/cases.
 */
export class CaseReconciler {
  private readonly companies: CompanyResolver;

  constructor(
    private readonly whop: Whop,
    private readonly store: CaseStore,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.companies = new CompanyResolver(whop, store, log);
  }

  /** Reads the object from Whop. SDK errors propagate; the caller classifies them. */
  async fetch(kind: CaseKind, id: string): Promise<Record<string, unknown>> {
    switch (kind) {
      case 'dispute':
        return (await this.whop.disputes.retrieve(id)) as unknown as Record<string, unknown>;
      case 'dispute_alert':
        return (await this.whop.disputeAlerts.retrieve(id)) as unknown as Record<string, unknown>;
      case 'refund':
        return (await this.whop.refunds.retrieve(id)) as unknown as Record<string, unknown>;
      case 'resolution_case':
        return (await this.whop.resolutionCenterCases.retrieve(id)) as unknown as Record<string, unknown>;
    }
  }

  async reconcile(
    kind: CaseKind,
    id: string,
    source: CaseSource,
    meta: ReconcileMeta = {},
  ): Promise<ReconcileResult> {
    // Taken before the read: a read that started later wins ties against this one.
    const observedAt = this.now().toISOString();
    // Without the permission to read it the object cannot be recorded: a 403 becomes a
    // WhopPermissionError naming the call, the object and the permission (failed for good, alerted).
    const read = fromWhop(kind, await primaryCall(KIND_CALLS[kind].retrieve, id, () => this.fetch(kind, id)));
    const company = await this.companies.resolve(read, {
      envelope: meta.companyHint,
      listing: meta.listedCompanyId,
      stored: read.companyId ? null : (await this.store.get(id))?.companyId,
    });
    // Before the record: a crash in between leaves a confirmed company walked, never a record unwalked.
    if (company.companyId && company.confirmed) await this.store.addCompanies([company.companyId]);
    // Only what this event said is tried by the sweep; a stored company it refused stays refused.
    else if (company.companyId && company.source === 'envelope') {
      await this.store.addUnconfirmedCompanies([company.companyId]);
    }
    return this.apply({ ...read, companyId: company.companyId }, observedAt, source, meta);
  }

  /** Merges a snapshot read at `observedAt` into the store; retries on a concurrent write. */
  async apply(
    read: CaseSnapshot,
    observedAt: string,
    source: CaseSource,
    meta: ReconcileMeta = {},
  ): Promise<ReconcileResult> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.store.get(read.id);
      // `reconcile` resolved the company; one resolved as none keeps what the record had.
      const companyId = read.companyId ?? current?.companyId ?? null;
      const snapshot = companyId === read.companyId ? read : { ...read, companyId };
      const merged = mergeSnapshot(current, snapshot, observedAt, source);
      if (merged.outcome === 'unchanged' || merged.outcome === 'stale') {
        this.log.debug({ caseId: snapshot.id, outcome: merged.outcome, reason: merged.reason }, 'reconciled');
        // An unchanged but newer read is recorded (no timeline entry, no transition) so it wins ties.
        if (current && merged.record.version !== current.version) {
          try {
            await this.store.apply(current.version, merged.record, undefined, []);
          } catch (err) {
            if (!(err instanceof VersionConflict) || attempt >= MAX_CONFLICT_RETRIES) throw err;
            continue;
          }
        }
        return { outcome: merged.outcome, fired: [] };
      }
      const next = merged.record;
      const transitions = transitionsFor(current, next).map((t) => ({
        key: t.key,
        event: toCaseEvent(t, current, next, observedAt, source),
      }));
      const timeline = {
        at: observedAt,
        source,
        change: merged.outcome === 'updated' ? merged.changes : ('created' as const),
        ...(meta.webhookId ? { webhookId: meta.webhookId } : {}),
      };
      try {
        const fired = await this.store.apply(current?.version ?? 0, next, timeline, transitions);
        this.log.info(
          { caseId: next.id, kind: next.kind, status: next.status, outcome: merged.outcome, source, fired },
          'case record updated',
        );
        return { outcome: merged.outcome, fired };
      } catch (err) {
        if (!(err instanceof VersionConflict) || attempt >= MAX_CONFLICT_RETRIES) throw err;
      }
    }
  }
}
