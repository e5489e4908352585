/**
 * Builds the text evidence for one Whop dispute from what Whop knows (payment, membership, member) and
 * what only the merchant knows (access events outside Whop, its policies). Pure: no I/O, `now` is given.
 *
 * The rule that shapes everything here: never claim what the facts do not show. Each factual sentence is
 * built from the same values it records in `statements`, a match with the purchase IP or device is only
 * stated when later events really share it, and with no access events the log says so plainly and the
 * argument leans on Whop's own records instead.
 */
import type { Dispute, MemberRetrieveResponse, Membership, Payment, User } from '@whop/sdk/resources';
import type { AccessEvent } from '../access-events/access-event.js';
import { AWAITING_MERCHANT } from '../cases/case-record.js';
import type { Disclosure, ResolvedPolicy } from '../policy/resolve-policy.js';
import { type AccessSummary, type DeviceRef, summarizeAccess, usableEvents } from './access-summary.js';
import {
  beforeOnly,
  cell,
  excerpt,
  fitText,
  fmtAmount,
  fmtDate,
  fmtDateTime,
  fmtDelay,
  humanize,
  plural,
  table,
  toMs,
} from './format.js';
import type { EvidenceFields, EvidenceTextField } from './plan-evidence-update.js';
import { type ReasonCategory, reasonCategory } from './reason-category.js';

/** Whop accepts long text, but issuers read short evidence; every field stays under this. */
export const FIELD_LIMIT = 4000;
export const RECENT_EVENT_ROWS = 10;
/** Lists of payments in the notes stop here, so a long history cannot crowd out the argument. */
const MAX_LISTED = 12;
const DAY_MS = 86_400_000;

/** Visa Compelling Evidence 3.0: prior undisputed payments 120–365 days before the dispute, at least two. */
export const CE3_MIN_DAYS = 120;
export const CE3_MAX_DAYS = 365;
export const CE3_MIN_MATCHES = 2;
/** A payment's access events: those in the 30 days after it. */
export const CE3_EVENT_WINDOW_MS = 30 * DAY_MS;

/** The fields of a payment we need; the list, retrieve and dispute-embedded shapes all have them. */
export interface PriorPaymentLike {
  id: string;
  created_at: string;
  paid_at?: string | null;
  total: number | null;
  currency: string;
  status?: string | null;
  substatus?: string | null;
  card_last4?: string | null;
}

export interface PriorPayment {
  payment: PriorPaymentLike;
  /** Ever disputed (chargeback or inquiry); such payments never count for CE 3.0. */
  disputed: boolean;
}

export interface EvidenceFacts {
  dispute: Dispute;
  payment: Payment | null;
  membership: Membership | null;
  member: MemberRetrieveResponse | null;
  user: User | null;
  /** All retained access events for this customer. */
  accessEvents: AccessEvent[];
  /** The customer's other payments. */
  priorPayments: PriorPayment[];
  policy: ResolvedPolicy;
  now: Date;
  /** Optional: the IP / device the merchant recorded at checkout; otherwise taken from events near it. */
  purchase?: { ip?: string | null; deviceId?: string | null; userAgent?: string | null };
}

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

export interface EvidenceDraft {
  /** Only non-empty fields, each at most FIELD_LIMIT characters. */
  fields: EvidenceFields;
  category: ReasonCategory;
  access: AccessSummary;
  /** Fraud disputes only. */
  ce3: Ce3Result | null;
  /** Every factual claim the fields make, one per line, for tests and the audit trail. */
  statements: string[];
  /** For the merchant, never sent to Whop: what weakens this case or needs a look before submitting. */
  warnings: string[];
}

/** A piece of text and the claims it makes: dropped together, so statements never outlive their text. */
interface Para {
  text: string;
  claims: string[];
  /** Lower is more important; the least important paragraphs go first when a field is too long. */
  rank: number;
}

const para = (text: string, claims: string[] = [], rank = 1): Para => ({ text, claims, rank });

/** Statuses in which Whop granted access at some point (drafted/unresolved never did). */
const ACCESS_GRANTED = new Set([
  'trialing',
  'active',
  'past_due',
  'completed',
  'canceled',
  'expired',
  'canceling',
]);
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

interface Ctx {
  facts: EvidenceFacts;
  category: ReasonCategory;
  company: string;
  product: string | null;
  customer: string;
  fullName: string | null;
  paymentId: string | null;
  amount: string | null;
  paidMs: number | null;
  cardBrand: string | null;
  cardLast4: string | null;
  billingReason: string | null;
  buyer: { id: string; email: string | null; name: string | null; username: string } | null;
  summary: AccessSummary;
  used: boolean;
  warnings: string[];
}

function join(paras: Para[], max = FIELD_LIMIT): { text: string; claims: string[] } {
  let kept = paras.filter((p) => p.text.trim() !== '');
  const render = (ps: Para[]) => ps.map((p) => p.text.trim()).join('\n\n');
  // Drop the least important paragraphs (latest first among equals) until the field fits.
  while (kept.length > 1 && render(kept).length > max) {
    const worst = kept.reduce((w, p, i) => (p.rank >= kept[w]!.rank ? i : w), 0);
    kept = kept.filter((_, i) => i !== worst);
  }
  return { text: fitText(render(kept), max), claims: kept.flatMap((p) => p.claims) };
}

