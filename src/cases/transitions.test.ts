import { describe, expect, it } from 'vitest';
import {
  advance,
  type Read,
  read,
  recordOf,
  replay,
  snapshotPart,
} from '../../test/support/builders/case-records.js';
import { at, COMPANY } from '../../test/support/builders/fixture.js';
import { permutations, seededRandom, shuffled } from '../../test/support/builders/ordering.js';
import {
  type WhopObject,
  whopCase,
  whopDispute,
  whopDisputeAlert,
  whopRefund,
} from '../../test/support/builders/whop-cases.js';
import { AWAITING_MERCHANT, type CaseKind, type CaseRecord, KIND_RULES } from './case-record.js';
import { mergeSnapshot } from './merge-snapshot.js';
import { toCaseEvent, transitionsFor } from './transitions.js';

const keys = (previous: CaseRecord | undefined, next: CaseRecord) =>
  transitionsFor(previous, next).map((t) => t.key);

describe('transitionsFor: disputes', () => {
  it('a new chargeback is opened and needs a response', () => {
    expect(transitionsFor(undefined, recordOf('dispute', whopDispute()))).toEqual([
      { key: 'opened', type: 'dispute.opened' },
      { key: 'needs_response:needs_response', type: 'dispute.needs_response' },
    ]);
  });

  it('a new inquiry is opened and needs a response, under its own key', () => {
    expect(
      transitionsFor(undefined, recordOf('dispute', whopDispute({ status: 'warning_needs_response' }))),
    ).toEqual([
      { key: 'opened', type: 'dispute.opened' },
      { key: 'needs_response:warning_needs_response', type: 'dispute.needs_response' },
    ]);
  });

  // Issue 9: a final outcome Whop later revises is news: the new outcome fires (and so is alerted).
  it('fires lost when a won dispute is later read as lost', () => {
    const won = recordOf('dispute', whopDispute({ status: 'won', editable: false }), at(0));
    const lost = advance(won, whopDispute({ status: 'lost', editable: false }), at(5));
    expect(transitionsFor(won, lost)).toEqual([{ key: 'lost', type: 'dispute.lost' }]);
  });

  it('fires nothing when a dispute moves to other (informational), and its reminders stop', () => {
    const open = recordOf('dispute', whopDispute(), at(0));
    const other = advance(open, whopDispute({ status: 'other' }), at(5));
    expect(transitionsFor(open, other)).toEqual([]);
    expect(AWAITING_MERCHANT.dispute.has(other.status)).toBe(false);
  });

  it('fires under review, then won', () => {
    const open = recordOf('dispute', whopDispute(), at(0));
    const review = advance(open, whopDispute({ status: 'under_review', editable: false }), at(1));
    const won = advance(review, whopDispute({ status: 'won', editable: false }), at(2));
    expect(transitionsFor(open, review)).toEqual([
      { key: 'under_review:under_review', type: 'dispute.under_review' },
    ]);
    expect(transitionsFor(review, won)).toEqual([{ key: 'won', type: 'dispute.won' }]);
  });

  it('fires lost and closed', () => {
    const review = recordOf('dispute', whopDispute({ status: 'under_review' }), at(0));
    expect(transitionsFor(review, advance(review, whopDispute({ status: 'lost' }), at(1)))).toEqual([
      { key: 'lost', type: 'dispute.lost' },
    ]);
    expect(transitionsFor(review, advance(review, whopDispute({ status: 'closed' }), at(1)))).toEqual([
      { key: 'closed:closed', type: 'dispute.closed' },
    ]);
  });

  it('an inquiry that escalates to a chargeback needs a response twice, every key distinct', () => {
    const statuses = [
      'warning_needs_response',
      'warning_under_review',
      'warning_closed',
      'needs_response',
      'under_review',
      'won',
    ] as const;
    const reads = statuses.map((status, i) => read('dispute', whopDispute({ status }), at(i)));
    const { fired, outcomes } = replay(reads);
    expect(outcomes).toEqual(['created', 'updated', 'updated', 'updated', 'updated', 'updated']);
    expect(fired).toEqual([
      'opened',
      'needs_response:warning_needs_response',
      'under_review:warning_under_review',
      'closed:warning_closed',
      'needs_response:needs_response',
      'under_review:under_review',
      'won',
    ]);
  });

  it('a closed inquiry and a closed chargeback are distinct closings', () => {
    const inquiry = recordOf('dispute', whopDispute({ status: 'warning_under_review' }), at(0));
    const closedInquiry = advance(inquiry, whopDispute({ status: 'warning_closed' }), at(1));
    const chargeback = advance(closedInquiry, whopDispute({ status: 'needs_response' }), at(2));
    const closed = advance(chargeback, whopDispute({ status: 'closed' }), at(3));
    expect(transitionsFor(inquiry, closedInquiry)).toEqual([
      { key: 'closed:warning_closed', type: 'dispute.closed' },
    ]);
    expect(keys(closedInquiry, chargeback)).toEqual(['needs_response:needs_response']);
    expect(keys(chargeback, closed)).toEqual(['closed:closed']);
  });

  it('a change that keeps the status fires only due_changed when the deadline moved (reminders follow it)', () => {
    const open = recordOf('dispute', whopDispute(), at(0));
    const extended = advance(open, whopDispute({ needs_response_by: '2025-03-31T23:59:59.000Z' }), at(1));
    expect(transitionsFor(open, extended)).toEqual([
      { key: 'due:2025-03-31T23:59:59.000Z', type: 'dispute.due_changed' },
    ]);
  });

  it('a dispute first seen already decided is opened and decided at once', () => {
    expect(keys(undefined, recordOf('dispute', whopDispute({ status: 'won' })))).toEqual(['opened', 'won']);
    expect(keys(undefined, recordOf('dispute', whopDispute({ status: 'other' })))).toEqual(['opened']);
  });
});

