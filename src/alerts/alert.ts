/**
 * One thing worth telling a merchant, already worded, independent of where it goes (Slack, Discord,
 * email). Composers (compose.ts) build alerts from facts; formatters render them; channels send them.
 */
import { z } from 'zod';
import { ALERT_KINDS, ALERT_SEVERITIES } from '../policy/alerts-section.js';

// The lists are the policy file's (its `alerts` rules name kinds and severities); alerts are typed by them.
export { ALERT_KINDS, ALERT_SEVERITIES };

export type AlertKind = (typeof ALERT_KINDS)[number];

/** `info`: nothing to do; `warning`: look at it; `urgent`: money is lost unless someone acts. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface AlertField {
  label: string;
  value: string;
}

export interface Alert {
  /**
   * Stable dedupe key: the same facts always give the same id, so a retried job or a replayed event
   * cannot alert twice. Never contains `:` (BullMQ rejects it in custom job ids).
   */
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  companyId: string | null;
  title: string;
  /** Plain text; formatters escape it for their target. */
  summary: string;
  fields: AlertField[];
  /** In the currency's major unit, as Whop returns it. */
  amount?: { value: number; currency: string };
  /** ISO 8601. */
  dueAt?: string;
  /** The Whop dashboard page to act on (a best guess at Whop's URL scheme, see compose.ts). */
  link?: string;
  caseId?: string;
}

/**
 * For alerts that cross a process boundary (queued job data, a stream entry): checks the shape, since
 * a job written by an older or newer version may not match this one.
 */
export const alertSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(ALERT_SEVERITIES),
  companyId: z.string().nullable(),
  title: z.string(),
  summary: z.string(),
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
  amount: z.object({ value: z.number(), currency: z.string() }).optional(),
  dueAt: z.string().optional(),
  link: z.string().optional(),
  caseId: z.string().optional(),
}) satisfies z.ZodType<Alert>;

export function parseAlert(value: unknown): Alert {
  return alertSchema.parse(value);
}
