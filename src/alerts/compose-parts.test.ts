import { describe, expect, it } from 'vitest';
import { recordOf } from '../../test/support/builders/case-records.js';
import { COMPANY, PAYMENT_ID } from '../../test/support/builders/fixture.js';
import { whopCase, whopDispute } from '../../test/support/builders/whop-cases.js';
import { KINDS_BY_COMPOSER, LINK } from '../../test/support/compose-checks.js';
import { type EvidenceState, EvidenceStore } from '../evidence/evidence-store.js';
import { ALERT_KINDS } from './alert.js';
import {
  evidenceStatusLine,
  openingEvidenceStatus,
  strengthWords,
  whopDashboardLink,
} from './compose-parts.js';

describe('whopDashboardLink', () => {
  it('points at the payment in the company dashboard, or nowhere without both ids', () => {
    expect(whopDashboardLink(COMPANY.id, PAYMENT_ID)).toBe(LINK);
    expect(whopDashboardLink(null, PAYMENT_ID)).toBeUndefined();
    expect(whopDashboardLink(COMPANY.id, null)).toBeUndefined();
    expect(whopDashboardLink('biz/../x', 'pay?x')).toBe(
      'https://whop.com/dashboard/biz%2F..%2Fx/payments/pay%3Fx',
    );
  });
});

describe('alert kinds', () => {
  it("every kind is produced by some composer (each composer's tests prove its own)", () => {
    expect(new Set(Object.values(KINDS_BY_COMPOSER).flat())).toEqual(new Set(ALERT_KINDS));
  });
});

describe('strengthWords', () => {
  it.each([
    ['strong', 'fight', 'Strong case, fight it'],
    ['fair', 'fight', 'Fair case, fight it'],
    ['weak', 'refund_inquiry', 'Weak case, consider refunding'],
    ['weak', 'let_close', 'Weak case, consider letting it close'],
    ['fair', 'none', 'Fair case'],
  ] as const)('%s, %s → %s', (strength, action, words) => {
    expect(strengthWords({ strength, recommendation: { action, text: '', strengthen: [] } })).toBe(words);
  });
});

describe('openingEvidenceStatus', () => {
  const dispute = recordOf('dispute', whopDispute());
  const empty = () => EvidenceStore.empty(dispute.id, null, 'never');
  const staged = (over: Partial<EvidenceState> = {}): EvidenceState => ({
    ...empty(),
    staged: {
      fields: { product_description: 'x', notes: 'y' },
      attachmentFileId: 'file_1',
      attachmentEventsHash: 'h',
      stagedAt: '2025-03-21T19:00:00.000Z',
      updates: 1,
    },
    ...over,
  });
  const follows = 'Being drafted from your access logs and the payment: a message follows when it is ready';

  it.each([
    ['no evidence state yet', undefined, false, follows],
    [
      'staged in the window: folded in',
      staged({ stagedAlert: 'queued' }),
      true,
      'Staged in Whop (2 fields, access log attached); review and submit it in Whop',
    ],
    ['staged after the claim: its own message follows', staged({ stagedAlert: 'pending' }), false, follows],
    [
      'staged before (an inquiry escalated): told here, no message follows',
      staged({ stagedAlert: 'queued' }),
      false,
      'Staged in Whop (2 fields, access log attached); review and submit it in Whop',
    ],
    [
      'scheduled for submission',
      staged({
        stagedAlert: 'queued',
        submission: { ...empty().submission, scheduledFor: '2025-03-23T23:59:59.000Z' },
      }),
      true,
      'Staged in Whop (2 fields, access log attached); submits automatically Sun 23 Mar 2025, 23:59 UTC unless you change it in Whop',
    ],
    [
      'already submitted',
      staged({ submission: { ...empty().submission, submittedAt: '2025-03-21T19:10:00.000Z' } }),
      false,
      'Submitted Fri 21 Mar 2025, 19:10 UTC',
    ],
  ] as const)('%s', (_, state, folded, status) => {
    expect(openingEvidenceStatus(dispute, state, folded)).toBe(status);
  });

  it('names what the evidence was built without, and says nothing for a case', () => {
    const state = staged({
      stagedAlert: 'queued',
      draft: {
        fields: {},
        category: 'fraud',
        statements: [],
        accessEvents: 0,
        ce3: null,
        builtAt: '2025-03-21T19:00:00.000Z',
        missingFacts: [{ note: 'payments.retrieve refused' } as never],
      },
    });
    expect(openingEvidenceStatus(dispute, state, true)).toMatch(
      /\. Built without: payments.retrieve refused$/,
    );
    expect(openingEvidenceStatus(recordOf('resolution_case', whopCase()), undefined, false)).toBeUndefined();
  });
});

describe('evidenceStatusLine (reminders and later messages)', () => {
  const dispute = recordOf('dispute', whopDispute());
  const empty = EvidenceStore.empty(dispute.id, null, 'never');
  const staged: EvidenceState = {
    ...empty,
    staged: {
      fields: { notes: 'y' },
      attachmentFileId: null,
      attachmentEventsHash: 'h',
      stagedAt: '2025-03-21T19:00:00.000Z',
      updates: 1,
    },
  };
  const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

  it('gives its times in the one human format, never ISO', () => {
    const scheduled = evidenceStatusLine(dispute, {
      ...staged,
      submission: { ...empty.submission, scheduledFor: '2026-11-29T13:40:20.947Z' },
    });
    expect(scheduled).toBe('Evidence staged; submits automatically Sun 29 Nov 2026, 13:40 UTC');
    const submitted = evidenceStatusLine(dispute, {
      ...staged,
      submission: { ...empty.submission, submittedAt: '2025-03-21T19:30:00.000Z' },
    });
    expect(submitted).toBe('Evidence submitted Fri 21 Mar 2025, 19:30 UTC');
    for (const line of [scheduled, submitted]) expect(line).not.toMatch(ISO);
  });

  it('says when nothing is staged, and is nothing for other records', () => {
    expect(evidenceStatusLine(dispute, undefined)).toBe('Evidence not staged yet');
    expect(evidenceStatusLine(dispute, staged)).toBe('Evidence staged in Whop; not submitted automatically');
    expect(evidenceStatusLine(recordOf('resolution_case', whopCase()), staged)).toBeUndefined();
  });
});