describe('transitionsFor: dispute alerts', () => {
  it('fires opened when an alert is first seen, and never again', () => {
    const alert = read('dispute_alert', whopDisputeAlert(), at(0));
    expect(transitionsFor(undefined, recordOf('dispute_alert', whopDisputeAlert()))).toEqual([
      { key: 'opened', type: 'dispute_alert.opened' },
    ]);
    const again = replay([alert, read('dispute_alert', whopDisputeAlert(), at(1)), alert]);
    // The third read is older than the second: refused, and nothing fires either way.
    expect(again.outcomes).toEqual(['created', 'unchanged', 'stale']);
    expect(again.fired).toEqual(['opened']);
  });
});

describe('transitionsFor: refunds', () => {
  it('fires succeeded when a pending refund succeeds', () => {
    const pending = recordOf('refund', whopRefund(), at(0));
    expect(transitionsFor(undefined, pending)).toEqual([]);
    expect(transitionsFor(pending, advance(pending, whopRefund({ status: 'succeeded' }), at(1)))).toEqual([
      { key: 'succeeded', type: 'refund.succeeded' },
    ]);
  });

  it('fires failed when a refund that required action fails', () => {
    const pending = recordOf('refund', whopRefund(), at(0));
    const action = advance(pending, whopRefund({ status: 'requires_action' }), at(1));
    expect(transitionsFor(pending, action)).toEqual([]);
    expect(transitionsFor(action, advance(action, whopRefund({ status: 'failed' }), at(2)))).toEqual([
      { key: 'failed', type: 'refund.failed' },
    ]);
  });

  it('fires on the first sight of a refund that already finished; canceled fires nothing', () => {
    expect(keys(undefined, recordOf('refund', whopRefund({ status: 'succeeded' })))).toEqual(['succeeded']);
    expect(keys(undefined, recordOf('refund', whopRefund({ status: 'failed' })))).toEqual(['failed']);
    const pending = recordOf('refund', whopRefund(), at(0));
    expect(keys(pending, advance(pending, whopRefund({ status: 'canceled' }), at(1)))).toEqual([]);
  });
});

