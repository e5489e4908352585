/**
 * Facts the evidence (or a case brief) was built without because Whop refused the lookup to this API
 * key (403). They are recorded for the merchant — the evidence state and the brief say which lookup was
 * refused, which permission would add it back, and what it would have added — and never sent to Whop.
 * Pure.
 */
import type { PermissionDenial } from '../whop/whop-errors.js';

export interface MissingFact {
  /** The SDK call Whop refused, e.g. `payments.retrieve`. */
  lookup: PermissionDenial['call'];
  objectId: string | null;
  /** What the key may lack: the permission Whop named first, then the call's others not proven granted. */
  permissions: string[];
  /** What the lookup would have added. */
  adds: string;
  /** One line for the merchant: "payments.retrieve refused (needs …): the evidence lacks …". */
  note: string;
}

/** What each secondary lookup adds to evidence and briefs (see build-evidence.ts and case-brief.ts). */
const ADDS: Partial<Record<PermissionDenial['call'], string>> = {
  'payments.retrieve':
    "the payment's billing address (the cardholder's name), its refunds and its payment method",
  'payments.list': "the customer's earlier payments (Visa Compelling Evidence 3.0 rests on them)",
  'memberships.retrieve': "the membership's status and cancellation date",
  'members.retrieve': "the member's join date and most recent activity",
  'users.retrieve': "the customer's Whop account creation date",
};

/** The missing fact a refused lookup leaves, worded for the `subject` it is missing from. */
export function missingFact(denial: PermissionDenial, subject: 'evidence' | 'case brief'): MissingFact {
  const adds = ADDS[denial.call] ?? `what ${denial.call} returns`;
  const others = denial.permissions.filter((p) => p !== denial.named);
  const needs = denial.named
    ? `needs ${denial.named}${others.length ? `; may also need ${others.join(', ')}` : ''}`
    : others.length
      ? `needs one of ${others.join(', ')}, or access to the company`
      : `Whop said: ${denial.whopMessage}`;
  return {
    lookup: denial.call,
    objectId: denial.objectId,
    permissions: denial.permissions,
    adds,
    note: `${denial.call} refused (${needs}): the ${subject} lacks ${adds}`,
  };
}
