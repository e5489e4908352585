import { z } from 'zod';
import { flag } from './fields.js';

/**
 * `dispute_alerts` (defaults or company, not per product): whether a dispute alert refunds the payment,
 * and up to what amount (in the payment's currency). Validated and resolved, but nothing acts on it
 * yet. The auto-refund rules of refund-rules.ts (`refundRulesSchema`, decided in src/refunds/) are meant
 * to replace this schema, which is the one the file is validated by until they do.
 */
export const disputeAlertSettings = {
  dispute_alerts: z
    .strictObject(
      {
        auto_refund: flag,
        max_amount: z
          .number({ error: 'must be a number' })
          .refine((n) => Number.isFinite(n) && n >= 0, 'must be a number ≥ 0')
          .optional(),
      },
      { error: 'must be an object' },
    )
    .optional(),
};