describe('transitionsFor: Resolution Center cases', () => {
  const D1 = '2025-03-17T10:00:00.000Z';
  const D2 = '2025-03-22T10:00:00.000Z';

  it('a new case is opened and awaits the merchant until its due date', () => {
    expect(transitionsFor(undefined, recordOf('resolution_case', whopCase()))).toEqual([
      { key: 'opened', type: 'case.opened' },
      { key: `awaiting_merchant:merchant_response_needed:${D1}`, type: 'case.awaiting_merchant' },
    ]);
  });

  it('Whop asking the merchant for more information also awaits the merchant', () => {
    const c = recordOf('resolution_case', whopCase({ status: 'merchant_info_needed', due_date: D2 }));
    expect(keys(undefined, c)).toEqual(['opened', `awaiting_merchant:merchant_info_needed:${D2}`]);
  });

  it('a case waiting on the customer or the platform awaits nobody', () => {
    for (const status of [
      'customer_response_needed',
      'customer_info_needed',
      'under_platform_review',
    ] as const) {
      expect(keys(undefined, recordOf('resolution_case', whopCase({ status })))).toEqual(['opened']);
    }
  });

  it('awaits the merchant again, under a new key, when the customer answers and a new due date is set', () => {
    const reads = [
      read('resolution_case', whopCase(), at(0)),
      read('resolution_case', whopCase({ status: 'customer_response_needed', updated_at: at(120) }), at(120)),
      read('resolution_case', whopCase({ due_date: D2, updated_at: at(180) }), at(180)),
    ];
    expect(replay(reads).fired).toEqual([
      'opened',
      `awaiting_merchant:merchant_response_needed:${D1}`,
      `awaiting_merchant:merchant_response_needed:${D2}`,
    ]);
  });

  it('awaiting the merchant again with the same due date reuses the key, so the store fires it once', () => {
    const first = recordOf('resolution_case', whopCase(), at(0));
    const customer = advance(
      first,
      whopCase({ status: 'customer_response_needed', updated_at: at(120) }),
      at(120),
    );
    const again = advance(customer, whopCase({ updated_at: at(180) }), at(180));
    expect(keys(customer, again)).toEqual([`awaiting_merchant:merchant_response_needed:${D1}`]);
    expect(
      replay([
        read('resolution_case', whopCase(), at(0)),
        read(
          'resolution_case',
          whopCase({ status: 'customer_response_needed', updated_at: at(120) }),
          at(120),
        ),
        read('resolution_case', whopCase({ updated_at: at(180) }), at(180)),
      ]).fired,
    ).toEqual(['opened', `awaiting_merchant:merchant_response_needed:${D1}`]);
  });

  it('a due date moved while awaiting the merchant fires a new awaiting key; other changes fire nothing', () => {
    const first = recordOf('resolution_case', whopCase(), at(0));
    const moved = advance(first, whopCase({ due_date: D2, updated_at: at(90) }), at(90));
    expect(keys(first, moved)).toEqual([`awaiting_merchant:merchant_response_needed:${D2}`]);
    const touched = advance(
      moved,
      whopCase({ due_date: D2, updated_at: at(95), merchant_response_actions: ['accept'] }),
      at(95),
    );
    expect(keys(moved, touched)).toEqual([]);
  });

  it.each(['customer_won', 'merchant_won', 'customer_withdrew'] as const)(
    'fires decided when the case ends %s',
    (status) => {
      const review = recordOf(
        'resolution_case',
        whopCase({ status: 'under_platform_review', updated_at: at(100) }),
      );
      const decided = advance(review, whopCase({ status, due_date: null, updated_at: at(200) }), at(200));
      expect(transitionsFor(review, decided)).toEqual([{ key: `decided:${status}`, type: 'case.decided' }]);
    },
  );

  it('an appeal that reverses the decision fires a second decided', () => {
    const reads = [
      read('resolution_case', whopCase({ status: 'merchant_won', updated_at: at(100) }), at(100)),
      read(
        'resolution_case',
        whopCase({ status: 'under_platform_review', customer_appealed: true, updated_at: at(200) }),
        at(200),
      ),
      read(
        'resolution_case',
        whopCase({ status: 'customer_won', customer_appealed: true, updated_at: at(300) }),
        at(300),
      ),
    ];
    expect(replay(reads).fired).toEqual(['opened', 'decided:merchant_won', 'decided:customer_won']);
  });

  // As built: the decided key is per outcome, so an appeal that upholds the decision fires nothing new.
  it('an appeal that upholds the decision does not fire decided again', () => {
    const reads = [
      read('resolution_case', whopCase({ status: 'merchant_won', updated_at: at(100) }), at(100)),
      read(
        'resolution_case',
        whopCase({ status: 'under_platform_review', customer_appealed: true, updated_at: at(200) }),
        at(200),
      ),
      read(
        'resolution_case',
        whopCase({ status: 'merchant_won', customer_appealed: true, updated_at: at(300) }),
        at(300),
      ),
    ];
    const { fired, outcomes } = replay(reads);
    expect(outcomes).toEqual(['created', 'updated', 'updated']);
    expect(fired).toEqual(['opened', 'decided:merchant_won']);
  });
});

