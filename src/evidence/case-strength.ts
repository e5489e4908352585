/**
 * How strong a dispute's case is for the merchant, in a plain word (strong, fair, weak), with the
 * reasons for and against in words and a recommendation: fight (and what would strengthen the
 * evidence), or do not fight where that costs less. For the merchant only: it goes to the evidence
 * state (`GET /api/cases/:id`) and the merchant's messages, never into anything sent to Whop. Pure.
 *
 * The weighing follows what issuers look for per reason category (the same categories the evidence
 * argues by): proof of use after the purchase for "not received" and quality claims, the cancellation
 * policy and use of the renewed period for subscriptions, the purchase IP / device and Visa Compelling
 * Evidence 3.0 for fraud, the other payments for duplicates, the refund policy and refunds for credit
 * claims. Each fact adds or takes points; `STRONG_FROM` and `FAIR_FROM` turn the sum into the word.
 */

import { AWAITING_MERCHANT } from '../cases/case-record.js';
import type { MinorAmount } from '../config/amount-list.js';
import { currencyCode, formatMinor, toMinor } from '../money/money.js';
import { ACCESS_GRANTED } from './access-log-text.js';
import { CE3_MAX_DAYS, CE3_MIN_DAYS, CE3_MIN_MATCHES, type Ce3Result } from './compelling-evidence-3.js';
import type { EvidenceContext } from './evidence-facts.js';
import { beforeOnly, fmtAmount, humanize, plural, toMs } from './format.js';
import { DUPLICATE_WINDOW_DAYS, paymentsNear } from './reason-arguments.js';
import type { ReasonCategory } from './reason-category.js';

const DAY_MS = 86_400_000;

/** Use on this many distinct days (or in this many sessions) is substantial use, not a first look. */
export const SUBSTANTIAL_USE_DAYS = 3;
/** A Whop account at least this old at the payment is an established account. */
export const ESTABLISHED_ACCOUNT_DAYS = 30;
/** Points from which a case is `strong`, and from which it is `fair` (below: `weak`). */
export const STRONG_FROM = 4;
export const FAIR_FROM = 1;

export type CaseStrengthLevel = 'strong' | 'fair' | 'weak';

/**
 * `fight`: submit the evidence. `refund_inquiry`: an inquiry (`warning_*`) with a weak case; refunding
 * it costs less than the chargeback it would become. `let_close`: a weak chargeback for less than the
 * merchant's MIN_FIGHT_AMOUNT; not submitting lets it close. `none`: the dispute takes no evidence now.
 */
export type RecommendedAction = 'fight' | 'refund_inquiry' | 'let_close' | 'none';

export interface CaseStrength {
  strength: CaseStrengthLevel;
  /** The sum of the points below; `strength` is read from it. */
  score: number;
  /** Each fact that weighed, in words, beginning "For:" or "Against:". */
  reasons: string[];
  recommendation: {
    action: RecommendedAction;
    /** What to do, in words; says that not fighting means not submitting when that is the advice. */
    text: string;
    /** What would make the evidence stronger: which access events, which policy text. */
    strengthen: string[];
  };
}

/** A policy as far as the case strength is concerned. */
export interface PolicyFacts {
  shownAtCheckout: boolean;
  acceptedVia: string | null;
  renewalReminders: boolean;
}

/**
 * The facts the case strength is weighed from, taken from the evidence context (`caseStrengthFacts`).
 * Plain data, so the assessment can be recomputed and tested without the Whop objects.
 */
