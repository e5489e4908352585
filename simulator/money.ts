/** Amounts are decimals in the API (6.9 = $6.90); sums are done in integer cents to avoid float drift. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}

export function round2(amount: number): number {
  return fromCents(toCents(amount));
}
