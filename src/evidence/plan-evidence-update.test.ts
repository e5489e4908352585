import { describe, expect, it } from 'vitest';
import {
  APPENDED_HEADING,
  CUT_NOTE,
  type EvidenceFields,
  type EvidenceUpdatePlan,
  planEvidenceUpdate,
  submissionTime,
  WHOP_TEXT_FIELD_MAX,
} from './plan-evidence-update.js';

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

  it('an interrupted first staging, in a dispute Whop filled: the retry takes all it sent for ours, Whop’s part once', () => {
    const whop = { access_activity_log: 'Whop: 3 logins from 198.51.100.1.' };
    const first = planEvidenceUpdate({
      whop,
      lastStaged: null,
      lastAttachmentId: null,
      draft,
      attachmentId: null,
    });
    // Whop took the update; the run died before recording it.
    const shown = { ...whop, ...first.update };
    const sending = { fields: first.staged, whopDefaults: first.whopDefaults, attachmentId: null };
    const retry = planEvidenceUpdate({
      whop: shown,
      lastStaged: null,
      lastAttachmentId: null,
      draft,
      attachmentId: null,
      sending,
    });
    expect(retry.update).toBeNull();
    expect(retry.merchantOwned).toEqual([]);
    expect(retry.staged).toEqual(first.staged);
    expect(retry.whopDefaults).toEqual(first.whopDefaults);
    expect(retry.staged.access_activity_log!.match(/Whop: 3 logins/g)).toHaveLength(1);
    // Without it, our notes would be the merchant's from then on.
    const blind = planEvidenceUpdate({
      whop: shown,
      lastStaged: null,
      lastAttachmentId: null,
      draft,
      attachmentId: null,
    });
    expect(blind.merchantOwned).toContain('notes');
  });
});

