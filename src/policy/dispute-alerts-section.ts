import { refundRulesSchema } from './refund-rules.js';

/**
 * `dispute_alerts` (defaults or company, not per product): the auto-refund rules a dispute alert is
 * decided by (src/refunds/decide-refund.ts). Each level parses to a `RefundRulesLayer` (amounts in minor
 * units, durations in ms); resolve-policy.ts merges built-in ← defaults ← company with
 * `resolveRefundRules`, and policy-file.ts does so for every company at start, so an inconsistent merge
 * stops the service rather than a worker. The keys, defaults and the old `{ auto_refund, max_amount }`
 * form are described in refund-rules.ts and POLICY.md.
 */
export const disputeAlertSettings = {
  dispute_alerts: refundRulesSchema.optional(),
};