export interface CaseStrengthFacts {
  category: ReasonCategory;
  /** Whop's dispute status; `warning_*` is an inquiry. */
  status: string;
  /** False when Whop says the dispute no longer takes evidence. */
  editable: boolean;
  /** The disputed amount as Whop gives it (decimal, major units: 49.5 = $49.50) and its currency. */
  amount: number | null;
  currency: string | null;
  paymentTimeKnown: boolean;
  usage: {
    eventsAfter: number;
    sessionsAfter: number;
    activeDaysAfter: number;
    eventsBefore: number;
  };
  /** The purchase IP / device (recorded at checkout or seen in the first access) and later use of them. */
  purchase: {
    ip: string | null;
    ipMatch: boolean | null;
    eventsFromIp: number;
    device: string | null;
    deviceBasis: 'device_id' | 'user_agent' | null;
    deviceMatch: boolean | null;
    eventsFromDevice: number;
    /** The same IP or device id used both before and after the purchase. */
    sharedBeforeAndAfter: boolean;
  };
  /** Days between the buyer's Whop account creation and the payment (negative: created after it). */
  accountAgeDays: number | null;
  refundPolicy: PolicyFacts | null;
  cancellationPolicy: PolicyFacts | null;
  productDescription: boolean;
  membership: {
    status: string;
    granted: boolean;
    canceled: 'no' | 'before_payment' | 'after_payment';
  } | null;
  /** Fraud disputes only. `applies`: the card is Visa or its brand is unknown. */
  ce3: { qualifies: boolean; matches: number; applies: boolean } | null;
  /** The customer's settled, never-disputed payments before this one. */
  priorUndisputedPayments: number;
  /** Other payments within the duplicate window, and those of the same amount within two days. */
  nearbyPayments: { count: number; twins: string[] };
  /** Refunds on this payment: succeeded (decimal, in the payment's currency), and whether one is pending. */
  refunds: { succeededAmount: number; pending: boolean; full: boolean };
}

/** Options from the configuration (`MIN_FIGHT_AMOUNT`). */
export interface CaseStrengthOptions {
  /** Per currency, the amount under which a weak chargeback is better left to close. */
  minFightAmounts: readonly MinorAmount[];
}

/** Payment substates of a payment that was not kept (refunded, disputed, never settled). */
const NOT_KEPT =
  /refund|dispute|resolution|pending|failed|canceled|drafted|incomplete|uncollectible|unresolved/;
const VISA_BRANDS = new Set(['visa', 'visadankort', 'visabancontact']);

const policyFacts = (
  d: { shown_at_checkout: boolean; accepted_via: string | null; renewal_reminders: string | null } | null,
): PolicyFacts | null =>
  d
    ? {
        shownAtCheckout: d.shown_at_checkout,
        acceptedVia: d.shown_at_checkout ? d.accepted_via : null,
        renewalReminders: Boolean(d.renewal_reminders),
      }
    : null;

