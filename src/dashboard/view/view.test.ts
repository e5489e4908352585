import { describe, expect, it } from 'vitest';
import { recordOf } from '../../../test/support/builders/case-records.js';
import { whopCase, whopDispute, whopRefund } from '../../../test/support/builders/whop-cases.js';
import type { DeliveryRecord } from '../../alerts/alert-store.js';
import type { CaseRecord } from '../../cases/case-record.js';
import { type EvidenceState, EvidenceStore } from '../../evidence/evidence-store.js';
import { decodeCursor, encodeCursor } from '../../store/case-store.js';
import { caseLabel, statusLabel } from './case-labels.js';
import { alertsForCase, evidenceRows, refundBlocker, submitBlocker, timelineRows } from './case-view.js';
import { caseStrength, evidenceStatus } from './evidence-status.js';
import { homeHref, matchesKind, parseHomeQuery, passesFilters, storeQueryFor } from './home-filters.js';
import { dueOf, homeRow, nextReminder } from './home-rows.js';

const HOUR = 3_600_000;
const NOW = new Date('2025-03-20T12:00:00.000Z');
const inHours = (h: number) => new Date(NOW.getTime() + h * HOUR).toISOString();

function dispute(over: Parameters<typeof whopDispute>[0] = {}, firstSeen = inHours(-100)): CaseRecord {
  return recordOf('dispute', whopDispute(over), firstSeen);
}

function staged(over: Partial<EvidenceState> = {}): EvidenceState {
  const s = EvidenceStore.empty('dspt_5Vn8QxLk2m', 'biz_4Tq8mXv2Lp', 'before_deadline');
  return {
    ...s,
    draft: {
      fields: { notes: 'Our notes, new', service_date: '2025-02-14' },
      category: 'product_not_received',
      statements: [],
      accessEvents: 12,
      ce3: null,
      builtAt: inHours(-1),
    },
    staged: {
      fields: { notes: 'Our notes', service_date: '2025-02-14' },
      attachmentFileId: 'file_1',
      attachmentEventsHash: 'h',
      stagedAt: inHours(-2),
      updates: 1,
    },
    merchantOwned: ['customer_name'],
    ...over,
  };
}

describe('labels', () => {
  it('calls a dispute in its warning phase an inquiry, and words statuses without the prefix', () => {
    expect(caseLabel({ kind: 'dispute', status: 'warning_needs_response' })).toBe('Inquiry');
    expect(caseLabel({ kind: 'dispute', status: 'needs_response' })).toBe('Chargeback');
    expect(caseLabel({ kind: 'resolution_case', status: 'merchant_response_needed' })).toBe(
      'Resolution case',
    );
    expect(statusLabel('warning_under_review')).toBe('Under review');
  });
});

