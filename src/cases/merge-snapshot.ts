import {
  type CaseRecord,
  type CaseSnapshot,
  type CaseSource,
  KIND_RULES,
  statusRank,
} from './case-record.js';
import { COMPARED_FIELDS } from './from-whop.js';

export type FieldChanges = Record<string, [unknown, unknown]>;

export type MergeResult =
  | { outcome: 'created'; record: CaseRecord; changes: FieldChanges }
  | { outcome: 'updated'; record: CaseRecord; changes: FieldChanges }
  | { outcome: 'unchanged' | 'stale'; record: CaseRecord; reason?: string };

/**
 * Decides what a freshly read snapshot does to the stored record. Webhooks arrive late, twice and out of
 * order, and two reads of one object can finish in either order, so:
 * - a snapshot with an older Whop `updated_at` loses, a newer one wins (where the object has one);
 * - an earlier stage (lower status rank) never replaces a later one: a lagging read, not news;
 * - at the same stage, the read that started later wins;
 * - statuses with no defined place (a dispute's `other`, "a catch-all … treat as informational" in the
 *   SDK's resources/disputes.ts) are neither earlier nor later than any other: the later read wins;
 * - a final status (won, lost, refunded …) has no order against anything either: Whop defines none
 *   between `won`, `lost` and `closed` (WHOP-REFERENCE.md), so a later read that says otherwise is
 *   news (its transition fires), and only an earlier read is stale.
 * Pure: no I/O, no clock (the caller passes when its read started).
 */
export function mergeSnapshot(
  current: CaseRecord | undefined,
  incoming: CaseSnapshot,
  observedAt: string,
  source: CaseSource,
): MergeResult {
  const rules = KIND_RULES[incoming.kind];
  const derived = {
    final: rules.final.has(incoming.status),
    open: !rules.closed.has(incoming.status),
  };
  if (!current) {
    const record: CaseRecord = {
      ...incoming,
      ...derived,
      observedAt,
      firstSeenAt: observedAt,
      lastChangedAt: observedAt,
      lastSource: source,
      version: 1,
    };
    return { outcome: 'created', record, changes: {} };
  }

  const staleReason = whyStale(current, incoming, observedAt);
  if (staleReason) return { outcome: 'stale', record: current, reason: staleReason };

  const changes = diff(current, incoming);
  if (Object.keys(changes).length === 0) {
    // Nothing changed, but a newer read still counts: it must beat older reads that arrive after it.
    const record =
      observedAt > current.observedAt ? { ...current, observedAt, version: current.version + 1 } : current;
    return { outcome: 'unchanged', record };
  }
  return {
    outcome: 'updated',
    changes,
    record: {
      ...current,
      ...incoming,
      ...derived,
      observedAt: observedAt > current.observedAt ? observedAt : current.observedAt,
      lastChangedAt: observedAt,
      lastSource: source,
      version: current.version + 1,
    },
  };
}

function whyStale(current: CaseRecord, incoming: CaseSnapshot, observedAt: string): string | undefined {
  if (current.updatedAt && incoming.updatedAt) {
    if (incoming.updatedAt < current.updatedAt) return 'older updated_at';
    if (incoming.updatedAt > current.updatedAt) return undefined;
  }
  const rankDelta = statusRank(incoming.kind, incoming.status) - statusRank(current.kind, current.status);
  // Unordered (a final record, or a status with no rank) or the same stage: only the reads' order counts.
  if (current.final || Number.isNaN(rankDelta) || rankDelta === 0) {
    return observedAt < current.observedAt ? 'older read' : undefined;
  }
  return rankDelta < 0 ? 'earlier status' : undefined;
}

/** Field-by-field differences worth recording, old → new. */
export function diff(current: CaseSnapshot, incoming: CaseSnapshot): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of COMPARED_FIELDS) {
    const before = current[field];
    const after = incoming[field];
    if (field === 'details') {
      for (const key of new Set([...Object.keys(current.details), ...Object.keys(incoming.details)])) {
        const b = current.details[key];
        const a = incoming.details[key];
        if (JSON.stringify(b) !== JSON.stringify(a)) changes[`details.${key}`] = [b ?? null, a ?? null];
      }
    } else if (before !== after) {
      changes[field] = [before, after];
    }
  }
  return changes;
}

/** Fields every list response carries, so a listed item can be compared with the stored record. */
const LISTED_FIELDS = ['status', 'amount', 'dueAt', 'reason', 'updatedAt'] as const;

/**
 * Whether a listed item (Whop's slimmer list shape) says something the stored record does not. Only
 * those items are re-read in full, which keeps a sweep's cost to what is new or changed.
 */
export function listingDiffers(record: CaseRecord | undefined, listed: CaseSnapshot): boolean {
  if (!record) return true;
  // A case listing has no amount (its payment is only { id }): null there means unknown, not changed.
  return LISTED_FIELDS.some((f) => record[f] !== listed[f] && !(f === 'amount' && listed.amount === null));
}
