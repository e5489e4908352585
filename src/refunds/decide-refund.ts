/**
 * Whether to refund a payment on a dispute alert (`dispute_alert.created`), decided from facts alone
 * against the merchant's rules (src/policy/refund-rules.ts): pure, no I/O, the same answer for the same
 * input. Refunding on an alert usually stops the chargeback, its fee and its weight on the dispute rate.
 *
 * Every answer carries a stable machine `code`, the `rule` that decided (a policy key, or `guard` for a
 * fact about the payment that no rule can override) and a `reason`: one sentence a merchant reads in
 * the case timeline and in alerts.
 *
 * Units: amounts are integer minor units of the payment's currency (src/money/money.ts); Whop's decimals
 * are converted on the way in. Times are epoch milliseconds, UTC. The payment is re-read from Whop just
 * before deciding (see payment-guards.ts).
 */
import type { DisputeAlertType } from '@whop/sdk/resources/dispute-alerts';
import { AmountError, formatMinor, toMinor } from '../money/money.js';
import type { RefundRules } from '../policy/refund-rules.js';
import { ageWords, checkList, fiatProblem, hasAnyRefund, paidAtMs } from './alert-rule-checks.js';
import { type GuardCode, guardPayment, type PaymentFacts, type RefundAmount } from './payment-guards.js';

/** The dispute alert, as Whop sends it (SDK dispute-alerts.ts `DisputeAlertRetrieveResponse`; webhook data). */
export interface AlertFacts {
  id: string;
  alert_type: DisputeAlertType;
  /** Decimal in `currency`. */
  amount: number;
  currency: string;
  /** ISO date-time. */
  created_at: string;
  payment: { id: string } | null;
  /** Set when the alert already belongs to a dispute: the payment is disputed. */
  dispute?: { id: string } | null;
}

/** What this service itself refunded for the company in the current UTC day (the caller counts it;
 *  dry-run records and Whop's own refunds are not counted). */
export interface RefundedToday {
  count: number;
  /** Minor units per upper-case ISO code. */
  amountMinor: Readonly<Record<string, number>>;
}

/** The policy key that decided, or `guard` for a fact about the payment. */
export type DecidingRule =
  | 'guard'
  | 'enabled'
  | 'alert_types'
  | 'max_amount'
  | 'products.allow'
  | 'products.deny'
  | 'plans.allow'
  | 'plans.deny'
  | 'min_payment_age'
  | 'max_payment_age'
  | 'daily_cap.count'
  | 'daily_cap.amount'
  | 'dry_run';

export type SkipCode =
  | GuardCode
  | 'payment_mismatch'
  | 'currency_mismatch'
  | 'not_fiat'
  | 'disabled'
  | 'alert_type_not_covered'
  | 'no_max_for_currency'
  | 'over_max_amount'
  | 'product_denied'
  | 'product_not_allowed'
  | 'plan_denied'
  | 'plan_not_allowed'
  | 'payment_age_unknown'
  | 'payment_too_young'
  | 'payment_too_old';

export type RefundDecision =
  | (RefundAmount & {
      action: 'refund';
      code: 'refund';
      rule: 'max_amount';
      /** "Refunding $42.00 to head off a chargeback: rule max_amount $50.00" */
      reason: string;
      /** The same, once Whop confirmed it: "Refunded $42.00 to head off a chargeback: rule max_amount $50.00" */
      doneReason: string;
      /** Rule `cancel_membership`, and the payment has a membership to cancel. */
      cancelMembership: boolean;
      membershipId: string | null;
      /** This refund uses up the daily cap: later alerts today will be skipped (the caller may warn). */
      reachesDailyCap: boolean;
    })
  | (RefundAmount & {
      action: 'record';
      code: 'dry_run';
      rule: 'dry_run';
      /** "Dry run: would refund $42.00 …; nothing was sent to Whop." */
      reason: string;
      cancelMembership: boolean;
      membershipId: string | null;
    })
  | { action: 'record'; code: 'auto_refunded' | 'rdr_resolved'; rule: 'guard'; reason: string }
  | { action: 'skip'; code: SkipCode; rule: DecidingRule; reason: string }
  | {
      action: 'skip';
      code: 'daily_cap_reached';
      rule: 'daily_cap.count' | 'daily_cap.amount';
      reason: string;
      /** Auto-refunds for this company are stopped by the cap for the rest of the UTC day: alert the
       *  merchant. `limit`/`used` are a count, or minor units of `currency`. */
      dailyCap: { limit: number; used: number; currency: string | null };
    };

