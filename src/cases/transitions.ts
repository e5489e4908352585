import {
  AWAITING_MERCHANT,
  type CaseEvent,
  type CaseEventType,
  type CaseRecord,
  type CaseSource,
} from './case-record.js';

/** A transition and the key that makes it fire only once per record. */
export interface Transition {
  key: string;
  type: CaseEventType;
}

/**
 * The transitions a change of record means: what later stages (evidence, alerts, reminders) attach to.
 * Each has a key, and the store fires a key at most once per record, so duplicate or replayed changes
 * are harmless. Keys include what makes a repeat meaningful: an inquiry escalating to a chargeback needs
 * a second response; a case the customer answered can await the merchant again with a new due date.
 */
export function transitionsFor(previous: CaseRecord | undefined, next: CaseRecord): Transition[] {
  const out: Transition[] = [];
  const entered = (status: string) => next.status === status && previous?.status !== status;
  const isNew = previous === undefined;
  switch (next.kind) {
    case 'dispute': {
      if (isNew) out.push({ key: 'opened', type: 'dispute.opened' });
      if (entered('warning_needs_response') || entered('needs_response')) {
        out.push({ key: `needs_response:${next.status}`, type: 'dispute.needs_response' });
      }
      if (entered('warning_under_review') || entered('under_review')) {
        out.push({ key: `under_review:${next.status}`, type: 'dispute.under_review' });
      }
      const needsResponse = AWAITING_MERCHANT.dispute.has(next.status);
      if (
        needsResponse &&
        previous &&
        previous.status === next.status &&
        next.dueAt &&
        previous.dueAt !== next.dueAt
      ) {
        out.push({ key: `due:${next.dueAt}`, type: 'dispute.due_changed' });
      }
      if (entered('won')) out.push({ key: 'won', type: 'dispute.won' });
      if (entered('lost')) out.push({ key: 'lost', type: 'dispute.lost' });
      if (entered('closed') || entered('warning_closed')) {
        out.push({ key: `closed:${next.status}`, type: 'dispute.closed' });
      }
      break;
    }
    case 'dispute_alert':
      if (isNew) out.push({ key: 'opened', type: 'dispute_alert.opened' });
      break;
    case 'refund':
      if (entered('succeeded')) out.push({ key: 'succeeded', type: 'refund.succeeded' });
      if (entered('failed')) out.push({ key: 'failed', type: 'refund.failed' });
      break;
    case 'resolution_case': {
      if (isNew) out.push({ key: 'opened', type: 'case.opened' });
      const awaiting = AWAITING_MERCHANT.resolution_case.has(next.status);
      const wasAwaitingSame = previous?.status === next.status && previous?.dueAt === next.dueAt;
      if (awaiting && !wasAwaitingSame) {
        out.push({
          key: `awaiting_merchant:${next.status}:${next.dueAt ?? ''}`,
          type: 'case.awaiting_merchant',
        });
      }
      if (entered('customer_won') || entered('merchant_won') || entered('customer_withdrew')) {
        out.push({ key: `decided:${next.status}`, type: 'case.decided' });
      }
      break;
    }
  }
  return out;
}

export function toCaseEvent(
  t: Transition,
  previous: CaseRecord | undefined,
  next: CaseRecord,
  at: string,
  source: CaseSource,
): CaseEvent {
  return {
    id: `${next.id}:${t.key}`,
    type: t.type,
    kind: next.kind,
    caseId: next.id,
    companyId: next.companyId,
    status: next.status,
    previousStatus: previous?.status ?? null,
    dueAt: next.dueAt,
    at,
    source,
  };
}
