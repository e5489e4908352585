/**
 * Money: amounts are integer **minor units** (cents, yen, fils) inside this service and
 * decimal numbers in the currency (`42.5` = $42.50) only at Whop's API edge. Whop's payments, refunds
 * and dispute alerts carry decimals (`total`, `refunded_amount`, `amount`; `payments.refund`'s
 * `partial_amount` is "the amount to refund" in the payment's currency — node_modules/@whop/sdk/src/
 * resources/payments.ts and shared.ts). Sums and comparisons on those decimals in floating point drift
 * (0.1 + 0.2 = 0.30000000000000004), and this is the one place the service moves money, so every
 * decimal becomes an exact integer first, or is refused.
 *
 * Currency codes are ISO 4217, any case (`usd`, as Whop sends them, or `USD`); results use upper case.
 *
 * A shared kernel, not a feature: the policy file's refund limits are converted here at parse time, and
 * configuration may import no feature folder, so this lives beside neither `src/refunds/` nor `src/policy/`.
 */

/** Why an amount or currency was refused: `invalid_amount` (not a non-negative number), `inexact_amount`
 *  (more decimals than the currency has, or too large to hold exactly), `unsupported_currency`. */
export type AmountErrorCode = 'invalid_amount' | 'inexact_amount' | 'unsupported_currency';

export class AmountError extends Error {
  constructor(
    readonly code: AmountErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AmountError';
  }
}

/**
 * Minor-unit exponents that differ from 2, from ISO 4217 List One (the maintenance agency's published
 * table, column "Minor unit"; amendment of 2024). Every other ISO currency has 2.
 */
const ZERO_DECIMAL = [
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
];
const THREE_DECIMAL = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'];
const FOUR_DECIMAL = ['CLF', 'UYW'];
const EXPONENTS: ReadonlyMap<string, number> = new Map([
  ...ZERO_DECIMAL.map((c) => [c, 0] as const),
  ...THREE_DECIMAL.map((c) => [c, 3] as const),
  ...FOUR_DECIMAL.map((c) => [c, 4] as const),
]);

/**
 * Codes with no minor unit at all: ISO's "N.A." rows (precious metals, SDR, bond units, test and
 * no-currency codes), and the non-fiat codes in Whop's own `Currency` enum (shared.ts: `btc`, `eth`,
 * `ape`, `usdt`, `whop_usd`, `xau`). Guessing an exponent for these could misstate an amount, so they are
 * refused.
 */
const NO_MINOR_UNIT = new Set([
  'XAG',
  'XAU',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XPD',
  'XPT',
  'XSU',
  'XTS',
  'XUA',
  'XXX',
  'BTC',
  'ETH',
  'APE',
  'USDT',
  'WHOP_USD',
]);

/**
 * The largest amount handled, in minor units: 15 digits, so that every amount survives the trip to a
 * JSON number and back exactly (a double holds any 15-significant-digit decimal; 16 and more may not).
 * That is ten trillion dollars, or a quadrillion yen.
 */
export const MAX_MINOR = 999_999_999_999_999;

/** `usd` → `USD`; throws `AmountError` (`unsupported_currency`) for what is not a fiat code we can size. */
export function currencyCode(currency: string): string {
  const code = String(currency).trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || NO_MINOR_UNIT.has(code)) {
    throw new AmountError('unsupported_currency', `${currency} is not a fiat currency with a minor unit`);
  }
  return code;
}

/** Digits after the decimal point in the currency's minor unit (ISO 4217): JPY 0, USD 2, BHD 3. */
export function currencyExponent(currency: string): number {
  return EXPONENTS.get(currencyCode(currency)) ?? 2;
}

let knownCodes: ReadonlySet<string> | undefined;

/**
 * True for a code that names a real, current fiat currency: one the runtime's ICU data knows as ISO 4217
 * (`Intl.supportedValuesOf('currency')`) and that has a minor unit. For validating what people type
 * (the policy file); amounts from Whop only need `currencyExponent`.
 */
export function isFiatCurrency(currency: string): boolean {
  knownCodes ??= new Set(Intl.supportedValuesOf('currency'));
  const code = String(currency).trim().toUpperCase();
  return knownCodes.has(code) && /^[A-Z]{3}$/.test(code) && !NO_MINOR_UNIT.has(code);
}

/**
 * A decimal amount in the currency → integer minor units: `toMinor(42.5, 'usd')` = 4250,
 * `toMinor('500', 'JPY')` = 500, `toMinor(1.234, 'BHD')` = 1234.
 *
 * Takes a JSON number as Whop sends it, or a decimal string as a person types it (`"42"`, `"42.50"`; no
 * sign, exponent, thousands separator or currency symbol). A number is read by its shortest decimal
 * form, which for a number parsed from JSON is the literal Whop wrote; arithmetic on decimals does not
 * produce such a literal (0.1 + 0.2 reads `0.30000000000000004`) and is refused rather than rounded.
 * Trailing zeros past the exponent are exact and accepted (`"500.00"` yen).
 *
 * Throws `AmountError`: `invalid_amount` (NaN, infinite, negative, not a number or decimal string),
 * `inexact_amount` (more significant decimals than the currency has, or more than `MAX_MINOR`),
 * `unsupported_currency`.
 */