export interface DecideRefundInput {
  alert: AlertFacts;
  /** Re-read from Whop just now (see the header). */
  payment: PaymentFacts;
  /** The company's rules, resolved (src/policy/refund-rules.ts `resolveRefundRules`). */
  rules: RefundRules;
  /** What this service refunded for the company today (UTC day of `now`), for the daily cap. */
  alreadyRefunded: RefundedToday;
  /** Epoch ms. */
  now: number;
}

/**
 * Decides what to do about a dispute alert, in this order (first match wins):
 *
 * 1. `payment_mismatch`: the alert names another payment (a caller bug; nothing is refunded).
 * 2. record `auto_refunded`: Whop already refunded the payment itself (substatus `auto_refunded`, or
 *    `auto_refunded: true`), never a second refund.
 * 3. record `rdr_resolved`: a `dispute_rdr` alert on a payment that already has a refund: the processor
 *    resolved it under Visa RDR.
 * 4. rules `enabled`, `alert_types`.
 * 5. `not_fiat` (crypto, unknown method, non-fiat currency); the shared guards `payment_disputed` (also
 *    when the alert itself names a dispute), `disputes_unknown`, `invalid_amount`, `already_refunded`,
 *    `not_refundable`; `currency_mismatch` between alert and payment; an unreadable alert amount.
 * 6. rules `max_amount` (a currency with no maximum is never refunded: the safe side), `products`,
 *    `plans` (deny wins), `min_payment_age`/`max_payment_age` (age = now − paid_at, else created_at),
 *    `daily_cap.count`, `daily_cap.amount` (`daily_cap_reached`: auto-refunds stop for the day).
 * 7. `dry_run`: record what would be refunded; else refund.
 *
 * The amount refunded is the alert's amount (what the chargeback would take) capped at what is left on
 * the payment, so refunds never add up to more than its total. `max_amount` is compared with the alert's
 * amount, the stricter of the two. Never throws for bad data: it skips, saying why.
 */
