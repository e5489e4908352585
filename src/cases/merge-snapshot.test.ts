import { describe, expect, it } from 'vitest';
import { type Read, read, recordOf, replay, snapshotPart } from '../../test/support/builders/case-records.js';
import { at } from '../../test/support/builders/fixture.js';
import {
  type WhopObject,
  whopCase,
  whopCaseListItem,
  whopDispute,
  whopDisputeAlert,
  whopDisputeListItem,
  whopRefund,
  whopRefundListItem,
} from '../../test/support/builders/whop-cases.js';
import { type CaseKind, KIND_RULES } from './case-record.js';
import { fromWhop } from './from-whop.js';
import { diff, listingDiffers, mergeSnapshot } from './merge-snapshot.js';

const EXTENDED_DUE = '2025-03-31T23:59:59.000Z';

/** A dispute after the merchant submitted evidence: Whop locks it. */
const submitted = { editable: false } as const;

describe('mergeSnapshot: the first read', () => {
  it('creates the record with our bookkeeping around the snapshot', () => {
    const snapshot = fromWhop('dispute', whopDispute());
    const result = mergeSnapshot(undefined, snapshot, at(5), 'sweep');
    expect(result).toEqual({
      outcome: 'created',
      changes: {},
      record: {
        ...snapshot,
        final: false,
        open: true,
        observedAt: at(5),
        firstSeenAt: at(5),
        lastChangedAt: at(5),
        lastSource: 'sweep',
        version: 1,
      },
    });
  });

  it.each<[CaseKind, string[], string[]]>([
    // kind, statuses that are final, statuses that are closed (nothing left to do or wait for)
    ['dispute', ['won', 'lost', 'closed'], ['warning_closed', 'won', 'lost', 'closed']],
    ['dispute_alert', ['alerted'], ['alerted']],
    ['refund', ['succeeded', 'failed', 'canceled'], ['succeeded', 'failed', 'canceled']],
    ['resolution_case', ['customer_withdrew'], ['customer_won', 'merchant_won', 'customer_withdrew']],
  ])('derives final and open from the %s status', (kind, finals, closed) => {
    for (const status of Object.keys(KIND_RULES[kind].rank)) {
      const snapshot = { ...fromWhop(kind, objectOf(kind)), status };
      const { record } = mergeSnapshot(undefined, snapshot, at(0), 'webhook');
      expect(record.final, `${kind} ${status} final`).toBe(finals.includes(status));
      expect(record.open, `${kind} ${status} open`).toBe(!closed.includes(status));
    }
  });
});

describe('mergeSnapshot: a newer read', () => {
  it('updates the record, keeps when we first saw it and bumps the version', () => {
    const current = recordOf('dispute', whopDispute(), at(0));
    const result = mergeSnapshot(
      current,
      fromWhop('dispute', whopDispute({ status: 'under_review', ...submitted })),
      at(10),
      'sweep',
    );
    expect(result.outcome).toBe('updated');
    expect(result.record).toMatchObject({
      status: 'under_review',
      details: { editable: false, visaRdr: false },
      final: false,
      open: true,
      observedAt: at(10),
      firstSeenAt: at(0),
      lastChangedAt: at(10),
      lastSource: 'sweep',
      version: 2,
    });
  });

  it('re-derives final and open', () => {
    const current = recordOf('dispute', whopDispute({ status: 'under_review' }));
    const { record } = mergeSnapshot(
      current,
      fromWhop('dispute', whopDispute({ status: 'lost' })),
      at(1),
      'webhook',
    );
    expect(record).toMatchObject({ status: 'lost', final: true, open: false });
  });

  it('stores the raw object of the read that won', () => {
    const current = recordOf('refund', whopRefund());
    const newer = whopRefund({ status: 'succeeded', reference_status: 'available' });
    const { record } = mergeSnapshot(current, fromWhop('refund', newer), at(1), 'webhook');
    expect(record.whop).toBe(newer);
  });
});

