/**
 * The merchant's argument, by the dispute's reason category (fraud, not received, not as described,
 * subscription, duplicate, credit not processed, general): the `notes` field, and the explanation of why
 * the payment was not refunded. Each argues only for the merchant and states only what the facts show.
 */
import { ACCESS_GRANTED, matchSentences, usagePara, whopRecordsPara } from './access-log-text.js';
import { type Ce3Result, ce3Para } from './compelling-evidence-3.js';
import type { EvidenceContext, PriorPaymentLike } from './evidence-facts.js';
import { cap, excerpt, fmtAmount, fmtDate, fmtDateTime, humanize, plural, sentence, toMs } from './format.js';
import { type FieldText, fitParas, MAX_LISTED, type Para, para } from './paragraph.js';
import type { ReasonCategory } from './reason-category.js';

const DAY_MS = 86_400_000;

/** The notes' opening: who paid whom, how much, for what and when. */
function paymentPara(ctx: EvidenceContext): Para {
  if (!ctx.paymentId || ctx.paidMs === null) return para('');
  const card =
    ctx.cardBrand && ctx.cardLast4 ? `, ${cap(humanize(ctx.cardBrand))} card ending ${ctx.cardLast4}` : '';
  const renewal =
    ctx.billingReason === 'subscription_cycle' || ctx.billingReason === 'subscription'
      ? ' This payment was a scheduled subscription renewal.'
      : '';
  const what = ctx.product ? ` for "${ctx.product}"` : '';
  const amount = ctx.amount ? ` ${ctx.amount}` : '';
  return para(
    `${cap(ctx.customer)} paid ${ctx.company}${amount}${what} on ${fmtDateTime(ctx.paidMs)} (Whop payment ${ctx.paymentId}${card}).${renewal}`,
    [
      `payment ${ctx.paymentId}: ${ctx.amount ?? 'amount unknown'} paid ${new Date(ctx.paidMs).toISOString()}`,
      ...(renewal ? [`payment ${ctx.paymentId}: billing reason ${ctx.billingReason}`] : []),
    ],
    0,
  );
}

/**
 * The service period, for the notes: the billing period the payment falls in and the span of use after
 * it. `service_date` itself holds only the date (Whop takes `YYYY-MM-DD` there).
 */
function servicePeriodPara(ctx: EvidenceContext): Para {
  if (ctx.paidMs === null) return para('');
  const parts: string[] = [];
  const claims: string[] = [];
  const m = ctx.facts.membership;
  const start = toMs(m?.renewal_period_start);
  const end = toMs(m?.renewal_period_end);
  // The membership's current period only describes this payment if the payment falls inside it.
  if (start !== null && end !== null && start <= ctx.paidMs + DAY_MS && ctx.paidMs < end) {
    parts.push(`the billing period ${fmtDate(start)} to ${fmtDate(end)}`);
    claims.push(`billing period ${new Date(start).toISOString()} to ${new Date(end).toISOString()}`);
  }
  if (ctx.used) {
    parts.push(
      `use of the product from ${fmtDate(ctx.summary.firstAccessAfterPurchase!)} to ${fmtDate(ctx.summary.lastAccessAfterPurchase!)}`,
    );
    claims.push(
      `first access after purchase: ${ctx.summary.firstAccessAfterPurchase}`,
      `last access after purchase: ${ctx.summary.lastAccessAfterPurchase}`,
    );
  }
  if (!parts.length) return para('');
  return para(
    `Service period: access began on ${fmtDate(ctx.paidMs)} (the payment date), covering ${parts.join(', and ')}.`,
    claims,
    1,
  );
}

/**
 * Use after the purchase when there was any; else what Whop records. That there was no use is never
 * said here: it argues for the cardholder, so the merchant hears it in the warnings instead.
 */
function accessOrWhop(ctx: EvidenceContext, lead: string): Para[] {
  if (ctx.used) return [usagePara(ctx, lead, 0)];
  return [whopRecordsPara(ctx, 0)];
}

function fraudArgument(ctx: EvidenceContext, ce3: Ce3Result | null): Para[] {
  const records: Para[] = [];
  if (ctx.used) {
    const match = matchSentences(ctx);
    if (match.sentences.length) records.push(para(match.sentences.join(' '), match.claims, 0));
    records.push(usagePara(ctx, 'The product was used after purchase.', 1));
    records.push(whopRecordsPara(ctx, 2));
  } else {
    records.push(...accessOrWhop(ctx, ''));
  }
  if (ce3 && ce3.matches.length > 0) records.push(ce3Para(ce3, ctx));
  // "The records below" only when there are some.
  const any = records.some((p) => p.text.trim() !== '');
  return [
    para(
      `The cardholder says they did not authorize or do not recognize this payment.${any ? ' The records below tie the purchase to the account holder.' : ''}`,
      [],
      0,
    ),
    ...records,
  ];
}