describe('home filters', () => {
  it('defaults to open disputes, inquiries and cases', () => {
    const parsed = parseHomeQuery({});
    expect(parsed).toEqual({
      filters: {
        kind: 'needs_you',
        show: 'open',
        status: null,
        company: null,
        q: null,
        search: null,
        cursor: null,
      },
    });
  });

  it('reads a search as an email (normalised) or an id, and ignores empty fields', () => {
    const byEmail = parseHomeQuery({ q: '  Sam.Buyer@Example.com ', status: '', company: '' });
    expect('filters' in byEmail && byEmail.filters.search).toEqual({
      by: 'email',
      email: 'sam.buyer@example.com',
    });
    const byId = parseHomeQuery({ q: 'dspt_5Vn8QxLk2m' });
    expect('filters' in byId && byId.filters.search).toEqual({ by: 'id', id: 'dspt_5Vn8QxLk2m' });
  });

  it('names the first bad field', () => {
    expect(parseHomeQuery({ kind: 'everything' })).toEqual({
      error: expect.stringMatching(/^kind: /),
    });
    expect(parseHomeQuery({ cursor: 'garbage' })).toEqual({
      error: 'cursor: is not a page link this dashboard made',
    });
    expect(parseHomeQuery({ company: 'x'.repeat(65) })).toEqual({
      error: expect.stringMatching(/^company: /),
    });
  });

  it('maps kinds to the store query: inquiries and chargebacks are disputes told apart by status', () => {
    const f = (query: Record<string, string>) => {
      const p = parseHomeQuery(query);
      if (!('filters' in p)) throw new Error(p.error);
      return p.filters;
    };
    const inquiries = storeQueryFor(f({ kind: 'inquiry', show: 'all' }));
    expect(inquiries).toMatchObject({ kind: 'dispute', openOnly: false, limit: 25, maxScan: 2000 });
    expect(inquiries.match?.(dispute({ status: 'warning_needs_response' }))).toBe(true);
    expect(inquiries.match?.(dispute({ status: 'needs_response' }))).toBe(false);
    const refunds = storeQueryFor(f({ kind: 'refund', company: 'biz_1', status: 'pending' }));
    expect(refunds).toMatchObject({ kind: 'refund', companyId: 'biz_1', status: 'pending', openOnly: true });
    expect(refunds.match).toBeUndefined();
    const needsYou = storeQueryFor(f({}));
    expect(needsYou.kind).toBeUndefined();
    expect(needsYou.match?.(recordOf('refund', whopRefund()))).toBe(false);
    expect(needsYou.match?.(recordOf('resolution_case', whopCase()))).toBe(true);
    const cursor = encodeCursor({ score: 5, id: 'dspt_1' });
    expect(storeQueryFor(f({ cursor })).cursor).toBe(cursor);
    expect(decodeCursor(cursor)).toEqual({ score: 5, id: 'dspt_1' });
  });

  it('checks a searched record against the other filters', () => {
    const f = parseHomeQuery({ q: 'x@y.z', kind: 'chargeback', company: 'biz_4Tq8mXv2Lp' });
    if (!('filters' in f)) throw new Error('bad');
    expect(passesFilters(f.filters, dispute())).toBe(true);
    expect(passesFilters(f.filters, dispute({ status: 'warning_needs_response' }))).toBe(false);
    expect(passesFilters(f.filters, dispute({ status: 'won' }))).toBe(false); // closed, and "open only"
    expect(matchesKind('all', recordOf('refund', whopRefund()))).toBe(true);
  });

  it('writes page links that keep the filters', () => {
    const p = parseHomeQuery({ kind: 'inquiry', q: 'a@b.c', show: 'all' });
    if (!('filters' in p)) throw new Error('bad');
    expect(homeHref(p.filters, null)).toBe('/?kind=inquiry&show=all&q=a%40b.c');
    expect(homeHref(p.filters, 'abc')).toBe('/?kind=inquiry&show=all&q=a%40b.c&cursor=abc');
    const none = parseHomeQuery({});
    if (!('filters' in none)) throw new Error('bad');
    expect(homeHref(none.filters, null)).toBe('/');
  });
});

describe('home rows', () => {
  it('words a chargeback due in under 24 hours in red, with amount, reason, evidence and the next reminder', () => {
    const r = dispute({ needs_response_by: inHours(20) });
    const row = homeRow(
      r,
      staged({ submission: { ...staged().submission, scheduledFor: inHours(8) } }),
      NOW,
      [72 * HOUR, 24 * HOUR, 6 * HOUR],
    );
    expect(row).toEqual({
      id: 'dspt_5Vn8QxLk2m',
      href: '/cases/dspt_5Vn8QxLk2m',
      label: 'Chargeback',
      status: 'Needs response',
      companyId: 'biz_4Tq8mXv2Lp',
      due: { at: 'Fri 21 Mar 2025, 08:00 UTC', left: '20 hours left', tone: 'urgent' },
      amount: '$49.00',
      reason: 'Product Not Received',
      strength: null,
      evidence: {
        label: 'Merchant-edited (1 field); submits Thu 20 Mar 2025, 20:00 UTC',
        tone: 'info',
        error: null,
      },
      // 24 h and 72 h before have passed (sent already): the next is 6 h before.
      nextReminder: 'Fri 21 Mar 2025, 02:00 UTC (6 hours before)',
    });
  });

  it('tells overdue, later and undated due dates apart; an answered item shows no countdown', () => {
    expect(dueOf(inHours(-2), NOW)).toMatchObject({ tone: 'overdue', left: 'due date passed 2 hours ago' });
    expect(dueOf(inHours(24), NOW)).toMatchObject({ tone: 'normal', left: '1 day left' });
    expect(dueOf(null, NOW)).toEqual({ at: 'No due date', left: '', tone: 'none' });
    expect(dueOf(inHours(5), NOW, false)).toEqual({
      at: 'Thu 20 Mar 2025, 17:00 UTC',
      left: '',
      tone: 'none',
    });
    expect(
      homeRow(dispute({ status: 'under_review', needs_response_by: inHours(5) }), undefined, NOW, []).due
        .tone,
    ).toBe('none');
  });

  it('has no next reminder for an item that gets none, or when every offset has passed', () => {
    expect(
      nextReminder(dispute({ status: 'under_review', needs_response_by: inHours(100) }), [24 * HOUR], NOW),
    ).toBeNull();
    expect(nextReminder(dispute({ needs_response_by: inHours(3) }), [24 * HOUR, 6 * HOUR], NOW)).toBeNull();
    expect(nextReminder(dispute({ needs_response_by: null }), [24 * HOUR], NOW)).toBeNull();
  });

  it('shows no evidence status for what takes no evidence, and humanises a case issue', () => {
    const row = homeRow(
      recordOf('resolution_case', whopCase({ issue: 'product_not_as_described' } as never)),
      undefined,
      NOW,
      [],
    );
    expect(row.evidence).toBeNull();
    expect(row.label).toBe('Resolution case');
    expect(row.reason).toBe('Product not as described');
  });
});

