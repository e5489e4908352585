/**
 * What the customer's access shows, as evidence text: the access activity log, and the sentences about
 * use after the purchase, matches with the purchase IP / device, and Whop's own records that the
 * per-reason arguments reuse. Each sentence states only what the access summary holds.
 */
import type { AccessSummary, DeviceRef } from './access-summary.js';
import type { EvidenceContext } from './evidence-facts.js';
import {
  beforeOnly,
  cap,
  cell,
  fitText,
  fmtDate,
  fmtDateTime,
  fmtDelay,
  humanize,
  listWithMore,
  plural,
  share,
  table,
  toMs,
} from './format.js';
import { FIELD_LIMIT, type FieldText, type Para, para } from './paragraph.js';

/** Statuses in which Whop granted access at some point (drafted/unresolved never did). */
export const ACCESS_GRANTED = new Set([
  'trialing',
  'active',
  'past_due',
  'completed',
  'canceled',
  'expired',
  'canceling',
]);

function deviceLabel(d: DeviceRef): string {
  return d.basis === 'device_id' ? `device ${d.value}` : `browser (user agent) "${d.value}"`;
}

/** Whop's member actions that show the customer joined or paid; the others (left, churned…) argue nothing for the merchant. */
const FAVOURABLE_ACTIONS = new Set([
  'paid_subscriber',
  'paid_once',
  'renewing',
  'joined',
  'trialing',
  'finished_split_pay',
]);

const DAY_MS = 86_400_000;

/**
 * What Whop itself records about the customer's access: the fallback when the merchant has no events.
 * Only what argues for the merchant is stated (evidence is advocacy): a membership Whop never activated,
 * a member's last action that is not joining or paying, or one from before the payment, and an account
 * younger than a day at the payment are left out, and the ones that weaken the case are said in
 * `ctx.warnings` for the merchant instead.
 */
export function whopRecordsPara(ctx: EvidenceContext, rank = 1): Para {
  const { membership, member, user } = ctx.facts;
  const sentences: string[] = [];
  const claims: string[] = [];
  if (membership) {
    const created = toMs(membership.created_at);
    if (ACCESS_GRANTED.has(membership.status)) {
      sentences.push(
        `Whop granted access through membership ${membership.id}${created !== null ? `, created ${fmtDate(created)}` : ''}; its status is now ${humanize(membership.status)}.`,
      );
      claims.push(
        `membership ${membership.id}: status ${membership.status}${created !== null ? `, created ${new Date(created).toISOString()}` : ''}`,
      );
    } else {
      ctx.warnings.push(
        `Membership ${membership.id} is ${humanize(membership.status)}: Whop never granted access through it, so the evidence does not mention it.`,
      );
    }
  }
  if (member) {
    const joined = toMs(member.joined_at);
    const recent = toMs(member.most_recent_action_at);
    if (joined !== null) {
      sentences.push(`${cap(ctx.customer)} joined ${ctx.company} on Whop on ${fmtDate(joined)}.`);
      claims.push(`member ${member.id}: joined ${new Date(joined).toISOString()}`);
    }
    const afterPayment = recent === null || ctx.paidMs === null || recent >= ctx.paidMs;
    if (member.most_recent_action && FAVOURABLE_ACTIONS.has(member.most_recent_action) && afterPayment) {
      sentences.push(
        `Whop's most recent recorded action for this member: ${humanize(member.most_recent_action)}${recent !== null ? ` (${fmtDate(recent)})` : ''}.`,
      );
      claims.push(
        `member ${member.id}: most recent action ${member.most_recent_action}${recent !== null ? ` at ${new Date(recent).toISOString()}` : ''}`,
      );
    }
  }
  const accountCreated = toMs(user?.created_at);
  // Only the buyer's own account can be called "the account that made the payment"; an account made
  // on the day of the payment (or after it) is a fraud signal, not an argument, so it goes unsaid.
  if (user && accountCreated !== null && user.id === ctx.buyer?.id) {
    if (ctx.paidMs === null || accountCreated <= ctx.paidMs - DAY_MS) {
      sentences.push(
        `The Whop account @${user.username} that made the payment was created on ${fmtDate(accountCreated)}.`,
      );
      claims.push(`whop account ${user.id}: created ${new Date(accountCreated).toISOString()}`);
    } else if (ctx.category === 'fraud' || accountCreated > ctx.paidMs) {
      ctx.warnings.push(
        `The customer's Whop account @${user.username} was created ${accountCreated > ctx.paidMs ? 'after' : 'less than a day before'} the payment (${fmtDateTime(accountCreated)}), so the evidence does not mention its age.`,
      );
    }
  }
  return para(sentences.length ? `Whop's records: ${sentences.join(' ')}` : '', claims, rank);
}