describe('mergeSnapshot: duplicates', () => {
  it.each<[CaseKind, WhopObject]>([
    ['dispute', whopDispute()],
    ['dispute_alert', whopDisputeAlert()],
    ['refund', whopRefund()],
    ['resolution_case', whopCase()],
  ])('a %s read again later is unchanged: only its read time moves forward', (kind, object) => {
    const current = recordOf(kind, object, at(0));
    const result = mergeSnapshot(current, fromWhop(kind, structuredClone(object)), at(3), 'sweep');
    expect(result.outcome).toBe('unchanged');
    expect(result.record).toEqual({ ...current, observedAt: at(3), version: current.version + 1 });
  });

  it('the same read delivered twice is unchanged', () => {
    const current = recordOf('dispute', whopDispute(), at(4));
    expect(mergeSnapshot(current, fromWhop('dispute', whopDispute()), at(4), 'webhook').outcome).toBe(
      'unchanged',
    );
  });

  it('the same state read earlier than the stored read is refused as an older read', () => {
    const current = recordOf('dispute', whopDispute(), at(4));
    const result = mergeSnapshot(current, fromWhop('dispute', whopDispute()), at(2), 'webhook');
    expect(result).toEqual({ outcome: 'stale', record: current, reason: 'older read' });
  });

  it('a change only to fields we do not compare (evidence text) is unchanged; the stored raw object stays', () => {
    const first = whopDispute();
    const current = recordOf('dispute', first, at(0));
    const withEvidence = whopDispute({ notes: 'Customer logged in 14 times after purchase.' });
    const result = mergeSnapshot(current, fromWhop('dispute', withEvidence), at(5), 'webhook');
    expect(result.outcome).toBe('unchanged');
    expect(result.record.whop).toBe(first);
  });
});

/** Two reads of one object, in true order (`older` happened first in Whop), and the state that must win. */
const PAIRS: [name: string, older: Read, newer: Read, winner: Read][] = (() => {
  const d = (status: Parameters<typeof whopDispute>[0], t: number) =>
    read('dispute', whopDispute(status), at(t));
  const r = (status: Parameters<typeof whopRefund>[0], t: number) =>
    read('refund', whopRefund(status), at(t));
  const c = (fields: Parameters<typeof whopCase>[0], t: number) =>
    read('resolution_case', whopCase(fields), at(t));
  const pairs: [string, Read, Read, Read][] = [];
  const add = (name: string, older: Read, newer: Read, winner: Read = newer) =>
    pairs.push([name, older, newer, winner]);

  add('dispute needs_response → under_review', d({}, 1), d({ status: 'under_review', ...submitted }, 2));
  add('dispute under_review → won', d({ status: 'under_review' }, 1), d({ status: 'won', ...submitted }, 2));
  add(
    'dispute under_review → lost',
    d({ status: 'under_review' }, 1),
    d({ status: 'lost', ...submitted }, 2),
  );
  add('dispute needs_response → closed', d({}, 1), d({ status: 'closed' }, 2));
  add(
    'inquiry → chargeback',
    d({ status: 'warning_needs_response' }, 1),
    d({ status: 'needs_response', needs_response_by: EXTENDED_DUE }, 2),
  );
  add('closed inquiry → chargeback', d({ status: 'warning_closed' }, 1), d({ status: 'needs_response' }, 2));
  add('dispute deadline extended (same status)', d({}, 1), d({ needs_response_by: EXTENDED_DUE }, 2));
  // A read that started later but hit a lagging replica: the later stage still wins.
  const lagging = d({ status: 'under_review' }, 1);
  add('dispute later read of an earlier stage', lagging, d({}, 2), lagging);
  add('refund pending → succeeded', r({}, 1), r({ status: 'succeeded' }, 2));
  add('refund requires_action → failed', r({ status: 'requires_action' }, 1), r({ status: 'failed' }, 2));
  add('refund pending → canceled', r({}, 1), r({ status: 'canceled' }, 2));
  add(
    'dispute alert read twice',
    read('dispute_alert', whopDisputeAlert(), at(1)),
    read('dispute_alert', whopDisputeAlert(), at(2)),
  );
  add(
    'case awaiting merchant → platform review',
    c({}, 1),
    c({ status: 'under_platform_review', updated_at: at(90), merchant_response_actions: [] }, 2),
  );
  add(
    'case customer answered → awaiting merchant again, new due date',
    c({ status: 'customer_response_needed', updated_at: at(20) }, 1),
    c({ due_date: '2025-03-20T10:00:00.000Z', updated_at: at(40) }, 2),
  );
  add(
    'case decided → appealed',
    c({ status: 'merchant_won', updated_at: at(50), merchant_response_actions: [] }, 1),
    c({ status: 'under_platform_review', customer_appealed: true, updated_at: at(60) }, 2),
  );
  // The read that started first saw a newer updated_at: updated_at decides, not read order.
  const newerCase = c({ status: 'under_platform_review', updated_at: at(30) }, 1);
  add('case later read with an older updated_at', newerCase, c({ updated_at: at(10) }, 2), newerCase);
  return pairs;
})();

