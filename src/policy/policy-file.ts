/**
 * The merchant's policy file (`POLICY_FILE`, YAML or JSON by extension): what we may say on the merchant's
 * behalf in dispute evidence, and how far the autopilot may act on its own. Configuration, read by
 * several features (evidence, submission, alerts, refunds), so it imports none of them: each section's
 * schema is in a file beside this one (`*-section.ts`), `resolvePolicy` (resolve-policy.ts) gives a
 * feature the merged settings for one company and product. Full example in POLICY.md.
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
 *     dispute_alerts: { enabled, max_amount, … }            # company level only; see refund-rules.ts
 *     alerts: { channels?, rules? }                         # company level only; see alerts-section.ts
 *   companies:
 *     biz_…:                           # same keys as defaults, plus
 *       products:
 *         prod_…:                      # product_description, refund_policy, cancellation_policy,
 *                                      # terms_url, reason_wording
 *
 * Resolution (resolve-policy.ts) is defaults ← company ← product: the most specific level that sets a
 * key wins, and a disclosure (refund or cancellation policy) is replaced whole, never mixed field by
 * field, because a policy's text, URL and checkout facts belong together. `reason_wording` merges per
 * category. `null` removes an inherited value (e.g. a product with no refund policy). `auto_submit`,
 * `submit_lead` and `alerts` that no level sets resolve to null, so the service's own defaults
 * (environment; every configured alert channel) apply; `dispute_alerts` merges key by key over built-in
 * rules that refund nothing (refund-rules.ts). Unknown keys are errors: a typo in a
 * policy file must not silently drop a disclosure from evidence.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { alertSettings } from './alerts-section.js';
import { disputeAlertSettings } from './dispute-alerts-section.js';
import { evidenceSettings } from './evidence-section.js';
import { issueLines } from './fields.js';
import { PolicyError } from './policy-error.js';
import { RefundRulesError, type RefundRulesLayer, resolveRefundRules } from './refund-rules.js';
import { submissionSettings } from './submission-section.js';

// The file's levels, built from one schema piece per section (each in its own file beside this one).
const productShape = { ...evidenceSettings };

const companyShape = {
  ...evidenceSettings,
  ...submissionSettings,
  ...disputeAlertSettings,
  ...alertSettings,
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

export type PolicyFormat = 'yaml' | 'json';

/**
 * Resolves the refund rules of the defaults and of every company, as a worker would: a merge that is
 * inconsistent across levels (a company's `min_payment_age` not below the default `max_payment_age`)
 * is an error at start, not when an alert arrives. One line per problem.
 */
function refundRuleIssues(policy: Policy): string[] {
  const lines: string[] = [];
  const defaults = policy.defaults?.dispute_alerts;
  // The defaults on their own were checked by their block's schema; only a merge can go wrong.
  for (const [id, company] of Object.entries(policy.companies ?? {})) {
    try {
      resolveRefundRules(defaults, company.dispute_alerts, `companies.${id}.dispute_alerts`);
    } catch (err) {
      if (!(err instanceof RefundRulesError)) throw err;
      lines.push(...err.issues);
    }
  }
  return lines;
}

/**
 * What the loader should log once at start: the policy's `dispute_alerts` blocks written in the old
 * form (`auto_refund`, a bare `max_amount`), one `path: notice` line each.
 */
export function policyNotices(policy: Policy): string[] {
  const prefixed = (path: string, layer: RefundRulesLayer | undefined) =>
    (layer?.notices ?? []).map((line) => `${path}.${line}`);
  return [
    ...prefixed('defaults.dispute_alerts', policy.defaults?.dispute_alerts),
    ...Object.entries(policy.companies ?? {}).flatMap(([id, company]) =>
      prefixed(`companies.${id}.dispute_alerts`, company.dispute_alerts),
    ),
  ];
}

/**
 * Parses and validates a policy document, and resolves every company's refund rules once (so a merge
 * that cannot work fails here, not in a worker). Throws `PolicyError` (`policy_invalid`) naming every
 * bad path. Old-form refund settings parse, with notices for the caller to log (`policyNotices`).
 */
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
  const lines = parsed.success ? refundRuleIssues(parsed.data) : issueLines(parsed.error);
  if (!parsed.success || lines.length > 0) {
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
