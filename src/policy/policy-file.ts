/**
 * The merchant's policy file (`POLICY_FILE`, YAML or JSON by extension): what we may say on the merchant's
 * behalf in dispute evidence, and how far the autopilot may act on its own. Full example in POLICY.md.
 *
 *   version: 1                         # optional; the only version so far
 *   defaults:                          # apply to every company and product
 *     product_description: …           # what the customer bought, as it was described to them
 *     refund_policy:     { text, url?, shown_at_checkout, accepted_via? }
 *     cancellation_policy: { text, url?, shown_at_checkout, accepted_via?, renewal_reminders? }
 *     terms_url: https://…
 *     reason_wording: { fraud?, not_received?, not_as_described?, subscription?, duplicate?,
 *                       credit_not_processed?, general? }   # extra paragraphs for the notes
 *     auto_submit: never | immediately | before_deadline    # company level only
 *     submit_lead: 24h                                      # company level only
 *     dispute_alerts: { auto_refund, max_amount? }          # company level only
 *     alerts: …                                             # defined by the alerts feature
 *   companies:
 *     biz_…:                           # same keys as defaults, plus
 *       products:
 *         prod_…:                      # product_description, refund_policy, cancellation_policy,
 *                                      # terms_url, reason_wording
 *
 * Resolution is defaults ← company ← product: the most specific level that sets a key wins, and a
 * disclosure (refund or cancellation policy) is replaced whole, never mixed field by field, because a
 * policy's text, URL and checkout facts belong together. `reason_wording` merges per category. `null`
 * removes an inherited value (e.g. a product with no refund policy). `auto_submit`, `submit_lead` and
 * `dispute_alerts` that no level sets resolve to null, so the service's own defaults (environment) apply.
 * Unknown keys are errors: a typo in a policy file must not silently drop a disclosure from evidence.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { parseDuration } from '../config/duration.js';

export type PolicyErrorCode = 'policy_invalid' | 'policy_missing' | 'policy_unreadable';

export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    /** One `path: problem` line per invalid value (empty for file-level errors). */
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

export const AUTO_SUBMIT_MODES = ['never', 'immediately', 'before_deadline'] as const;
export type AutoSubmitMode = (typeof AUTO_SUBMIT_MODES)[number];

/** The categories `reason_wording` can carry a paragraph for (the reason categories of reason-category.ts). */
export const WORDING_CATEGORIES = [
  'fraud',
  'not_received',
  'not_as_described',
  'subscription',
  'duplicate',
  'credit_not_processed',
  'general',
] as const;
export type WordingCategory = (typeof WORDING_CATEGORIES)[number];

// Every schema carries its own message: the default zod wording ("expected string, received number") is
// not something a merchant editing YAML should have to decode.
const required =
  (problem: string) =>
  (iss: { input?: unknown }): string =>
    iss.input === undefined ? 'is required' : problem;

const text = z
  .string({ error: required('must be a non-empty string') })
  .refine((s) => s.trim() !== '', 'must be a non-empty string');

const flag = z.boolean({ error: required('must be true or false') });

