/**
 * Whop's dispute `reason` is free text ("Product Not Received", "Fraudulent", sometimes a processor code
 * such as `subscription_canceled` or a network label such as "Cancelled Recurring Transaction"). We map it
 * to the reason category (the list is in src/policy/reason-categories.ts) that decides which argument
 * the evidence makes. Unknown text is `general`: a usage summary is never wrong, a fraud argument
 * against a quality complaint would be.
 */
import type { ReasonCategory } from '../policy/reason-categories.js';

// For the evidence modules that type their arguments by category; the list itself is the policy's.
export type { ReasonCategory };

export const REASON_CATEGORY_LABELS: Record<ReasonCategory, string> = {
  fraud: 'fraud / unauthorized',
  not_received: 'product not received',
  not_as_described: 'not as described / unacceptable',
  subscription: 'subscription canceled',
  duplicate: 'duplicate charge',
  credit_not_processed: 'credit not processed',
  general: 'general',
};

// Checked in order; the first match wins. Order matters where phrases overlap: "refund not received" is a
// credit claim, not a delivery claim, and "cancelled recurring" is a subscription claim even though
// "not authorized" might also appear in a network's longer label.
const RULES: readonly [ReasonCategory, RegExp][] = [
  [
    'credit_not_processed',
    /\b(credit|refund)s? (was |were |has |have )?(not|never) (been )?(processed|issued|received|given|applied|credited)\b|\bcredit not processed\b|\bnon ?receipt of (credit|refund)\b|\bno (credit|refund) (issued|received|processed)\b|\brefund (request(ed)?|promised) but\b|\bcancell?ed (merchandise|services?)\b|\breturned (merchandise|goods|item|product)\b/,
  ],
  [
    'duplicate',
    /\bduplicate|\bduplicated\b|\bdouble (charge|charged|billing|billed|payment)\b|\bcharged twice\b|\bbilled twice\b|\bpaid by other means\b|\bpaid (by|with|through) (another|other|a different) (means|method|card)\b/,
  ],
  [
    'subscription',
    /\bsubscription\b|\brecurring\b|\bforgot to cancel\b|\bcancell?ed (plan|membership|trial|recurring|subscription)\b|\bcancell?ation\b|\bauto ?renew(al|ed)?\b|\brenewal\b|\bfree trial\b|\bcancell?ed\b/,
  ],
  [
    'fraud',
    /\bfraud(ulent)?\b|\bunauthori[sz]ed\b|\bnot authori[sz]ed\b|\bno authori[sz]ation\b|\bwithout (my )?(permission|authori[sz]ation|consent)\b|\bunrecogni[sz]ed\b|\bnot recogni[sz]ed?\b|\bdo(es)? not recogni[sz]e\b|\bdidn t (make|authori[sz]e|recogni[sz]e)\b|\bdid not (make|authori[sz]e|recogni[sz]e)\b|\bstolen\b|\bidentity theft\b|\baccount takeover\b|\bcard (absent|not present)\b|\bcompromised\b|\bemv liability\b|\bnoauth\b/,
  ],
  [
    'not_received',
    /\bnot received\b|\bnever received\b|\bnon ?receipt\b|\bnot delivered\b|\bnever delivered\b|\bundelivered\b|\bnot provided\b|\bservices? not (provided|rendered)\b|\bno access\b|\bnever got\b|\bdid not (get|receive)\b|\bdidn t (get|receive)\b|\bcould not access\b|\bcouldn t access\b|\bunable to access\b|\bmissing (item|product|order)\b/,
  ],
  [
    'not_as_described',
    /\bnot as described\b|\bas described\b|\bunacceptable\b|\bdefective\b|\bdamaged\b|\bbroken\b|\bnot working\b|\bdoes not work\b|\bdoesn t work\b|\bcounterfeit\b|\bfake\b|\bmisrepresent(ed|ation)?\b|\bmisleading\b|\bquality\b|\bnot satisfied\b|\bdissatisfied\b|\bunsatisfactory\b|\bscam\b|\bnot what (i|was) (ordered|expected|advertised|promised)\b|\bincorrect (product|item|description)\b|\bwrong (product|item)\b/,
  ],
];

/** Maps Whop's free-text dispute reason (any case, any punctuation) to a reason category. */
export function reasonCategory(reason: string | null | undefined): ReasonCategory {
  if (!reason) return 'general';
  // "Product_Not-Received", "didn't", "CREDIT NOT PROCESSED" all become plain lower-case words.
  const normalized = ` ${reason
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
  for (const [category, pattern] of RULES) if (pattern.test(normalized)) return category;
  return 'general';
}