function notReceivedArgument(ctx: EvidenceContext): Para[] {
  const lead = 'The customer says they did not receive the product.';
  if (!ctx.used) return [para(lead, [], 0), ...accessOrWhop(ctx, '')];
  return [para(lead, [], 0), usagePara(ctx, 'It was delivered and used:', 0), whopRecordsPara(ctx, 2)];
}

function notAsDescribedArgument(ctx: EvidenceContext): Para[] {
  const out: Para[] = [para('The customer says the product was not as described or not acceptable.', [], 0)];
  const description = ctx.facts.policy.product_description;
  if (description) {
    out.push(
      para(
        `It was described to customers as: "${excerpt(description, 800)}"`,
        ['product description from the merchant policy'],
        0,
      ),
    );
  }
  if (ctx.used) {
    out.push(usagePara(ctx, 'After buying it, the customer kept using it.', 0));
    if (ctx.summary.sessionsAfterPurchase >= 2) {
      out.push(
        para(
          'Repeated use over several sessions is not consistent with a product that was unusable or materially different from its description.',
          [],
          1,
        ),
      );
    }
  } else {
    out.push(...accessOrWhop(ctx, ''));
  }
  return out;
}

function subscriptionArgument(ctx: EvidenceContext): Para[] {
  const { membership, policy } = ctx.facts;
  const out: Para[] = [
    para('The customer says the subscription was canceled or renewed without their consent.', [], 0),
  ];
  const cancellation = policy.cancellation_policy;
  if (cancellation) {
    const shown = cancellation.shown_at_checkout
      ? ` was shown at checkout${cancellation.accepted_via ? ` and accepted via ${cancellation.accepted_via}` : ''} and`
      : '';
    const claims = cancellation.shown_at_checkout ? ['cancellation policy shown at checkout'] : [];
    if (cancellation.renewal_reminders) claims.push(`renewal reminders: ${cancellation.renewal_reminders}`);
    out.push(
      para(
        `${cap(ctx.company)}'s cancellation policy${shown} is quoted in the cancellation policy disclosure.${cancellation.renewal_reminders ? ` Renewal reminders: ${sentence(cancellation.renewal_reminders)}` : ''}`,
        claims,
        0,
      ),
    );
  }
  if (membership && ctx.paidMs !== null) {
    const canceled = toMs(membership.canceled_at);
    if (canceled === null) {
      // The status only where it shows Whop granted access ("drafted" would say the customer never had it).
      const status = ACCESS_GRANTED.has(membership.status) ? ` (status: ${humanize(membership.status)})` : '';
      out.push(
        para(
          `Membership ${membership.id} has no cancellation on record${status}.`,
          [
            `membership ${membership.id}: no cancellation recorded${status ? `, status ${membership.status}` : ''}`,
          ],
          0,
        ),
      );
    } else if (canceled >= ctx.paidMs) {
      out.push(
        para(
          `The customer canceled membership ${membership.id} on ${fmtDateTime(canceled)}, after this payment was made.`,
          [`membership ${membership.id}: canceled ${new Date(canceled).toISOString()}, after the payment`],
          0,
        ),
      );
    } else {
      ctx.warnings.push(
        `Membership ${membership.id} was canceled on ${fmtDateTime(canceled)}, before this payment; check why it was charged before submitting.`,
      );
    }
    if (membership.manage_url) {
      out.push(
        para(
          `The customer can manage or cancel the membership at any time at ${membership.manage_url}.`,
          [`membership manage url ${membership.manage_url}`],
          2,
        ),
      );
    }
  }
  out.push(
    ...(ctx.used
      ? [usagePara(ctx, 'After this payment the customer kept using the product.', 0)]
      : accessOrWhop(ctx, '')),
  );
  return out;
}

/** The window in which the duplicate argument looks for the customer's other payments. */
export const DUPLICATE_WINDOW_DAYS = 31;

/**
 * The customer's other payments within `windowDays` of the disputed one (oldest first), each marked
 * `twin` when it has the same amount within two days: a possible real duplicate. Empty without a
 * payment time.
 */
