/**
 * Where a Whop object's company is written, read in one place. Whop names it differently per shape:
 * - the webhook envelope: `company_id` (optional in @whop/sdk 0.0.42's envelope), or `account_id` on
 *   payloads pinned to a dated API version (WHOP-REFERENCE.md, "Envelope");
 * - disputes, Resolution Center cases (`company|null`) and payments (retrieve): `company: { id }`;
 * - refunds and dispute alerts: nowhere (their embedded payment has no company either); only
 *   `payments.retrieve(payment.id).company` says (WHOP-REFERENCE.md, "Also true").
 * Pure readers; the resolution order and the Whop lookup live in src/reconcile/company-resolver.ts.
 */

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | null => (typeof v === 'object' && v !== null ? (v as Obj) : null);

/** Longer than any id Whop issues (`biz_` + 14 characters today); anything longer is not an id. */
const MAX_ID_LENGTH = 64;

/** A usable id: a non-empty string of printable non-space ASCII, at most 64 characters. */
function companyIdValue(v: unknown): string | null {
  return typeof v === 'string' && v.length <= MAX_ID_LENGTH && /^[\x21-\x7e]+$/.test(v) ? v : null;
}

/**
 * The company a webhook envelope names: `company_id ?? account_id`, or null when neither is a usable
 * id. A hint only: the envelope is signed, but an id in it is not proof that Whop lets this key see
 * that company (issue 10 item 11), so it joins the sweep's companies only once Whop confirms it.
 */
export function envelopeCompanyId(envelope: { company_id?: unknown; account_id?: unknown }): string | null {
  return companyIdValue(envelope.company_id) ?? companyIdValue(envelope.account_id);
}

/**
 * The company a Whop object (as read from the API or a listing) names itself, or null: `company.id`,
 * else `company_id`, else that of an embedded payment or dispute carrying one (not in the SDK 0.0.42
 * shapes of refunds and alerts, read in case Whop adds it). Since the object came from Whop, a company
 * found here is confirmed.
 */
export function objectCompanyId(whopObject: object | null | undefined): string | null {
  const object = obj(whopObject);
  if (!object) return null;
  return (
    companyIdValue(obj(object.company)?.id) ??
    companyIdValue(object.company_id) ??
    companyIdValue(obj(obj(object.payment)?.company)?.id) ??
    companyIdValue(obj(obj(object.dispute)?.company)?.id)
  );
}
