import { describe, expect, it } from 'vitest';
import { missingFact } from './missing-facts.js';

const denial = {
  call: 'payments.retrieve' as const,
  objectId: 'pay_1',
  named: 'promo_code:basic:read',
  permissions: ['promo_code:basic:read', 'payment:resolution_center_case:read'],
  whopMessage: 'Required permission: promo_code:basic:read',
};

describe('missingFact', () => {
  it('says which lookup was refused, which permission adds it back and what it would have added', () => {
    expect(missingFact(denial, 'evidence')).toEqual({
      lookup: 'payments.retrieve',
      objectId: 'pay_1',
      permissions: ['promo_code:basic:read', 'payment:resolution_center_case:read'],
      adds: "the payment's billing address (the cardholder's name), its refunds and its payment method",
      note:
        'payments.retrieve refused (needs promo_code:basic:read; may also need payment:resolution_center_case:read): ' +
        "the evidence lacks the payment's billing address (the cardholder's name), its refunds and its payment method",
    });
    expect(
      missingFact(
        {
          ...denial,
          call: 'members.retrieve',
          named: 'member:basic:read',
          permissions: ['member:basic:read'],
        },
        'case brief',
      ).note,
    ).toBe(
      "members.retrieve refused (needs member:basic:read): the case brief lacks the member's join date and most recent activity",
    );
  });

  it('without a named permission, lists what may be missing (or Whop’s words when nothing is left)', () => {
    expect(missingFact({ ...denial, named: null, permissions: ['a:b'] }, 'evidence').note).toMatch(
      /^payments\.retrieve refused \(needs one of a:b, or access to the company\)/,
    );
    expect(
      missingFact({ ...denial, named: null, permissions: [], whopMessage: 'No access.' }, 'evidence').note,
    ).toMatch(/^payments\.retrieve refused \(Whop said: No access\.\)/);
  });
});