/** The case-strength facts of one dispute, from the evidence context and its CE 3.0 result. Pure. */
export function caseStrengthFacts(ctx: EvidenceContext, ce3: Ce3Result | null): CaseStrengthFacts {
  const { facts, summary: s } = ctx;
  const { dispute, payment, membership, user, policy } = facts;
  const accountMs = user && user.id === ctx.buyer?.id ? toMs(user.created_at) : null;
  const canceledMs = toMs(membership?.canceled_at);
  const prior = facts.priorPayments.filter(({ payment: p, disputed }) => {
    const ms = toMs(p.paid_at) ?? toMs(p.created_at);
    return (
      !disputed &&
      p.id !== ctx.paymentId &&
      (p.status ?? 'paid') === 'paid' &&
      !NOT_KEPT.test(p.substatus ?? '') &&
      ms !== null &&
      ms < (ctx.paidMs ?? facts.now.getTime())
    );
  });
  const nearby = paymentsNear(ctx, DUPLICATE_WINDOW_DAYS);
  const refunds = payment?.refunds ?? [];
  const succeeded = refunds
    .filter((r) => r.status === 'succeeded')
    .reduce((sum, r) => sum + (r.amount ?? 0), 0);
  const refunded = Math.max(succeeded, payment?.refunded_amount ?? 0);
  const total = payment?.total ?? dispute.amount;
  return {
    category: ctx.category,
    status: dispute.status,
    editable: dispute.editable !== false,
    amount: dispute.amount ?? payment?.total ?? null,
    currency: dispute.currency ?? payment?.currency ?? null,
    paymentTimeKnown: ctx.paidMs !== null,
    usage: {
      eventsAfter: ctx.used ? s.eventsAfterPurchase : 0,
      sessionsAfter: ctx.used ? s.sessionsAfterPurchase : 0,
      activeDaysAfter: ctx.used ? s.activeDaysAfterPurchase : 0,
      eventsBefore: s.eventsBeforePurchase,
    },
    purchase: {
      ip: s.purchase.ip,
      ipMatch: ctx.used ? s.ipMatchesPurchase : null,
      eventsFromIp: s.eventsFromPurchaseIp,
      device: s.purchase.device?.value ?? null,
      deviceBasis: s.purchase.device?.basis ?? null,
      deviceMatch: ctx.used ? s.deviceMatchesPurchase : null,
      eventsFromDevice: s.eventsFromPurchaseDevice,
      sharedBeforeAndAfter:
        ctx.used &&
        (s.ipsBeforeAndAfter.length > 0 || s.devicesBeforeAndAfter.some((d) => d.basis === 'device_id')),
    },
    accountAgeDays:
      accountMs !== null && ctx.paidMs !== null ? Math.floor((ctx.paidMs - accountMs) / DAY_MS) : null,
    refundPolicy: policyFacts(policy.refund_policy),
    cancellationPolicy: policyFacts(policy.cancellation_policy),
    productDescription: Boolean(policy.product_description?.trim()),
    membership: membership
      ? {
          status: membership.status,
          granted: ACCESS_GRANTED.has(membership.status),
          canceled:
            canceledMs === null || ctx.paidMs === null
              ? 'no'
              : canceledMs < ctx.paidMs
                ? 'before_payment'
                : 'after_payment',
        }
      : null,
    ce3: ce3
      ? {
          qualifies: ce3.qualifies,
          matches: ce3.matches.length,
          applies: ctx.cardBrand === null || VISA_BRANDS.has(ctx.cardBrand),
        }
      : null,
    priorUndisputedPayments: prior.length,
    nearbyPayments: { count: nearby.length, twins: nearby.filter((n) => n.twin).map((n) => n.p.id) },
    refunds: {
      succeededAmount: refunded,
      pending: refunds.some((r) => r.status === 'pending' || r.status === 'requires_action'),
      full: total !== null && total !== undefined && total > 0 && refunded >= total,
    },
  };
}

/** One weighed fact: its points (positive for the merchant) and its words. */
interface Weighed {
  points: number;
  text: string;
}

const forYou = (points: number, text: string): Weighed => ({ points, text: `For: ${text}` });
const against = (points: number, text: string): Weighed => ({ points: -points, text: `Against: ${text}` });

/** Points for use after the purchase, by category: [substantial, some] added, [none] taken off. */
const USAGE_POINTS: Record<ReasonCategory, [number, number, number] | null> = {
  not_received: [4, 4, 3],
  not_as_described: [3, 1, 3],
  subscription: [3, 2, 3],
  general: [3, 2, 2],
  credit_not_processed: [2, 1, 1],
  // Use alone does not show who bought: for fraud the purchase IP / device and CE 3.0 weigh.
  fraud: [1, 1, 1],
  // Whether it was used says nothing about being charged twice.
  duplicate: null,
};

/** Points for the refund policy, by category: [accepted, shown] added, [missing] taken off; null where it does not weigh. */
const REFUND_POLICY_POINTS: Record<ReasonCategory, [number, number, number] | null> = {
  credit_not_processed: [3, 2, 2],
  not_as_described: [1, 1, 1],
  general: [1, 1, 1],
  subscription: [1, 1, 0],
  not_received: [1, 1, 0],
  fraud: null,
  duplicate: null,
};