export function toMinor(decimal: number | string, currency: string): number {
  const exponent = currencyExponent(currency);
  let text: string;
  if (typeof decimal === 'number') {
    if (!Number.isFinite(decimal) || decimal < 0) {
      throw new AmountError('invalid_amount', `${decimal} is not an amount (a number ≥ 0)`);
    }
    text = String(decimal);
    // 1e21 and 1e-7 print in exponent form: far outside any amount we can hold exactly.
    if (/e/i.test(text)) {
      throw new AmountError('inexact_amount', `${text} ${currencyCode(currency)} cannot be held exactly`);
    }
  } else if (typeof decimal === 'string') {
    text = decimal.trim();
  } else {
    throw new AmountError('invalid_amount', `${String(decimal)} is not an amount (a number ≥ 0)`);
  }
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) {
    throw new AmountError(
      'invalid_amount',
      `"${text}" is not an amount (digits, optionally with a decimal point)`,
    );
  }
  const whole = m[1]!;
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    const code = currencyCode(currency);
    throw new AmountError(
      'inexact_amount',
      exponent === 0
        ? `${text} ${code} has decimals, but ${code} has no minor unit`
        : `${text} ${code} has more than ${exponent} decimals`,
    );
  }
  const digits = `${whole}${fraction.padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_MINOR).length) {
    throw new AmountError('inexact_amount', `${text} ${currencyCode(currency)} is too large to hold exactly`);
  }
  return Number(digits);
}

function checkMinor(minor: number): void {
  if (!Number.isSafeInteger(minor) || Math.abs(minor) > MAX_MINOR) {
    throw new AmountError('invalid_amount', `${minor} is not a whole number of minor units`);
  }
}

/**
 * Minor units → the decimal string in the currency, exactly: `toDecimalString(4250, 'usd')` = `"42.50"`,
 * `toDecimalString(500, 'JPY')` = `"500"`. Throws `AmountError` for a non-integer or an unsupported code.
 */
export function toDecimalString(minor: number, currency: string): string {
  checkMinor(minor);
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * Minor units → the decimal number Whop's API takes (`payments.refund`'s `partial_amount`):
 * `toDecimal(4250, 'usd')` = 42.5. Exact for every amount up to `MAX_MINOR`: the number's JSON form is the
 * decimal itself, so `toMinor(toDecimal(m, c), c) === m`. Only for the API edge; never add the results.
 */
export function toDecimal(minor: number, currency: string): number {
  return Number(toDecimalString(minor, currency));
}

/**
 * Minor units for people: `$42.00`, `¥500`, `€19.50`, `BHD 1.500`, always with the currency's ISO
 * number of decimals (en-US symbols; locale-independent so the same refund reads the same everywhere).
 * Plain spaces only (ICU puts no-break spaces in `BHD 1.500`).
 */
export function formatMinor(minor: number, currency: string): string {
  const code = currencyCode(currency);
  const exponent = currencyExponent(code);
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: code,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // A decimal string is formatted exactly (Intl.NumberFormat v3), with no detour through a double.
  return format.format(toDecimalString(minor, code) as `${number}`).replace(/[\u00a0\u202f]/g, ' ');
}

/**
 * Refund statuses that hold money against a payment; a failed or canceled refund frees its amount
 * again (SDK refunds.ts `RefundStatus`; the simulator does the same, following Whop's behaviour).
 */
export const COUNTED_REFUND_STATUSES: ReadonlySet<string> = new Set([
  'pending',
  'requires_action',
  'succeeded',
]);

/** The parts of a payment (SDK `Payment`, shared.ts) the refundable amount follows from; decimals. */
export interface PaymentAmounts {
  currency: string;
  /** "The total to show to the creator", decimal in `currency`; null when Whop does not say. */
  total: number | null;
  /** Decimal in `currency`; null means none yet. */
  refunded_amount: number | null;
  /** Newest first, at most the 100 most recent (shared.ts), including failed and canceled attempts. */
  refunds?: ReadonlyArray<{ amount: number; currency: string; status: string }> | null;
}

/**
 * What may still be refunded on a payment, in minor units of its currency: `total` minus what is
 * already refunded, never below 0. "Already refunded" is the larger of `refunded_amount` and the sum of
 * `refunds[]` that hold money (pending, requires_action, succeeded): Whop does not document whether
 * `refunded_amount` counts a refund still pending, and counting it twice is the safe error here — it
 * can only refund less, never more than the payment.
 *
 * Throws `AmountError`: no `total`, an inexact amount, or a refund in another currency.
 */
export function remainingRefundable(payment: PaymentAmounts): number {
  const code = currencyCode(payment.currency);
  if (payment.total === null || payment.total === undefined) {
    throw new AmountError('invalid_amount', 'Whop gives no total for this payment');
  }
  const total = toMinor(payment.total, code);
  let listed = 0;
  for (const refund of payment.refunds ?? []) {
    if (!COUNTED_REFUND_STATUSES.has(refund.status)) continue;
    if (currencyCode(refund.currency) !== code) {
      throw new AmountError(
        'unsupported_currency',
        `a refund on this payment is in ${refund.currency.toUpperCase()}, the payment in ${code}`,
      );
    }
    listed += toMinor(refund.amount, code);
  }
  const refunded = Math.max(listed, toMinor(payment.refunded_amount ?? 0, code));
  return Math.max(0, total - refunded);
}
