/**
 * A short brief for a Resolution Center case: what was bought, whether and how it was used, and what we
 * suggest the merchant answer (Whop's API cannot answer a case; the merchant does, in Whop). Pure.
 *
 * Conservative by design: "deny" only with proof the merchant can show (use after purchase, from the
 * purchase's IP or device for unauthorized claims); without proof we suggest a refund or asking for more
 * information, and every suggestion comes with the reasons behind it.
 */
import type {
  MemberListResponse,
  MemberRetrieveResponse,
  Membership,
  Payment,
  ResolutionCenterCaseIssueType,
  ResolutionCenterCaseRetrieveResponse,
  ResolutionCenterCaseStatus,
} from '@whop/sdk/resources';
import type { AccessEvent } from '../access-events/access-event.js';
import { AWAITING_MERCHANT, KIND_RULES } from '../cases/case-record.js';
import { financedProvider } from '../cases/financed.js';
import type { ResolvedPolicy } from '../policy/resolve-policy.js';
import { type AccessSummary, summarizeAccess } from './access-summary.js';
import {
  beforeOnly,
  excerpt,
  fmtAmount,
  fmtDate,
  fmtDateTime,
  fmtDelay,
  humanize,
  plural,
  toMs,
} from './format.js';

export type CaseSuggestion = 'accept' | 'deny' | 'request_more_info';

export interface CaseBriefFacts {
  rcCase: ResolutionCenterCaseRetrieveResponse;
  payment: Payment | null;
  membership: Membership | null;
  member: MemberRetrieveResponse | MemberListResponse | null;
  accessEvents: AccessEvent[];
  policy: ResolvedPolicy;
  now: Date;
  /** Lookups Whop refused to the API key, one line each (see missing-facts.ts): the brief says so. */
  missingFacts?: readonly string[];
}

export interface CaseBrief {
  caseId: string;
  status: ResolutionCenterCaseStatus;
  issue: ResolutionCenterCaseIssueType;
  /** When the payment was collected (ISO), or null if Whop gave no time. */
  boughtAt: string | null;
  /**
   * Whether the customer took up access, from the merchant's events: true with events after purchase,
   * false when the merchant has events for this customer but none after purchase, null with no events.
   */
  accessClaimed: boolean | null;
  usedAfterPurchase: { events: number; sessions: number; lastAccess: string | null };
  /** Null when there is nothing for the merchant to answer (decided, or waiting on the customer or Whop). */
  suggestion: CaseSuggestion | null;
  reasons: string[];
  dueAt: string | null;
  /** The buy-now-pay-later provider ("Klarna") when the payment was financed; Whop refunds those itself. */
  financedBy: string | null;
  decided: boolean;
  /** A short plain-text brief for Slack or email. */
  text: string;
}

const DECIDED = KIND_RULES.resolution_case.closed;
/** Use on this many distinct days is "kept using it", enough to answer a quality complaint. */
export const SUBSTANTIAL_USE_DAYS = 3;

const OUTCOME: Record<string, string> = {
  customer_won: 'decided for the customer (refunded)',
  merchant_won: 'decided for you',
  customer_withdrew: 'withdrawn by the customer',
};

interface Verdict {
  suggestion: CaseSuggestion;
  reasons: string[];
}

function financedNote(provider: string): string {
  return `Paid with ${provider} (financed): Whop refunds Resolution Center cases on financed payments automatically, so denying will not change the outcome.`;
}

function usageLine(s: AccessSummary): string {
  return `The customer used the product after purchase: ${plural(s.eventsAfterPurchase, 'access event')} in ${plural(s.sessionsAfterPurchase, 'session')} on ${plural(s.activeDaysAfterPurchase, 'day')}, last on ${fmtDateTime(s.lastAccessAfterPurchase!)}.`;
}

function noUseLine(s: AccessSummary, claimed: boolean | null): string {
  return claimed === false
    ? `No access since the purchase: ${beforeOnly(s.eventsBeforePurchase, 'your')}.`
    : 'No access events are recorded for this customer, so there is no proof of use to show.';
}

function matchLine(s: AccessSummary): string | null {
  if (s.deviceMatchesPurchase && s.purchase.device?.basis === 'device_id') {
    return `Used from the same device as the purchase (${s.purchase.device.value}) in ${plural(s.eventsFromPurchaseDevice, 'later event')}.`;
  }
  if (s.ipMatchesPurchase && s.purchase.ip) {
    return `Used from the same IP address as the purchase (${s.purchase.ip}) in ${plural(s.eventsFromPurchaseIp, 'later event')}.`;
  }
  return null;
}