function usageFactor(f: CaseStrengthFacts): Weighed[] {
  const points = USAGE_POINTS[f.category];
  if (!points) return [];
  const u = f.usage;
  if (u.eventsAfter > 0) {
    const substantial = u.activeDaysAfter >= SUBSTANTIAL_USE_DAYS || u.sessionsAfter >= SUBSTANTIAL_USE_DAYS;
    const words = `the customer used it after buying: ${plural(u.eventsAfter, 'access event')} in ${plural(u.sessionsAfter, 'session')} on ${plural(u.activeDaysAfter, 'day')}${substantial ? '' : ' (brief use)'}.`;
    return [forYou(substantial ? points[0] : points[1], words)];
  }
  if (!f.paymentTimeKnown) {
    return [against(points[2], 'Whop gave no payment time, so no use can be tied to the purchase.')];
  }
  if (u.eventsBefore > 0) {
    return [against(points[2], `no use after buying to show: ${beforeOnly(u.eventsBefore, 'your')}.`)];
  }
  return [against(points[2], 'no access events are recorded for this customer: no proof of use to show.')];
}

function policyWords(kind: 'refund' | 'cancellation', p: PolicyFacts): string {
  return `your ${kind} policy was shown at checkout${p.acceptedVia ? ` and accepted (${p.acceptedVia})` : ''}${p.renewalReminders && kind === 'cancellation' ? ', with renewal reminders' : ''}.`;
}

function refundPolicyFactor(f: CaseStrengthFacts): Weighed[] {
  const points = REFUND_POLICY_POINTS[f.category];
  if (!points) return [];
  const p = f.refundPolicy;
  if (!p) return points[2] ? [against(points[2], 'no refund policy in the policy file.')] : [];
  if (!p.shownAtCheckout) return [];
  return [forYou(p.acceptedVia ? points[0] : points[1], policyWords('refund', p))];
}

function subscriptionFactors(f: CaseStrengthFacts): Weighed[] {
  const out: Weighed[] = [];
  const c = f.cancellationPolicy;
  if (!c) {
    out.push(
      against(
        2,
        'no cancellation policy in the policy file: subscription disputes are hard to win without one.',
      ),
    );
  } else if (c.shownAtCheckout) {
    out.push(forYou(c.acceptedVia ? 3 : 2, policyWords('cancellation', c)));
  }
  const m = f.membership;
  if (m?.canceled === 'before_payment') {
    out.push(
      against(
        4,
        'the membership was canceled before this payment: the customer was charged after canceling.',
      ),
    );
  } else if (m?.canceled === 'after_payment') {
    out.push(forYou(1, 'the customer canceled only after this payment was made.'));
  } else if (m?.granted) {
    out.push(forYou(1, 'the membership has no cancellation on record.'));
  }
  if (f.priorUndisputedPayments > 0) {
    out.push(
      forYou(
        1,
        `${plural(f.priorUndisputedPayments, 'earlier payment')} by this customer ${f.priorUndisputedPayments === 1 ? 'was' : 'were'} never disputed.`,
      ),
    );
  }
  return out;
}

function notReceivedFactors(f: CaseStrengthFacts): Weighed[] {
  const m = f.membership;
  if (!m) return [];
  return m.granted
    ? [forYou(1, `Whop granted access through the membership (now ${humanize(m.status)}).`)]
    : [against(2, `Whop never granted access: the membership is ${humanize(m.status)}.`)];
}

function notAsDescribedFactors(f: CaseStrengthFacts): Weighed[] {
  return f.productDescription
    ? [forYou(1, 'your product description (what the customer was promised) is in the evidence.')]
    : [];
}