/**
 * For the merchant, never the evidence: that no access is recorded (at all, or after this payment).
 * A missing fact is left out of what the bank reads; the merchant hears it here instead.
 */
export function noUsageWarning(ctx: EvidenceContext): string {
  const s = ctx.summary;
  if (s.totalEvents === 0 || ctx.paidMs === null) {
    return 'No access events for this customer: the evidence rests on Whop data alone.';
  }
  return `No access events after this payment (${beforeOnly(s.eventsBeforePurchase, 'your').replace(/it$/, 'the payment')}): the evidence leaves usage out.`;
}

/** The claims every account of use after the purchase makes: counts, and first and last access. */
function usageClaims(s: AccessSummary): string[] {
  return [
    `events after purchase: ${s.eventsAfterPurchase}`,
    `sessions after purchase: ${s.sessionsAfterPurchase}`,
    `active days after purchase: ${s.activeDaysAfterPurchase}`,
    `first access after purchase: ${s.firstAccessAfterPurchase}`,
    `last access after purchase: ${s.lastAccessAfterPurchase}`,
  ];
}

/** `Whop payment pay_…: 49.00 USD, paid 2025-02-14 16:02 UTC.`, or empty without the payment. */
function paymentLine(ctx: EvidenceContext): string {
  return ctx.paymentId && ctx.paidMs !== null
    ? `Whop payment ${ctx.paymentId}: ${ctx.amount ?? 'amount unknown'}, paid ${fmtDateTime(ctx.paidMs)}.`
    : '';
}

/** Use after the purchase, from the merchant's own records, after `lead`; empty when there was none. */
export function usagePara(ctx: EvidenceContext, lead: string, rank = 1): Para {
  const s = ctx.summary;
  if (!ctx.used) return para('');
  const first = Date.parse(s.firstAccessAfterPurchase!);
  const last = Date.parse(s.lastAccessAfterPurchase!);
  const actions = s.actionsByType.slice(0, 4);
  const claims = [
    ...usageClaims(s),
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
export function matchSentences(ctx: EvidenceContext): { sentences: string[]; claims: string[] } {
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

/** Warns where the purchase IP / device is not seen again, or matches by user agent only. */
export function matchWarnings(ctx: EvidenceContext): void {
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

/**
 * The `access_activity_log` field: the merchant's own record of the customer's use after the purchase
 * (counts, first and last access, IPs, devices, actions, purchase matches) ending in a table of the
 * latest events that shrinks row by row to fit; empty (the field left out) without use after it.
 */
export function accessLogText(ctx: EvidenceContext): FieldText {
  const s = ctx.summary;
  const header = `Access log kept by ${ctx.company} in its own product or service (outside Whop) for ${ctx.customer}${ctx.buyer ? ` (Whop user ${ctx.buyer.id})` : ''}.`;
  // No use to show: the field is left out (never a sentence saying there was none). What Whop records is
  // in the notes; this field is Whop's own IP log and the merchant's records after it, and without use
  // the merchant has no records to add.
  if (!ctx.used) return { text: '', claims: [] };
  const first = Date.parse(s.firstAccessAfterPurchase!);
  const lines: string[] = [header];
  const claims = [
    ...usageClaims(s),
    `distinct IPs after purchase: ${s.ipsAfterPurchase.length}`,
    `distinct devices after purchase: ${s.devicesAfterPurchase.length}`,
  ];
  const payment = paymentLine(ctx);
  if (payment) lines.push(payment);
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