describe('mergeSnapshot: out of order', () => {
  it.each(PAIRS)('%s: both orders give the same record', (_name, older, newer, winner) => {
    const inOrder = replay([older, newer]).record!;
    const reversed = replay([newer, older]).record!;
    expect(snapshotPart(inOrder)).toEqual(winner.snapshot);
    expect(snapshotPart(reversed)).toEqual(winner.snapshot);
    expect(reversed.final).toBe(inOrder.final);
    expect(reversed.open).toBe(inOrder.open);
  });

  it.each(PAIRS)(
    '%s: the losing read is refused or a no-op, never an update',
    (_name, older, newer, winner) => {
      const loser = winner === older ? newer : older;
      const { outcomes } = replay([winner, loser]);
      expect(outcomes[0]).toBe('created');
      expect(['stale', 'unchanged']).toContain(outcomes[1]);
    },
  );
});

describe('mergeSnapshot: earlier stages and final states', () => {
  it('refuses an earlier dispute stage read later', () => {
    const current = recordOf('dispute', whopDispute({ status: 'under_review' }), at(0));
    const result = mergeSnapshot(current, fromWhop('dispute', whopDispute()), at(9), 'sweep');
    expect(result).toEqual({ outcome: 'stale', record: current, reason: 'earlier status' });
  });

  // Issue 9: Whop defines no order between won, lost and closed (nor after them); a later read that
  // differs from a final status is news, an earlier one is stale.
  it.each([
    ['won', 'lost'],
    ['won', 'needs_response'],
    ['lost', 'under_review'],
    ['closed', 'won'],
    ['won', 'warning_closed'],
    ['lost', 'other'],
  ] as const)('a %s dispute read later as %s takes the new status as news', (final, later) => {
    const current = recordOf('dispute', whopDispute({ status: final }), at(0));
    const result = mergeSnapshot(
      current,
      fromWhop('dispute', whopDispute({ status: later })),
      at(9),
      'sweep',
    );
    expect(result.outcome).toBe('updated');
    expect(result.record.status).toBe(later);
    if (result.outcome === 'updated') expect(result.changes.status).toEqual([final, later]);
  });

  it.each([
    ['won', 'lost'],
    ['lost', 'under_review'],
    ['closed', 'won'],
  ] as const)('a %s dispute is not changed by an earlier read of %s', (final, earlier) => {
    const current = recordOf('dispute', whopDispute({ status: final }), at(9));
    const result = mergeSnapshot(
      current,
      fromWhop('dispute', whopDispute({ status: earlier })),
      at(3),
      'sweep',
    );
    expect(result).toEqual({ outcome: 'stale', record: current, reason: 'older read' });
  });

  it.each([
    ['succeeded', 'failed'],
    ['failed', 'succeeded'],
    ['canceled', 'requires_action'],
  ] as const)('a %s refund read later as %s takes the new status', (final, later) => {
    const current = recordOf('refund', whopRefund({ status: final }), at(0));
    const result = mergeSnapshot(current, fromWhop('refund', whopRefund({ status: later })), at(9), 'sweep');
    expect(result.outcome).toBe('updated');
    expect(result.record.status).toBe(later);
  });

  it('a succeeded refund is not changed by an earlier pending read', () => {
    const current = recordOf('refund', whopRefund({ status: 'succeeded' }), at(9));
    const result = mergeSnapshot(current, fromWhop('refund', whopRefund()), at(2), 'sweep');
    expect(result).toEqual({ outcome: 'stale', record: current, reason: 'older read' });
  });

  it('a withdrawn case reopened with a newer updated_at is news', () => {
    const withdrawn = whopCase({
      status: 'customer_withdrew',
      updated_at: at(30),
      merchant_response_actions: [],
    });
    const current = recordOf('resolution_case', withdrawn, at(31));
    const reopened = whopCase({ status: 'merchant_response_needed', updated_at: at(40) });
    const result = mergeSnapshot(current, fromWhop('resolution_case', reopened), at(41), 'sweep');
    expect(result.outcome).toBe('updated');
    expect(result.record).toMatchObject({ status: 'merchant_response_needed', open: true, final: false });
  });

  it('a withdrawn case is not reopened by an older updated_at', () => {
    const withdrawn = whopCase({
      status: 'customer_withdrew',
      updated_at: at(30),
      merchant_response_actions: [],
    });
    const current = recordOf('resolution_case', withdrawn, at(31));
    const older = whopCase({ status: 'merchant_response_needed', updated_at: at(20) });
    const result = mergeSnapshot(current, fromWhop('resolution_case', older), at(41), 'sweep');
    expect(result).toEqual({ outcome: 'stale', record: current, reason: 'older updated_at' });
  });

  it('a withdrawn case still takes a newer read of the same status', () => {
    const withdrawn = { status: 'customer_withdrew' as const, merchant_response_actions: [] };
    const current = recordOf('resolution_case', whopCase({ ...withdrawn, updated_at: at(30) }), at(31));
    const later = whopCase({ ...withdrawn, updated_at: at(45) });
    const result = mergeSnapshot(current, fromWhop('resolution_case', later), at(46), 'sweep');
    expect(result.outcome).toBe('updated');
    expect(result.record.updatedAt).toBe(at(45));
  });

  it('a final dispute still takes a later read of the same status', () => {
    const current = recordOf('dispute', whopDispute({ status: 'won', editable: true }), at(0));
    const result = mergeSnapshot(
      current,
      fromWhop('dispute', whopDispute({ status: 'won', ...submitted })),
      at(2),
      'sweep',
    );
    expect(result.outcome).toBe('updated');
    expect(result.record.details.editable).toBe(false);
  });
});