describe('evidence status', () => {
  it('shows no stale schedule once Whop no longer waits for a response', () => {
    const s = staged({ merchantOwned: [] });
    const scheduled = { ...s, submission: { ...s.submission, scheduledFor: inHours(3) } };
    expect(evidenceStatus(scheduled, 'needs_response').label).toBe(
      'Staged; submits Thu 20 Mar 2025, 15:00 UTC',
    );
    expect(evidenceStatus(scheduled, 'warning_needs_response').label).toMatch(/^Staged; submits/);
    for (const status of ['under_review', 'won', 'lost', 'closed'])
      expect(evidenceStatus(scheduled, status)).toMatchObject({
        label: 'Not submitted: Whop no longer takes evidence',
        tone: 'muted',
      });
    // A submission that happened is still told, whatever the status now.
    const done = { ...scheduled, submission: { ...scheduled.submission, submittedAt: inHours(-1) } };
    expect(evidenceStatus(done, 'under_review').label).toMatch(/^Submitted /);
  });

  it('goes from not staged, to staged (scheduled or not), to submitted, and says why it was not', () => {
    expect(evidenceStatus(undefined)).toEqual({ label: 'Not staged yet', tone: 'muted', error: null });
    const s = staged({ merchantOwned: [] });
    expect(evidenceStatus(s).label).toBe('Staged; not submitted automatically');
    expect(evidenceStatus({ ...s, submission: { ...s.submission, scheduledFor: inHours(3) } }).label).toBe(
      'Staged; submits Thu 20 Mar 2025, 15:00 UTC',
    );
    expect(
      evidenceStatus({
        ...s,
        submission: { ...s.submission, submittedAt: inHours(-1), outcome: 'submitted' },
      }),
    ).toEqual({ label: 'Submitted Thu 20 Mar 2025, 11:00 UTC', tone: 'done', error: null });
    expect(evidenceStatus({ ...s, submission: { ...s.submission, outcome: 'past_deadline' } })).toMatchObject(
      {
        label: 'Not submitted: past the deadline',
        tone: 'warn',
      },
    );
    expect(
      evidenceStatus({ ...s, submission: { ...s.submission, lastError: 'Whop answered 500' } }).error,
    ).toBe('Whop answered 500');
  });
});

describe('case strength', () => {
  const assessed = (strength: 'strong' | 'fair' | 'weak') => {
    const s = staged();
    return {
      ...s,
      draft: {
        ...s.draft!,
        strength: {
          strength,
          score: 6,
          reasons: ['For: used the product on 6 days after purchase', 'Against: no refund policy shown'],
          recommendation: { action: 'fight' as const, text: 'Fight it.', strengthen: ['Log downloads.'] },
        },
      },
    };
  };

  it('reads the assessment the evidence stage stored with the draft, and nothing without one', () => {
    expect(caseStrength(staged())).toBeNull();
    expect(caseStrength(null)).toBeNull();
    expect(caseStrength({ ...staged(), draft: null })).toBeNull();
    expect(caseStrength(assessed('strong'))).toEqual({
      label: 'Strong',
      tone: 'done',
      reasons: ['For: used the product on 6 days after purchase', 'Against: no refund policy shown'],
      recommendation: 'Fight it.',
      strengthen: ['Log downloads.'],
    });
    expect(caseStrength(assessed('fair'))).toMatchObject({ label: 'Fair', tone: 'info' });
    expect(caseStrength(assessed('weak'))).toMatchObject({ label: 'Weak', tone: 'warn' });
  });
});

