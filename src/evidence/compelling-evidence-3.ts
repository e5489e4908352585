/**
 * Visa Compelling Evidence 3.0 for fraud disputes: the customer's prior undisputed payments that share an
 * IP address or device id with the disputed purchase, whether they qualify, and the paragraph that says
 * so. Rule source: Visa Compelling Evidence 3.0 (dispute condition 10.4, card-absent fraud).
 */
import { usableEvents } from './access-summary.js';
import type { EvidenceContext } from './evidence-facts.js';
import { cap, fmtAmount, fmtDate, humanize, plural, toMs } from './format.js';
import { MAX_LISTED, type Para, para } from './paragraph.js';

const DAY_MS = 86_400_000;

/** Visa Compelling Evidence 3.0: prior undisputed payments 120–365 days before the dispute, at least two. */
export const CE3_MIN_DAYS = 120;
export const CE3_MAX_DAYS = 365;
export const CE3_MIN_MATCHES = 2;
/** A payment's access events: those in the 30 days after it. */
export const CE3_EVENT_WINDOW_MS = 30 * DAY_MS;

export interface Ce3Match {
  paymentId: string;
  paidAt: string;
  amount: number | null;
  currency: string;
  sharedIps: string[];
  sharedDeviceIds: string[];
}

export interface Ce3Result {
  qualifies: boolean;
  matches: Ce3Match[];
  /** Why it does or does not qualify, in one sentence for the merchant. */
  reason: string;
}

const VISA_BRANDS = new Set(['visa', 'visadankort', 'visabancontact']);
/** Payment states that are not a completed, standing payment. */
const NOT_SETTLED = new Set([
  'pending',
  'failed',
  'canceled',
  'drafted',
  'incomplete',
  'uncollectible',
  'unresolved',
  'past_due',
  'price_too_low',
  'open_dispute',
]);

/**
 * Whether the customer's earlier payments meet Visa Compelling Evidence 3.0 for this fraud dispute:
 * undisputed, settled payments on the same card 120–365 days before the dispute whose access events
 * (within 30 days after each) share an IP address or device id with the disputed purchase. A known
 * non-Visa card never qualifies, though its matches are still listed. Pure.
 */
export function compellingEvidence3(ctx: EvidenceContext): Ce3Result {
  const { facts } = ctx;
  const brandKnownNonVisa = ctx.cardBrand !== null && !VISA_BRANDS.has(ctx.cardBrand);
  if (ctx.paidMs === null)
    return { qualifies: false, matches: [], reason: 'The disputed payment time is unknown.' };
  const disputeMs = toMs(facts.dispute.created_at) ?? facts.now.getTime();
  const { events } = usableEvents(facts.accessEvents, facts.now);
  const windowOf = (startMs: number) =>
    events.filter((t) => t.ms >= startMs && t.ms <= startMs + CE3_EVENT_WINDOW_MS);

  // The disputed payment's identifiers: its purchase IP / device id plus those of its access events.
  const disputedIps = new Set<string>();
  const disputedDevices = new Set<string>();
  const p = ctx.summary.purchase;
  if (p.ip) disputedIps.add(p.ip);
  if (p.device?.basis === 'device_id') disputedDevices.add(p.device.value);
  for (const { event } of windowOf(ctx.paidMs)) {
    if (event.ip?.trim()) disputedIps.add(event.ip.trim());
    if (event.deviceId?.trim()) disputedDevices.add(event.deviceId.trim());
  }

  const matches: Ce3Match[] = [];
  for (const { payment: prior, disputed } of facts.priorPayments) {
    if (disputed || prior.id === ctx.paymentId) continue;
    if (prior.status && prior.status !== 'paid') continue;
    if (
      prior.substatus &&
      (NOT_SETTLED.has(prior.substatus) || /dispute|resolution_lost/.test(prior.substatus))
    )
      continue;
    // CE 3.0 needs the same payment credential: a known, different card is not the same credential.
    if (prior.card_last4 && ctx.cardLast4 && prior.card_last4 !== ctx.cardLast4) continue;
    const priorMs = toMs(prior.paid_at) ?? toMs(prior.created_at);
    if (priorMs === null) continue;
    const ageDays = (disputeMs - priorMs) / DAY_MS;
    if (ageDays < CE3_MIN_DAYS || ageDays > CE3_MAX_DAYS) continue;
    const ips = new Set<string>();
    const devices = new Set<string>();
    for (const { event } of windowOf(priorMs)) {
      const ip = event.ip?.trim();
      const device = event.deviceId?.trim();
      if (ip && disputedIps.has(ip)) ips.add(ip);
      if (device && disputedDevices.has(device)) devices.add(device);
    }
    if (ips.size || devices.size) {
      matches.push({
        paymentId: prior.id,
        paidAt: new Date(priorMs).toISOString(),
        amount: prior.total,
        currency: prior.currency,
        sharedIps: [...ips].sort(),
        sharedDeviceIds: [...devices].sort(),
      });
    }
  }
  matches.sort((a, b) => a.paidAt.localeCompare(b.paidAt));
  const enough = matches.length >= CE3_MIN_MATCHES;
  const reason = brandKnownNonVisa
    ? `The card is ${humanize(ctx.cardBrand!)}; Compelling Evidence 3.0 is a Visa programme.`
    : enough
      ? `${matches.length} prior undisputed payments ${CE3_MIN_DAYS}–${CE3_MAX_DAYS} days before the dispute share an IP address or device id${ctx.cardBrand === null ? ' (card brand unknown: CE 3.0 applies to Visa only)' : ''}.`
      : `${plural(matches.length, 'matching prior payment')}; Visa CE 3.0 needs at least ${CE3_MIN_MATCHES}.`;
  return { qualifies: enough && !brandKnownNonVisa, matches, reason };
}

/** The notes paragraph listing the matching earlier payments, and the CE 3.0 verdict when it qualifies. */
export function ce3Para(ce3: Ce3Result, ctx: EvidenceContext): Para {
  const listed = ce3.matches.slice(-MAX_LISTED);
  const lines = listed.map((m) => {
    const shared = [
      m.sharedIps.length ? `IP ${m.sharedIps.join(', ')}` : '',
      m.sharedDeviceIds.length ? `device ${m.sharedDeviceIds.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return `- ${m.paymentId}: ${fmtDate(m.paidAt)}, ${fmtAmount(m.amount, m.currency) ?? 'amount unknown'}, shared ${shared}`;
  });
  const claims = listed.map(
    (m) =>
      `prior undisputed payment ${m.paymentId}: paid ${m.paidAt}, ${fmtAmount(m.amount, m.currency) ?? 'amount unknown'}, shared IPs [${m.sharedIps.join(', ')}], shared device ids [${m.sharedDeviceIds.join(', ')}]`,
  );
  const intro = `${cap(ctx.customer)} made ${plural(ce3.matches.length, 'earlier undisputed payment')} ${CE3_MIN_DAYS}–${CE3_MAX_DAYS} days before this dispute from the same IP address or device as this purchase's access:`;
  const verdict = ce3.qualifies
    ? `These meet Visa Compelling Evidence 3.0 (at least ${CE3_MIN_MATCHES} prior undisputed transactions sharing the IP address or device id).`
    : '';
  if (ce3.qualifies) claims.push(`Visa CE 3.0 qualifies: ${ce3.matches.length} matching prior payments`);
  const more = ce3.matches.length - listed.length;
  return para(
    [intro, ...lines, more > 0 ? `(and ${more} more)` : '', verdict].filter(Boolean).join('\n'),
    claims,
    0,
  );
}