describe('mergeSnapshot: an inquiry escalating to a chargeback', () => {
  it.each(['warning_needs_response', 'warning_under_review', 'warning_closed'] as const)(
    'a %s inquiry becomes a needs_response chargeback',
    (inquiry) => {
      const current = recordOf('dispute', whopDispute({ status: inquiry }), at(0));
      const chargeback = whopDispute({ status: 'needs_response', needs_response_by: EXTENDED_DUE });
      const result = mergeSnapshot(current, fromWhop('dispute', chargeback), at(10), 'webhook');
      expect(result.outcome).toBe('updated');
      expect(result.record).toMatchObject({
        status: 'needs_response',
        dueAt: EXTENDED_DUE,
        final: false,
        open: true,
      });
    },
  );

  it.each(['warning_needs_response', 'warning_under_review', 'warning_closed'] as const)(
    'a late %s read does not turn a chargeback back into an inquiry',
    (inquiry) => {
      const current = recordOf('dispute', whopDispute({ status: 'needs_response' }), at(10));
      const result = mergeSnapshot(
        current,
        fromWhop('dispute', whopDispute({ status: inquiry })),
        at(11),
        'sweep',
      );
      expect(result).toEqual({ outcome: 'stale', record: current, reason: 'earlier status' });
    },
  );
});

