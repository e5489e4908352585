/**
 * Amounts per currency as an operator writes them in the environment: `25 USD` or `25 USD, 20 GBP,
 * 3000 JPY`. Held as integer minor units (src/money/money.ts), so comparing with Whop's decimals is exact.
 */
import { currencyCode, isFiatCurrency, toMinor } from '../money/money.js';

/** An amount in one currency: `{ currency: 'USD', minor: 2500 }` is $25.00. */
export interface MinorAmount {
  /** ISO 4217, upper case. */
  currency: string;
  /** Integer minor units of `currency`. */
  minor: number;
}

/**
 * Parses `25 USD, 20 GBP` (amount, then an ISO 4217 code; any case; comma-separated; at most one per
 * currency). Throws an Error saying what is wrong with the first bad entry.
 */
export function parseAmountList(raw: string): MinorAmount[] {
  const out: MinorAmount[] = [];
  for (const entry of raw.split(',').map((e) => e.trim())) {
    if (!entry) continue;
    const m = /^(\S+)\s+([A-Za-z]{3})$/.exec(entry);
    if (!m || !isFiatCurrency(m[2]!)) {
      throw new Error(`"${entry}" is not an amount and a currency like 25 USD`);
    }
    const currency = currencyCode(m[2]!);
    if (out.some((a) => a.currency === currency)) throw new Error(`${currency} is given twice`);
    try {
      out.push({ currency, minor: toMinor(m[1]!, currency) });
    } catch (err) {
      throw new Error(`"${entry}": ${(err as Error).message}`);
    }
  }
  return out;
}