function fraudFactors(f: CaseStrengthFacts): Weighed[] {
  const out: Weighed[] = [];
  const p = f.purchase;
  if (p.deviceMatch === true) {
    out.push(
      p.deviceBasis === 'device_id'
        ? forYou(
            2,
            `the purchase device (${p.device}) was used again in ${plural(p.eventsFromDevice, 'later event')}.`,
          )
        : forYou(
            1,
            `the purchase browser (same user agent) was used again in ${plural(p.eventsFromDevice, 'later event')}; a device id would be stronger.`,
          ),
    );
  } else if (p.deviceMatch === false) {
    out.push(against(1, 'the purchase device was not seen in any later access event.'));
  }
  if (p.ipMatch === true) {
    out.push(
      forYou(
        1,
        `the purchase IP address (${p.ip}) was used again in ${plural(p.eventsFromIp, 'later event')}.`,
      ),
    );
  } else if (p.ipMatch === false) {
    out.push(against(1, `the purchase IP address (${p.ip}) was not seen in any later access event.`));
  }
  if (p.sharedBeforeAndAfter) {
    out.push(forYou(1, 'the same IP address or device was used both before and after the purchase.'));
  }
  if (f.accountAgeDays !== null) {
    if (f.accountAgeDays >= ESTABLISHED_ACCOUNT_DAYS) {
      out.push(
        forYou(
          1,
          `the customer's Whop account is ${plural(f.accountAgeDays, 'day')} older than the payment.`,
        ),
      );
    } else if (f.accountAgeDays < 1) {
      out.push(
        against(
          1,
          `the customer's Whop account was created ${f.accountAgeDays < 0 ? 'after' : 'less than a day before'} the payment.`,
        ),
      );
    }
  }
  const ce3 = f.ce3;
  if (ce3?.applies) {
    if (ce3.qualifies) {
      out.push(
        forYou(
          5,
          `Visa Compelling Evidence 3.0 applies: ${plural(ce3.matches, 'earlier undisputed payment')} share an IP address or device with this purchase.`,
        ),
      );
    } else if (ce3.matches > 0) {
      out.push(
        forYou(
          1,
          `${plural(ce3.matches, 'earlier undisputed payment')} ${ce3.matches === 1 ? 'shares' : 'share'} an IP address or device with this purchase (Visa CE 3.0 needs ${CE3_MIN_MATCHES}).`,
        ),
      );
    } else {
      out.push(
        against(
          1,
          `no Visa Compelling Evidence 3.0 history (earlier undisputed payments ${CE3_MIN_DAYS}–${CE3_MAX_DAYS} days back, from the same IP address or device).`,
        ),
      );
    }
  }
  const n = f.priorUndisputedPayments;
  if (n > 0) out.push(forYou(n >= 3 ? 2 : 1, `${plural(n, 'earlier undisputed payment')} by this customer.`));
  return out;
}

function duplicateFactors(f: CaseStrengthFacts): Weighed[] {
  const { count, twins } = f.nearbyPayments;
  if (!f.paymentTimeKnown)
    return [against(1, 'Whop gave no payment time, so no other payment can be compared with it.')];
  if (twins.length) {
    return [
      against(
        4,
        `${twins.join(', ')} ${twins.length === 1 ? 'has' : 'have'} the same amount within two days of this payment: it may be a real duplicate.`,
      ),
    ];
  }
  if (count === 0) {
    return [
      forYou(
        4,
        `Whop shows no other payment by this customer within ${DUPLICATE_WINDOW_DAYS} days: nothing was charged twice.`,
      ),
    ];
  }
  return [
    forYou(
      2,
      `none of the customer's ${plural(count, 'other payment')} within ${DUPLICATE_WINDOW_DAYS} days is for the same amount within two days.`,
    ),
  ];
}

function refundFactors(f: CaseStrengthFacts): Weighed[] {
  const r = f.refunds;
  const amount = fmtAmount(r.succeededAmount, f.currency);
  // Refunded in full: a claim that the credit was never given, or that it was charged twice, is answered.
  if (r.full) return [forYou(6, `this payment was already refunded in full (${amount}).`)];
  const out: Weighed[] = [];
  if (r.succeededAmount > 0) out.push(forYou(2, `${amount} of this payment was already refunded.`));
  if (r.pending) out.push(forYou(1, 'a refund on this payment is in progress.'));
  return out;
}