describe('mergeSnapshot: a Resolution Center appeal', () => {
  const decided = whopCase({ status: 'merchant_won', updated_at: at(50), merchant_response_actions: [] });
  const appealed = {
    status: 'under_platform_review' as const,
    customer_appealed: true,
    merchant_response_actions: [],
  };

  it('reopens a decided case when the appeal carries a newer updated_at', () => {
    const current = recordOf('resolution_case', decided, at(51));
    const result = mergeSnapshot(
      current,
      fromWhop('resolution_case', whopCase({ ...appealed, updated_at: at(60) })),
      at(61),
      'webhook',
    );
    expect(result.outcome).toBe('updated');
    expect(result.record).toMatchObject({
      status: 'under_platform_review',
      open: true,
      final: false,
      version: 2,
    });
    if (result.outcome === 'updated') {
      expect(result.changes).toMatchObject({
        status: ['merchant_won', 'under_platform_review'],
        updatedAt: [at(50), at(60)],
        'details.customerAppealed': [false, true],
      });
    }
  });

  it('refuses an appeal read with an older updated_at', () => {
    const current = recordOf('resolution_case', decided, at(51));
    const result = mergeSnapshot(
      current,
      fromWhop('resolution_case', whopCase({ ...appealed, updated_at: at(40) })),
      at(70),
      'webhook',
    );
    expect(result).toEqual({ outcome: 'stale', record: current, reason: 'older updated_at' });
  });

  it('refuses to reopen a decided case on status order alone (same or missing updated_at)', () => {
    const current = recordOf('resolution_case', decided, at(51));
    for (const updated_at of [at(50), undefined]) {
      const object = { ...whopCase({ ...appealed }), updated_at };
      const result = mergeSnapshot(current, fromWhop('resolution_case', object), at(70), 'webhook');
      expect(result).toEqual({ outcome: 'stale', record: current, reason: 'earlier status' });
    }
  });

  it('takes the appeal decision that follows', () => {
    const current = recordOf('resolution_case', whopCase({ ...appealed, updated_at: at(60) }), at(61));
    const final = whopCase({ status: 'customer_won', customer_appealed: true, updated_at: at(80) });
    const result = mergeSnapshot(current, fromWhop('resolution_case', final), at(81), 'webhook');
    expect(result.record).toMatchObject({ status: 'customer_won', open: false, final: false });
  });

  it('lets a newer updated_at win even when its read started earlier, keeping the later read time', () => {
    const current = recordOf('resolution_case', whopCase({ updated_at: at(10) }), at(90));
    const newer = whopCase({ status: 'under_platform_review', updated_at: at(30) });
    const result = mergeSnapshot(current, fromWhop('resolution_case', newer), at(35), 'webhook');
    expect(result.outcome).toBe('updated');
    expect(result.record.observedAt).toBe(at(90));
    expect(result.record.lastChangedAt).toBe(at(35));
  });
});

