import type { CaseKind, CaseSnapshot } from './case-record.js';
import { objectCompanyId } from './company.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const id = (v: unknown): string | null => str(obj(v)?.id);

const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Whole seconds or milliseconds since the epoch, written as digits (optionally signed): `"1767225600"`. */
const NUMERIC = /^\d{1,16}$/;

/**
 * Dates as Whop sends them, normalised to ISO 8601 UTC with milliseconds, or null for anything else.
 * Accepts an ISO date-time or date string, a number, or a numeric string: the seed OpenAPI documents
 * `due_date` as a date-time string while the SDK 0.0.42 comment calls it "a Unix timestamp"
 * (resources/resolution-center-cases.ts), so all three forms must read the same. Numbers below 1e12
 * are Unix seconds, larger ones milliseconds.
 */
export function isoDate(v: unknown): string | null {
  if (typeof v === 'string' && NUMERIC.test(v.trim())) v = Number(v.trim());
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const ms = typeof v === 'number' ? (v < 1e12 ? v * 1000 : v) : Date.parse(v);
  // 1970 to year 9999 only: past ±8.64e15 ms toISOString throws, and a year outside 0000–9999 is
  // written ±YYYYYY, which no longer sorts as text against the dates it is compared with.
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_DATE_MS ? new Date(ms).toISOString() : null;
}

/**
 * Reduces a Whop dispute, dispute alert, refund or Resolution Center case (retrieve or list shape) to
 * the fields we keep. Pure; tolerant of missing nested objects because list responses carry fewer.
 */
export function fromWhop(kind: CaseKind, o: Obj): CaseSnapshot {
  const payment = obj(o.payment);
  const base = {
    kind,
    id: String(o.id),
    // What Whop's object says; refunds and alerts say nothing (src/reconcile/company-resolver.ts).
    companyId: objectCompanyId(o),
    paymentId: str(payment?.id),
    userId: id(payment?.user) ?? id(o.user),
    amount: num(o.amount),
    currency: str(o.currency),
    createdAt: isoDate(o.created_at),
    updatedAt: isoDate(o.updated_at),
    whop: o,
  };
  switch (kind) {
    case 'dispute':
      return {
        ...base,
        status: str(o.status) ?? 'other',
        reason: str(o.reason),
        dueAt: isoDate(o.needs_response_by),
        details: { editable: o.editable ?? null, visaRdr: o.visa_rdr ?? false },
      };
    case 'dispute_alert':
      return {
        ...base,
        // Alerts never change once raised: one terminal status.
        status: 'alerted',
        reason: str(o.alert_type),
        dueAt: null,
        details: {
          alertType: o.alert_type ?? null,
          chargeForAlert: o.charge_for_alert ?? null,
          disputeId: id(o.dispute),
          transactionDate: isoDate(o.transaction_date),
        },
      };
    case 'refund':
      return {
        ...base,
        status: str(o.status) ?? 'pending',
        reason: null,
        dueAt: null,
        details: { provider: o.provider ?? null },
      };
    case 'resolution_case':
      return {
        ...base,
        amount: base.amount ?? num(payment?.total),
        currency: base.currency ?? str(payment?.currency),
        status: str(o.status) ?? 'merchant_response_needed',
        reason: str(o.issue),
        dueAt: isoDate(o.due_date),
        details: {
          merchantResponseActions: o.merchant_response_actions ?? [],
          customerAppealed: o.customer_appealed ?? false,
          merchantAppealed: o.merchant_appealed ?? false,
        },
      };
  }
}

/** The fields whose change is worth a timeline entry; the raw object is compared through them. */
export const COMPARED_FIELDS = [
  'status',
  'amount',
  'currency',
  'reason',
  'dueAt',
  'companyId',
  'paymentId',
  'userId',
  'updatedAt',
  'details',
] as const;
