import type { AlertPolicy } from '../policy/alerts-section.js';
import type { Policy } from '../policy/policy-file.js';
import { resolvePolicy } from '../policy/resolve-policy.js';
import type { Alert } from './alert.js';
import type { ChannelName } from './channels/channel-error.js';

// The `alerts` section's shape and validation are the policy file's (src/policy/alerts-section.ts).
export type { AlertPolicy };

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
 * The alerts section that applies to a company (its own, else the defaults'; see `resolvePolicy`),
 * from a policy already validated when it was loaded.
 */
export function alertPolicyLookup(policy: Policy): (companyId: string | null) => AlertPolicy | null {
  return (companyId) => resolvePolicy(policy, companyId, null).alerts;
}
