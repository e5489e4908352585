/**
 * Builds the text evidence for one Whop dispute from what Whop knows (payment, membership, member) and
 * what only the merchant knows (access events outside Whop, its policies). Pure: no I/O, `now` is given.
 *
 * Two rules shape everything here. Never claim what the facts do not show: each factual sentence is
 * built from the same values it records in `statements`, and a match with the purchase IP or device is
 * only stated when later events really share it. And evidence is advocacy: nothing in the fields states
 * a fact against the merchant (no access events, no use after the payment, a membership Whop never
 * activated, an account created at the payment, no IP or device match); a missing fact is simply absent,
 * the argument leans on what Whop records, and the merchant hears what is missing in `warnings`.
 *
 * This file assembles the draft; the parts decide: `evidence-facts.ts` (the context), `access-log-text.ts`
 * (what the access shows), `reason-arguments.ts` (the argument per reason category) and
 * `compelling-evidence-3.ts` (Visa CE 3.0).
 */
import { AWAITING_MERCHANT } from '../cases/case-record.js';
import type { Disclosure } from '../policy/resolve-policy.js';
import { accessLogText, matchWarnings, noUsageWarning } from './access-log-text.js';
import type { AccessSummary } from './access-summary.js';
import { type CaseStrengthFacts, caseStrengthFacts } from './case-strength.js';
import { type Ce3Result, compellingEvidence3 } from './compelling-evidence-3.js';
import { type EvidenceContext, type EvidenceFacts, evidenceContext } from './evidence-facts.js';
import { excerpt, fitText, fmtDate, humanize, sentence } from './format.js';
import { FIELD_LIMIT, type FieldText, fitParas, type Para, para } from './paragraph.js';
import type { EvidenceFields, EvidenceTextField } from './plan-evidence-update.js';
import { argumentNotes, refundRefusal } from './reason-arguments.js';
import type { ReasonCategory } from './reason-category.js';

export interface EvidenceDraft {
  /** Only non-empty fields, each at most FIELD_LIMIT characters. */
  fields: EvidenceFields;
  category: ReasonCategory;
  access: AccessSummary;
  /** Fraud disputes only. */
  ce3: Ce3Result | null;
  /** Every factual claim the fields make, one per line, for tests and the audit trail. */
  statements: string[];
  /**
   * For the merchant, never sent to Whop: what weakens this case or needs a look before submitting,
   * including every fact left out of the fields because it argues for the cardholder (no use, a
   * membership Whop never activated, an account created at the payment…).
   */
  warnings: string[];
  /**
   * Whether the access-log PDF goes with the evidence: only when it shows use after the purchase. A log
   * with no events, or only events from before the payment, argues for the cardholder.
   */
  attachAccessLog: boolean;
  /** What the case strength is weighed from (`assessCaseStrength`); for the merchant only. */
  caseFacts: CaseStrengthFacts;
}

// The plain fields: the facts as they are, or the merchant's policy quoted.

function customerEmail(ctx: EvidenceContext): string | null {
  const { member, membership } = ctx.facts;
  return ctx.buyer?.email ?? member?.user?.email ?? membership?.user?.email ?? null;
}