function deviceLabel(d: DeviceRef): string {
  return d.basis === 'device_id' ? `device ${d.value}` : `browser (user agent) "${d.value}"`;
}

/** For names that may start a sentence ("the customer" → "The customer"). */
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Merchant-written text used as a sentence: ends with a full stop. */
const sentence = (s: string): string => (/[.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** `47 of the 52 later events` or `all 47 later events`. */
const share = (n: number, of: number, what: string): string =>
  n === of
    ? `${n === 1 ? 'the one' : `all ${n}`} ${n === 1 ? what : `${what}s`}`
    : `${n} of the ${plural(of, what)}`;

function listWithMore(values: string[], max: number): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}

// ─── facts ────────────────────────────────────────────────────────────────────────────────────────────

function context(facts: EvidenceFacts): Ctx {
  const { dispute, payment, membership, member, user } = facts;
  const embed = dispute.payment;
  const buyer = payment?.user ?? embed?.user ?? null;
  const paidMs =
    toMs(payment?.paid_at) ?? toMs(payment?.created_at) ?? toMs(embed?.paid_at) ?? toMs(embed?.created_at);
  const warnings: string[] = [];
  // With no purchase time nothing can be "after purchase": summarise as if it were now, so no usage is
  // claimed, and say why.
  if (paidMs === null)
    warnings.push('Whop returned no payment time, so no access can be tied to the purchase.');
  const summary = summarizeAccess(
    facts.accessEvents,
    { paidAt: new Date(paidMs ?? facts.now.getTime()), ...facts.purchase },
    facts.now,
    { recentLimit: RECENT_EVENT_ROWS },
  );
  const name =
    payment?.billing_address?.name?.trim() ||
    buyer?.name?.trim() ||
    member?.user?.name?.trim() ||
    membership?.user?.name?.trim() ||
    user?.name?.trim() ||
    null;
  return {
    facts,
    category: reasonCategory(dispute.reason),
    company:
      dispute.company?.title ?? payment?.company?.title ?? membership?.company?.title ?? 'the merchant',
    product: dispute.product?.title ?? payment?.product?.title ?? membership?.product?.title ?? null,
    // Prose repeats the name; a pathological one is cut there (customer_name keeps it whole).
    customer: name ? cell(name, 80) : buyer?.username ? `@${buyer.username}` : 'the customer',
    fullName: name,
    paymentId: payment?.id ?? embed?.id ?? null,
    amount: fmtAmount(
      payment?.total ?? embed?.total ?? dispute.amount,
      payment?.currency ?? embed?.currency ?? dispute.currency,
    ),
    paidMs,
    cardBrand: payment?.card_brand ?? embed?.card_brand ?? null,
    cardLast4: payment?.card_last4 ?? embed?.card_last4 ?? null,
    billingReason: payment?.billing_reason ?? embed?.billing_reason ?? null,
    buyer,
    summary,
    used: paidMs !== null && summary.eventsAfterPurchase > 0,
    warnings,
  };
}

function customerEmail(ctx: Ctx): string | null {
  const { member, membership } = ctx.facts;
  return ctx.buyer?.email ?? member?.user?.email ?? membership?.user?.email ?? null;
}

function billingAddress(ctx: Ctx): string | null {
  const a = ctx.facts.payment?.billing_address;
  if (!a) return null;
  const cityLine = [a.city, [a.state, a.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const parts = [a.line1, a.line2, cityLine, a.country].map((p) => p?.trim()).filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

function paymentPara(ctx: Ctx): Para {
  if (!ctx.paymentId || ctx.paidMs === null) return para('');
  const card =
    ctx.cardBrand && ctx.cardLast4 ? `, ${cap(humanize(ctx.cardBrand))} card ending ${ctx.cardLast4}` : '';
  const renewal =
    ctx.billingReason === 'subscription_cycle' || ctx.billingReason === 'subscription'
      ? ' This payment was a scheduled subscription renewal.'
      : '';
  const what = ctx.product ? ` for "${ctx.product}"` : '';
  const amount = ctx.amount ? ` ${ctx.amount}` : '';
  return para(
    `${cap(ctx.customer)} paid ${ctx.company}${amount}${what} on ${fmtDateTime(ctx.paidMs)} (Whop payment ${ctx.paymentId}${card}).${renewal}`,
    [
      `payment ${ctx.paymentId}: ${ctx.amount ?? 'amount unknown'} paid ${new Date(ctx.paidMs).toISOString()}`,
      ...(renewal ? [`payment ${ctx.paymentId}: billing reason ${ctx.billingReason}`] : []),
    ],
    0,
  );
}

/** What Whop itself records about the customer's access: the fallback when the merchant has no events. */
function whopRecordsPara(ctx: Ctx, rank = 1): Para {
  const { membership, member, user } = ctx.facts;
  const sentences: string[] = [];
  const claims: string[] = [];
  if (membership) {
    const created = toMs(membership.created_at);
    const granted = ACCESS_GRANTED.has(membership.status);
    sentences.push(
      `${granted ? 'Whop granted access through' : 'Whop shows'} membership ${membership.id}${created !== null ? `, created ${fmtDate(created)}` : ''}; its status is now ${humanize(membership.status)}.`,
    );
    claims.push(
      `membership ${membership.id}: status ${membership.status}${created !== null ? `, created ${new Date(created).toISOString()}` : ''}`,
    );
  }
  if (member) {
    const joined = toMs(member.joined_at);
    const recent = toMs(member.most_recent_action_at);
    if (joined !== null) {
      sentences.push(`${cap(ctx.customer)} joined ${ctx.company} on Whop on ${fmtDate(joined)}.`);
      claims.push(`member ${member.id}: joined ${new Date(joined).toISOString()}`);
    }
    if (member.most_recent_action) {
      sentences.push(
        `Whop's most recent recorded action for this member: ${humanize(member.most_recent_action)}${recent !== null ? ` (${fmtDate(recent)})` : ''}.`,
      );
      claims.push(
        `member ${member.id}: most recent action ${member.most_recent_action}${recent !== null ? ` at ${new Date(recent).toISOString()}` : ''}`,
      );
    }
  }
  const accountCreated = toMs(user?.created_at);
  // Only the buyer's own account can be called "the account that made the payment".
  if (user && accountCreated !== null && user.id === ctx.buyer?.id) {
    sentences.push(
      `The Whop account @${user.username} that made the payment was created on ${fmtDate(accountCreated)}.`,
    );
    claims.push(`whop account ${user.id}: created ${new Date(accountCreated).toISOString()}`);
  }
  return para(sentences.length ? `Whop's records: ${sentences.join(' ')}` : '', claims, rank);
}

function noEventsSentence(ctx: Ctx): { text: string; claim: string } {
  const s = ctx.summary;
  if (s.totalEvents === 0 || ctx.paidMs === null) {
    return {
      text: `${cap(ctx.company)} recorded no access events for this customer in its own product or service, so this evidence shows no usage outside Whop.`,
      claim: 'no access events recorded for this customer',
    };
  }
  return {
    text: `${cap(ctx.company)} recorded no access by this customer after this payment (${beforeOnly(s.eventsBeforePurchase, 'its').replace(/it$/, 'the payment')}).`,
    claim: `no access events after purchase (${s.eventsBeforePurchase} before purchase)`,
  };
}

function usagePara(ctx: Ctx, lead: string, rank = 1): Para {
  const s = ctx.summary;
  if (!ctx.used) return para('');
  const first = Date.parse(s.firstAccessAfterPurchase!);
  const last = Date.parse(s.lastAccessAfterPurchase!);
  const actions = s.actionsByType.slice(0, 4);
  const claims = [
    `events after purchase: ${s.eventsAfterPurchase}`,
    `sessions after purchase: ${s.sessionsAfterPurchase}`,
    `active days after purchase: ${s.activeDaysAfterPurchase}`,
    `first access after purchase: ${s.firstAccessAfterPurchase}`,
    `last access after purchase: ${s.lastAccessAfterPurchase}`,
    `actions after purchase: ${actions.map((a) => `${a.value} ${a.events}`).join(', ')}`,
  ];
  const span =
    s.eventsAfterPurchase === 1
      ? `on ${fmtDateTime(first)}`
      : `between ${fmtDateTime(first)} and ${fmtDateTime(last)}`;
  const text =
    `${lead} ${cap(ctx.company)}'s own records show ${plural(s.eventsAfterPurchase, 'access event')} by ${ctx.customer} after the purchase, ` +
    `in ${plural(s.sessionsAfterPurchase, 'session')} on ${plural(s.activeDaysAfterPurchase, 'day')}, ${span}` +
    `${ctx.paidMs !== null ? ` (first access ${fmtDelay(first - ctx.paidMs)} after payment)` : ''}. ` +
    `Actions: ${actions.map((a) => `${humanize(a.value)} (${a.events})`).join(', ')}.`;
  return para(text.trim(), claims, rank);
}

/** Statements about the purchase IP / device, only where later events really share them. */
function matchSentences(ctx: Ctx): { sentences: string[]; claims: string[] } {
  const s = ctx.summary;
  const sentences: string[] = [];
  const claims: string[] = [];
  const source = (src: 'merchant' | 'event' | null) =>
    src === 'merchant'
      ? 'recorded at checkout'
      : 'seen in the first access event within 30 minutes of payment';
  if (s.ipMatchesPurchase && s.purchase.ip) {
    sentences.push(
      `The IP address at purchase (${s.purchase.ip}, ${source(s.purchase.ipSource)}) was used again for ${share(s.eventsFromPurchaseIp, s.eventsWithIpAfterPurchase, 'later event')} that carry an IP address.`,
    );
    claims.push(
      `purchase IP ${s.purchase.ip} (${s.purchase.ipSource}) seen in ${s.eventsFromPurchaseIp} of ${s.eventsWithIpAfterPurchase} later events with an IP`,
    );
  }
  if (s.deviceMatchesPurchase && s.purchase.device) {
    const d = s.purchase.device;
    const what =
      d.basis === 'device_id'
        ? `device (${cell(d.value, 60)})`
        : `browser (same user agent, "${cell(d.value, 60)}")`;
    sentences.push(
      `The same ${what} as at purchase (${source(s.purchase.deviceSource)}) was used for ${share(s.eventsFromPurchaseDevice, s.eventsWithDeviceAfterPurchase, 'later event')} that identify one.`,
    );
    claims.push(
      `purchase ${d.basis === 'device_id' ? 'device' : 'user agent'} ${d.value} (${s.purchase.deviceSource}) seen in ${s.eventsFromPurchaseDevice} of ${s.eventsWithDeviceAfterPurchase} later events with one`,
    );
  }
  const sharedDevices = s.devicesBeforeAndAfter.filter((d) => d.basis === 'device_id');
  if (s.ipsBeforeAndAfter.length || sharedDevices.length) {
    const what = [
      s.ipsBeforeAndAfter.length
        ? `IP address${s.ipsBeforeAndAfter.length > 1 ? 'es' : ''} ${listWithMore(s.ipsBeforeAndAfter, 3)}`
        : '',
      sharedDevices.length
        ? `device${sharedDevices.length > 1 ? 's' : ''} ${listWithMore(
            sharedDevices.map((d) => d.value),
            3,
          )}`
        : '',
    ]
      .filter(Boolean)
      .join(' and ');
    sentences.push(`The same ${what} were used both before this purchase and after it.`);
    if (s.ipsBeforeAndAfter.length)
      claims.push(`IPs used before and after purchase: ${s.ipsBeforeAndAfter.join(', ')}`);
    if (sharedDevices.length)
      claims.push(`devices used before and after purchase: ${sharedDevices.map((d) => d.value).join(', ')}`);
  }
  return { sentences, claims };
}

function matchWarnings(ctx: Ctx): void {
  const s = ctx.summary;
  if (s.ipMatchesPurchase === false) {
    ctx.warnings.push(`The purchase IP ${s.purchase.ip} was not seen in any later access event.`);
  }
  if (s.deviceMatchesPurchase === false) {
    ctx.warnings.push(
      `The purchase ${deviceLabel(s.purchase.device!)} was not seen in any later access event.`,
    );
  }
  if (s.deviceMatchesPurchase && s.purchase.device?.basis === 'user_agent') {
    ctx.warnings.push(
      'The device match rests on the user agent only, which many people share; a device id would be stronger.',
    );
  }
}

// ─── access activity log ─────────────────────────────────────────────────────────────────────────────

function accessLog(ctx: Ctx): { text: string; claims: string[] } {
  const s = ctx.summary;
  const header = `Access log kept by ${ctx.company} in its own product or service (outside Whop) for ${ctx.customer}${ctx.buyer ? ` (Whop user ${ctx.buyer.id})` : ''}.`;
  if (!ctx.used) {
    const none = noEventsSentence(ctx);
    const whop = whopRecordsPara(ctx);
    const paymentLine =
      ctx.paymentId && ctx.paidMs !== null
        ? `Whop payment ${ctx.paymentId}: ${ctx.amount ?? 'amount unknown'}, paid ${fmtDateTime(ctx.paidMs)}.`
        : '';
    return join([para(none.text, [none.claim], 0), para(paymentLine, [], 1), whop]);
  }
  const first = Date.parse(s.firstAccessAfterPurchase!);
  const lines: string[] = [header];
  const claims = [
    `events after purchase: ${s.eventsAfterPurchase}`,
    `sessions after purchase: ${s.sessionsAfterPurchase}`,
    `active days after purchase: ${s.activeDaysAfterPurchase}`,
    `first access after purchase: ${s.firstAccessAfterPurchase}`,
    `last access after purchase: ${s.lastAccessAfterPurchase}`,
    `distinct IPs after purchase: ${s.ipsAfterPurchase.length}`,
    `distinct devices after purchase: ${s.devicesAfterPurchase.length}`,
  ];
  if (ctx.paymentId && ctx.paidMs !== null) {
    lines.push(
      `Whop payment ${ctx.paymentId}: ${ctx.amount ?? 'amount unknown'}, paid ${fmtDateTime(ctx.paidMs)}.`,
    );
  }
  lines.push(
    '',
    `After the payment: ${plural(s.eventsAfterPurchase, 'event')} in ${plural(s.sessionsAfterPurchase, 'session')} on ${plural(s.activeDaysAfterPurchase, 'day')}.`,
    `First access: ${fmtDateTime(first)}${ctx.paidMs !== null ? ` (${fmtDelay(first - ctx.paidMs)} after payment)` : ''}.`,
    `Last access: ${fmtDateTime(s.lastAccessAfterPurchase!)}.`,
  );
  if (s.ipsAfterPurchase.length) {
    lines.push(
      `IP addresses (${s.ipsAfterPurchase.length}): ${listWithMore(
        s.ipsAfterPurchase.map((c) => `${c.value} (${c.events})`),
        5,
      )}.`,
    );
  }
  if (s.devicesAfterPurchase.length) {
    lines.push(
      `Devices (${s.devicesAfterPurchase.length}): ${listWithMore(
        s.devicesAfterPurchase.map(
          (d) =>
            `${d.basis === 'device_id' ? cell(d.value, 60) : `user agent "${cell(d.value, 60)}"`} (${d.events})`,
        ),
        5,
      )}.`,
    );
  }
  const match = matchSentences(ctx);
  lines.push(...match.sentences);
  claims.push(...match.claims);
  // Action names are the merchant's and unbounded: the twelve most frequent, each cut short.
  const actions = s.actionsByType.slice(0, 12).map((a) => `${cell(a.value, 40)} ${a.events}`);
  const moreActions = s.actionsByType.length - actions.length;
  lines.push(`Actions: ${actions.join(', ')}${moreActions > 0 ? ` and ${moreActions} other kinds` : ''}.`);
  claims.push(`actions after purchase: ${actions.join(', ')}`);

  // The table goes last and shrinks row by row, so the summary above is never cut.
  const rows = s.recentEvents.map((r) => [
    fmtDateTime(r.at).replace(' UTC', ''),
    cell(r.action, 20),
    cell(r.ip, 39),
    cell(r.device, 28),
  ]);
  for (let n = rows.length; n >= 0; n--) {
    const tableLines =
      n === 0
        ? []
        : [
            '',
            `Last ${plural(n, 'event')} (UTC, newest first):`,
            ...table(['TIME', 'ACTION', 'IP', 'DEVICE'], rows.slice(0, n)),
          ];
    const text = [...lines, ...tableLines].join('\n');
    if (text.length <= FIELD_LIMIT || n === 0) return { text: fitText(text, FIELD_LIMIT), claims };
  }
  /* c8 ignore next */
  return { text: fitText(lines.join('\n'), FIELD_LIMIT), claims };
}

// ─── policies ────────────────────────────────────────────────────────────────────────────────────────

function disclosureText(kind: 'refund' | 'cancellation', d: Disclosure, termsUrl: string | null): Para {
  const claims: string[] = [];
  const facts: string[] = [];
  if (d.shown_at_checkout) {
    facts.push(
      `This ${kind} policy was shown to the customer at checkout${d.accepted_via ? ` and accepted via ${d.accepted_via}` : ''}.`,
    );
    claims.push(`${kind} policy shown at checkout`);
    if (d.accepted_via) claims.push(`${kind} policy accepted via ${d.accepted_via}`);
  }
  if (d.url) facts.push(`Published at ${d.url}.`);
  if (d.renewal_reminders) {
    facts.push(`Renewal reminders: ${sentence(d.renewal_reminders)}`);
    claims.push(`renewal reminders: ${d.renewal_reminders}`);
  }
  if (termsUrl) facts.push(`Terms of service: ${termsUrl}.`);
  // The facts come first, so a very long policy text is what gets cut, never the facts.
  const head = facts.join('\n');
  const room = FIELD_LIMIT - head.length - 40;
  return para(`${head}${head ? '\n\n' : ''}Policy text:\n${excerpt(d.text, room)}`, claims, 0);
}

function refundRefusal(ctx: Ctx): Para[] {
  const p = ctx.facts.payment;
  const total = p?.total ?? ctx.facts.dispute.amount;
  const refunded = p?.refunded_amount ?? 0;
  const refunds = (p?.refunds ?? []).filter((r) => r.status === 'succeeded' || r.status === 'pending');
  if (p && total !== null && refunded >= total) {
    ctx.warnings.push(`Payment ${p.id} was already refunded in full (${fmtAmount(refunded, p.currency)}).`);
    return [];
  }
  const reasons: Para[] = [];
  const policy = ctx.facts.policy.refund_policy;
  if (policy) {
    const shown = policy.shown_at_checkout
      ? `, which was shown at checkout${policy.accepted_via ? ` and accepted via ${policy.accepted_via}` : ''}`
      : '';
    reasons.push(
      para(
        `Refunds are governed by ${ctx.company}'s refund policy${shown} (quoted in the refund policy disclosure).`,
        policy.shown_at_checkout ? ['refund policy shown at checkout'] : [],
      ),
    );
  }
  if (ctx.used) {
    const s = ctx.summary;
    reasons.push(
      para(
        `The customer used the product after buying it: ${plural(s.eventsAfterPurchase, 'access event')} in ${plural(s.sessionsAfterPurchase, 'session')}, the last on ${fmtDate(s.lastAccessAfterPurchase!)}.`,
        [
          `events after purchase: ${s.eventsAfterPurchase}`,
          `sessions after purchase: ${s.sessionsAfterPurchase}`,
          `last access after purchase: ${s.lastAccessAfterPurchase}`,
        ],
      ),
    );
  }
  // Without the payment we cannot say whether it was refunded, so we give no explanation at all.
  if (reasons.length === 0 || !p) return [];
  const partial =
    refunded > 0
      ? para(
          `${fmtAmount(refunded, p.currency)} of this payment was refunded; the rest was not.`,
          [`payment ${p.id}: refunded ${fmtAmount(refunded, p.currency)}`],
          0,
        )
      : para(
          `${cap(ctx.company)} did not refund this payment${refunds.length ? ' in full' : ''}.`,
          [`payment ${p.id}: not refunded`],
          0,
        );
  return [partial, ...reasons];
}

// ─── the argument (notes) ────────────────────────────────────────────────────────────────────────────

function accessOrWhop(ctx: Ctx, lead: string): Para[] {
  if (ctx.used) return [usagePara(ctx, lead, 0)];
  const none = noEventsSentence(ctx);
  return [para(none.text, [none.claim], 0), whopRecordsPara(ctx, 0)];
}

function fraudArgument(ctx: Ctx, ce3: Ce3Result | null): Para[] {
  const out: Para[] = [
    para(
      'The cardholder says they did not authorize or do not recognize this payment. The records below tie the purchase to the account holder.',
      [],
      0,
    ),
  ];
  if (ctx.used) {
    const match = matchSentences(ctx);
    if (match.sentences.length) out.push(para(match.sentences.join(' '), match.claims, 0));
    out.push(usagePara(ctx, 'The product was used after purchase.', 1));
    out.push(whopRecordsPara(ctx, 2));
  } else {
    out.push(...accessOrWhop(ctx, ''));
  }
  if (ce3 && ce3.matches.length > 0) out.push(ce3Para(ce3, ctx));
  return out;
}

function ce3Para(ce3: Ce3Result, ctx: Ctx): Para {
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

function notReceivedArgument(ctx: Ctx): Para[] {
  const lead = 'The customer says they did not receive the product.';
  if (!ctx.used) return [para(lead, [], 0), ...accessOrWhop(ctx, '')];
  return [para(lead, [], 0), usagePara(ctx, 'It was delivered and used:', 0), whopRecordsPara(ctx, 2)];
}

function notAsDescribedArgument(ctx: Ctx): Para[] {
  const out: Para[] = [para('The customer says the product was not as described or not acceptable.', [], 0)];
  const description = ctx.facts.policy.product_description;
  if (description) {
    out.push(
      para(
        `It was described to customers as: "${excerpt(description, 800)}"`,
        ['product description from the merchant policy'],
        0,
      ),
    );
  }
  if (ctx.used) {
    out.push(usagePara(ctx, 'After buying it, the customer kept using it.', 0));
    if (ctx.summary.sessionsAfterPurchase >= 2) {
      out.push(
        para(
          'Repeated use over several sessions is not consistent with a product that was unusable or materially different from its description.',
          [],
          1,
        ),
      );
    }
  } else {
    out.push(...accessOrWhop(ctx, ''));
  }
  return out;
}

function subscriptionArgument(ctx: Ctx): Para[] {
  const { membership, policy } = ctx.facts;
  const out: Para[] = [
    para('The customer says the subscription was canceled or renewed without their consent.', [], 0),
  ];
  const cancellation = policy.cancellation_policy;
  if (cancellation) {
    const shown = cancellation.shown_at_checkout
      ? ` was shown at checkout${cancellation.accepted_via ? ` and accepted via ${cancellation.accepted_via}` : ''} and`
      : '';
    const claims = cancellation.shown_at_checkout ? ['cancellation policy shown at checkout'] : [];
    if (cancellation.renewal_reminders) claims.push(`renewal reminders: ${cancellation.renewal_reminders}`);
    out.push(
      para(
        `${cap(ctx.company)}'s cancellation policy${shown} is quoted in the cancellation policy disclosure.${cancellation.renewal_reminders ? ` Renewal reminders: ${sentence(cancellation.renewal_reminders)}` : ''}`,
        claims,
        0,
      ),
    );
  }
  if (membership && ctx.paidMs !== null) {
    const canceled = toMs(membership.canceled_at);
    if (canceled === null) {
      out.push(
        para(
          `Membership ${membership.id} has no cancellation on record (status: ${humanize(membership.status)}).`,
          [`membership ${membership.id}: no cancellation recorded, status ${membership.status}`],
          0,
        ),
      );
    } else if (canceled >= ctx.paidMs) {
      out.push(
        para(
          `The customer canceled membership ${membership.id} on ${fmtDateTime(canceled)}, after this payment was made.`,
          [`membership ${membership.id}: canceled ${new Date(canceled).toISOString()}, after the payment`],
          0,
        ),
      );
    } else {
      ctx.warnings.push(
        `Membership ${membership.id} was canceled on ${fmtDateTime(canceled)}, before this payment; check why it was charged before submitting.`,
      );
    }
    if (membership.manage_url) {
      out.push(
        para(
          `The customer can manage or cancel the membership at any time at ${membership.manage_url}.`,
          [`membership manage url ${membership.manage_url}`],
          2,
        ),
      );
    }
  }
  out.push(
    ...(ctx.used
      ? [usagePara(ctx, 'After this payment the customer kept using the product.', 0)]
      : accessOrWhop(ctx, '')),
  );
  return out;
}

function otherPaymentsPara(ctx: Ctx, windowDays: number): Para {
  if (ctx.paidMs === null) return para('');
  const nearby = ctx.facts.priorPayments
    .map((p) => ({ p: p.payment, ms: toMs(p.payment.paid_at) ?? toMs(p.payment.created_at) }))
    .filter(
      (x) => x.p.id !== ctx.paymentId && x.ms !== null && Math.abs(x.ms - ctx.paidMs!) <= windowDays * DAY_MS,
    )
    .sort((a, b) => a.ms! - b.ms!);
  if (nearby.length === 0) {
    return para(
      `Whop shows no other payment by this customer within ${windowDays} days of this one.`,
      [`other payments by this customer within ${windowDays} days: none`],
      0,
    );
  }
  // The closest in time first; a long history is cut to a readable list, and claims follow what is shown.
  const shown = [...nearby]
    .sort((a, b) => Math.abs(a.ms! - ctx.paidMs!) - Math.abs(b.ms! - ctx.paidMs!))
    .slice(0, MAX_LISTED)
    .sort((a, b) => a.ms! - b.ms!);
  const lines = shown.map(({ p, ms }) => {
    const sameAmount = p.total !== null && fmtAmount(p.total, p.currency) === ctx.amount;
    if (sameAmount && Math.abs(ms! - ctx.paidMs!) < 2 * DAY_MS) {
      ctx.warnings.push(
        `Payment ${p.id} has the same amount within two days of this one: it may be a real duplicate.`,
      );
    }
    return `- ${p.id}: ${fmtAmount(p.total, p.currency) ?? 'amount unknown'}, ${fmtDateTime(ms!)}${p.substatus ? `, ${humanize(p.substatus)}` : ''}`;
  });
  return para(
    [
      `Other payments by this customer within ${windowDays} days:`,
      ...lines,
      ...(nearby.length > shown.length ? [`(and ${nearby.length - shown.length} more)`] : []),
    ].join('\n'),
    shown.map(
      ({ p, ms }) =>
        `other payment ${p.id}: ${fmtAmount(p.total, p.currency) ?? 'amount unknown'} at ${new Date(ms!).toISOString()}`,
    ),
    0,
  );
}

function refundsPara(ctx: Ctx): Para {
  const p = ctx.facts.payment;
  if (!p) return para('');
  if (p.refunds.length === 0 && !p.refunded_amount) {
    return para(`Whop shows no refund on payment ${p.id}.`, [`payment ${p.id}: no refund`], 0);
  }
  const listed = p.refunds.slice(0, MAX_LISTED);
  const lines = listed.map((r) => {
    const ms = toMs(r.created_at);
    return `- refund ${r.id}: ${fmtAmount(r.amount, r.currency)}, ${humanize(r.status)}${ms !== null ? `, ${fmtDate(ms)}` : ''}`;
  });
  const succeeded = p.refunds.filter((r) => r.status === 'succeeded');
  if (succeeded.length)
    ctx.warnings.push(`A refund on payment ${p.id} already succeeded; accepting the dispute may be simpler.`);
  return para(
    [
      `Refunds on payment ${p.id}${p.refunded_amount ? ` (${fmtAmount(p.refunded_amount, p.currency)} refunded in total)` : ''}:`,
      ...lines,
      ...(p.refunds.length > listed.length ? [`(and ${p.refunds.length - listed.length} more)`] : []),
    ].join('\n'),
    listed.map((r) => `refund ${r.id}: ${fmtAmount(r.amount, r.currency)} ${r.status}`),
    0,
  );
}

function duplicateArgument(ctx: Ctx): Para[] {
  return [
    para('The customer says they were charged more than once.', [], 0),
    otherPaymentsPara(ctx, 31),
    refundsPara(ctx),
    ...(ctx.used ? [usagePara(ctx, 'The customer used what they paid for.', 2)] : []),
  ];
}

function creditArgument(ctx: Ctx): Para[] {
  const policy = ctx.facts.policy.refund_policy;
  const out = [para('The customer says a refund or credit was not processed.', [], 0), refundsPara(ctx)];
  if (policy) {
    out.push(
      para(
        `${cap(ctx.company)}'s refund policy${policy.shown_at_checkout ? ', shown at checkout,' : ''} is quoted in the refund policy disclosure.`,
        policy.shown_at_checkout ? ['refund policy shown at checkout'] : [],
        0,
      ),
    );
  }
  out.push(...accessOrWhop(ctx, 'The customer used the product after purchase.'));
  return out;
}

function generalArgument(ctx: Ctx): Para[] {
  return [
    ...accessOrWhop(ctx, 'The customer received and used the product.'),
    whopRecordsPara(ctx, 2),
  ].filter((p, i, all) => all.findIndex((q) => q.text === p.text) === i);
}

function notes(ctx: Ctx, ce3: Ce3Result | null): { text: string; claims: string[] } {
  const argument: Record<ReasonCategory, () => Para[]> = {
    fraud: () => fraudArgument(ctx, ce3),
    not_received: () => notReceivedArgument(ctx),
    not_as_described: () => notAsDescribedArgument(ctx),
    subscription: () => subscriptionArgument(ctx),
    duplicate: () => duplicateArgument(ctx),
    credit_not_processed: () => creditArgument(ctx),
    general: () => generalArgument(ctx),
  };
  const wording =
    ctx.facts.policy.reason_wording[ctx.category] ??
    (ctx.category === 'duplicate' || ctx.category === 'credit_not_processed'
      ? ctx.facts.policy.reason_wording.general
      : undefined);
  const refund = ctx.facts.policy.refund_policy;
  const policyLine =
    refund?.shown_at_checkout && ctx.category !== 'credit_not_processed'
      ? para(
          refund.accepted_via
            ? `The customer accepted ${ctx.company}'s refund policy at checkout (${refund.accepted_via}); it is quoted in the refund policy disclosure.`
            : `${cap(ctx.company)}'s refund policy was shown to the customer at checkout; it is quoted in the refund policy disclosure.`,
          [
            'refund policy shown at checkout',
            ...(refund.accepted_via ? [`refund policy accepted via ${refund.accepted_via}`] : []),
          ],
          2,
        )
      : para('');
  return join([
    paymentPara(ctx),
    ...argument[ctx.category](),
    policyLine,
    para(wording ? excerpt(wording, 1500) : '', [], 1),
  ]);
}

// ─── Visa Compelling Evidence 3.0 ───────────────────────────────────────────────────────────────────

function compellingEvidence(ctx: Ctx): Ce3Result {
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

// ─── the draft ───────────────────────────────────────────────────────────────────────────────────────

function serviceDate(ctx: Ctx): Para {
  if (ctx.paidMs === null) return para('');
  const parts = [`${fmtDate(ctx.paidMs)} (payment date)`];
  const m = ctx.facts.membership;
  const start = toMs(m?.renewal_period_start);
  const end = toMs(m?.renewal_period_end);
  const claims: string[] = [];
  // The membership's current period only describes this payment if the payment falls inside it.
  if (start !== null && end !== null && start <= ctx.paidMs + DAY_MS && ctx.paidMs < end) {
    parts.push(`billing period ${fmtDate(start)} to ${fmtDate(end)}`);
    claims.push(`billing period ${new Date(start).toISOString()} to ${new Date(end).toISOString()}`);
  }
  if (ctx.used) {
    parts.push(
      `product used from ${fmtDate(ctx.summary.firstAccessAfterPurchase!)} to ${fmtDate(ctx.summary.lastAccessAfterPurchase!)}`,
    );
    claims.push(
      `first access after purchase: ${ctx.summary.firstAccessAfterPurchase}`,
      `last access after purchase: ${ctx.summary.lastAccessAfterPurchase}`,
    );
  }
  return para(`${parts.join('; ')}.`, claims);
}

function productDescription(ctx: Ctx): string | null {
  const description = ctx.facts.policy.product_description;
  const listing = ctx.product ? `Sold on Whop by ${ctx.company} as "${ctx.product}".` : '';
  if (!description) return listing || null;
  return [description, listing].filter(Boolean).join('\n\n');
}

/** Builds the evidence draft for one dispute. Pure. */
export function buildEvidence(facts: EvidenceFacts): EvidenceDraft {
  const ctx = context(facts);
  const { policy, dispute } = facts;
  const ce3 = ctx.category === 'fraud' ? compellingEvidence(ctx) : null;
  const fields: EvidenceFields = {};
  const statements: string[] = [];
  const set = (name: EvidenceTextField, value: { text: string; claims: string[] } | string | null) => {
    const text = typeof value === 'string' || value === null ? value : value.text;
    if (!text?.trim()) return;
    fields[name] = fitText(text.trim(), FIELD_LIMIT);
    if (typeof value === 'object' && value !== null) statements.push(...value.claims);
  };

  set('customer_name', ctx.fullName);
  set('customer_email_address', customerEmail(ctx));
  set('billing_address', billingAddress(ctx));
  set('product_description', productDescription(ctx));
  set('service_date', join([serviceDate(ctx)]));
  set('access_activity_log', accessLog(ctx));
  if (policy.refund_policy)
    set('refund_policy_disclosure', join([disclosureText('refund', policy.refund_policy, policy.terms_url)]));
  if (policy.cancellation_policy) {
    set(
      'cancellation_policy_disclosure',
      join([disclosureText('cancellation', policy.cancellation_policy, policy.terms_url)]),
    );
  }
  set('refund_refusal_explanation', join(refundRefusal(ctx)));
  set('notes', notes(ctx, ce3));

  if (!ctx.used && ctx.paidMs !== null) {
    ctx.warnings.push(
      ctx.summary.totalEvents === 0
        ? 'No access events for this customer: the evidence rests on Whop data alone.'
        : 'No access events after this payment.',
    );
  }
  if (ctx.used) matchWarnings(ctx);
  if (!policy.refund_policy)
    ctx.warnings.push('No refund policy in the policy file for this company/product.');
  if (ctx.category === 'subscription' && !policy.cancellation_policy) {
    ctx.warnings.push(
      'No cancellation policy in the policy file: subscription disputes are hard to win without one.',
    );
  }
  if (
    ctx.category === 'fraud' &&
    ctx.summary.ipMatchesPurchase !== true &&
    ctx.summary.deviceMatchesPurchase !== true &&
    !ce3?.qualifies
  ) {
    ctx.warnings.push(
      'Fraud dispute with no IP/device match to the purchase and no CE 3.0 history: a weak case.',
    );
  }
  if (dispute.editable === false || !AWAITING_MERCHANT.dispute.has(dispute.status)) {
    ctx.warnings.push(
      `The dispute is ${humanize(dispute.status)}${dispute.editable === false ? ' and no longer editable' : ''}.`,
    );
  }

  return {
    fields,
    category: ctx.category,
    access: ctx.summary,
    ce3,
    statements: [...new Set(statements)],
    warnings: [...new Set(ctx.warnings)],
  };
}