const CATEGORY_FACTORS: Record<ReasonCategory, (f: CaseStrengthFacts) => Weighed[]> = {
  fraud: fraudFactors,
  not_received: notReceivedFactors,
  not_as_described: notAsDescribedFactors,
  subscription: subscriptionFactors,
  duplicate: (f) => [...duplicateFactors(f), ...refundFactors(f)],
  credit_not_processed: refundFactors,
  general: () => [],
};

/** What would make the evidence stronger, from what is missing: which access events, which policy text. */
function strengthen(f: CaseStrengthFacts): string[] {
  const out: string[] = [];
  const usageWeighs = USAGE_POINTS[f.category] !== null;
  if (usageWeighs && f.usage.eventsAfter === 0 && f.paymentTimeKnown) {
    out.push(
      f.usage.eventsBefore > 0
        ? "Send the customer's access after the payment, if your product recorded any (logins, lesson views, downloads, with ip and device_id) to POST /access-events: your events for this customer end before it."
        : "Send the customer's access events (logins, lesson views, downloads, with user_id, ip and device_id) to POST /access-events or import them with the CLI: use after the purchase is the evidence issuers look for.",
    );
  }
  if (f.category === 'fraud') {
    if (!f.purchase.ip && !f.purchase.device) {
      out.push(
        'Record an access event at checkout (at the payment time, with ip and device_id): later use from the same IP or device then ties the purchase to the account holder.',
      );
    } else if (f.purchase.deviceBasis === 'user_agent') {
      out.push('Send device_id with access events: a user agent alone is shared by many people.');
    }
    if (f.ce3?.applies && !f.ce3.qualifies && f.priorUndisputedPayments > 0) {
      out.push(
        `Send access events (with ip and device_id) from the 30 days after the customer's earlier payments (${CE3_MIN_DAYS}–${CE3_MAX_DAYS} days back): ${CE3_MIN_MATCHES} matching ones make Visa Compelling Evidence 3.0 apply.`,
      );
    }
  }
  const refundWeighs = REFUND_POLICY_POINTS[f.category] !== null;
  if (refundWeighs && !f.refundPolicy) {
    out.push(
      'Add refund_policy to the policy file: its text, url, shown_at_checkout and accepted_via (for example "checkbox at checkout").',
    );
  } else if (refundWeighs && f.refundPolicy && !f.refundPolicy.shownAtCheckout) {
    out.push(
      'If your checkout shows the refund policy, set refund_policy.shown_at_checkout (and accepted_via, how the customer accepts it) in the policy file.',
    );
  } else if (refundWeighs && f.refundPolicy && !f.refundPolicy.acceptedVia) {
    out.push('If customers accept the refund policy at checkout, say how in refund_policy.accepted_via.');
  }
  if (f.category === 'subscription') {
    const c = f.cancellationPolicy;
    if (!c) {
      out.push(
        'Add cancellation_policy to the policy file: its text, url, shown_at_checkout, accepted_via and renewal_reminders (how customers are reminded before a renewal).',
      );
    } else if (!c.shownAtCheckout) {
      out.push(
        'If your checkout shows the cancellation policy, set cancellation_policy.shown_at_checkout (and accepted_via) in the policy file.',
      );
    } else if (!c.renewalReminders) {
      out.push('If you remind customers before a renewal, say how in cancellation_policy.renewal_reminders.');
    }
  }
  if (f.category === 'not_as_described' && !f.productDescription) {
    out.push(
      'Add product_description to the policy file: what the customer was promised, as your listing says it.',
    );
  }
  return out;
}

/**
 * The dispute's amount against the merchant's MIN_FIGHT_AMOUNT in its currency, both formatted; null
 * when the currency has no minimum or the amount cannot be sized exactly (never called small then).
 */