export function decideRefund({
  alert,
  payment,
  rules,
  alreadyRefunded,
  now,
}: DecideRefundInput): RefundDecision {
  const skip = (code: SkipCode, rule: DecidingRule, reason: string): RefundDecision => ({
    action: 'skip',
    code,
    rule,
    reason,
  });

  if (alert.payment?.id !== payment.id) {
    return skip(
      'payment_mismatch',
      'guard',
      `The alert is for payment ${alert.payment?.id ?? '(none)'}, not ${payment.id}: not refunded.`,
    );
  }
  if (payment.substatus === 'auto_refunded' || payment.auto_refunded === true) {
    return {
      action: 'record',
      code: 'auto_refunded',
      rule: 'guard',
      reason: 'Whop already refunded this payment on its own after the alert: recorded, no second refund.',
    };
  }
  if (alert.alert_type === 'dispute_rdr' && hasAnyRefund(payment)) {
    return {
      action: 'record',
      code: 'rdr_resolved',
      rule: 'guard',
      reason:
        'Visa Rapid Dispute Resolution already settled this dispute with a refund: recorded, no second refund.',
    };
  }
  if (!rules.enabled) {
    return skip(
      'disabled',
      'enabled',
      'Auto-refund on dispute alerts is off for this company: not refunded.',
    );
  }
  if (!rules.alert_types.includes(alert.alert_type)) {
    return skip(
      'alert_type_not_covered',
      'alert_types',
      `Auto-refund covers ${rules.alert_types.join(', ')} alerts, not ${alert.alert_type} (rule alert_types): not refunded.`,
    );
  }
  const notFiat = fiatProblem(payment);
  if (notFiat) return skip('not_fiat', 'guard', notFiat);
  const guard = guardPayment(payment, alert.dispute?.id);
  if (!guard.ok) return skip(guard.code, 'guard', guard.reason);
  const { currency, remainingMinor } = guard;

  const alertCurrency = typeof alert.currency === 'string' ? alert.currency.toUpperCase() : null;
  if (alertCurrency !== currency) {
    return skip(
      'currency_mismatch',
      'guard',
      alertCurrency
        ? `The alert is in ${alertCurrency} but the payment in ${currency}: not refunded.`
        : `The alert names no currency (the payment is in ${currency}): not refunded.`,
    );
  }
  let alertMinor: number;
  try {
    alertMinor = toMinor(alert.amount, currency);
  } catch (err) {
    if (!(err instanceof AmountError)) throw err;
    return skip(
      'invalid_amount',
      'guard',
      `The alert’s amount cannot be read exactly (${err.message}): not refunded.`,
    );
  }
  if (alertMinor === 0) return skip('invalid_amount', 'guard', 'The alert names no amount: not refunded.');
  const money = (minor: number) => formatMinor(minor, currency);

  const max = rules.max_amount[currency];
  if (max === undefined) {
    const listed = Object.keys(rules.max_amount);
    return skip(
      'no_max_for_currency',
      'max_amount',
      `No auto-refund maximum is set for ${currency} (rule max_amount${listed.length ? ` lists only ${listed.join(', ')}` : ' lists none'}): not refunded.`,
    );
  }
  if (alertMinor > max) {
    return skip(
      'over_max_amount',
      'max_amount',
      `The alert is for ${money(alertMinor)}, over the auto-refund maximum of ${money(max)} (rule max_amount): not refunded.`,
    );
  }
  const listProblem =
    checkList('product', payment.product?.id ?? null, rules.products) ??
    checkList('plan', payment.plan?.id ?? null, rules.plans);
  if (listProblem) return skip(listProblem.code, listProblem.rule, listProblem.reason);

  const { min_payment_age: minAge, max_payment_age: maxAge } = rules;
  if (minAge || maxAge) {
    const paidAt = paidAtMs(payment);
    if (paidAt === null) {
      return skip(
        'payment_age_unknown',
        minAge ? 'min_payment_age' : 'max_payment_age',
        'Whop gives no readable payment date, so the payment’s age rules cannot be checked: not refunded.',
      );
    }
    const age = Math.max(0, now - paidAt);
    if (minAge && age < minAge.ms) {
      return skip(
        'payment_too_young',
        'min_payment_age',
        `The payment is ${ageWords(age)} old, younger than the minimum of ${minAge.text} (rule min_payment_age): not refunded.`,
      );
    }
    if (maxAge && age > maxAge.ms) {
      return skip(
        'payment_too_old',
        'max_payment_age',
        `The payment is ${ageWords(age)} old, older than the maximum of ${maxAge.text} (rule max_payment_age): not refunded.`,
      );
    }
  }

  const amountMinor = Math.min(alertMinor, remainingMinor);
  const cap = rules.daily_cap;
  if (alreadyRefunded.count >= cap.count) {
    return {
      action: 'skip',
      code: 'daily_cap_reached',
      rule: 'daily_cap.count',
      reason: `Today’s auto-refund cap of ${cap.count} refund${cap.count === 1 ? '' : 's'} for this company is used up (rule daily_cap.count): not refunded, and auto-refunds stop until 00:00 UTC.`,
      dailyCap: { limit: cap.count, used: alreadyRefunded.count, currency: null },
    };
  }
  const capAmount = cap.amount[currency];
  const usedAmount = alreadyRefunded.amountMinor[currency] ?? 0;
  if (capAmount !== undefined && usedAmount + amountMinor > capAmount) {
    return {
      action: 'skip',
      code: 'daily_cap_reached',
      rule: 'daily_cap.amount',
      reason: `Refunding ${money(amountMinor)} would take today’s auto-refunds to ${money(usedAmount + amountMinor)}, over the daily cap of ${money(capAmount)} (rule daily_cap.amount): not refunded.`,
      dailyCap: { limit: capAmount, used: usedAmount, currency },
    };
  }

  const why = `to head off a chargeback: rule max_amount ${money(max)}`;
  const what =
    amountMinor < alertMinor
      ? `${money(amountMinor)} (all that is left of ${money(alertMinor)} after earlier refunds)`
      : money(amountMinor);
  const membershipId = payment.membership?.id ?? null;
  const cancelMembership = rules.cancel_membership && membershipId !== null;
  const andCancel = cancelMembership
    ? `, then cancel membership ${membershipId} (rule cancel_membership)`
    : '';
  const amount: RefundAmount = { paymentId: payment.id, amountMinor, currency, remainingMinor };
  if (rules.dry_run) {
    return {
      action: 'record',
      code: 'dry_run',
      rule: 'dry_run',
      reason: `Dry run: would refund ${what} ${why}${andCancel}; nothing was sent to Whop.`,
      ...amount,
      cancelMembership,
      membershipId,
    };
  }
  return {
    action: 'refund',
    code: 'refund',
    rule: 'max_amount',
    reason: `Refunding ${what} ${why}${andCancel}.`,
    doneReason: `Refunded ${what} ${why}.`,
    ...amount,
    cancelMembership,
    membershipId,
    reachesDailyCap:
      alreadyRefunded.count + 1 >= cap.count ||
      (capAmount !== undefined && usedAmount + amountMinor >= capAmount),
  };
}
