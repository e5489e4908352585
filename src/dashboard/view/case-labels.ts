import { humanize } from '../../alerts/wording.js';
import type { CaseRecord } from '../../cases/case-record.js';

/** What a merchant calls a record: an inquiry is a dispute still in its `warning_*` phase. */
export type CaseLabel = 'Chargeback' | 'Inquiry' | 'Resolution case' | 'Dispute alert' | 'Refund';

export function isInquiry(record: Pick<CaseRecord, 'kind' | 'status'>): boolean {
  return record.kind === 'dispute' && record.status.startsWith('warning_');
}

export function caseLabel(record: Pick<CaseRecord, 'kind' | 'status'>): CaseLabel {
  switch (record.kind) {
    case 'dispute':
      return isInquiry(record) ? 'Inquiry' : 'Chargeback';
    case 'resolution_case':
      return 'Resolution case';
    case 'dispute_alert':
      return 'Dispute alert';
    case 'refund':
      return 'Refund';
  }
}

/** Whop's status in words, without the inquiry prefix the kind label already says. */
export function statusLabel(status: string): string {
  return humanize(status.replace(/^warning_/, ''));
}