describe('transitionsFor: no-ops', () => {
  const objects: Record<CaseKind, (status: string) => WhopObject> = {
    dispute: (status) => ({ ...whopDispute(), status }),
    dispute_alert: () => whopDisputeAlert(),
    refund: (status) => ({ ...whopRefund(), status }),
    resolution_case: (status) => ({ ...whopCase(), status }),
  };

  it.each(Object.keys(objects) as CaseKind[])(
    'a %s record compared with itself fires nothing, in every status',
    (kind) => {
      for (const status of Object.keys(KIND_RULES[kind].rank)) {
        const record = recordOf(kind, objects[kind](status));
        expect(transitionsFor(record, record), status).toEqual([]);
        expect(transitionsFor(record, { ...record, version: record.version + 1 }), status).toEqual([]);
      }
    },
  );

  it('duplicate and late deliveries fire each transition once, even without the store deduping', () => {
    const nr = read('dispute', whopDispute(), at(0));
    const ur = read('dispute', whopDispute({ status: 'under_review' }), at(1));
    const won = read('dispute', whopDispute({ status: 'won' }), at(2));
    const deliveries = [nr, nr, ur, nr, ur, won, ur, won, nr];
    let record: CaseRecord | undefined;
    const raw: string[] = [];
    for (const r of deliveries) {
      const merged = mergeSnapshot(record, r.snapshot, r.observedAt, 'webhook');
      if (merged.outcome === 'created' || merged.outcome === 'updated') {
        raw.push(...keys(record, merged.record));
        record = merged.record;
      }
    }
    expect(raw).toEqual(['opened', 'needs_response:needs_response', 'under_review:under_review', 'won']);
  });
});

describe('toCaseEvent', () => {
  it('names the event by record and transition key, with the state it moved from and to', () => {
    const open = recordOf('dispute', whopDispute(), at(0));
    const review = advance(open, whopDispute({ status: 'under_review', needs_response_by: null }), at(1));
    const [t] = transitionsFor(open, review);
    expect(toCaseEvent(t!, open, review, at(1), 'sweep')).toEqual({
      id: 'dspt_5Vn8QxLk2m:under_review:under_review',
      type: 'dispute.under_review',
      kind: 'dispute',
      caseId: 'dspt_5Vn8QxLk2m',
      companyId: COMPANY.id,
      status: 'under_review',
      previousStatus: 'needs_response',
      dueAt: null,
      at: at(1),
      source: 'sweep',
    });
  });

  it('has no previous status for a new record', () => {
    const c = recordOf('resolution_case', whopCase());
    const events = transitionsFor(undefined, c).map((t) => toCaseEvent(t, undefined, c, at(0), 'webhook'));
    expect(events.map((e) => [e.id, e.previousStatus, e.dueAt])).toEqual([
      ['reso_2Wq9ErTy6u:opened', null, '2025-03-17T10:00:00.000Z'],
      [
        'reso_2Wq9ErTy6u:awaiting_merchant:merchant_response_needed:2025-03-17T10:00:00.000Z',
        null,
        '2025-03-17T10:00:00.000Z',
      ],
    ]);
  });
});

/**
 * Reads of one object in true order, each with a later read time. A delivery order is any permutation.
 * What the store can promise: the record ends at the last true state, and the keys fired are those of
 * the reads that were newer than everything before them (the others are stale or no-ops), in order.
 */
function deliveredInOrder(reads: readonly Read[], order: readonly number[]) {
  let newest = -1;
  const accepted: Read[] = [];
  for (const i of order) {
    if (i > newest) {
      newest = i;
      accepted.push(reads[i]!);
    }
  }
  return accepted;
}

