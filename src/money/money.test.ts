import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmountError,
  currencyExponent,
  formatMinor,
  isFiatCurrency,
  MAX_MINOR,
  remainingRefundable,
  toDecimal,
  toDecimalString,
  toMinor,
} from './money.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AmountError) return err.code;
    throw err;
  }
  return undefined;
}

describe('currencyExponent (ISO 4217)', () => {
  it.each([
    ['usd', 2],
    ['EUR', 2],
    ['jpy', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['xof', 0],
    ['bhd', 3],
    ['KWD', 3],
    ['tnd', 3],
    ['CLF', 4],
    // ISO says 2 where ICU's display data says 0: ISO decides what an amount may hold.
    ['HUF', 2],
    ['IDR', 2],
  ])('%s has %d decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it.each(['btc', 'eth', 'usdt', 'whop_usd', 'xau', 'XDR', 'US', ''])('refuses %s', (code) => {
    expect(codeOf(() => currencyExponent(code))).toBe('unsupported_currency');
  });
});

describe('isFiatCurrency', () => {
  it.each([
    ['USD', true],
    ['jpy', true],
    ['BHD', true],
    ['USX', false],
    ['BTC', false],
    ['XAU', false],
    ['whop_usd', false],
  ])('%s → %s', (code, fiat) => {
    expect(isFiatCurrency(code)).toBe(fiat);
  });
});

describe('toMinor', () => {
  it.each([
    [42, 'usd', 4200],
    [42.5, 'usd', 4250],
    [0.29, 'usd', 29],
    [1.005, 'bhd', 1005],
    [19.99, 'eur', 1999],
    [500, 'jpy', 500],
    ['42', 'USD', 4200],
    ['42.50', 'USD', 4250],
    [' 0.07 ', 'USD', 7],
    ['500.00', 'JPY', 500],
    ['1.230', 'USD', 123],
    [0, 'usd', 0],
    ['0', 'jpy', 0],
    [9_999_999_999_999.99, 'usd', MAX_MINOR],
  ])('%s %s → %d', (decimal, currency, minor) => {
    expect(toMinor(decimal, currency)).toBe(minor);
  });

  it.each([
    [0.1 + 0.2, 'usd', 'inexact_amount'], // 0.30000000000000004
    [1.1 * 3, 'usd', 'inexact_amount'], // 3.3000000000000003
    [42.123, 'usd', 'inexact_amount'],
    ['42.001', 'usd', 'inexact_amount'],
    [500.5, 'jpy', 'inexact_amount'],
    ['1.2345', 'bhd', 'inexact_amount'],
    [1e21, 'usd', 'inexact_amount'],
    [1e-7, 'usd', 'inexact_amount'],
    [10_000_000_000_000, 'usd', 'inexact_amount'],
    [Number.NaN, 'usd', 'invalid_amount'],
    [Number.POSITIVE_INFINITY, 'usd', 'invalid_amount'],
    [-1, 'usd', 'invalid_amount'],
    ['-1', 'usd', 'invalid_amount'],
    ['', 'usd', 'invalid_amount'],
    ['1,000', 'usd', 'invalid_amount'],
    ['1e3', 'usd', 'invalid_amount'],
    ['$42', 'usd', 'invalid_amount'],
    ['.5', 'usd', 'invalid_amount'],
    ['42.', 'usd', 'invalid_amount'],
    ['0x10', 'usd', 'invalid_amount'],
    [1, 'btc', 'unsupported_currency'],
  ] as const)('refuses %s %s (%s)', (decimal, currency, code) => {
    expect(codeOf(() => toMinor(decimal, currency))).toBe(code);
  });

  it('says what is wrong in words', () => {
    expect(() => toMinor(500.5, 'jpy')).toThrow('500.5 JPY has decimals, but JPY has no minor unit');
    expect(() => toMinor('42.001', 'usd')).toThrow('42.001 USD has more than 2 decimals');
  });

  it('refuses what is not a number or a string', () => {
    expect(codeOf(() => toMinor(null as unknown as number, 'usd'))).toBe('invalid_amount');
  });
});

describe('toDecimalString, toDecimal', () => {
  it.each([
    [4250, 'usd', '42.50', 42.5],
    [7, 'usd', '0.07', 0.07],
    [0, 'usd', '0.00', 0],
    [500, 'jpy', '500', 500],
    [1005, 'bhd', '1.005', 1.005],
    [30, 'usd', '0.30', 0.3],
  ])('%d %s → %s', (minor, currency, text, decimal) => {
    expect(toDecimalString(minor, currency)).toBe(text);
    expect(toDecimal(minor, currency)).toBe(decimal);
  });

  it('refuses a fraction of a minor unit', () => {
    expect(codeOf(() => toDecimal(42.5, 'usd'))).toBe('invalid_amount');
    expect(codeOf(() => toDecimal(MAX_MINOR + 1, 'usd'))).toBe('invalid_amount');
  });

  it('adds 0.10 + 0.20 as exactly 0.30 in minor units', () => {
    const sum = toMinor(0.1, 'usd') + toMinor(0.2, 'usd');
    expect(sum).toBe(30);
    expect(toDecimal(sum, 'usd')).toBe(0.3);
    expect(JSON.stringify({ partial_amount: toDecimal(sum, 'usd') })).toBe('{"partial_amount":0.3}');
  });
});