export function paymentsNear(
  ctx: EvidenceContext,
  windowDays: number,
): { p: PriorPaymentLike; ms: number; twin: boolean }[] {
  if (ctx.paidMs === null) return [];
  const paidMs = ctx.paidMs;
  return ctx.facts.priorPayments
    .map((p) => ({ p: p.payment, ms: toMs(p.payment.paid_at) ?? toMs(p.payment.created_at) }))
    .filter(
      (x): x is { p: PriorPaymentLike; ms: number } =>
        x.p.id !== ctx.paymentId && x.ms !== null && Math.abs(x.ms - paidMs) <= windowDays * DAY_MS,
    )
    .sort((a, b) => a.ms - b.ms)
    .map((x) => ({
      ...x,
      twin:
        x.p.total !== null &&
        fmtAmount(x.p.total, x.p.currency) === ctx.amount &&
        Math.abs(x.ms - paidMs) < 2 * DAY_MS,
    }));
}

function otherPaymentsPara(ctx: EvidenceContext, windowDays: number): Para {
  if (ctx.paidMs === null) return para('');
  const nearby = paymentsNear(ctx, windowDays);
  if (nearby.length === 0) {
    return para(
      `Whop shows no other payment by this customer within ${windowDays} days of this one.`,
      [`other payments by this customer within ${windowDays} days: none`],
      0,
    );
  }
  // The closest in time first; a long history is cut to a readable list, and claims follow what is shown.
  const shown = [...nearby]
    .sort((a, b) => Math.abs(a.ms! - ctx.paidMs!) - Math.abs(b.ms! - ctx.paidMs!))
    .slice(0, MAX_LISTED)
    .sort((a, b) => a.ms! - b.ms!);
  const lines = shown.map(({ p, ms, twin }) => {
    if (twin) {
      ctx.warnings.push(
        `Payment ${p.id} has the same amount within two days of this one: it may be a real duplicate.`,
      );
    }
    return `- ${p.id}: ${fmtAmount(p.total, p.currency) ?? 'amount unknown'}, ${fmtDateTime(ms!)}${p.substatus ? `, ${humanize(p.substatus)}` : ''}`;
  });
  return para(
    [
      `Other payments by this customer within ${windowDays} days:`,
      ...lines,
      ...(nearby.length > shown.length ? [`(and ${nearby.length - shown.length} more)`] : []),
    ].join('\n'),
    shown.map(
      ({ p, ms }) =>
        `other payment ${p.id}: ${fmtAmount(p.total, p.currency) ?? 'amount unknown'} at ${new Date(ms!).toISOString()}`,
    ),
    0,
  );
}

function refundsPara(ctx: EvidenceContext): Para {
  const p = ctx.facts.payment;
  if (!p) return para('');
  // No refund at all is the cardholder's own claim (credit not processed) or beside the point (duplicate):
  // it is not an argument, so it is not stated; the refusal explanation gives the merchant's reasons.
  if (p.refunds.length === 0 && !p.refunded_amount) return para('');
  const listed = p.refunds.slice(0, MAX_LISTED);
  const lines = listed.map((r) => {
    const ms = toMs(r.created_at);
    return `- refund ${r.id}: ${fmtAmount(r.amount, r.currency)}, ${humanize(r.status)}${ms !== null ? `, ${fmtDate(ms)}` : ''}`;
  });
  const succeeded = p.refunds.filter((r) => r.status === 'succeeded');
  if (succeeded.length)
    ctx.warnings.push(`A refund on payment ${p.id} already succeeded; accepting the dispute may be simpler.`);
  return para(
    [
      `Refunds on payment ${p.id}${p.refunded_amount ? ` (${fmtAmount(p.refunded_amount, p.currency)} refunded in total)` : ''}:`,
      ...lines,
      ...(p.refunds.length > listed.length ? [`(and ${p.refunds.length - listed.length} more)`] : []),
    ].join('\n'),
    listed.map((r) => `refund ${r.id}: ${fmtAmount(r.amount, r.currency)} ${r.status}`),
    0,
  );
}

function duplicateArgument(ctx: EvidenceContext): Para[] {
  return [
    para('The customer says they were charged more than once.', [], 0),
    otherPaymentsPara(ctx, DUPLICATE_WINDOW_DAYS),
    refundsPara(ctx),
    ...(ctx.used ? [usagePara(ctx, 'The customer used what they paid for.', 2)] : []),
  ];
}

function creditArgument(ctx: EvidenceContext): Para[] {
  const policy = ctx.facts.policy.refund_policy;
  const out = [para('The customer says a refund or credit was not processed.', [], 0), refundsPara(ctx)];
  if (policy) {
    out.push(
      para(
        `${cap(ctx.company)}'s refund policy${policy.shown_at_checkout ? ', shown at checkout,' : ''} is quoted in the refund policy disclosure.`,
        policy.shown_at_checkout ? ['refund policy shown at checkout'] : [],
        0,
      ),
    );
  }
  out.push(...accessOrWhop(ctx, 'The customer used the product after purchase.'));
  return out;
}

