/**
 * `alerts` (defaults or company level; a company's section replaces the default one, `null` removes
 * it): which channels get which alerts. Read by the alerts feature (src/alerts/alert-routing.ts).
 *
 *   alerts:
 *     channels: [slack, discord]        # default: every configured channel
 *     rules:                            # optional; when given, an alert goes to every rule it matches
 *       - channels: [slack, discord]
 *       - channels: [email]
 *         kinds: [dispute_opened, reminder]
 *         min_amount: 50                # in the alert's currency
 *
 * The channel names, alert kinds and severities are listed here, not in src/alerts/, because the
 * merchant writes them in this file and configuration imports no feature; src/alerts/ types its alerts
 * and channels with these lists.
 */
import { z } from 'zod';
import { required } from './fields.js';

/** The alert channels (each turned on by its environment variables, see src/alerts/channels/). */
export const ALERT_CHANNELS = ['slack', 'discord', 'email', 'terminal'] as const;

/** Every kind of alert the service sends. */
export const ALERT_KINDS = [
  'dispute_opened',
  'dispute_alert',
  'case_awaiting_merchant',
  'evidence_staged',
  'evidence_submitted',
  'outcome',
  'refund_failed',
  'refund_issued',
  'refund_skipped',
  'refund_cap_reached',
  'sweep_recovered',
  'job_failed',
  'dead_letter',
  'dispute_rate',
  'reminder',
  'digest',
] as const;

/** `info`: nothing to do; `warning`: look at it; `urgent`: money is lost unless someone acts. */
export const ALERT_SEVERITIES = ['info', 'warning', 'urgent'] as const;

const listOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.array(z.enum(values, { error: `must be one of ${values.join(', ')}` }), {
    error: required(`must be a list of ${what}`),
  });

const rule = z.strictObject(
  {
    channels: listOf(ALERT_CHANNELS, 'channels').min(1, 'must name at least one channel'),
    kinds: listOf(ALERT_KINDS, 'alert kinds').optional(),
    severities: listOf(ALERT_SEVERITIES, 'severities').optional(),
    min_amount: z
      .number({ error: 'must be a number' })
      .refine((n) => Number.isFinite(n) && n >= 0, 'must be a number ≥ 0')
      .optional(),
  },
  { error: 'must be an object' },
);

const alertRouting = z.strictObject(
  {
    channels: listOf(ALERT_CHANNELS, 'channels').optional(),
    rules: z.array(rule, { error: 'must be a list of rules' }).optional(),
  },
  { error: 'must be an object' },
);

/** One `alerts` section, validated. */
export type AlertPolicy = z.infer<typeof alertRouting>;

export const alertSettings = {
  alerts: alertRouting.nullable().optional(),
};
