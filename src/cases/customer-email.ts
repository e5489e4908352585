import type { CaseRecord } from './case-record.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null ? (v as Obj) : null);

/** An email as searches compare it: trimmed and lower case; null for anything without an `@`. */
export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const email = value.trim().toLowerCase();
  return email.includes('@') && email.length <= 320 ? email : null;
}

/**
 * The customer's email a record carries: the paying user's (`payment.user.email`, embedded in
 * disputes, dispute alerts and refunds — node_modules/@whop/sdk/src/resources/disputes.ts, "null if not
 * authorized"), else a dispute's `customer_email_address`. Resolution Center cases embed no email, so
 * they are found by id only. Normalised as `normalizeEmail`.
 */
export function customerEmail(record: Pick<CaseRecord, 'whop'>): string | null {
  const user = obj(obj(record.whop.payment)?.user);
  return normalizeEmail(user?.email) ?? normalizeEmail(record.whop.customer_email_address);
}