function billingAddress(ctx: EvidenceContext): string | null {
  const a = ctx.facts.payment?.billing_address;
  if (!a) return null;
  const cityLine = [a.city, [a.state, a.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const parts = [a.line1, a.line2, cityLine, a.country].map((p) => p?.trim()).filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** A policy disclosure field: the checkout facts first, then the policy text, cut to fit if need be. */
function disclosureText(kind: 'refund' | 'cancellation', d: Disclosure, termsUrl: string | null): Para {
  const claims: string[] = [];
  const facts: string[] = [];
  if (d.shown_at_checkout) {
    facts.push(
      `This ${kind} policy was shown to the customer at checkout${d.accepted_via ? ` and accepted via ${d.accepted_via}` : ''}.`,
    );
    claims.push(`${kind} policy shown at checkout`);
    if (d.accepted_via) claims.push(`${kind} policy accepted via ${d.accepted_via}`);
  }
  if (d.url) facts.push(`Published at ${d.url}.`);
  if (d.renewal_reminders) {
    facts.push(`Renewal reminders: ${sentence(d.renewal_reminders)}`);
    claims.push(`renewal reminders: ${d.renewal_reminders}`);
  }
  if (termsUrl) facts.push(`Terms of service: ${termsUrl}.`);
  // The facts come first, so a very long policy text is what gets cut, never the facts.
  const head = facts.join('\n');
  const room = FIELD_LIMIT - head.length - 40;
  return para(`${head}${head ? '\n\n' : ''}Policy text:\n${excerpt(d.text, room)}`, claims, 0);
}

/**
 * `service_date`: the payment date, when access to a digital product begins, as `YYYY-MM-DD` (UTC).
 * Whop takes a date here, never prose (WHOP-REFERENCE.md; its guide's example is "2026-01-15"); the
 * billing period and the span of use go into `notes` (`servicePeriodPara` in reason-arguments.ts).
 */
function serviceDate(ctx: EvidenceContext): string | null {
  return ctx.paidMs === null ? null : fmtDate(ctx.paidMs);
}

function productDescription(ctx: EvidenceContext): string | null {
  const description = ctx.facts.policy.product_description;
  const listing = ctx.product ? `Sold on Whop by ${ctx.company} as "${ctx.product}".` : '';
  if (!description) return listing || null;
  return [description, listing].filter(Boolean).join('\n\n');
}

/**
 * Builds the evidence draft for one dispute: each Whop text field from its part (the context, the access
 * log, the per-reason argument, Compelling Evidence 3.0 for fraud), and the warnings for the merchant.
 * Pure.
 */
export function buildEvidence(facts: EvidenceFacts): EvidenceDraft {
  const ctx = evidenceContext(facts);
  const { policy, dispute } = facts;
  const ce3 = ctx.category === 'fraud' ? compellingEvidence3(ctx) : null;
  const fields: EvidenceFields = {};
  const statements: string[] = [];
  const set = (name: EvidenceTextField, value: FieldText | string | null) => {
    const text = typeof value === 'string' || value === null ? value : value.text;
    if (!text?.trim()) return;
    fields[name] = fitText(text.trim(), FIELD_LIMIT);
    if (typeof value === 'object' && value !== null) statements.push(...value.claims);
  };

  set('customer_name', ctx.fullName);
  set('customer_email_address', customerEmail(ctx));
  set('billing_address', billingAddress(ctx));
  set('product_description', productDescription(ctx));
  set('service_date', serviceDate(ctx));
  set('access_activity_log', accessLogText(ctx));
  if (policy.refund_policy)
    set(
      'refund_policy_disclosure',
      fitParas([disclosureText('refund', policy.refund_policy, policy.terms_url)]),
    );
  if (policy.cancellation_policy) {
    set(
      'cancellation_policy_disclosure',
      fitParas([disclosureText('cancellation', policy.cancellation_policy, policy.terms_url)]),
    );
  }
  set('refund_refusal_explanation', fitParas(refundRefusal(ctx)));
  set('notes', argumentNotes(ctx, ce3));

  if (!ctx.used && ctx.paidMs !== null) ctx.warnings.push(noUsageWarning(ctx));
  if (ctx.used) matchWarnings(ctx);
  if (!policy.refund_policy)
    ctx.warnings.push('No refund policy in the policy file for this company/product.');
  if (ctx.category === 'subscription' && !policy.cancellation_policy) {
    ctx.warnings.push(
      'No cancellation policy in the policy file: subscription disputes are hard to win without one.',
    );
  }
  if (
    ctx.category === 'fraud' &&
    ctx.summary.ipMatchesPurchase !== true &&
    ctx.summary.deviceMatchesPurchase !== true &&
    !ce3?.qualifies
  ) {
    ctx.warnings.push(
      'Fraud dispute with no IP/device match to the purchase and no CE 3.0 history: a weak case.',
    );
  }
  if (dispute.editable === false || !AWAITING_MERCHANT.dispute.has(dispute.status)) {
    ctx.warnings.push(
      `The dispute is ${humanize(dispute.status)}${dispute.editable === false ? ' and no longer editable' : ''}.`,
    );
  }

  return {
    fields,
    category: ctx.category,
    access: ctx.summary,
    ce3,
    statements: [...new Set(statements)],
    warnings: [...new Set(ctx.warnings)],
    attachAccessLog: ctx.used,
    caseFacts: caseStrengthFacts(ctx, ce3),
  };
}
