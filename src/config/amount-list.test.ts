import { describe, expect, it } from 'vitest';
import { parseAmountList } from './amount-list.js';

describe('parseAmountList', () => {
  it('reads amounts per currency into exact minor units', () => {
    expect(parseAmountList('25 USD')).toEqual([{ currency: 'USD', minor: 2500 }]);
    expect(parseAmountList(' 25 usd ,3000 JPY, 1.5 bhd,')).toEqual([
      { currency: 'USD', minor: 2500 },
      { currency: 'JPY', minor: 3000 },
      { currency: 'BHD', minor: 1500 },
    ]);
    expect(parseAmountList('')).toEqual([]);
  });

  it.each([
    ['25', /"25" is not an amount and a currency like 25 USD/],
    ['USD 25', /"USD 25" is not an amount and a currency/],
    ['25 XYZ', /"25 XYZ" is not an amount and a currency/],
    ['-5 USD', /"-5 USD": "-5" is not an amount/],
    ['2.5 JPY', /"2.5 JPY": 2.5 JPY has decimals, but JPY has no minor unit/],
    ['25 USD, 10 usd', /USD is given twice/],
  ])('refuses %s, saying why', (raw, message) => {
    expect(() => parseAmountList(raw)).toThrow(message);
  });
});