describe('mergeSnapshot: same stage, read order decides', () => {
  it('the later read wins', () => {
    const current = recordOf('dispute', whopDispute(), at(0));
    const result = mergeSnapshot(
      current,
      fromWhop('dispute', whopDispute({ needs_response_by: EXTENDED_DUE })),
      at(5),
      'sweep',
    );
    expect(result.outcome).toBe('updated');
    expect(result.record.dueAt).toBe(EXTENDED_DUE);
  });

  it('an older read is refused', () => {
    const current = recordOf('dispute', whopDispute({ needs_response_by: EXTENDED_DUE }), at(5));
    const result = mergeSnapshot(current, fromWhop('dispute', whopDispute()), at(1), 'webhook');
    expect(result).toEqual({ outcome: 'stale', record: current, reason: 'older read' });
  });

  it('an older read is refused for a case with the same updated_at too', () => {
    const current = recordOf('resolution_case', whopCase({ due_date: '2025-03-20T10:00:00.000Z' }), at(5));
    const result = mergeSnapshot(current, fromWhop('resolution_case', whopCase()), at(1), 'webhook');
    expect(result).toEqual({ outcome: 'stale', record: current, reason: 'older read' });
  });

  it('between won and lost only the order of the reads counts', () => {
    const lost = read('dispute', whopDispute({ status: 'lost' }), at(1));
    const won = read('dispute', whopDispute({ status: 'won' }), at(5));
    expect(snapshotPart(replay([lost, won]).record!)).toEqual(won.snapshot);
    expect(snapshotPart(replay([won, lost]).record!)).toEqual(won.snapshot);
  });

  // If Whop's state went X → Y → X at one stage and the reads arrive X(t1), X(t3), Y(t2), the t3 read
  // (unchanged, but newer) must still beat the older t2 read.
  it('an unchanged newer read still counts against older reads at the same stage', () => {
    const x1 = read('dispute', whopDispute(), at(1));
    const y2 = read('dispute', whopDispute({ needs_response_by: EXTENDED_DUE }), at(2));
    const x3 = read('dispute', whopDispute(), at(3));
    expect(snapshotPart(replay([x1, x3, y2]).record!)).toEqual(x3.snapshot);
  });
});

// Issue 9: `other` is a valid dispute status in either phase ("a catch-all … treat as informational",
// SDK resources/disputes.ts): neither earlier nor later than any other status.
describe('mergeSnapshot: a dispute status with no defined order (other)', () => {
  it.each(['needs_response', 'warning_needs_response', 'under_review', 'warning_closed'] as const)(
    'a later read moving a %s dispute to other is taken, and it no longer awaits the merchant',
    (status) => {
      const current = recordOf('dispute', whopDispute({ status }), at(0));
      const result = mergeSnapshot(
        current,
        fromWhop('dispute', whopDispute({ status: 'other' })),
        at(5),
        'sweep',
      );
      expect(result.outcome).toBe('updated');
      expect(result.record).toMatchObject({ status: 'other', final: false, open: true });
    },
  );

  it('an older read moving a dispute to or from other is stale', () => {
    const needs = recordOf('dispute', whopDispute(), at(5));
    const toOther = mergeSnapshot(
      needs,
      fromWhop('dispute', whopDispute({ status: 'other' })),
      at(1),
      'sweep',
    );
    expect(toOther).toEqual({ outcome: 'stale', record: needs, reason: 'older read' });
    const other = recordOf('dispute', whopDispute({ status: 'other' }), at(5));
    const fromOther = mergeSnapshot(other, fromWhop('dispute', whopDispute()), at(1), 'sweep');
    expect(fromOther).toEqual({ outcome: 'stale', record: other, reason: 'older read' });
  });

  it('a later read moving a dispute from other to any status is taken', () => {
    const other = recordOf('dispute', whopDispute({ status: 'other' }), at(0));
    for (const status of ['warning_needs_response', 'needs_response', 'won'] as const) {
      const result = mergeSnapshot(other, fromWhop('dispute', whopDispute({ status })), at(5), 'sweep');
      expect(result.record.status, status).toBe(status);
    }
  });
});

