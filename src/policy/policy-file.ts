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
 *     dispute_alerts: { auto_refund, max_amount? }          # company level only
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
 * `submit_lead`, `dispute_alerts` and `alerts` that no level sets resolve to null, so the service's own
 * defaults (environment; every configured alert channel) apply. Unknown keys are errors: a typo in a
 * policy file must not silently drop a disclosure from evidence.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { alertSettings } from './alerts-section.js';
import { disputeAlertSettings } from './dispute-alerts-section.js';
import { evidenceSettings } from './evidence-section.js';
import { PolicyError } from './policy-error.js';
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
