import { AmountError, currencyCode, toMinor } from '../money/money.js';
import type { InsightDispute } from './insight-dispute.js';

/** Money in one currency, in integer minor units (see src/money/money.ts). */
export interface MoneyTotal {
  currency: string;
  minor: number;
}

/** Chargeback outcomes of one group (a reason, a product or a month). */
export interface OutcomeRow {
  group: string;
  won: number;
  lost: number;
  /** Closed by Whop without a win or a loss (e.g. accepted or withdrawn). */
  closed: number;
  /** Still awaiting the merchant or the bank. */
  pending: number;
  /** won ÷ (won + lost); null before any is decided. */
  winRate: number | null;
  /** The amounts of the won chargebacks, per currency, largest first. */
  recovered: MoneyTotal[];
}

export type OutcomeGrouping = 'reason' | 'product' | 'month';

/** `YYYY-MM` (UTC) of an ISO date, or null. */
export function monthOf(iso: string): string | null {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 7) : null;
}

/** A chargeback: a dispute past the inquiry phase (an inquiry is not decided by the bank). */
export function isChargeback(d: Pick<InsightDispute, 'status'>): boolean {
  return !d.status.startsWith('warning_');
}

function groupOf(d: InsightDispute, by: OutcomeGrouping): string {
  if (by === 'reason') return d.reason ?? 'Unknown reason';
  if (by === 'product') return d.product ?? 'Unknown product';
  return monthOf(d.createdAt) ?? 'Unknown month';
}

/**
 * Win rate and money recovered per reason, product or month (the month the dispute was created, UTC).
 * Chargebacks only: `won` and `lost` are the bank's decisions (Whop dispute statuses), `closed` and
 * `pending` (every other status, including Whop's catch-all `other`) are counted but have no winner.
 * Recovered money is the disputed amount of each won chargeback; amounts in a currency the money module
 * cannot hold exactly are left out of the sums (the counts still include them). Months sort in time
 * order, other groups by decided chargebacks, most first.
 */
export function outcomesBy(disputes: readonly InsightDispute[], by: OutcomeGrouping): OutcomeRow[] {
  const groups = new Map<string, OutcomeRow & { money: Map<string, number> }>();
  for (const d of disputes) {
    if (!isChargeback(d)) continue;
    const key = groupOf(d, by);
    let row = groups.get(key);
    if (!row) {
      row = {
        group: key,
        won: 0,
        lost: 0,
        closed: 0,
        pending: 0,
        winRate: null,
        recovered: [],
        money: new Map(),
      };
      groups.set(key, row);
    }
    if (d.status === 'won') {
      row.won++;
      addMoney(row.money, d);
    } else if (d.status === 'lost') row.lost++;
    else if (d.status === 'closed') row.closed++;
    else row.pending++;
  }
  const rows = [...groups.values()].map(({ money, ...row }) => ({
    ...row,
    winRate: row.won + row.lost > 0 ? row.won / (row.won + row.lost) : null,
    recovered: [...money.entries()]
      .map(([currency, minor]) => ({ currency, minor }))
      .sort((a, b) => b.minor - a.minor || a.currency.localeCompare(b.currency)),
  }));
  if (by === 'month') return rows.sort((a, b) => a.group.localeCompare(b.group));
  return rows.sort((a, b) => b.won + b.lost - (a.won + a.lost) || a.group.localeCompare(b.group));
}

function addMoney(money: Map<string, number>, d: InsightDispute): void {
  if (d.amount === null || !d.currency) return;
  try {
    const code = currencyCode(d.currency);
    money.set(code, (money.get(code) ?? 0) + toMinor(d.amount, code));
  } catch (err) {
    if (!(err instanceof AmountError)) throw err;
  }
}

/** All groups together: the totals line under a table. */
export function totalOutcomes(rows: readonly OutcomeRow[]): OutcomeRow {
  const money = new Map<string, number>();
  for (const r of rows)
    for (const m of r.recovered) money.set(m.currency, (money.get(m.currency) ?? 0) + m.minor);
  const sum = (k: 'won' | 'lost' | 'closed' | 'pending') => rows.reduce((n, r) => n + r[k], 0);
  const [won, lost] = [sum('won'), sum('lost')];
  return {
    group: 'All',
    won,
    lost,
    closed: sum('closed'),
    pending: sum('pending'),
    winRate: won + lost > 0 ? won / (won + lost) : null,
    recovered: [...money.entries()]
      .map(([currency, minor]) => ({ currency, minor }))
      .sort((a, b) => b.minor - a.minor),
  };
}