const currencies = fc.constantFrom('usd', 'eur', 'jpy', 'krw', 'bhd', 'kwd', 'gbp', 'huf');
const minorAmount = fc.integer({ min: 0, max: MAX_MINOR });

describe('money properties', () => {
  it('minor → Whop decimal → JSON → minor is the identity', () => {
    fc.assert(
      fc.property(minorAmount, currencies, (minor, currency) => {
        const sent = JSON.parse(JSON.stringify(toDecimal(minor, currency))) as number;
        expect(toMinor(sent, currency)).toBe(minor);
        expect(toMinor(toDecimalString(minor, currency), currency)).toBe(minor);
      }),
    );
  });

  it('the sum of converted decimals is the sum of their minor units (no float drift)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 50 }),
        currencies,
        (parts, currency) => {
          const total = parts.reduce((s, m) => s + toMinor(toDecimal(m, currency), currency), 0);
          expect(total).toBe(parts.reduce((s, m) => s + m, 0));
        },
      ),
    );
  });

  it('refunds within the remaining amount never add up to more than the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.array(fc.integer({ min: 1, max: 100_000_000 }), { maxLength: 20 }),
        currencies,
        (totalMinor, asks, currency) => {
          const refunds: { amount: number; currency: string; status: string }[] = [];
          for (const ask of asks) {
            const remaining = remainingRefundable({
              currency,
              total: toDecimal(totalMinor, currency),
              refunded_amount: null,
              refunds,
            });
            const amount = Math.min(ask, remaining);
            if (amount > 0)
              refunds.unshift({ amount: toDecimal(amount, currency), currency, status: 'succeeded' });
          }
          const refunded = refunds.reduce((s, r) => s + toMinor(r.amount, currency), 0);
          expect(refunded).toBeLessThanOrEqual(totalMinor);
          expect(
            remainingRefundable({
              currency,
              total: toDecimal(totalMinor, currency),
              refunded_amount: null,
              refunds,
            }),
          ).toBe(totalMinor - refunded);
        },
      ),
    );
  });

  it('a decimal with more digits than the exponent is always refused, never rounded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 9 }),
        currencies,
        (minor, extraDigit, currency) => {
          const text = `${toDecimalString(minor, currency)}${currencyExponent(currency) === 0 ? '.' : ''}${extraDigit}`;
          expect(codeOf(() => toMinor(text, currency))).toBe('inexact_amount');
        },
      ),
    );
  });
});

describe('formatMinor', () => {
  it.each([
    [4200, 'usd', '$42.00'],
    [4250, 'USD', '$42.50'],
    [500, 'jpy', '¥500'],
    [1_234_567, 'jpy', '¥1,234,567'],
    [1950, 'eur', '€19.50'],
    [1500, 'bhd', 'BHD 1.500'],
    [123_450, 'huf', 'HUF 1,234.50'],
    [5, 'usd', '$0.05'],
    [MAX_MINOR, 'usd', '$9,999,999,999,999.99'],
  ])('%d %s → %s', (minor, currency, text) => {
    expect(formatMinor(minor, currency)).toBe(text);
  });
});

describe('remainingRefundable', () => {
  const base = { currency: 'usd', total: 50, refunded_amount: null, refunds: [] };
  it.each([
    ['nothing refunded', base, 5000],
    ['refunded_amount', { ...base, refunded_amount: 20.1 }, 2990],
    ['fully refunded', { ...base, refunded_amount: 50 }, 0],
    ['over-refunded (never below 0)', { ...base, refunded_amount: 60 }, 0],
    [
      'a pending refund counts before refunded_amount shows it',
      { ...base, refunded_amount: 0, refunds: [{ amount: 10, currency: 'usd', status: 'pending' }] },
      4000,
    ],
    [
      'failed and canceled refunds free their amount',
      {
        ...base,
        refunded_amount: 0,
        refunds: [
          { amount: 10, currency: 'usd', status: 'failed' },
          { amount: 10, currency: 'usd', status: 'canceled' },
        ],
      },
      5000,
    ],
    [
      'the larger of refunded_amount and refunds[]',
      { ...base, refunded_amount: 30, refunds: [{ amount: 10, currency: 'usd', status: 'succeeded' }] },
      2000,
    ],
    [
      '0.1 + 0.2 refunded of 0.3',
      {
        ...base,
        total: 0.3,
        refunded_amount: null,
        refunds: [
          { amount: 0.1, currency: 'usd', status: 'succeeded' },
          { amount: 0.2, currency: 'usd', status: 'succeeded' },
        ],
      },
      0,
    ],
    ['yen', { currency: 'jpy', total: 5000, refunded_amount: 1200, refunds: [] }, 3800],
  ])('%s', (_name, payment, remaining) => {
    expect(remainingRefundable(payment)).toBe(remaining);
  });

  it('refuses a payment with no total, or a refund in another currency', () => {
    expect(codeOf(() => remainingRefundable({ ...base, total: null }))).toBe('invalid_amount');
    expect(
      codeOf(() =>
        remainingRefundable({ ...base, refunds: [{ amount: 1, currency: 'eur', status: 'succeeded' }] }),
      ),
    ).toBe('unsupported_currency');
  });
});