function decide(
  issue: ResolutionCenterCaseIssueType,
  s: AccessSummary,
  claimed: boolean | null,
  f: CaseBriefFacts,
): Verdict {
  const used = s.eventsAfterPurchase > 0;
  const description = f.policy.product_description;
  switch (issue) {
    case 'item_not_received':
      if (used) {
        const first = Date.parse(s.firstAccessAfterPurchase!);
        const paid = Date.parse(s.paidAt);
        return {
          suggestion: 'deny',
          reasons: [
            `Delivered: first access ${fmtDelay(first - paid)} after payment (${fmtDateTime(first)}).`,
            usageLine(s),
          ],
        };
      }
      return claimed === false
        ? {
            suggestion: 'accept',
            reasons: [
              noUseLine(s, claimed),
              'Without proof of delivery a refund is the likely outcome anyway.',
            ],
          }
        : {
            suggestion: 'request_more_info',
            reasons: [
              noUseLine(s, claimed),
              'Check your delivery (access link, Discord role, download) and ask the customer what they could not reach; refund if it did not reach them.',
            ],
          };

    case 'forgot_to_cancel': {
      const reasons: string[] = [];
      const cancellation = f.policy.cancellation_policy;
      if (used) {
        reasons.push(`${usageLine(s)} The renewed period was used.`);
        if (cancellation?.shown_at_checkout) reasons.push('Your cancellation policy was shown at checkout.');
        if (cancellation?.renewal_reminders)
          reasons.push(`Renewal reminders: ${cancellation.renewal_reminders}`);
        return { suggestion: 'deny', reasons };
      }
      return {
        suggestion: 'accept',
        reasons: [
          noUseLine(s, claimed),
          'A customer who forgot to cancel and did not use the renewed period usually wins; refunding avoids escalation. Deny only if you have other proof of use.',
        ],
      };
    }

    case 'significantly_not_as_described':
    case 'product_unacceptable': {
      const what = issue === 'product_unacceptable' ? 'unacceptable' : 'not as described';
      if (used && s.activeDaysAfterPurchase >= SUBSTANTIAL_USE_DAYS) {
        return {
          suggestion: 'deny',
          reasons: [
            usageLine(s),
            `Use on ${plural(s.activeDaysAfterPurchase, 'separate day')} does not fit a product that was ${what}.`,
            ...(description ? [`Your product description: "${excerpt(description, 200)}"`] : []),
          ],
        };
      }
      return {
        suggestion: 'request_more_info',
        reasons: [
          used
            ? `${usageLine(s)} That is brief use, not enough to rebut a quality complaint.`
            : noUseLine(s, claimed),
          `Ask the customer what exactly was ${what}; refund if the complaint holds.`,
        ],
      };
    }

    case 'unauthorized_transaction': {
      if (!used) {
        return {
          suggestion: 'accept',
          reasons: [
            noUseLine(s, claimed),
            'Nothing ties the purchase to the account holder; refunding now avoids a likely chargeback.',
          ],
        };
      }
      const match = matchLine(s);
      if (match) return { suggestion: 'deny', reasons: [match, usageLine(s)] };
      return {
        suggestion: 'request_more_info',
        reasons: [
          usageLine(s),
          s.purchase.ip || s.purchase.device
            ? 'But not from the IP address or device seen at purchase, so it does not show the purchase was authorized.'
            : 'But no IP address or device was recorded at purchase, so it does not show the purchase was authorized.',
          ...(s.ipsBeforeAndAfter.length || s.devicesBeforeAndAfter.length
            ? [
                'The same IP address or device was used before and after the purchase: the account holder kept using it.',
              ]
            : []),
        ],
      };
    }

    default:
      // An issue type newer than this code: no rule, so no stance.
      return {
        suggestion: 'request_more_info',
        reasons: [
          used ? usageLine(s) : noUseLine(s, claimed),
          `No rule for issue "${String(issue)}"; review it in Whop.`,
        ],
      };
  }
}

function accessClaimedFrom(s: AccessSummary, known: boolean): boolean | null {
  if (known && s.eventsAfterPurchase > 0) return true;
  if (known && s.totalEvents > 0) return false;
  return null;
}