describe('planEvidenceUpdate: fields Whop fills itself', () => {
  const whopLog = 'IP 198.51.100.4 signed in 2026-10-01 10:02 UTC\nIP 198.51.100.4 viewed content 2026-10-02';
  const heading = APPENDED_HEADING.access_activity_log!;
  /** The first run: we never staged, so what Whop shows now is found as it was before us. */
  const firstRun = (whop: Record<string, unknown>, d: EvidenceFields = draft) =>
    planEvidenceUpdate({ whop, lastStaged: null, lastAttachmentId: null, draft: d, attachmentId: null });
  /** A later run, after `last` was staged. */
  const nextRun = (
    whop: Record<string, unknown>,
    last: Pick<EvidenceUpdatePlan, 'staged' | 'whopDefaults'>,
    d: EvidenceFields = draft,
  ) =>
    planEvidenceUpdate({
      whop,
      lastStaged: last.staged,
      whopDefaults: last.whopDefaults,
      lastAttachmentId: null,
      draft: d,
      attachmentId: null,
    });

  it('keeps Whop’s access log found before we first staged and adds ours after it, under a heading', () => {
    const plan = firstRun({ access_activity_log: whopLog });
    const combined = `${whopLog}\n\n${heading}\n${draft.access_activity_log}`;
    expect(plan.update?.access_activity_log).toBe(combined);
    expect(plan.staged.access_activity_log).toBe(combined);
    expect(plan.merchantOwned).toEqual([]);
    expect(plan.whopFilled).toEqual(['access_activity_log']);
    expect(plan.whopDefaults).toEqual({ access_activity_log: whopLog });
  });

  it('re-staging recognises Whop’s part, replaces only ours, and sends nothing when ours is unchanged', () => {
    const first = firstRun({ access_activity_log: whopLog });
    const shown = { ...first.update };
    const again = nextRun(shown, first);
    expect(again.update).toBeNull();
    expect(again.whopFilled).toEqual(['access_activity_log']);
    expect(again.whopDefaults).toEqual(first.whopDefaults);

    const newer = 'Used 52 times across 9 sessions.';
    const refreshed = nextRun(shown, first, { ...draft, access_activity_log: newer });
    expect(refreshed.update).toEqual({ access_activity_log: `${whopLog}\n\n${heading}\n${newer}` });
    expect(refreshed.merchantOwned).toEqual([]);
  });

  it('treats text changed after we staged as the merchant’s, even in a field Whop fills', () => {
    const first = firstRun({ access_activity_log: whopLog });
    const edited = `${first.staged.access_activity_log}\nThe merchant added this line.`;
    const plan = nextRun({ ...first.update, access_activity_log: edited }, first, {
      ...draft,
      access_activity_log: 'Used 52 times across 9 sessions.',
    });
    expect(plan.update).toBeNull();
    expect(plan.merchantOwned).toEqual(['access_activity_log']);
    expect(plan.staged.access_activity_log).toBeUndefined();
  });

  it('a value in the log we did not write, with no record of Whop’s (staged before this rule), stays the merchant’s', () => {
    const plan = nextRun(
      { access_activity_log: 'Somebody’s text' },
      { staged: { notes: 'ours' }, whopDefaults: {} },
    );
    expect(plan.merchantOwned).toContain('access_activity_log');
    expect(plan.update?.access_activity_log).toBeUndefined();
  });

  it('keeps Whop’s own name, email and billing address; a prefilled note is still the merchant’s', () => {
    const plan = firstRun(
      {
        customer_name: 'A. Lovelace',
        customer_email_address: 'ada@example.com',
        billing_address: '1 Main St, London',
        notes: 'Merchant note',
      },
      { ...draft, customer_email_address: 'ada@example.org', billing_address: '2 Other St, Paris' },
    );
    expect(plan.update).toEqual({ access_activity_log: draft.access_activity_log });
    expect(plan.whopFilled).toEqual(['billing_address', 'customer_email_address', 'customer_name']);
    expect(plan.merchantOwned).toEqual(['notes']);
    expect(plan.staged).toEqual({ access_activity_log: draft.access_activity_log });

    // Later runs recognise Whop's values and still leave them alone.
    const again = nextRun({ ...plan.update, customer_name: 'A. Lovelace', notes: 'Merchant note' }, plan);
    expect(again.update).toBeNull();
    expect(again.whopFilled).toEqual(['customer_name']);
    expect(again.merchantOwned).toEqual(['notes']);
  });

  it('keeps Whop’s log whole and cuts ours, with a note, when both do not fit the field', () => {
    const longWhop = 'W'.repeat(WHOP_TEXT_FIELD_MAX - 2000);
    const ours = Array.from({ length: 200 }, (_, i) => `line ${i} of the merchant's access log`).join('\n');
    const plan = firstRun({ access_activity_log: longWhop }, { access_activity_log: ours });
    const sent = plan.update!.access_activity_log!;
    expect(sent.length).toBeLessThanOrEqual(WHOP_TEXT_FIELD_MAX);
    expect(sent.startsWith(`${longWhop}\n\n${heading}\nline 0 of`)).toBe(true);
    expect(sent.endsWith(CUT_NOTE)).toBe(true);
    expect(sent).not.toContain('line 199');

    // No room at all for ours: Whop's stays as it is and nothing is sent.
    const full = firstRun(
      { access_activity_log: 'W'.repeat(WHOP_TEXT_FIELD_MAX - 10) },
      { access_activity_log: ours },
    );
    expect(full.update).toBeNull();
    expect(full.whopFilled).toEqual(['access_activity_log']);
    expect(full.staged).toEqual({});
  });

  it('after a run that sent but could not record it, finds Whop’s part and never repeats ours', () => {
    const plan = firstRun({ access_activity_log: `${whopLog}\n\n${heading}\nOlder text of ours` });
    expect(plan.whopDefaults).toEqual({ access_activity_log: whopLog });
    expect(plan.update?.access_activity_log).toBe(`${whopLog}\n\n${heading}\n${draft.access_activity_log}`);

    const oursOnly = firstRun({ access_activity_log: draft.access_activity_log });
    expect(oursOnly.update).toEqual({ notes: draft.notes, customer_name: draft.customer_name });
    expect(oursOnly.whopFilled).toEqual([]);
  });

  it('a Whop log cleared since is forgotten: the field gets ours alone', () => {
    const plan = nextRun(
      { access_activity_log: '' },
      {
        staged: { access_activity_log: `${whopLog}\n\n${heading}\nold` },
        whopDefaults: { access_activity_log: whopLog },
      },
    );
    expect(plan.update?.access_activity_log).toBe(draft.access_activity_log);
    expect(plan.whopDefaults).toEqual({});
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
