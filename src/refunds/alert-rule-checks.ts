/**
 * The checks `decideRefund` (decide-refund.ts) makes of a payment that only the alert path needs: is it
 * fiat money, has it any refund (an RDR resolution), how old is it, is its product or plan on a list.
 * Pure; each answers in the words a merchant reads, or null when the check passes.
 */
import type { PaymentMethodTypes } from '@whop/sdk/resources/payments';
import { isoDate } from '../cases/from-whop.js';
import { COUNTED_REFUND_STATUSES, isFiatCurrency } from '../money/money.js';
import type { IdLists } from '../policy/refund-rules.js';
import type { DecidingRule, SkipCode } from './decide-refund.js';
import type { PaymentFacts } from './payment-guards.js';

/** Payment methods that are not fiat money (SDK payments.ts `PaymentMethodTypes`): crypto, and Coinbase
 *  and Coinflow, which settle in crypto. Inferred from the names; Whop documents no list. */
const NON_FIAT_METHODS: ReadonlySet<PaymentMethodTypes> = new Set(['crypto', 'coinbase', 'coinflow']);

/** Why the payment is not fiat money (unknown method, crypto, a non-fiat currency), or null. */
export function fiatProblem(payment: PaymentFacts): string | null {
  const method = payment.payment_method_type;
  if (method === null || method === 'unknown') {
    return 'Whop does not say how this payment was made, so it cannot be confirmed as a fiat payment: not refunded.';
  }
  if (NON_FIAT_METHODS.has(method))
    return `The payment was made with ${method}, not fiat money: not refunded.`;
  if (!isFiatCurrency(payment.currency)) {
    return `The payment is in ${String(payment.currency).toUpperCase()}, not a fiat currency: not refunded.`;
  }
  return null;
}

/** Any refund holding money, or a refunded amount: under RDR that is the processor's own resolution. */
export function hasAnyRefund(payment: PaymentFacts): boolean {
  return (
    (payment.refunded_amount ?? 0) > 0 ||
    (payment.refunds ?? []).some((r) => COUNTED_REFUND_STATUSES.has(r.status))
  );
}

/** `paid_at` (else `created_at`) in epoch ms, or null when neither reads as a date. */
export function paidAtMs(payment: PaymentFacts): number | null {
  for (const value of [payment.paid_at, payment.created_at]) {
    const iso = isoDate(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
    if (iso) return Date.parse(iso);
  }
  return null;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** "3 days", "5 hours", "12 minutes": how old a payment is, rounded down. */
export function ageWords(ms: number): string {
  const [n, unit] =
    ms >= DAY_MS
      ? [Math.floor(ms / DAY_MS), 'day']
      : ms >= HOUR_MS
        ? [Math.floor(ms / HOUR_MS), 'hour']
        : [Math.floor(ms / 60_000), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

type ListCheck = { code: SkipCode; rule: DecidingRule; reason: string } | null;

/** A product or plan `id` against the rule's lists (deny wins; `allow: null` allows every id). */
export function checkList(kind: 'product' | 'plan', id: string | null, lists: IdLists): ListCheck {
  const key = kind === 'product' ? 'products' : 'plans';
  if (id !== null && lists.deny.includes(id)) {
    return {
      code: `${kind}_denied`,
      rule: `${key}.deny`,
      reason: `The payment’s ${kind} ${id} is on the deny list (rule ${key}.deny): not refunded.`,
    };
  }
  if (lists.allow !== null && (id === null || !lists.allow.includes(id))) {
    return {
      code: `${kind}_not_allowed`,
      rule: `${key}.allow`,
      reason:
        id === null
          ? `The payment has no ${kind}, and rule ${key}.allow refunds only listed ${key}: not refunded.`
          : `The payment’s ${kind} ${id} is not on the allow list (rule ${key}.allow): not refunded.`,
    };
  }
  return null;
}
