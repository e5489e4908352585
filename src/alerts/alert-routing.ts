import { z } from 'zod';
import { PolicyError } from '../policy/policy-error.js';
import { ALERT_KINDS, ALERT_SEVERITIES, type Alert } from './alert.js';
import type { ChannelName } from './channels/channel-error.js';

const CHANNELS = ['slack', 'discord', 'email'] as const;

/**
 * The `alerts` section of the policy file (defaults, or per company — a company's section replaces the
 * default one): which channels get which alerts.
 *
 *   alerts:
 *     channels: [slack, discord]        # default: every configured channel
 *     rules:                            # optional; when given, an alert goes to every rule it matches
 *       - channels: [slack, discord]
 *       - channels: [email]
 *         kinds: [dispute_opened, reminder]
 *         min_amount: 50                # in the alert's currency
 */
export const alertPolicySchema = z
  .object({
    channels: z.array(z.enum(CHANNELS)).optional(),
    rules: z
      .array(
        z
          .object({
            channels: z.array(z.enum(CHANNELS)).min(1),
            kinds: z.array(z.enum(ALERT_KINDS)).optional(),
            severities: z.array(z.enum(ALERT_SEVERITIES)).optional(),
            min_amount: z.number().nonnegative().optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type AlertPolicy = z.infer<typeof alertPolicySchema>;

/** Parses a policy file's `alerts` value; throws with the path of the first problem. */
export function parseAlertPolicy(value: unknown, where: string): AlertPolicy | null {
  if (value === undefined || value === null) return null;
  const parsed = alertPolicySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const line = `${[where, ...issue.path].join('.')}: ${issue.message}`;
  throw new PolicyError('policy_invalid', `POLICY_FILE ${line}`, [line]);
}

/**
 * Which of the configured channels an alert goes to. No policy: all of them. Rules: the union of the
 * channels of every rule the alert matches (an alert without an amount never matches `min_amount`).
 * A channel named in the policy but not configured is skipped.
 */
export function routeAlert(
  alert: Alert,
  policy: AlertPolicy | null,
  configured: readonly ChannelName[],
): ChannelName[] {
  const allowed = (names: readonly ChannelName[]) => configured.filter((c) => names.includes(c));
  if (!policy) return [...configured];
  if (!policy.rules) return allowed(policy.channels ?? configured);
  const out = new Set<ChannelName>();
  for (const rule of policy.rules) {
    if (rule.kinds && !rule.kinds.includes(alert.kind)) continue;
    if (rule.severities && !rule.severities.includes(alert.severity)) continue;
    if (rule.min_amount !== undefined && !(alert.amount && alert.amount.value >= rule.min_amount)) continue;
    for (const c of rule.channels) out.add(c);
  }
  return allowed([...out]);
}

/**
 * Per-company alert policies from the policy file (`companies.<id>.alerts`, else `defaults.alerts`),
 * parsed once; a bad section throws naming its path (the process stops at start).
 */
export function alertPolicyLookup(policy: {
  defaults?: { alerts?: unknown };
  companies?: Record<string, { alerts?: unknown }>;
}): (companyId: string | null) => AlertPolicy | null {
  const fallback = parseAlertPolicy(policy.defaults?.alerts, 'defaults.alerts');
  const perCompany = new Map<string, AlertPolicy | null>();
  for (const [id, company] of Object.entries(policy.companies ?? {})) {
    if (company.alerts !== undefined)
      perCompany.set(id, parseAlertPolicy(company.alerts, `companies.${id}.alerts`));
  }
  return (companyId) => (companyId && perCompany.has(companyId) ? perCompany.get(companyId)! : fallback);
}
