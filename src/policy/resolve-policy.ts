import type { AutoSubmitMode } from '../config/auto-submit.js';
import { parseDuration } from '../config/duration.js';
import type { AlertPolicy } from './alerts-section.js';
import { pick } from './fields.js';
import type { CompanyPolicy, Policy, ProductPolicy } from './policy-file.js';
import { REASON_CATEGORIES, type ReasonCategory } from './reason-categories.js';
import { type RefundRules, resolveRefundRules } from './refund-rules.js';

/** A refund or cancellation policy as the evidence builder uses it (the file's keys, nothing omitted). */
export interface Disclosure {
  text: string;
  url: string | null;
  /** The merchant states the policy was shown to the customer at checkout. */
  shown_at_checkout: boolean;
  /** How the customer accepted it, in the merchant's words ("checkbox at checkout"). */
  accepted_via: string | null;
  /** Cancellation policies only: how customers are reminded before a renewal. */
  renewal_reminders: string | null;
}

/**
 * The policy for one company and product, every level merged. Keys are the file's own, so what a
 * merchant reads in POLICY.md is what the code reads. `null` means "not set anywhere": for `auto_submit`,
 * `submit_lead` and `alerts` the caller's own default (the environment) then applies.
 */
export interface ResolvedPolicy {
  company_id: string | null;
  product_id: string | null;
  product_description: string | null;
  refund_policy: Disclosure | null;
  cancellation_policy: Disclosure | null;
  terms_url: string | null;
  reason_wording: Partial<Record<ReasonCategory, string>>;
  auto_submit: AutoSubmitMode | null;
  /** As written (e.g. `24h`), and in milliseconds. */
  submit_lead: string | null;
  submit_lead_ms: number | null;
  /** The auto-refund rules (company level: a product cannot change them), merged key by key over the
   *  built-in rules, which refund nothing (refund-rules.ts `DEFAULT_REFUND_RULES`). Amounts minor units. */
  dispute_alerts: RefundRules;
  /** Alert routing: the company's section, else the defaults'; null routes every alert everywhere. */
  alerts: AlertPolicy | null;
}

function disclosure(
  d: {
    text: string;
    url?: string;
    shown_at_checkout: boolean;
    accepted_via?: string;
    renewal_reminders?: string;
  } | null,
): Disclosure | null {
  if (!d) return null;
  return {
    text: d.text.trim(),
    url: d.url ?? null,
    shown_at_checkout: d.shown_at_checkout,
    accepted_via: d.accepted_via?.trim() ?? null,
    renewal_reminders: d.renewal_reminders?.trim() ?? null,
  };
}

/**
 * Merges defaults ← company ← product into the settings that apply to one dispute or case (rules in
 * POLICY.md, "How levels combine"). Pure; the policy was validated when it was loaded (`parsePolicy`
 * resolves every company's refund rules once, so `resolveRefundRules` cannot throw here for a loaded
 * policy).
 */
export function resolvePolicy(
  policy: Policy,
  companyId: string | null | undefined,
  productId: string | null | undefined,
): ResolvedPolicy {
  const defaults = policy.defaults ?? {};
  const company: CompanyPolicy = (companyId ? policy.companies?.[companyId] : undefined) ?? {};
  const product: ProductPolicy = (productId ? company.products?.[productId] : undefined) ?? {};
  const submitLead = pick(company.submit_lead, defaults.submit_lead);
  const reasonWording: Partial<Record<ReasonCategory, string>> = {};
  for (const level of [defaults.reason_wording, company.reason_wording, product.reason_wording]) {
    for (const category of REASON_CATEGORIES) {
      const paragraph = level?.[category];
      if (paragraph !== undefined) reasonWording[category] = paragraph.trim();
    }
  }
  return {
    company_id: companyId ?? null,
    product_id: productId ?? null,
    product_description:
      pick(product.product_description, company.product_description, defaults.product_description)?.trim() ??
      null,
    refund_policy: disclosure(pick(product.refund_policy, company.refund_policy, defaults.refund_policy)),
    cancellation_policy: disclosure(
      pick(product.cancellation_policy, company.cancellation_policy, defaults.cancellation_policy),
    ),
    terms_url: pick(product.terms_url, company.terms_url, defaults.terms_url),
    reason_wording: reasonWording,
    auto_submit: pick(company.auto_submit, defaults.auto_submit),
    submit_lead: submitLead,
    submit_lead_ms: submitLead === null ? null : (parseDuration(submitLead) ?? null),
    dispute_alerts: resolveRefundRules(
      defaults.dispute_alerts,
      company.dispute_alerts,
      companyId ? `companies.${companyId}.dispute_alerts` : 'defaults.dispute_alerts',
    ),
    alerts: pick(company.alerts, defaults.alerts),
  };
}
