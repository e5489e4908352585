import { describe, expect, it } from 'vitest';
import { recordOf } from '../../test/support/builders/case-records.js';
import { COMPANY } from '../../test/support/builders/fixture.js';
import { whopCase, whopDispute, whopRefund } from '../../test/support/builders/whop-cases.js';
import { expectProduced, fieldValue, LINK, NOW, seen } from '../../test/support/compose-checks.js';
import {
  composeDeadLetters,
  composeDisputeRate,
  composeEvidenceStaged,
  composeEvidenceSubmitted,
  composeJobFailed,
  composeSweepRecovered,
} from './compose-operations.js';

describe('evidence, sweep, failed jobs, dispute rate, digest', () => {
  const dispute = recordOf('dispute', whopDispute());

  it('evidence staged: review-and-submit (warning) or auto-submit (info), a new id per staging', () => {
    const staged = seen(
      composeEvidenceStaged({
        record: dispute,
        now: NOW,
        stagedAt: '2025-03-21T19:00:00.000Z',
        evidenceStatus: 'Drafted, not submitted',
        fieldsFilled: ['product_description', 'access_activity_log'],
        attachments: 2,
      }),
    );
    expect(staged).toMatchObject({
      kind: 'evidence_staged',
      severity: 'warning',
      title: 'Evidence ready for review: $49.00 dispute — submit by Mon 24 Mar',
      link: LINK,
    });
    expect(staged.summary).toContain(
      'Review it and submit it in Whop by Mon 24 Mar 2025, 23:59 UTC (3 days 4 hours left)',
    );
    expect(fieldValue(staged, 'Fields filled')).toBe('Product description, Access activity log');
    expect(fieldValue(staged, 'Attachments')).toBe('2');
    const auto = composeEvidenceStaged({
      record: dispute,
      now: NOW,
      stagedAt: '2025-03-21T19:05:00.000Z',
      autoSubmitAt: '2025-03-23T12:00:00.000Z',
    });
    expect(auto.severity).toBe('info');
    expect(auto.summary).toContain('submitted automatically at Sun 23 Mar 2025, 12:00 UTC');
    expect(auto.id).not.toBe(staged.id);
  });

  it('evidence submitted: one alert per dispute', () => {
    const a = seen(composeEvidenceSubmitted({ record: dispute, submittedAt: '2025-03-22T08:00:00.000Z' }));
    expect(a).toMatchObject({
      id: 'dspt_5Vn8QxLk2m.evidence_submitted',
      kind: 'evidence_submitted',
      severity: 'info',
    });
    expect(a.summary).toContain('submitted on Sat 22 Mar 2025, 08:00 UTC');
    // The chargeback's submission after an answered inquiry: its own alert, not swallowed by the first's.
    const second = composeEvidenceSubmitted({
      record: dispute,
      submittedAt: '2025-03-29T08:00:00.000Z',
      submissionNumber: 2,
    });
    expect(second.id).toBe('dspt_5Vn8QxLk2m.evidence_submitted.2');
  });

  it('sweep recovered: counts by kind, lists items, warns when one awaits the merchant; nothing → null', () => {
    const items = [
      dispute,
      recordOf('resolution_case', whopCase({ status: 'under_platform_review' })),
      recordOf('refund', whopRefund()),
    ];
    const a = seen(
      composeSweepRecovered({ runId: 'sweep:42', companyId: COMPANY.id, recovered: items, now: NOW }),
    );
    expect(a).toMatchObject({
      id: `sweep_recovered.sweep.42.${COMPANY.id}`,
      kind: 'sweep_recovered',
      severity: 'warning',
      title: 'Sweep recovered 3 items Whop never delivered',
    });
    expect(a.summary).toContain('1 dispute, 1 Resolution Center case, 1 refund');
    expect(a.summary).toContain('1 of them needs your response');
    expect(a.fields[0]).toEqual({
      label: 'Dispute dspt_5Vn8QxLk2m',
      value: 'Needs response, $49.00, due Mon 24 Mar 2025, 23:59 UTC (3 days 4 hours left)',
    });
    expect(composeSweepRecovered({ runId: '1', companyId: null, recovered: [], now: NOW })).toBeNull();
    const many = Array.from({ length: 13 }, (_, i) => ({ ...items[2]!, id: `rfnd_${i}` }));
    const b = composeSweepRecovered({ runId: '2', companyId: null, recovered: many, now: NOW })!;
    expect(b.severity).toBe('info');
    expect(b.fields).toHaveLength(11);
    expect(b.fields[10]).toEqual({ label: 'More', value: 'and 3 more' });
  });

  it('a job failed for good is urgent and says why', () => {
    const a = seen(
      composeJobFailed({
        queue: 'whop-events',
        jobId: 'evt:123',
        jobName: 'reconcile',
        attempts: 8,
        reason: 'whop answered 401: invalid api key',
        caseId: 'dspt_1',
      }),
    );
    expect(a).toMatchObject({
      id: 'job_failed.whop-events.evt.123',
      kind: 'job_failed',
      severity: 'urgent',
      companyId: null,
      caseId: 'dspt_1',
      title: 'Job failed for good: reconcile',
    });
    expect(a.summary).toContain(
      'failed after 8 attempts and will not be retried: whop answered 401: invalid api key',
    );
    expect(a.summary).toMatch(/^A whop-events job \(evt:123\)/);
    const evidence = composeJobFailed({
      queue: 'evidence',
      jobId: '52',
      jobName: 'stage',
      attempts: 1,
      reason: 'whop answered 404',
    });
    expect(evidence.summary).toMatch(/^An evidence job \(52\) failed after 1 attempt /);
  });

  it('entries set aside by a relay: urgent, each with its reason, one alert per batch', () => {
    const a = seen(
      composeDeadLetters({
        stream: 'da:inbox',
        group: 'relay',
        entries: [
          { id: '1700000000000-0', reason: 'job could not be added: Maximum call stack size exceeded' },
        ],
      }),
    );
    expect(a).toMatchObject({
      id: 'dead_letter.da.inbox.relay.1700000000000-0',
      kind: 'dead_letter',
      severity: 'urgent',
      companyId: null,
      title: '1 event could not be processed and was set aside',
    });
    expect(a.summary).toContain('GET /api/dead-letters');
    expect(a.summary).toContain('the sweep re-reads');
    expect(fieldValue(a, 'Entry 1700000000000-0')).toBe(
      'job could not be added: Maximum call stack size exceeded',
    );
    const many = Array.from({ length: 12 }, (_, i) => ({ id: `17-${i}`, reason: 'unreadable entry' }));
    const b = seen(composeDeadLetters({ stream: 'da:case-events', group: 'alerts', entries: many }));
    expect(b.title).toBe('12 events could not be processed and were set aside');
    expect(b.summary).not.toContain('sweep');
    expect(b.fields.at(-1)).toEqual({ label: 'More', value: 'and 2 more' });
  });

  it('a job whose object Whop refused for a permission names the call, the object and what to grant', () => {
    const a = seen(
      composeJobFailed({
        queue: 'evidence',
        jobId: 'stage.dspt_1',
        jobName: 'stage',
        attempts: 1,
        reason: 'whop answered 403 to disputes.updateEvidence on dspt_1: the API key lacks payment:dispute',
        caseId: 'dspt_1',
        permission: {
          call: 'disputes.updateEvidence',
          objectId: 'dspt_1',
          named: 'payment:dispute',
          permissions: ['payment:dispute'],
          whopMessage:
            'You do not have permission to perform this action. Required permission: payment:dispute',
        },
      }),
    );
    expect(a).toMatchObject({
      id: 'job_failed.evidence.stage.dspt_1',
      kind: 'job_failed',
      severity: 'urgent',
      caseId: 'dspt_1',
      title: 'Whop refused disputes.updateEvidence: the API key lacks payment:dispute',
    });
    expect(a.summary).toContain(
      'Whop answered 403 to disputes.updateEvidence for dspt_1: the API key lacks payment:dispute. ',
    );
    expect(a.summary).toContain(
      "Give the API key the permission payment:dispute in Whop's developer settings, then retry the job: it stays in the evidence queue's failed set.",
    );
    expect(fieldValue(a, 'Call')).toBe('disputes.updateEvidence');
    expect(fieldValue(a, 'Object')).toBe('dspt_1');
    expect(fieldValue(a, 'Missing permission')).toBe('payment:dispute');
    expect(fieldValue(a, 'May also be missing')).toBeUndefined();

    // Whop named one; the others the call needs may be missing too, and the operator is told to check them.
    const b = composeJobFailed({
      queue: 'whop-events',
      jobId: 'msg_1',
      attempts: 1,
      reason: '…',
      permission: {
        call: 'refunds.retrieve',
        objectId: 'rfnd_1',
        named: 'member:phone:read',
        permissions: ['member:phone:read', 'plan:basic:read'],
        whopMessage: 'Required permission: member:phone:read',
      },
    });
    expect(fieldValue(b, 'May also be missing')).toBe('plan:basic:read');
    expect(b.summary).toContain(
      "Give the API key the permission member:phone:read in Whop's developer settings (and check it has plan:basic:read, which refunds.retrieve also needs)",
    );
  });

  it('evidence staged without facts Whop refused says so, and which permission adds them', () => {
    const a = composeEvidenceStaged({
      record: dispute,
      now: NOW,
      stagedAt: '2025-03-21T19:00:00.000Z',
      missingFacts: ['payments.retrieve refused (needs promo_code:basic:read): the evidence lacks x'],
    });
    expect(fieldValue(a, 'Built without')).toBe(
      'payments.retrieve refused (needs promo_code:basic:read): the evidence lacks x',
    );
    expect(a.summary).toContain('built without facts Whop refused to the API key');
    const none = composeEvidenceStaged({ record: dispute, now: NOW, stagedAt: NOW, missingFacts: [] });
    expect(fieldValue(none, 'Built without')).toBeUndefined();
    expect(none.summary).not.toContain('refused');
  });

  it('the dispute rate: rate, threshold and counts; urgent from 1.5%', () => {
    const a = seen(
      composeDisputeRate({
        companyId: COMPANY.id,
        rate: 0.008,
        threshold: 0.0075,
        disputes30d: 4,
        payments30d: 500,
        asOf: '2025-03-21T00:00:00.000Z',
      }),
    );
    expect(a).toMatchObject({
      kind: 'dispute_rate',
      severity: 'warning',
      title: 'Dispute rate 0.8%: past the 0.75% alert level',
    });
    expect(a.id).toBe(`dispute_rate.${COMPANY.id}.0.0075.${Date.parse('2025-03-21T00:00:00.000Z')}`);
    expect(a.summary).toContain('4 of 500 payments in the last 30 days were disputed (0.8%)');
    expect(fieldValue(a, 'Alert level')).toBe('0.75%');
    const b = composeDisputeRate({
      companyId: COMPANY.id,
      rate: 0.016,
      threshold: 0.015,
      disputes30d: 8,
      payments30d: 500,
      asOf: '2025-03-22T00:00:00.000Z',
    });
    expect(b.severity).toBe('urgent');
  });

  it('below the minimum sample the rate message gives counts, never a percentage', () => {
    const a = seen(
      composeDisputeRate({
        companyId: COMPANY.id,
        rate: 2,
        threshold: 0.015,
        disputes30d: 2,
        payments30d: 1,
        asOf: '2025-03-21T00:00:00.000Z',
        minPayments: 100,
      }),
    );
    expect(a).toMatchObject({
      kind: 'dispute_rate',
      severity: 'warning',
      title: 'Disputes: 2 disputes on 1 payment in 30 days',
    });
    expect(a.id).toBe(`dispute_rate.${COMPANY.id}.0.015.${Date.parse('2025-03-21T00:00:00.000Z')}`);
    expect(a.summary).toContain('fewer than 100 payments in 30 days');
    // No rate as a percentage (2 on 1 would read "200%"); Whop's 2% line is still named.
    expect(JSON.stringify(a)).not.toMatch(/200%|[^ ]\d+(\.\d+)?% (rate|dispute rate\))/);
    expect(a.title).not.toContain('%');
    expect(fieldValue(a, 'Dispute rate')).toBeUndefined();
    // At the minimum sample, a rate again.
    const b = composeDisputeRate({
      companyId: COMPANY.id,
      rate: 0.02,
      threshold: 0.015,
      disputes30d: 2,
      payments30d: 100,
      asOf: NOW,
      minPayments: 100,
    });
    expect(b.title).toBe('Dispute rate 2%: past the 1.5% alert level');
  });
});

describe('alert kinds', () => {
  it('compose-operations.ts produces exactly the kinds it is listed with', () => {
    expectProduced('compose-operations');
  });
});