const httpUrl = z.string({ error: required('must be an http(s) URL') }).refine((s) => {
  try {
    const url = new URL(s);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

const disclosureShape = {
  text,
  url: httpUrl.optional(),
  shown_at_checkout: flag,
  accepted_via: text.optional(),
};

const refundPolicy = z.strictObject(disclosureShape, { error: required('must be an object') });

const cancellationPolicy = z.strictObject(
  {
    ...disclosureShape,
    /** How the customer is reminded before a renewal, e.g. "email 3 days before each renewal". */
    renewal_reminders: text.optional(),
  },
  { error: required('must be an object') },
);

const reasonWording = z.strictObject(
  Object.fromEntries(WORDING_CATEGORIES.map((c) => [c, text.optional()])) as Record<
    WordingCategory,
    z.ZodOptional<typeof text>
  >,
  { error: 'must be an object' },
);

const submitLead = z.string({ error: 'must be a duration like 12h or 2d' }).refine((s) => {
  const ms = parseDuration(s);
  return ms !== undefined && ms > 0;
}, 'must be a duration like 12h or 2d');

const disputeAlerts = z.strictObject(
  {
    auto_refund: flag,
    max_amount: z
      .number({ error: 'must be a number' })
      .refine((n) => Number.isFinite(n) && n >= 0, 'must be a number ≥ 0')
      .optional(),
  },
  { error: 'must be an object' },
);

const productShape = {
  product_description: text.nullable().optional(),
  refund_policy: refundPolicy.nullable().optional(),
  cancellation_policy: cancellationPolicy.nullable().optional(),
  terms_url: httpUrl.nullable().optional(),
  reason_wording: reasonWording.optional(),
};

const companyShape = {
  ...productShape,
  auto_submit: z
    .enum(AUTO_SUBMIT_MODES, { error: `must be one of ${AUTO_SUBMIT_MODES.join(', ')}` })
    .optional(),
  submit_lead: submitLead.optional(),
  dispute_alerts: disputeAlerts.optional(),
  /** Owned by the alerts feature, which defines and validates its shape; passed through untouched. */
  alerts: z.unknown().optional(),
};

const productSettings = z.strictObject(productShape, { error: 'must be an object' });
const companySettings = z.strictObject(companyShape, { error: 'must be an object' });

const companyEntry = z.strictObject(
  {
    ...companyShape,
    products: z
      .record(z.string().regex(/^prod_\w+$/), productSettings, {
        error: (iss) =>
          iss.code === 'invalid_key' ? 'is not a Whop product id (prod_…)' : 'must be a map of product ids',
      })
      .optional(),
  },
  { error: 'must be an object' },
);

const policySchema = z.strictObject(
  {
    version: z.literal(1, { error: 'must be 1' }).optional(),
    defaults: companySettings.optional(),
    companies: z
      .record(z.string().regex(/^biz_\w+$/), companyEntry, {
        error: (iss) =>
          iss.code === 'invalid_key' ? 'is not a Whop company id (biz_…)' : 'must be a map of company ids',
      })
      .optional(),
  },
  { error: 'must be an object with `defaults` and/or `companies`' },
);

export type Policy = z.infer<typeof policySchema>;
export type CompanyPolicy = z.infer<typeof companyEntry>;
export type ProductPolicy = z.infer<typeof productSettings>;

/** What applies when no policy file is configured: nothing to disclose, never submit on our own. */
export const EMPTY_POLICY: Policy = Object.freeze({ defaults: {}, companies: {} });

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
 * `submit_lead` and `dispute_alerts` the caller's own default (the environment) then applies.
 */
export interface ResolvedPolicy {
  company_id: string | null;
  product_id: string | null;
  product_description: string | null;
  refund_policy: Disclosure | null;
  cancellation_policy: Disclosure | null;
  terms_url: string | null;
  reason_wording: Partial<Record<WordingCategory, string>>;
  auto_submit: AutoSubmitMode | null;
  /** As written (e.g. `24h`), and in milliseconds. */
  submit_lead: string | null;
  submit_lead_ms: number | null;
  dispute_alerts: { auto_refund: boolean; max_amount: number | null } | null;
  /** The alerts feature's own settings (company's, else the defaults'); not validated here. */
  alerts: unknown;
}

export type PolicyFormat = 'yaml' | 'json';

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

function issueLines(error: z.ZodError): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${pathOf([...issue.path, key])}: unknown key`);
    } else {
      lines.push(`${pathOf(issue.path)}: ${issue.message}`);
    }
  }
  return lines;
}

/** Parses and validates a policy document. Throws `PolicyError` (`policy_invalid`) naming every bad path. */
export function parsePolicy(text: string, format: PolicyFormat): Policy {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : YAML.parse(text, { prettyErrors: true });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    throw new PolicyError('policy_invalid', `not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${message}`);
  }
  if (raw === null || raw === undefined) {
    throw new PolicyError('policy_invalid', 'the policy is empty: expected `defaults` and/or `companies`');
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = issueLines(parsed.error);
    throw new PolicyError('policy_invalid', `invalid policy: ${lines.join('; ')}`, lines);
  }
  return parsed.data;
}

/** `.yaml`/`.yml` or `.json`, by extension. */
export function policyFormatOf(path: string): PolicyFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
}

/** Reads and parses the policy file (synchronously: it is read once, at start). Errors name the file. */
export function loadPolicyFile(path: string): Policy {
  const format = policyFormatOf(path);
  if (!format) {
    throw new PolicyError('policy_invalid', `POLICY_FILE ${path}: must end in .yaml, .yml or .json`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PolicyError('policy_missing', `POLICY_FILE ${path} does not exist`);
    throw new PolicyError(
      'policy_unreadable',
      `POLICY_FILE ${path} cannot be read: ${(err as Error).message}`,
    );
  }
  try {
    return parsePolicy(text, format);
  } catch (err) {
    if (err instanceof PolicyError) {
      throw new PolicyError(err.code, `POLICY_FILE ${path}: ${err.message}`, err.issues);
    }
    throw err;
  }
}

/** The most specific level that sets the key wins; `null` is a setting ("none"), `undefined` is not. */
function pick<T>(...levels: (T | null | undefined)[]): T | null {
  for (const value of levels) if (value !== undefined) return value;
  return null;
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

/** Merges defaults ← company ← product into the settings that apply to one dispute or case. */
export function resolvePolicy(
  policy: Policy,
  companyId: string | null | undefined,
  productId: string | null | undefined,
): ResolvedPolicy {
  const defaults = policy.defaults ?? {};
  const company: CompanyPolicy = (companyId ? policy.companies?.[companyId] : undefined) ?? {};
  const product: ProductPolicy = (productId ? company.products?.[productId] : undefined) ?? {};
  const submitLead = pick(company.submit_lead, defaults.submit_lead);
  const alertSettings = pick(company.dispute_alerts, defaults.dispute_alerts);
  const reasonWording: Partial<Record<WordingCategory, string>> = {};
  for (const level of [defaults.reason_wording, company.reason_wording, product.reason_wording]) {
    for (const category of WORDING_CATEGORIES) {
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
    dispute_alerts: alertSettings
      ? { auto_refund: alertSettings.auto_refund, max_amount: alertSettings.max_amount ?? null }
      : null,
    alerts: company.alerts !== undefined ? company.alerts : defaults.alerts,
  };
}
