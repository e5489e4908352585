import { describe, expect, it } from 'vitest';
import { beforeOnly, cell, excerpt, fitText, fmtAmount, fmtDelay, table, toMs } from './format.js';

describe('fmtAmount', () => {
  it('writes major units with the currency’s decimals', () => {
    expect(fmtAmount(49, 'usd')).toBe('49.00 USD');
    expect(fmtAmount(49.99, 'eur')).toBe('49.99 EUR');
    expect(fmtAmount(5000, 'jpy')).toBe('5000 JPY');
  });

  it('never rounds away digits the amount has, and copes with non-ISO codes', () => {
    expect(fmtAmount(0.00123, 'btc')).toBe('0.00123 BTC');
    expect(fmtAmount(10, 'whop_usd')).toBe('10.00 WHOP_USD');
  });

  it('gives null for no amount', () => {
    expect(fmtAmount(null, 'usd')).toBeNull();
    expect(fmtAmount(Number.NaN, 'usd')).toBeNull();
  });
});

describe('fitText', () => {
  it('leaves text that fits alone', () => {
    expect(fitText('a\nb', 3)).toBe('a\nb');
  });

  it('drops whole trailing lines and marks the cut', () => {
    const text = ['line one', 'line two', 'line three'].join('\n');
    expect(fitText(text, 18)).toBe('line one\n[…]');
    // 'line one\nline two\n[…]' is exactly 21 characters.
    expect(fitText(text, 21)).toBe('line one\nline two\n[…]');
    expect(fitText(text, 20)).toBe('line one\n[…]');
  });

  it('cuts a single over-long line at a word boundary', () => {
    const fitted = fitText(`${'word '.repeat(50)}end`, 40);
    expect(fitted.length).toBeLessThanOrEqual(40);
    expect(fitted).toMatch(/^(word )+?word…$/);
  });
});

describe('excerpt', () => {
  it('prefers a sentence end, then a space', () => {
    expect(excerpt('First sentence here. Second sentence is longer than the room.', 30)).toBe(
      'First sentence here.…',
    );
    expect(excerpt('alpha beta gamma delta', 14)).toBe('alpha beta…');
    expect(excerpt('short', 10)).toBe('short');
  });
});

describe('table and cells', () => {
  it('aligns columns and trims trailing space', () => {
    expect(
      table(
        ['A', 'BB'],
        [
          ['xyz', 'q'],
          ['1', ''],
        ],
      ),
    ).toEqual(['A    BB', 'xyz  q', '1']);
  });

  it('cuts cells with a marker and shows a dash for nothing', () => {
    expect(cell('abcdefgh', 5)).toBe('abcd…');
    expect(cell(null, 5)).toBe('-');
  });
});

describe('small helpers', () => {
  it('reads Whop dates in every form', () => {
    expect(toMs('2025-02-14T16:02:13Z')).toBe(Date.UTC(2025, 1, 14, 16, 2, 13));
    expect(toMs(1_739_548_933)).toBe(1_739_548_933_000);
    expect(toMs('garbage')).toBeNull();
    expect(toMs(null)).toBeNull();
  });

  it('rounds delays to something readable', () => {
    expect(fmtDelay(5 * 60_000)).toBe('5 minutes');
    expect(fmtDelay(60_000)).toBe('1 minute');
    expect(fmtDelay(5 * 3_600_000)).toBe('5 hours');
    expect(fmtDelay(3 * 86_400_000)).toBe('3 days');
  });

  it('agrees in number', () => {
    expect(beforeOnly(1, 'its')).toBe('its only recorded event for this customer is from before it');
    expect(beforeOnly(4, 'your')).toBe('your 4 recorded events for this customer are all from before it');
  });
});