/** Builds the brief for one Resolution Center case. */
export function buildCaseBrief(facts: CaseBriefFacts): CaseBrief {
  const { rcCase, payment, membership, member, now } = facts;
  const boughtMs =
    toMs(payment?.paid_at) ??
    toMs(rcCase.payment?.paid_at) ??
    toMs(payment?.created_at) ??
    toMs(rcCase.payment?.created_at);
  // With no purchase time, nothing is "after purchase": summarise as of now so no use is claimed.
  const summary = summarizeAccess(facts.accessEvents, { paidAt: new Date(boughtMs ?? now.getTime()) }, now);
  const accessClaimed = accessClaimedFrom(summary, boughtMs !== null);
  const decided = DECIDED.has(rcCase.status);
  const financedBy = financedProvider(payment?.payment_method_type);
  const dueMs = toMs(rcCase.due_date);
  const amount = fmtAmount(
    payment?.total ?? rcCase.payment?.total,
    payment?.currency ?? rcCase.payment?.currency,
  );

  let suggestion: CaseSuggestion | null = null;
  const reasons: string[] = [];
  if (decided) {
    reasons.push(`The case was ${OUTCOME[rcCase.status]}.`);
    if (summary.eventsAfterPurchase > 0) reasons.push(usageLine(summary));
    const canAppeal = rcCase.merchant_response_actions?.includes('appeal') && !rcCase.merchant_appealed;
    if (rcCase.status === 'customer_won' && canAppeal) {
      reasons.push('You can still appeal once in Whop; the decision after an appeal is final.');
    }
  } else if (!AWAITING_MERCHANT.resolution_case.has(rcCase.status)) {
    reasons.push(
      rcCase.status === 'under_platform_review'
        ? 'Whop is reviewing the case; nothing is expected from you now.'
        : 'Waiting for the customer; nothing is expected from you now.',
    );
    if (financedBy) reasons.push(financedNote(financedBy));
    if (summary.eventsAfterPurchase > 0) reasons.push(usageLine(summary));
  } else if (financedBy) {
    suggestion = 'accept';
    reasons.push(financedNote(financedBy));
    if (summary.eventsAfterPurchase > 0) reasons.push(usageLine(summary));
  } else {
    const verdict = decide(rcCase.issue, summary, accessClaimed, facts);
    suggestion = verdict.suggestion;
    reasons.push(...verdict.reasons);
    if (rcCase.status === 'merchant_info_needed')
      reasons.push('Whop asked you for more information: answer in the case.');
  }
  if (boughtMs === null) reasons.push('Whop gave no payment time, so no use can be tied to the purchase.');

  const membershipLine = membership
    ? `Membership ${membership.id}: ${humanize(membership.status)}${toMs(membership.canceled_at) !== null ? `, cancellation requested ${fmtDate(toMs(membership.canceled_at)!)}` : ''}.`
    : null;
  const joined = toMs(member?.joined_at);
  const memberLine =
    member && (joined !== null || member.most_recent_action)
      ? `Member since ${joined !== null ? fmtDate(joined) : 'unknown'}${member.most_recent_action ? `; most recent action: ${humanize(member.most_recent_action)}` : ''}.`
      : null;
  const customerMessage = [...(rcCase.resolution_events ?? [])]
    .filter((e) => e.reporter_type === 'customer' && e.details?.trim())
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .at(-1);
  const who = rcCase.user
    ? `${rcCase.user.name ? `${rcCase.user.name} ` : ''}(@${rcCase.user.username})`
    : 'unknown';
  const usage =
    summary.eventsAfterPurchase > 0
      ? `Used after purchase: ${plural(summary.eventsAfterPurchase, 'event')} in ${plural(summary.sessionsAfterPurchase, 'session')}, last ${fmtDateTime(summary.lastAccessAfterPurchase!)}.`
      : accessClaimed === false
        ? 'Used after purchase: no (access events exist only from before the purchase).'
        : 'Used after purchase: unknown (no access events recorded for this customer).';
  const text = [
    `Resolution Center case ${rcCase.id}: ${humanize(rcCase.issue)} (${decided ? OUTCOME[rcCase.status] : humanize(rcCase.status)})`,
    `Customer: ${who}. Payment ${rcCase.payment?.id ?? payment?.id ?? 'unknown'}${amount ? `: ${amount}` : ''}${boughtMs !== null ? `, bought ${fmtDateTime(boughtMs)}` : ''}.`,
    !decided && dueMs !== null
      ? `Respond by ${fmtDateTime(dueMs)}${dueMs > now.getTime() ? ` (in ${fmtDelay(dueMs - now.getTime())})` : ' (overdue)'}.`
      : null,
    financedBy ? `Financed with ${financedBy}: Whop refunds this automatically.` : null,
    usage,
    membershipLine,
    memberLine,
    ...(facts.missingFacts?.length
      ? [`Built without what Whop refused to this API key: ${facts.missingFacts.join('; ')}.`]
      : []),
    customerMessage
      ? `Customer wrote: "${excerpt(customerMessage.details!.replace(/\s+/g, ' '), 280)}"`
      : null,
    '',
    suggestion ? `Suggestion: ${humanize(suggestion).toUpperCase()}` : 'No action suggested.',
    ...reasons.map((r) => `- ${r}`),
    ...(suggestion ? ['', 'Answer in Whop (Resolution Center): the API cannot answer cases.'] : []),
  ]
    .filter((line): line is string => line !== null)
    .join('\n');

  return {
    caseId: rcCase.id,
    status: rcCase.status,
    issue: rcCase.issue,
    boughtAt: boughtMs === null ? null : new Date(boughtMs).toISOString(),
    accessClaimed,
    usedAfterPurchase: {
      events: summary.eventsAfterPurchase,
      sessions: summary.sessionsAfterPurchase,
      lastAccess: summary.lastAccessAfterPurchase,
    },
    suggestion,
    reasons,
    dueAt: dueMs === null ? null : new Date(dueMs).toISOString(),
    financedBy,
    decided,
    text,
  };
}