function againstMinimum(
  f: CaseStrengthFacts,
  minimums: readonly MinorAmount[],
): { under: boolean; amount: string; minimum: string } | null {
  if (f.amount === null || !f.currency) return null;
  try {
    const code = currencyCode(f.currency);
    const minimum = minimums.find((m) => m.currency === code);
    if (!minimum) return null;
    const minor = toMinor(f.amount, code);
    return {
      under: minor < minimum.minor,
      amount: formatMinor(minor, code),
      minimum: formatMinor(minimum.minor, code),
    };
  } catch {
    return null;
  }
}

/** Not fighting is not submitting: the API has no call to accept a dispute (SDK 0.0.42 `disputes`). */
const NOT_SUBMITTING =
  "Whop's API has no call to accept a dispute: not fighting means not submitting evidence. If auto-submit is on for this company, the staged evidence is still submitted at the scheduled time; set auto_submit: never in the policy file (or AUTO_SUBMIT=never) to hold it.";

/**
 * Weighs one dispute's case for the merchant: `strength` from the points of each fact (`reasons`, in
 * words), and the recommendation. Fight unless not fighting costs less: a weak inquiry (`warning_*`
 * status) can still be refunded before it becomes a chargeback (`refund_inquiry`); a weak chargeback for
 * less than `options.minFightAmounts` in its currency is better left to close (`let_close`). A dispute
 * that takes no evidence now gets `none`. Pure; never throws.
 */
export function assessCaseStrength(f: CaseStrengthFacts, options: CaseStrengthOptions): CaseStrength {
  const weighed = [...usageFactor(f), ...refundPolicyFactor(f), ...CATEGORY_FACTORS[f.category](f)];
  const score = weighed.reduce((sum, w) => sum + w.points, 0);
  const strength: CaseStrengthLevel = score >= STRONG_FROM ? 'strong' : score >= FAIR_FROM ? 'fair' : 'weak';
  // For, then against, each weightiest first (a stable sort keeps the factor order among equals).
  const reasons = [
    ...weighed.filter((w) => w.points > 0).sort((a, b) => b.points - a.points),
    ...weighed.filter((w) => w.points < 0).sort((a, b) => a.points - b.points),
  ].map((w) => w.text);
  const steps = strengthen(f);
  const base = { strength, score, reasons };

  if (!AWAITING_MERCHANT.dispute.has(f.status) || !f.editable) {
    return {
      ...base,
      recommendation: {
        action: 'none',
        text: `Nothing to decide: the dispute is ${humanize(f.status)}${f.editable ? '' : ' and no longer takes evidence'}.`,
        strengthen: [],
      },
    };
  }
  const inquiry = f.status.startsWith('warning_');
  if (strength === 'weak' && inquiry) {
    return {
      ...base,
      recommendation: {
        action: 'refund_inquiry',
        text: `Consider refunding instead of fighting: the case is weak, and this is an inquiry, not yet a chargeback, so the payment can still be refunded in Whop, which usually ends it before it becomes a chargeback with its fee and a mark on your dispute rate. ${NOT_SUBMITTING}`,
        strengthen: steps,
      },
    };
  }
  const money = strength === 'weak' && !inquiry ? againstMinimum(f, options.minFightAmounts) : null;
  if (money?.under) {
    return {
      ...base,
      recommendation: {
        action: 'let_close',
        text: `Consider not fighting: a weak case for ${money.amount}, less than your MIN_FIGHT_AMOUNT of ${money.minimum}, is usually not worth the time it takes; left alone, the chargeback closes for the cardholder at its deadline. ${NOT_SUBMITTING}`,
        strengthen: steps,
      },
    };
  }
  const worth = money ? `: ${money.amount} is at least your MIN_FIGHT_AMOUNT of ${money.minimum}` : '';
  const text =
    strength === 'strong'
      ? 'Fight: submit the evidence; the case is strong.'
      : strength === 'fair'
        ? `Fight: submit the evidence; the case is fair${steps.length ? ', and the steps below would strengthen it' : ''}.`
        : `Fight, though the case is weak${worth}${steps.length ? '; strengthen the evidence first with the steps below if you can' : ''}.`;
  return { ...base, recommendation: { action: 'fight', text, strengthen: steps } };
}
