/**
 * Composers for what the refund path decided and did (src/refunds/refund-service.ts): a refund sent, a
 * refund Whop refused or failed, an alert the rules did not refund (and why), and the daily cap used up.
 * Pure: the same record makes the same alert, with the same id, so a re-run sends nothing twice.
 */
import { formatMinor } from '../money/money.js';
import { MONEY_MOVED, type RefundDecisionRecord } from '../refunds/refund-record.js';
import type { Alert, AlertField } from './alert.js';
import { field, idPart, whopDashboardLink } from './compose-parts.js';

/** Decisions that need no word of their own: auto-refund off (the dispute alert's own alert went out),
 *  the cap (its own alert, once a day), and anything still open. */
const QUIET_SKIPS = new Set(['disabled', 'daily_cap_reached', 'undecided']);

function common(record: RefundDecisionRecord): Pick<Alert, 'companyId' | 'caseId' | 'amount' | 'link'> {
  const link = whopDashboardLink(record.companyId, record.paymentId);
  return {
    companyId: record.companyId,
    ...(record.alertId ? { caseId: record.alertId } : {}),
    ...(record.amount
      ? { amount: { value: Number(record.amount.decimal), currency: record.amount.currency } }
      : {}),
    ...(link ? { link } : {}),
  };
}

const money = (record: RefundDecisionRecord) =>
  record.amount ? formatMinor(record.amount.minor, record.amount.currency) : 'the payment';

function facts(record: RefundDecisionRecord): AlertField[] {
  return [
    ...field('Amount', record.amount ? money(record) : null),
    ...field('Rule', record.decision.rule),
    ...field('Requested because', record.requestReason),
    ...field('Membership', record.membership?.outcome?.reason ?? null),
    ...field('Dispute alert', record.alertId),
    ...field('Payment', record.paymentId),
    ...field('Refund', record.outcome?.refundId ?? null),
    { label: 'Decision', value: record.id },
  ];
}

/**
 * The alert for a decision record, or null when it needs none (see QUIET_SKIPS; a refused request,
 * answered to the person who made it; an attempt that sent nothing and is decided again).
 * - refunded (`refund_issued`, info; warning when cancelling the membership was refused):
 *   "Refunded $42.00 to head off a chargeback: rule max_amount $50.00."
 * - Whop refused the refund or it failed (`refund_failed`: urgent for an alert, a chargeback may follow);
 * - not refunded: a dry run, Whop's own refund, a rule or guard that said no (`refund_skipped`, info).
 */
export function composeRefundAlert(record: RefundDecisionRecord): Alert | null {
  const base = { ...common(record), fields: facts(record) };
  const id = (what: string) => `refund.${idPart(record.id)}.${record.round}.${what}`;
  const { decision, outcome } = record;
  const onAlert = record.trigger === 'alert';
  if (decision.action === 'refund') {
    if (!outcome || outcome.code === 'not_refunded') return null;
    if (MONEY_MOVED.has(outcome.code)) {
      const membershipRefused = record.membership?.outcome?.code === 'refused';
      return {
        ...base,
        id: id('done'),
        kind: 'refund_issued',
        severity: membershipRefused ? 'warning' : 'info',
        title: onAlert
          ? `Refunded ${money(record)} to head off a chargeback`
          : `Refunded ${money(record)} on request`,
        summary: [outcome.reason, record.membership?.outcome?.reason ?? ''].filter(Boolean).join(' '),
      };
    }
    return {
      ...base,
      id: id('failed'),
      kind: 'refund_failed',
      severity: onAlert ? 'urgent' : 'warning',
      title: `Refund not made: ${money(record)}`,
      summary:
        `${outcome.reason} ` +
        (onAlert
          ? 'The dispute alert still stands and a chargeback may follow: refund the payment in Whop or contact the customer.'
          : 'Check the payment in Whop before trying again.'),
    };
  }
  if (decision.action === 'refuse' || QUIET_SKIPS.has(decision.code)) return null;
  const title =
    decision.code === 'dry_run'
      ? `Dry run: would refund ${money(record)}`
      : decision.code === 'auto_refunded' || decision.code === 'rdr_resolved'
        ? 'Dispute alert already refunded by Whop'
        : 'Dispute alert not refunded';
  return {
    ...base,
    id: id('skipped'),
    kind: 'refund_skipped',
    severity: 'info',
    title,
    summary: decision.reason,
  };
}

/** The refund alerts a dispute alert's opening message carries when decided within its window. */
export const FOLDED_REFUND_KINDS: ReadonlySet<Alert['kind']> = new Set(['refund_issued', 'refund_skipped']);

/**
 * What auto-refund decided about a dispute alert, for the alert's opening message (see
 * FOLDED_REFUND_KINDS): `handled` when the money went back (by us or by Whop itself) and nothing is left
 * to do — except when Whop refused to cancel the membership, which the merchant must do —; `said`: the
 * decision in the words its own alert would have used ("Refunded $42.00 to head off a chargeback: rule
 * max_amount $50.00."; "The alert is for $80.00, over … : not refunded."). Null when there is nothing to
 * carry (no decision yet, a refusal, a failed refund: that one keeps its own message).
 */
export function refundForOpening(
  record: RefundDecisionRecord,
): { handled: boolean; said: string; rule: string | null } | null {
  const alert = composeRefundAlert(record);
  if (!alert || !FOLDED_REFUND_KINDS.has(alert.kind)) return null;
  const rule = record.decision.rule;
  if (alert.kind === 'refund_issued') {
    return { handled: alert.severity === 'info', said: alert.summary, rule };
  }
  const byWhop = record.decision.code === 'auto_refunded' || record.decision.code === 'rdr_resolved';
  return { handled: byWhop, said: record.decision.reason, rule };
}

/**
 * Auto-refunds stopped for the rest of the UTC day (`daily_cap_reached`), or this refund used the cap
 * up (`reachesDailyCap`): one alert per company and day, whichever comes first. Null otherwise.
 */
export function composeRefundCapReached(record: RefundDecisionRecord): Alert | null {
  const capped = record.decision.code === 'daily_cap_reached';
  const usedUp = record.reachesDailyCap && record.outcome !== null && MONEY_MOVED.has(record.outcome.code);
  if (!capped && !usedUp) return null;
  const day = record.attempt?.day ?? record.decidedAt.slice(0, 10);
  const cap = record.dailyCap;
  const limit = !cap ? null : cap.currency ? formatMinor(cap.limit, cap.currency) : `${cap.limit} refunds`;
  return {
    id: `refund_cap.${idPart(record.companyId ?? 'all')}.${day}`,
    kind: 'refund_cap_reached',
    severity: 'warning',
    companyId: record.companyId,
    title: 'Auto-refunds stopped for today: daily cap reached',
    summary:
      (capped
        ? record.decision.reason
        : `${record.outcome!.reason} This refund used up today’s auto-refund cap.`) +
      ' Dispute alerts after it are recorded but not refunded until 00:00 UTC. If that many alerts is unusual, ' +
      'look at them in Whop; to refund more, raise daily_cap in the policy file.',
    fields: [
      { label: 'Day (UTC)', value: day },
      ...field('Cap', limit),
      ...field('Rule', cap?.rule ?? 'daily_cap'),
      ...field('Dispute alert', record.alertId),
    ],
  };
}
