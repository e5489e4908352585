/**
 * What we keep about each Whop object that can cost a merchant money. Whop is the source of truth; a
 * record is our reconciled copy of it plus what only we know (when and how we learnt each change).
 */
export type CaseKind = 'dispute' | 'dispute_alert' | 'refund' | 'resolution_case';

export const CASE_KINDS: readonly CaseKind[] = ['dispute', 'dispute_alert', 'refund', 'resolution_case'];

/** Where we learnt something: a webhook, the periodic sweep, or a backfill run by an operator. */
export type CaseSource = 'webhook' | 'sweep' | 'backfill';

/** A Whop object reduced to the fields we compare, index and alert on. Built by `fromWhop`. */
export interface CaseSnapshot {
  kind: CaseKind;
  id: string;
  companyId: string | null;
  paymentId: string | null;
  userId: string | null;
  /** In the currency's major unit, as Whop returns it (e.g. 49.0 for $49). */
  amount: number | null;
  currency: string | null;
  status: string;
  /** A dispute's reason ("Product Not Received"), a case's issue, an alert's type. */
  reason: string | null;
  /** `needs_response_by` for disputes, `due_date` for cases. ISO 8601. */
  dueAt: string | null;
  createdAt: string | null;
  /** Whop's own `updated_at`, where the object has one (cases). */
  updatedAt: string | null;
  /** Kind-specific facts later stages need (editable, appeal options, linked dispute …). */
  details: Record<string, unknown>;
  /** The full object as Whop returned it. */
  whop: Record<string, unknown>;
}

export interface CaseRecord extends CaseSnapshot {
  /** When the API read this record came from started; an older read never overwrites a newer one. */
  observedAt: string;
  firstSeenAt: string;
  lastChangedAt: string;
  lastSource: CaseSource;
  /** No further status change is possible (won, lost, refunded …). */
  final: boolean;
  /** Still something a merchant may have to act on or wait for. */
  open: boolean;
  /** Bumped on every write; the store uses it for compare-and-set. */
  version: number;
}

/** One line of a case's history: a change we learnt from Whop, or something an automation did about it. */
export type TimelineEntry = TimelineChange | TimelineAction;

export interface TimelineChange {
  at: string;
  source: CaseSource;
  /** `created`, or the fields that changed, old → new. */
  change: 'created' | Record<string, [unknown, unknown]>;
  webhookId?: string;
}

/** What an automation decided or did about the case (a refund on a dispute alert), worded. */
export interface TimelineAction {
  at: string;
  /** The automation: its feature's name. */
  source: 'refunds';
  change: 'action';
  action: {
    /** A machine code (`refund`, `refunded`, `dry_run`, `over_max_amount`, `membership_canceled` …). */
    code: string;
    /** The policy key that decided, where one did. */
    rule: string | null;
    /** The sentence a merchant reads. */
    reason: string;
    /** The record the automation keeps (e.g. the refund decision's id). */
    ref: string;
  };
}

/** A transition later stages attach to (evidence, alerts, reminders). */
export interface CaseEvent {
  /** Unique per record and transition: the dedupe key that makes each transition fire once. */
  id: string;
  type: CaseEventType;
  kind: CaseKind;
  caseId: string;
  companyId: string | null;
  status: string;
  previousStatus: string | null;
  dueAt: string | null;
  at: string;
  source: CaseSource;
}

export type CaseEventType =
  | 'dispute.opened'
  | 'dispute.needs_response'
  | 'dispute.under_review'
  | 'dispute.won'
  | 'dispute.lost'
  | 'dispute.closed'
  /** A dispute still needing a response got a new deadline: reminders move with it. */
  | 'dispute.due_changed'
  | 'dispute_alert.opened'
  | 'refund.succeeded'
  | 'refund.failed'
  | 'case.opened'
  | 'case.awaiting_merchant'
  | 'case.decided';

interface KindRules {
  /** Later stages rank higher; an older snapshot (lower rank) never replaces a newer one. */
  rank: Record<string, number>;
  /** Nothing follows these. */
  final: ReadonlySet<string>;
  /** Nothing for the merchant to do or wait for. */
  closed: ReadonlySet<string>;
}

export const KIND_RULES: Record<CaseKind, KindRules> = {
  dispute: {
    // An inquiry (warning_*) can escalate into a chargeback, so warning_closed is closed but not final.
    // `other` has no rank: the SDK calls it a catch-all in either phase (resources/disputes.ts).
    rank: {
      warning_needs_response: 1,
      warning_under_review: 2,
      warning_closed: 3,
      needs_response: 4,
      under_review: 5,
      won: 6,
      lost: 6,
      closed: 6,
    },
    final: new Set(['won', 'lost', 'closed']),
    closed: new Set(['won', 'lost', 'closed', 'warning_closed']),
  },
  dispute_alert: {
    rank: { alerted: 1 },
    final: new Set(['alerted']),
    closed: new Set(['alerted']),
  },
  refund: {
    rank: { pending: 1, requires_action: 2, succeeded: 3, failed: 3, canceled: 3 },
    final: new Set(['succeeded', 'failed', 'canceled']),
    closed: new Set(['succeeded', 'failed', 'canceled']),
  },
  // Cases carry updated_at, which decides order; the rank only breaks ties. A decided case can still be
  // appealed once, so only a withdrawal is final.
  resolution_case: {
    rank: {
      merchant_response_needed: 1,
      customer_response_needed: 1,
      merchant_info_needed: 1,
      customer_info_needed: 1,
      under_platform_review: 2,
      customer_won: 3,
      merchant_won: 3,
      customer_withdrew: 3,
    },
    final: new Set(['customer_withdrew']),
    closed: new Set(['customer_won', 'merchant_won', 'customer_withdrew']),
  },
};

/**
 * Statuses in which Whop waits for the merchant and a silent merchant loses: disputes and inquiries
 * that need a response, Resolution Center cases awaiting the merchant. Evidence, reminders, alerts and
 * case briefs all key off this one table.
 */
export const AWAITING_MERCHANT: Readonly<Record<CaseKind, ReadonlySet<string>>> = {
  dispute: new Set(['needs_response', 'warning_needs_response']),
  resolution_case: new Set(['merchant_response_needed', 'merchant_info_needed']),
  dispute_alert: new Set(),
  refund: new Set(),
};

/**
 * A status's place among its kind's stages; NaN for a status with no defined place (a dispute's `other`,
 * or one Whop adds later), so every comparison with it is false: neither earlier nor later.
 */
export function statusRank(kind: CaseKind, status: string): number {
  return KIND_RULES[kind].rank[status] ?? Number.NaN;
}
