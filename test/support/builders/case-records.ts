/**
 * Case records as the store makes them from Whop objects: one API read, the record a first read creates,
 * a replay of reads through merge + fire-once the way the reconciler and store do, and the Whop-derived
 * part of a record. Data only, no test framework.
 */
import type { CaseKind, CaseRecord, CaseSnapshot, CaseSource } from '../../../src/cases/case-record.js';
import { fromWhop } from '../../../src/cases/from-whop.js';
import { type MergeResult, mergeSnapshot } from '../../../src/cases/merge-snapshot.js';
import { transitionsFor } from '../../../src/cases/transitions.js';
import { at } from './fixture.js';
import type { WhopObject } from './whop-cases.js';

/** One API read: what Whop returned and when the read started. */
export interface Read {
  snapshot: CaseSnapshot;
  observedAt: string;
  source?: CaseSource;
}

export function read(kind: CaseKind, object: WhopObject, observedAt: string, source?: CaseSource): Read {
  return { snapshot: fromWhop(kind, object), observedAt, ...(source ? { source } : {}) };
}

/** A stored record, as the first read of `object` creates it. */
export function recordOf(kind: CaseKind, object: WhopObject, observedAt = at(0)): CaseRecord {
  return mergeSnapshot(undefined, fromWhop(kind, object), observedAt, 'webhook').record;
}

export interface Replay {
  record: CaseRecord | undefined;
  outcomes: MergeResult['outcome'][];
  /** Transition keys in the order they first fired; the store fires each key once per record. */
  fired: string[];
}

/**
 * Applies reads one after another the way the reconciler and store do: merge; on created/updated
 * write the record and fire each transition key not fired before for this record.
 */
export function replay(reads: readonly Read[]): Replay {
  let record: CaseRecord | undefined;
  const outcomes: MergeResult['outcome'][] = [];
  const fired = new Set<string>();
  for (const r of reads) {
    const merged = mergeSnapshot(record, r.snapshot, r.observedAt, r.source ?? 'webhook');
    outcomes.push(merged.outcome);
    if (merged.outcome === 'created' || merged.outcome === 'updated') {
      for (const t of transitionsFor(record, merged.record)) fired.add(t.key);
    }
    // As the reconciler does: an unchanged newer read is stored too (its read time moves forward).
    if (merged.outcome !== 'stale') record = merged.record;
  }
  return { record, outcomes, fired: [...fired] };
}

/** The Whop-derived part of a record (what Whop said), without our bookkeeping. */
export function snapshotPart(r: CaseSnapshot): CaseSnapshot {
  return {
    kind: r.kind,
    id: r.id,
    companyId: r.companyId,
    paymentId: r.paymentId,
    userId: r.userId,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    dueAt: r.dueAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    details: r.details,
    whop: r.whop,
  };
}

/** The record a newer read of `object` makes of `previous`; throws unless the merge accepted it. */
export function advance(previous: CaseRecord, object: WhopObject, observedAt: string): CaseRecord {
  const result = mergeSnapshot(previous, fromWhop(previous.kind, object), observedAt, 'webhook');
  if (result.outcome !== 'updated')
    throw new Error(`expected the read to update the record, got ${result.outcome}`);
  return result.record;
}