describe('mergeSnapshot: what changed', () => {
  it('lists each changed field old → new, details field by field, never the raw object', () => {
    const current = recordOf('dispute', whopDispute(), at(0));
    const result = mergeSnapshot(
      current,
      fromWhop('dispute', whopDispute({ status: 'under_review', needs_response_by: null, ...submitted })),
      at(5),
      'webhook',
    );
    expect(result.outcome === 'updated' && result.changes).toEqual({
      status: ['needs_response', 'under_review'],
      dueAt: ['2025-03-24T23:59:59.000Z', null],
      'details.editable': [true, false],
    });
  });

  it('lists a case moving to merchant_info_needed with a new due date and actions', () => {
    const current = recordOf('resolution_case', whopCase(), at(0));
    const infoNeeded = whopCase({
      status: 'merchant_info_needed',
      due_date: '2025-03-19T10:00:00.000Z',
      updated_at: at(120),
      merchant_response_actions: ['respond'],
    });
    const result = mergeSnapshot(current, fromWhop('resolution_case', infoNeeded), at(121), 'webhook');
    expect(result.outcome === 'updated' && result.changes).toEqual({
      status: ['merchant_response_needed', 'merchant_info_needed'],
      dueAt: ['2025-03-17T10:00:00.000Z', '2025-03-19T10:00:00.000Z'],
      updatedAt: ['2025-03-10T10:00:00.000Z', at(120)],
      'details.merchantResponseActions': [['accept', 'deny', 'request_more_info'], ['respond']],
    });
  });

  it('lists amount and currency changes', () => {
    const current = recordOf('refund', whopRefund(), at(0));
    const result = mergeSnapshot(
      current,
      fromWhop('refund', whopRefund({ amount: 49, currency: 'eur' })),
      at(1),
      'sweep',
    );
    expect(result.outcome === 'updated' && result.changes).toEqual({
      amount: [19.5, 49],
      currency: ['usd', 'eur'],
    });
  });

  it('diff reports details keys that appear or disappear as null on the missing side', () => {
    const a = fromWhop('dispute', whopDispute());
    const b = { ...a, details: { editable: true, evidenceSubmittedAt: at(3) } };
    expect(diff(a, b)).toEqual({
      'details.visaRdr': [false, null],
      'details.evidenceSubmittedAt': [null, at(3)],
    });
    expect(diff(b, a)).toEqual({
      'details.visaRdr': [null, false],
      'details.evidenceSubmittedAt': [at(3), null],
    });
  });

  it('diff of a snapshot with itself, or a deep copy of it, is empty', () => {
    const a = fromWhop('resolution_case', whopCase());
    expect(diff(a, a)).toEqual({});
    expect(diff(a, structuredClone(a))).toEqual({});
  });
});

describe('listingDiffers', () => {
  it('is true for an object we have no record of', () => {
    expect(listingDiffers(undefined, fromWhop('dispute', whopDisputeListItem()))).toBe(true);
  });

  it('is false when a listed item matches its record, for every kind', () => {
    expect(
      listingDiffers(recordOf('dispute', whopDispute()), fromWhop('dispute', whopDisputeListItem())),
    ).toBe(false);
    expect(listingDiffers(recordOf('refund', whopRefund()), fromWhop('refund', whopRefundListItem()))).toBe(
      false,
    );
    expect(
      listingDiffers(
        recordOf('resolution_case', whopCase()),
        fromWhop('resolution_case', whopCaseListItem()),
      ),
    ).toBe(false);
  });

  it('is true when the listing shows a new status, due date or updated_at', () => {
    const record = recordOf('dispute', whopDispute());
    expect(listingDiffers(record, fromWhop('dispute', whopDisputeListItem({ status: 'under_review' })))).toBe(
      true,
    );
    expect(
      listingDiffers(record, fromWhop('dispute', whopDisputeListItem({ needs_response_by: EXTENDED_DUE }))),
    ).toBe(true);
    const caseRecord = recordOf('resolution_case', whopCase());
    expect(
      listingDiffers(caseRecord, fromWhop('resolution_case', whopCaseListItem({ updated_at: at(200) }))),
    ).toBe(true);
  });
});

function objectOf(kind: CaseKind): WhopObject {
  switch (kind) {
    case 'dispute':
      return whopDispute();
    case 'dispute_alert':
      return whopDisputeAlert();
    case 'refund':
      return whopRefund();
    case 'resolution_case':
      return whopCase();
  }
}
