/**
 * The daily digest: what needs the merchant today first (open items by deadline, the money at stake,
 * each dispute's case strength), then what the autopilot did since the last digest (evidence staged and
 * submitted, refunds by auto-refund) and what was won and lost. Pure: the reads are the dispatcher's.
 */
import type { CaseRecord } from '../cases/case-record.js';
import type { CaseStrength } from '../evidence/case-strength.js';
import { formatMinor, toMinor } from '../money/money.js';
import type { Alert, AlertField } from './alert.js';
import { dueSeverity, idPart, money, pendingWhat, strengthWords } from './compose-parts.js';
import { shouldRemind } from './reminder-schedule.js';
import { formatDateTime, humanize, type Instant, timeLeftWords, toMs } from './wording.js';

/**
 * One thing the autopilot did, or an outcome, for the digest (`AlertStore.recordActivity`). `amount`:
 * minor units of `currency` (null when unknown). `at`: ISO 8601.
 */
export interface ActivityEntry {
  kind: 'evidence_staged' | 'evidence_submitted' | 'refunded' | 'won' | 'lost';
  caseId: string;
  amount: number | null;
  currency: string | null;
  at: string;
}

const MAX_LISTED = 10;

const ACTIVITY_WORDS: Record<ActivityEntry['kind'], string> = {
  evidence_staged: 'Evidence staged',
  evidence_submitted: 'Evidence submitted',
  refunded: 'Refunded by auto-refund',
  won: 'Won',
  lost: 'Lost',
};

/**
 * Sums amounts per currency and formats them ("$49.00 + €20.00"); amounts Whop gives in major units
 * (`decimal: true`, a record's) are turned into minor units first. Unknown or unreadable amounts are left
 * out and counted in `unknown`.
 */
export function moneyTotal(
  items: readonly { amount: number | null; currency: string | null }[],
  opts: { decimal: boolean },
): { text: string; unknown: number } {
  const sums = new Map<string, number>();
  let unknown = 0;
  for (const it of items) {
    if (it.amount === null || !it.currency) {
      unknown++;
      continue;
    }
    try {
      const code = it.currency.toUpperCase();
      const minor = opts.decimal ? toMinor(it.amount, code) : it.amount;
      sums.set(code, (sums.get(code) ?? 0) + minor);
    } catch {
      unknown++;
    }
  }
  const text = [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, minor]) => formatMinor(minor, code))
    .join(' + ');
  return { text, unknown };
}

/** Sort key: soonest due first, no due date last. */
function dueOrder(r: CaseRecord): number {
  const due = toMs(r.dueAt);
  return Number.isFinite(due) ? due : Number.POSITIVE_INFINITY;
}

/**
 * The digest for one company and period (null when nothing awaits the merchant and nothing happened
 * since the last digest). `periodKey` names the period (e.g. `2025-03-10` for a daily one): part of the
 * id, so each period sends once.
 */
export function composeDigest(input: {
  companyId: string | null;
  periodKey: string;
  /** The company's open records (those not awaiting the merchant are left out here). */
  records: readonly CaseRecord[];
  now: Instant;
  /** Cases on financed payments: left out, Whop refunds them. */
  financedCaseIds?: ReadonlySet<string>;
  /** Per dispute id: its case strength, when the evidence stage assessed it. */
  strengths?: ReadonlyMap<string, Pick<CaseStrength, 'strength' | 'recommendation'>>;
  /** What happened since the last digest (`ActivityEntry`), any order. */
  activity?: readonly ActivityEntry[];
}): Alert | null {
  const { now } = input;
  const pending = input.records
    .filter((r) => shouldRemind(r, input.financedCaseIds?.has(r.id) ?? false))
    .sort((a, b) => dueOrder(a) - dueOrder(b));
  // One line per thing: a retried record of the same act counts once.
  const activity = [...new Map((input.activity ?? []).map((a) => [`${a.kind}.${a.caseId}`, a])).values()];
  if (pending.length === 0 && activity.length === 0) return null;

  const n = pending.length;
  const stake = moneyTotal(pending, { decimal: true });
  const first = pending[0];
  const fields: AlertField[] = pending.slice(0, MAX_LISTED).map((r) => {
    const strength = input.strengths?.get(r.id);
    return {
      label: `${humanize(pendingWhat(r))} ${money(r)}`,
      value: [
        r.dueAt ? `due ${formatDateTime(r.dueAt)} (${timeLeftWords(r.dueAt, now)})` : 'no due date',
        ...(strength ? [strengthWords(strength)] : []),
        r.id,
      ].join(' · '),
    };
  });
  if (n > MAX_LISTED) fields.push({ label: 'More', value: `and ${n - MAX_LISTED} more` });
  if (n > 0 && stake.text) fields.push({ label: 'At stake', value: stake.text });

  const done: string[] = [];
  for (const kind of Object.keys(ACTIVITY_WORDS) as ActivityEntry['kind'][]) {
    const of = activity.filter((a) => a.kind === kind);
    if (of.length === 0) continue;
    const total = moneyTotal(of, { decimal: false }).text;
    const value = `${of.length}${total ? ` (${total})` : ''}`;
    fields.push({ label: ACTIVITY_WORDS[kind], value });
    done.push(`${ACTIVITY_WORDS[kind].toLowerCase()}: ${value}`);
  }

  const lead =
    n === 0
      ? 'Nothing awaits your answer in Whop today.'
      : `${n} ${n === 1 ? 'dispute or case needs' : 'disputes and cases need'} your answer in Whop` +
        (stake.text ? `, ${stake.text} at stake` : '') +
        '.' +
        (first?.dueAt
          ? ` The first is due ${formatDateTime(first.dueAt)} (${timeLeftWords(first.dueAt, now)}).`
          : '');
  const since = done.length ? ` Since the last digest: ${done.join('; ')}.` : '';
  return {
    id: `digest.${idPart(input.companyId ?? 'all')}.${idPart(input.periodKey)}`,
    kind: 'digest',
    severity: first ? dueSeverity(first.dueAt, now, 'warning') : 'info',
    companyId: input.companyId,
    title:
      n === 0
        ? 'Daily digest: nothing awaits your answer'
        : `Today: ${n} ${n === 1 ? 'item needs' : 'items need'} your answer${stake.text ? ` (${stake.text} at stake)` : ''}`,
    summary: `${lead}${since}`,
    fields,
  };
}