describe('case page', () => {
  it('sets the draft beside what is staged and what was submitted, marking changes and the merchant’s fields', () => {
    const whop = {
      notes: 'Our notes',
      customer_name: 'Sam B. (typed by the merchant)',
      service_date: '2025-02-14',
    };
    expect(evidenceRows(staged(), whop)).toEqual([
      {
        field: 'customer_name',
        label: 'Customer name',
        draft: null,
        staged: 'Sam B. (typed by the merchant)',
        submitted: null,
        draftChanged: false,
        merchantEdited: true,
      },
      {
        field: 'notes',
        label: 'Notes',
        draft: 'Our notes, new',
        staged: 'Our notes',
        submitted: null,
        draftChanged: true,
        merchantEdited: false,
      },
      {
        field: 'service_date',
        label: 'Service date',
        draft: '2025-02-14',
        staged: '2025-02-14',
        submitted: null,
        draftChanged: false,
        merchantEdited: false,
      },
    ]);
    const done = staged({ submission: { ...staged().submission, submittedAt: inHours(-1) } });
    expect(evidenceRows(done, whop).map((r) => r.submitted)).toEqual([
      'Sam B. (typed by the merchant)',
      'Our notes',
      '2025-02-14',
    ]);
    expect(evidenceRows(undefined, {})).toEqual([]);
  });

  it('words the timeline', () => {
    const rows = timelineRows([
      { at: inHours(-5), source: 'webhook', change: 'created' },
      {
        at: inHours(-1),
        source: 'sweep',
        change: {
          status: ['needs_response', 'under_review'],
          dueAt: [inHours(10), null],
          details: [
            { editable: true, visaRdr: false },
            { editable: false, visaRdr: false },
          ],
        },
      },
    ]);
    expect(rows).toEqual([
      { at: 'Thu 20 Mar 2025, 07:00 UTC', source: 'Webhook', changes: ['First seen'] },
      {
        at: 'Thu 20 Mar 2025, 11:00 UTC',
        source: 'Sweep (missed webhook recovered)',
        changes: [
          'status: needs_response → under_review',
          'dueAt: Thu 20 Mar 2025, 22:00 UTC → —',
          'editable: true → false',
        ],
      },
    ]);
  });

  it("finds a case's alerts by the id part of each alert id", () => {
    const row = (id: string): DeliveryRecord => ({
      id,
      kind: 'reminder',
      destination: 'slack',
      at: inHours(0),
    });
    const rows = [
      row('dspt_1.needs_response.needs_response'),
      row('reminder.dspt_1.86400000.1742472000000'),
      row('dspt_10.needs_response.needs_response'),
      row('digest.2025-03-20'),
    ];
    expect(alertsForCase(rows, 'dspt_1').map((r) => r.id)).toEqual([
      'dspt_1.needs_response.needs_response',
      'reminder.dspt_1.86400000.1742472000000',
    ]);
  });

  it('offers "Submit evidence now" only while Whop takes it, and "Refund" only for an undisputed payment', () => {
    const open = dispute({ needs_response_by: inHours(5) });
    expect(submitBlocker(open, undefined, NOW)).toBeNull();
    expect(
      submitBlocker(open, staged({ submission: { ...staged().submission, submittedAt: inHours(-1) } }), NOW),
    ).toBe('Evidence was already submitted.');
    expect(submitBlocker(dispute({ status: 'under_review' }), undefined, NOW)).toBe(
      'Whop takes no evidence in status under_review.',
    );
    expect(submitBlocker(dispute({ needs_response_by: inHours(-1) }), undefined, NOW)).toBe(
      'The response deadline has passed.',
    );
    expect(submitBlocker(dispute({ editable: false }), undefined, NOW)).toBe(
      'Whop says this dispute is no longer editable.',
    );
    expect(submitBlocker(recordOf('resolution_case', whopCase()), undefined, NOW)).toBe(
      'Only disputes take evidence.',
    );
    expect(refundBlocker(open)).toBe('Whop refuses refunds on a disputed payment.');
    expect(refundBlocker(recordOf('resolution_case', whopCase()))).toBeNull();
  });
});