function generalArgument(ctx: EvidenceContext): Para[] {
  return [
    ...accessOrWhop(ctx, 'The customer received and used the product.'),
    whopRecordsPara(ctx, 2),
  ].filter((p, i, all) => all.findIndex((q) => q.text === p.text) === i);
}

/**
 * The `notes` field: the payment, the argument for the dispute's reason category, the refund policy's
 * acceptance at checkout and the merchant's own wording for the category, fitted to the field limit.
 * `ce3` is the Compelling Evidence 3.0 result of a fraud dispute (null otherwise).
 */
export function argumentNotes(ctx: EvidenceContext, ce3: Ce3Result | null): FieldText {
  const argument: Record<ReasonCategory, () => Para[]> = {
    fraud: () => fraudArgument(ctx, ce3),
    not_received: () => notReceivedArgument(ctx),
    not_as_described: () => notAsDescribedArgument(ctx),
    subscription: () => subscriptionArgument(ctx),
    duplicate: () => duplicateArgument(ctx),
    credit_not_processed: () => creditArgument(ctx),
    general: () => generalArgument(ctx),
  };
  const wording =
    ctx.facts.policy.reason_wording[ctx.category] ??
    (ctx.category === 'duplicate' || ctx.category === 'credit_not_processed'
      ? ctx.facts.policy.reason_wording.general
      : undefined);
  const refund = ctx.facts.policy.refund_policy;
  const policyLine =
    refund?.shown_at_checkout && ctx.category !== 'credit_not_processed'
      ? para(
          refund.accepted_via
            ? `The customer accepted ${ctx.company}'s refund policy at checkout (${refund.accepted_via}); it is quoted in the refund policy disclosure.`
            : `${cap(ctx.company)}'s refund policy was shown to the customer at checkout; it is quoted in the refund policy disclosure.`,
          [
            'refund policy shown at checkout',
            ...(refund.accepted_via ? [`refund policy accepted via ${refund.accepted_via}`] : []),
          ],
          2,
        )
      : para('');
  return fitParas([
    paymentPara(ctx),
    servicePeriodPara(ctx),
    ...argument[ctx.category](),
    policyLine,
    para(wording ? excerpt(wording, 1500) : '', [], 1),
  ]);
}

/**
 * The `refund_refusal_explanation` paragraphs: what was (not) refunded, the refund policy and the use
 * after purchase. None when the payment is unknown or nothing explains a refusal; a payment refunded in
 * full gets none and a warning instead.
 */
export function refundRefusal(ctx: EvidenceContext): Para[] {
  const p = ctx.facts.payment;
  const total = p?.total ?? ctx.facts.dispute.amount;
  const refunded = p?.refunded_amount ?? 0;
  const refunds = (p?.refunds ?? []).filter((r) => r.status === 'succeeded' || r.status === 'pending');
  if (p && total !== null && refunded >= total) {
    ctx.warnings.push(`Payment ${p.id} was already refunded in full (${fmtAmount(refunded, p.currency)}).`);
    return [];
  }
  const reasons: Para[] = [];
  const policy = ctx.facts.policy.refund_policy;
  if (policy) {
    const shown = policy.shown_at_checkout
      ? `, which was shown at checkout${policy.accepted_via ? ` and accepted via ${policy.accepted_via}` : ''}`
      : '';
    reasons.push(
      para(
        `Refunds are governed by ${ctx.company}'s refund policy${shown} (quoted in the refund policy disclosure).`,
        policy.shown_at_checkout ? ['refund policy shown at checkout'] : [],
      ),
    );
  }
  if (ctx.used) {
    const s = ctx.summary;
    reasons.push(
      para(
        `The customer used the product after buying it: ${plural(s.eventsAfterPurchase, 'access event')} in ${plural(s.sessionsAfterPurchase, 'session')}, the last on ${fmtDate(s.lastAccessAfterPurchase!)}.`,
        [
          `events after purchase: ${s.eventsAfterPurchase}`,
          `sessions after purchase: ${s.sessionsAfterPurchase}`,
          `last access after purchase: ${s.lastAccessAfterPurchase}`,
        ],
      ),
    );
  }
  // Without the payment we cannot say whether it was refunded, so we give no explanation at all.
  if (reasons.length === 0 || !p) return [];
  const partial =
    refunded > 0
      ? para(
          `${fmtAmount(refunded, p.currency)} of this payment was refunded; the rest was not.`,
          [`payment ${p.id}: refunded ${fmtAmount(refunded, p.currency)}`],
          0,
        )
      : para(
          `${cap(ctx.company)} did not refund this payment${refunds.length ? ' in full' : ''}.`,
          [`payment ${p.id}: not refunded`],
          0,
        );
  return [partial, ...reasons];
}
