import { describe, expect, it } from 'vitest';
import { recordOf } from '../../test/support/builders/case-records.js';
import { COMPANY } from '../../test/support/builders/fixture.js';
import { whopCase, whopDispute } from '../../test/support/builders/whop-cases.js';
import { expectProduced, fieldValue, NOW, seen } from '../../test/support/compose-checks.js';
import type { CaseStrength } from '../evidence/case-strength.js';
import { type ActivityEntry, composeDigest, moneyTotal } from './compose-digest.js';

const dispute = recordOf('dispute', whopDispute());
const kase = recordOf('resolution_case', whopCase());
const financed = recordOf('resolution_case', whopCase({ id: 'reso_financed' }));
const won = recordOf('dispute', whopDispute({ id: 'dspt_won', status: 'won' }));
const strong: Pick<CaseStrength, 'strength' | 'recommendation'> = {
  strength: 'strong',
  recommendation: { action: 'fight', text: 'Fight.', strengthen: [] },
};
const act = (kind: ActivityEntry['kind'], caseId: string, amount: number | null, currency = 'USD') => ({
  kind,
  caseId,
  amount,
  currency: amount === null ? null : currency,
  at: '2025-03-11T12:00:00.000Z',
});

describe('composeDigest', () => {
  it('leads with what awaits the merchant, soonest first, the money at stake and each case strength; leaves out financed cases', () => {
    const a = seen(
      composeDigest({
        companyId: COMPANY.id,
        periodKey: '2025-03-12',
        records: [dispute, won, kase, financed],
        now: '2025-03-12T00:00:00.000Z',
        financedCaseIds: new Set(['reso_financed']),
        strengths: new Map([[dispute.id, strong]]),
      }),
    );
    expect(a).toMatchObject({
      id: `digest.${COMPANY.id}.2025-03-12`,
      kind: 'digest',
      title: 'Today: 2 items need your answer ($98.00 at stake)',
    });
    expect(a.fields.map((f) => f.label)).toEqual([
      'Resolution Center case $49.00',
      'Chargeback $49.00',
      'At stake',
    ]);
    expect(fieldValue(a, 'Chargeback $49.00')).toBe(
      `due Mon 24 Mar 2025, 23:59 UTC (12 days 23 hours left) · Strong case, fight it · ${dispute.id}`,
    );
    expect(a.summary).toContain('2 disputes and cases need your answer in Whop, $98.00 at stake.');
    expect(a.summary).toContain('The first is due Mon 17 Mar 2025, 10:00 UTC (5 days 10 hours left)');
    expect(a.summary).not.toContain('Since the last digest');
  });

  it.each([
    [
      'staged, submitted, refunded, won and lost, in that order, with their amounts',
      [
        act('lost', 'dspt_3', 2000),
        act('evidence_staged', 'dspt_1', 4900),
        act('evidence_submitted', 'dspt_1', 4900),
        act('refunded', 'dsal_1', 1500),
        act('won', 'dspt_2', 3000),
        act('evidence_staged', 'dspt_2', 3000),
      ],
      'evidence staged: 2 ($79.00); evidence submitted: 1 ($49.00); refunded by auto-refund: 1 ($15.00); won: 1 ($30.00); lost: 1 ($20.00)',
    ],
    [
      'the same thing recorded twice counts once',
      [act('won', 'dspt_2', 3000), act('won', 'dspt_2', 3000)],
      'won: 1 ($30.00)',
    ],
    [
      'amounts in two currencies are summed apart; an unknown amount counts without a sum',
      [act('won', 'a', 3000), act('won', 'b', 1000, 'EUR'), act('won', 'c', null)],
      'won: 3 (€10.00 + $30.00)',
    ],
  ])('what happened since the last digest: %s', (_, activity, line) => {
    const a = composeDigest({
      companyId: COMPANY.id,
      periodKey: 'p',
      records: [dispute],
      now: NOW,
      activity,
    });
    expect(a!.summary).toContain(`Since the last digest: ${line}.`);
  });

  it('nothing open but something done: an informational digest; nothing at all: none', () => {
    const a = seen(
      composeDigest({
        companyId: COMPANY.id,
        periodKey: 'p',
        records: [won],
        now: NOW,
        activity: [act('won', won.id, 4900)],
      }),
    );
    expect(a).toMatchObject({ severity: 'info', title: 'Daily digest: nothing awaits your answer' });
    expect(a.summary).toBe(
      'Nothing awaits your answer in Whop today. Since the last digest: won: 1 ($49.00).',
    );
    expect(fieldValue(a, 'At stake')).toBeUndefined();
    expect(composeDigest({ companyId: null, periodKey: 'x', records: [won], now: NOW })).toBeNull();
    expect(
      composeDigest({ companyId: null, periodKey: 'x', records: [won], now: NOW, activity: [] }),
    ).toBeNull();
  });
});

describe('moneyTotal', () => {
  it.each([
    [
      [
        { amount: 49, currency: 'usd' },
        { amount: 0.5, currency: 'USD' },
      ],
      true,
      '$49.50',
      0,
    ],
    [[{ amount: 500, currency: 'JPY' }], true, '¥500', 0],
    [
      [
        { amount: 4950, currency: 'USD' },
        { amount: 1000, currency: 'EUR' },
      ],
      false,
      '€10.00 + $49.50',
      0,
    ],
    [
      [
        { amount: null, currency: 'USD' },
        { amount: 1, currency: null },
      ],
      true,
      '',
      2,
    ],
    [[{ amount: 1.005, currency: 'USD' }], true, '', 1],
  ] as const)('%j (decimal: %s) → %s, %i unknown', (items, decimal, text, unknown) => {
    expect(moneyTotal(items, { decimal })).toEqual({ text, unknown });
  });
});

describe('alert kinds', () => {
  it('compose-digest.ts produces exactly the kinds it is listed with', () => {
    expectProduced('compose-digest');
  });
});
