/**
 * When evidence is submitted to Whop without the merchant (defaults or company, not per product).
 * Unset, the environment's `AUTO_SUBMIT` and `SUBMIT_LEAD` apply. Read by the evidence autopilot.
 */
import { z } from 'zod';
import { AUTO_SUBMIT_MODES } from '../config/auto-submit.js';
import { parseDuration } from '../config/duration.js';

const submitLead = z.string({ error: 'must be a duration like 12h or 2d' }).refine((s) => {
  const ms = parseDuration(s);
  return ms !== undefined && ms > 0;
}, 'must be a duration like 12h or 2d');

export const submissionSettings = {
  auto_submit: z
    .enum(AUTO_SUBMIT_MODES, { error: `must be one of ${AUTO_SUBMIT_MODES.join(', ')}` })
    .optional(),
  /** A duration (`24h`): with `before_deadline`, how long before Whop's deadline. */
  submit_lead: submitLead.optional(),
};
