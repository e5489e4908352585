/**
 * The dispute reason categories: the argument evidence makes for a dispute is chosen by its category
 * (src/evidence/reason-category.ts maps Whop's free-text reason to one), and the policy file's
 * `reason_wording` adds a paragraph per category. One list for both, kept here because the merchant
 * writes these names in the policy file and configuration imports no feature.
 */
export const REASON_CATEGORIES = [
  'fraud',
  'not_received',
  'not_as_described',
  'subscription',
  'duplicate',
  'credit_not_processed',
  'general',
] as const;

export type ReasonCategory = (typeof REASON_CATEGORIES)[number];
