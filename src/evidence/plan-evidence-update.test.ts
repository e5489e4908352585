import { describe, expect, it } from 'vitest';
import { planEvidenceUpdate, submissionTime } from './plan-evidence-update.js';

const draft = {
  access_activity_log: 'Used 47 times across 8 sessions.',
  notes: 'The customer used the product after purchase.',
  customer_name: 'Ada Lovelace',
};

describe('planEvidenceUpdate', () => {
  it('sends every draft field to an empty dispute, and the attachment', () => {
    const plan = planEvidenceUpdate({
      whop: {},
      lastStaged: null,
      lastAttachmentId: null,
      draft,
      attachmentId: 'file_1',
    });
    expect(plan.update).toEqual({ ...draft, uncategorized_attachment: { id: 'file_1' } });
    expect(plan.staged).toEqual(draft);
    expect(plan.merchantOwned).toEqual([]);
    expect(plan.attachmentId).toBe('file_1');
  });

  it('leaves fields the merchant filled in Whop alone', () => {
    const plan = planEvidenceUpdate({
      whop: { notes: 'Written by the merchant', uncategorized_attachment: { id: 'file_merchant' } },
      lastStaged: null,
      lastAttachmentId: null,
      draft,
      attachmentId: 'file_1',
    });
    expect(plan.update).toEqual({
      access_activity_log: draft.access_activity_log,
      customer_name: 'Ada Lovelace',
    });
    expect(plan.merchantOwned).toEqual(['notes', 'uncategorized_attachment']);
    expect(plan.staged.notes).toBeUndefined();
  });

  it('sends nothing when Whop already shows what we would stage (idempotent)', () => {
    const plan = planEvidenceUpdate({
      whop: { ...draft, uncategorized_attachment: { id: 'file_1' } },
      lastStaged: draft,
      lastAttachmentId: 'file_1',
      draft,
      attachmentId: 'file_1',
    });
    expect(plan.update).toBeNull();
    expect(plan.merchantOwned).toEqual([]);
  });

  it('refreshes our own fields when the facts changed, but not one the merchant edited since', () => {
    const plan = planEvidenceUpdate({
      whop: { ...draft, notes: 'Merchant rewrote this' },
      lastStaged: draft,
      lastAttachmentId: null,
      draft: { ...draft, access_activity_log: 'Used 52 times across 9 sessions.', notes: 'New argument' },
      attachmentId: null,
    });
    expect(plan.update).toEqual({ access_activity_log: 'Used 52 times across 9 sessions.' });
    expect(plan.merchantOwned).toEqual(['notes']);
  });

  it('replaces our previous attachment with a new one, never the merchant’s', () => {
    const ours = planEvidenceUpdate({
      whop: { uncategorized_attachment: { id: 'file_old' } },
      lastStaged: {},
      lastAttachmentId: 'file_old',
      draft: {},
      attachmentId: 'file_new',
    });
    expect(ours.update).toEqual({ uncategorized_attachment: { id: 'file_new' } });
  });

  it('knows what an interrupted run was sending for ours: Whop showing it is not the merchant’s', () => {
    // Whop took the update; the run died before recording it (lastStaged is still the older one).
    const earlier = { access_activity_log: 'Used 3 times.' };
    const plan = planEvidenceUpdate({
      whop: { ...draft, uncategorized_attachment: { id: 'file_1' } },
      lastStaged: earlier,
      lastAttachmentId: null,
      draft,
      attachmentId: 'file_1',
      sending: { fields: draft, attachmentId: 'file_1' },
    });
    expect(plan.update).toBeNull();
    expect(plan.merchantOwned).toEqual([]);
    expect(plan.staged).toEqual(draft);
    expect(plan.attachmentId).toBe('file_1');
    // Without that record, the same Whop values look like the merchant's, ours never to touch again.
    const blind = planEvidenceUpdate({
      whop: { ...draft, uncategorized_attachment: { id: 'file_1' } },
      lastStaged: earlier,
      lastAttachmentId: null,
      draft,
      attachmentId: 'file_1',
    });
    expect(blind.merchantOwned).toEqual([
      'access_activity_log',
      'customer_name',
      'notes',
      'uncategorized_attachment',
    ]);
  });
});

describe('submissionTime', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const due = '2026-11-25T12:00:00Z';
  it('never, immediately, or the lead time before the deadline', () => {
    expect(submissionTime({ mode: 'never', leadMs: 0, dueAt: due, now })).toBeNull();
    expect(submissionTime({ mode: 'immediately', leadMs: 0, dueAt: due, now })).toEqual(now);
    expect(submissionTime({ mode: 'before_deadline', leadMs: 24 * 3600_000, dueAt: due, now })).toEqual(
      new Date('2026-11-24T12:00:00Z'),
    );
  });
  it('at once when the lead time has already begun, and not at all once the deadline passed', () => {
    expect(submissionTime({ mode: 'before_deadline', leadMs: 96 * 3600_000, dueAt: due, now })).toEqual(now);
    expect(
      submissionTime({ mode: 'before_deadline', leadMs: 0, dueAt: '2026-11-22T11:00:00Z', now }),
    ).toBeNull();
    expect(submissionTime({ mode: 'before_deadline', leadMs: 0, dueAt: null, now })).toBeNull();
  });
});
