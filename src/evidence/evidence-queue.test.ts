import { describe, expect, it } from 'vitest';
import type { CaseEvent, CaseEventType } from '../cases/case-record.js';
import { evidenceJobFor } from './evidence-queue.js';

const event = (type: CaseEventType, caseId: string): CaseEvent => ({
  id: `${caseId}:${type}`,
  type,
  kind: type.startsWith('case.') ? 'resolution_case' : 'dispute',
  caseId,
  companyId: 'biz_1',
  status: 'open',
  previousStatus: null,
  dueAt: null,
  at: '2025-03-01T00:00:00.000Z',
  source: 'webhook',
});

describe('evidenceJobFor', () => {
  it('stages evidence for a dispute that needs a response, once per event', () => {
    for (const type of ['dispute.opened', 'dispute.needs_response'] as const) {
      expect(evidenceJobFor(event(type, 'dspt_1'))).toMatchObject({
        name: 'stage',
        data: { type: 'stage', disputeId: 'dspt_1' },
        opts: { jobId: `ev_dspt_1_${type}`, attempts: 20 },
      });
    }
  });

  it('writes a brief for a Resolution Center case awaiting the merchant', () => {
    for (const type of ['case.opened', 'case.awaiting_merchant'] as const) {
      expect(evidenceJobFor(event(type, 'reso_1'))).toMatchObject({
        name: 'brief',
        data: { type: 'brief', caseId: 'reso_1' },
        opts: { jobId: `ev_reso_1_${type}` },
      });
    }
  });

  it('has nothing to do for outcomes, refunds and dispute alerts', () => {
    for (const type of [
      'dispute.won',
      'dispute.under_review',
      'refund.failed',
      'dispute_alert.opened',
    ] as const) {
      expect(evidenceJobFor(event(type, 'x_1'))).toBeNull();
    }
  });
});
