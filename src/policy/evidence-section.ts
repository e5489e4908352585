/**
 * What evidence may say on the merchant's behalf: the keys every level (defaults, company, product)
 * can set. Read by src/evidence/ through `resolvePolicy`.
 */
import { z } from 'zod';
import { flag, httpUrl, required, text } from './fields.js';
import { REASON_CATEGORIES, type ReasonCategory } from './reason-categories.js';

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
  Object.fromEntries(REASON_CATEGORIES.map((c) => [c, text.optional()])) as Record<
    ReasonCategory,
    z.ZodOptional<typeof text>
  >,
  { error: 'must be an object' },
);

/** `null` removes a value inherited from a wider level (e.g. a product with no refund policy). */
export const evidenceSettings = {
  product_description: text.nullable().optional(),
  refund_policy: refundPolicy.nullable().optional(),
  cancellation_policy: cancellationPolicy.nullable().optional(),
  terms_url: httpUrl.nullable().optional(),
  reason_wording: reasonWording.optional(),
};
