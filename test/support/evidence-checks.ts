/**
 * Checks on an evidence draft shared by the evidence tests: every number its statements state is one the
 * access summary (or the CE 3.0 result) really holds, and no text states a fact against the merchant.
 */
import { expect } from 'vitest';
import type { AccessSummary } from '../../src/evidence/access-summary.js';
import type { EvidenceDraft } from '../../src/evidence/build-evidence.js';

/** All the draft's field text, one field a line. */
export const allText = (d: EvidenceDraft) => Object.values(d.fields).join('\n');

/** Numbers a statement states, once dates, amounts, IPs, ids and URLs (which carry digits) are removed. */
function numbersIn(statement: string): number[] {
  const stripped = statement
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/CE 3\.0/g, ' ')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, ' ')
    .replace(/\b\d+(\.\d+)? [A-Z]{3}\b/g, ' ')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, ' ')
    .replace(/\b[a-z]+_[A-Za-z0-9_]+\b/g, ' ');
  return [...stripped.matchAll(/\d+/g)].map((m) => Number(m[0]));
}

/** Every number in the statements is one the summary (or the CE 3.0 result) really holds. */
export function expectStatementsMatchSummary(d: EvidenceDraft) {
  const s: AccessSummary = d.access;
  const allowed = new Set([
    s.eventsAfterPurchase,
    s.eventsBeforePurchase,
    s.sessionsAfterPurchase,
    s.activeDaysAfterPurchase,
    s.ipsAfterPurchase.length,
    s.devicesAfterPurchase.length,
    s.eventsFromPurchaseIp,
    s.eventsWithIpAfterPurchase,
    s.eventsFromPurchaseDevice,
    s.eventsWithDeviceAfterPurchase,
    ...s.actionsByType.map((a) => a.events),
    d.ce3?.matches.length ?? 0,
    // The window of the duplicate check is a constant of the wording.
    31,
  ]);
  const exact: Record<string, number> = {
    'events after purchase': s.eventsAfterPurchase,
    'sessions after purchase': s.sessionsAfterPurchase,
    'active days after purchase': s.activeDaysAfterPurchase,
    'distinct IPs after purchase': s.ipsAfterPurchase.length,
    'distinct devices after purchase': s.devicesAfterPurchase.length,
  };
  for (const statement of d.statements) {
    // Merchant-written policy text is quoted, not computed.
    if (statement.startsWith('renewal reminders:')) continue;
    for (const n of numbersIn(statement)) expect(allowed, `${statement} (${n})`).toContain(n);
    const [key, value] = statement.split(': ');
    if (key && key in exact) expect(Number(value), statement).toBe(exact[key]);
    if (key === 'first access after purchase') expect(value).toBe(s.firstAccessAfterPurchase);
    if (key === 'last access after purchase') expect(value).toBe(s.lastAccessAfterPurchase);
  }
}

/**
 * Issue 12, evidence is advocacy: statements against the merchant's interest, as the builder could phrase them: the absence of use,
 * access, logins or events; an account created at or after the payment; no or failed IP/device
 * matches; a weak case; a membership Whop never activated; "no refund"; and the merchant-only
 * assessment (strength, recommendation), which must never reach Whop.
 */
export const ADVERSE: RegExp[] = [
  /\b(no|never|none|zero|not|without|nothing)\b[^.\n]{0,60}?\b(usage|use|used|access(ed|es)?|log(ged)? ?ins?|signed in|events?|activity|sessions?)\b/i,
  /\b0 (access )?(events?|sessions?|days?)\b/i,
  /\bnever (logged|signed) in\b/i,
  /\b(account|user)\b[^.\n]{0,80}\bcreated\b[^.\n]{0,40}\b(after|on the day of|same day as)\b/i,
  /\b(does|did) not match\b|\bno match\b|\bnot (a )?match(ed|es)?\b|\bmismatch/i,
  /\bnot seen\b|\bnever seen\b/i,
  /\bweak\b/i,
  /\b(drafted|unresolved|churned|left)\b/i,
  /\bonly\b[^.\n]{0,60}\bbefore\b|\ball from before\b/i,
  /\bcancel(l)?ed\b[^.\n]{0,80}\bbefore this payment\b/i,
  /\bno refund\b/i,
  /\bneeds at least\b|\bdoes not qualify\b/i,
  /\b(case strength|recommend|consider (not fighting|refunding)|let it close|not worth)\b/i,
];

/** The adverse statements in `text`, each with its pattern and some context; empty when there are none. */
export function adverseIn(text: string): string[] {
  return ADVERSE.flatMap((re) => {
    const m = re.exec(text);
    return m ? [`${re}: "${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}"`] : [];
  });
}