describe('merge + transitions in any delivery order', () => {
  // One dispute: opened and needing a response, evidence drafted and submitted, won. Webhook and sweep
  // reads overlap, so most states are read twice.
  const disputeReads: Read[] = [
    read('dispute', whopDispute(), at(0), 'webhook'),
    read('dispute', whopDispute(), at(1), 'sweep'),
    read('dispute', whopDispute({ notes: 'Logged in 14 times after purchase.' }), at(2), 'webhook'),
    read('dispute', whopDispute({ status: 'under_review', editable: false }), at(3), 'webhook'),
    read('dispute', whopDispute({ status: 'under_review', editable: false }), at(4), 'sweep'),
    read('dispute', whopDispute({ status: 'won', editable: false }), at(5), 'webhook'),
    read('dispute', whopDispute({ status: 'won', editable: false }), at(6), 'sweep'),
  ];
  const inOrderKeys = ['opened', 'needs_response:needs_response', 'under_review:under_review', 'won'];

  it('in true order, fires every transition once', () => {
    const { record, fired } = replay(disputeReads);
    expect(fired).toEqual(inOrderKeys);
    expect(snapshotPart(record!)).toEqual(disputeReads[6]!.snapshot);
  });

  it('for each order of the three states, ends won and fires what it could know', () => {
    const [nr, ur, won] = [disputeReads[0]!, disputeReads[3]!, disputeReads[5]!];
    const expected: [Read[], string[]][] = [
      [[nr, ur, won], inOrderKeys],
      [
        [nr, won, ur],
        ['opened', 'needs_response:needs_response', 'won'],
      ],
      [
        [ur, nr, won],
        ['opened', 'under_review:under_review', 'won'],
      ],
      [
        [ur, won, nr],
        ['opened', 'under_review:under_review', 'won'],
      ],
      // Seen won first: a late needs_response must not ask for evidence on a dispute already won.
      [
        [won, nr, ur],
        ['opened', 'won'],
      ],
      [
        [won, ur, nr],
        ['opened', 'won'],
      ],
    ];
    expect(permutations([nr, ur, won])).toHaveLength(expected.length);
    for (const [order, keys] of expected) {
      const { record, fired } = replay(order);
      expect(record!.status).toBe('won');
      expect(fired).toEqual(keys);
    }
  });

  it('for 500 seeded random delivery orders: the last true state, and no transition out of order or twice', () => {
    const random = seededRandom(20250310);
    const indexes = disputeReads.map((_, i) => i);
    const last = disputeReads[disputeReads.length - 1]!;
    for (let run = 0; run < 500; run++) {
      const order = shuffled(indexes, random);
      const { record, fired } = replay(order.map((i) => disputeReads[i]!));
      const label = `order ${order.join(',')}`;
      expect(snapshotPart(record!), label).toEqual(last.snapshot);
      expect(record, label).toMatchObject({ final: true, open: false });
      expect(new Set(fired).size, label).toBe(fired.length);
      expect(inOrderKeys, label).toEqual(expect.arrayContaining(fired));
      expect(fired, label).toEqual(expect.arrayContaining(['opened', 'won']));
      expect(fired, label).toEqual(replay(deliveredInOrder(disputeReads, order)).fired);
    }
  });

  it('for 500 seeded random delivery orders of a case with an appeal: updated_at decides', () => {
    const D1 = '2025-03-17T10:00:00.000Z';
    const D3 = '2025-03-21T10:00:00.000Z';
    const c = (fields: Parameters<typeof whopCase>[0], minute: number) =>
      read('resolution_case', whopCase({ updated_at: at(minute), ...fields }), at(minute + 1));
    const caseReads: Read[] = [
      c({}, 60),
      c(
        {
          status: 'customer_info_needed',
          due_date: '2025-03-19T10:00:00.000Z',
          merchant_response_actions: [],
        },
        120,
      ),
      c({ due_date: D3 }, 180),
      c({ status: 'under_platform_review', due_date: null, merchant_response_actions: [] }, 240),
      c({ status: 'merchant_won', due_date: null, merchant_response_actions: [] }, 300),
      c(
        {
          status: 'under_platform_review',
          due_date: null,
          customer_appealed: true,
          merchant_response_actions: [],
        },
        360,
      ),
      c(
        { status: 'customer_won', due_date: null, customer_appealed: true, merchant_response_actions: [] },
        420,
      ),
    ];
    const all = [
      'opened',
      `awaiting_merchant:merchant_response_needed:${D1}`,
      `awaiting_merchant:merchant_response_needed:${D3}`,
      'decided:merchant_won',
      'decided:customer_won',
    ];
    expect(replay(caseReads).fired).toEqual(all);

    const random = seededRandom(42);
    const indexes = caseReads.map((_, i) => i);
    for (let run = 0; run < 500; run++) {
      const order = shuffled(indexes, random);
      const { record, fired } = replay(order.map((i) => caseReads[i]!));
      const label = `order ${order.join(',')}`;
      expect(snapshotPart(record!), label).toEqual(caseReads[6]!.snapshot);
      expect(new Set(fired).size, label).toBe(fired.length);
      expect(all, label).toEqual(expect.arrayContaining(fired));
      expect(fired, label).toEqual(expect.arrayContaining(['opened', 'decided:customer_won']));
      expect(fired, label).toEqual(replay(deliveredInOrder(caseReads, order)).fired);
    }
  });
});

describe('transitionsFor: a dispute’s new deadline', () => {
  it('fires due_changed when a dispute still needing a response gets a new due date, once per date', () => {
    const before = recordOf('dispute', whopDispute());
    const moved = recordOf('dispute', whopDispute({ needs_response_by: '2099-01-01T00:00:00.000Z' }));
    expect(transitionsFor(before, moved)).toEqual([
      { key: 'due:2099-01-01T00:00:00.000Z', type: 'dispute.due_changed' },
    ]);
    expect(transitionsFor(moved, moved)).toEqual([]);
  });
});
