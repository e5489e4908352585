import { describe, expect, it } from 'vitest';
import {
  durationWords,
  formatDateTime,
  formatMoney,
  formatPercent,
  formatShortDate,
  humanize,
  offsetWords,
  timeLeftWords,
  withArticle,
} from './wording.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

describe('time words', () => {
  it('two largest units, rounded down', () => {
    expect(durationWords(3 * D + 4 * H + 59 * M)).toBe('3 days 4 hours');
    expect(durationWords(D)).toBe('1 day');
    expect(durationWords(D + 30 * M)).toBe('1 day');
    expect(durationWords(5 * H + 12 * M + 59_000)).toBe('5 hours 12 minutes');
    expect(durationWords(H)).toBe('1 hour');
    expect(durationWords(M)).toBe('1 minute');
    expect(durationWords(59_999)).toBe('less than a minute');
  });

  it('time left, or how long ago the due date passed', () => {
    const due = '2025-03-24T23:59:59.000Z';
    expect(timeLeftWords(due, '2025-03-21T19:30:00.000Z')).toBe('3 days 4 hours left');
    expect(timeLeftWords(due, '2025-03-25T01:59:59.000Z')).toBe('due date passed 2 hours ago');
    expect(timeLeftWords(due, due)).toBe('due date passed less than a minute ago');
    expect(timeLeftWords('never', due)).toBe('unknown');
  });

  it('dates in UTC, saying so', () => {
    expect(formatDateTime('2025-03-24T23:59:59.000Z')).toBe('Mon 24 Mar 2025, 23:59 UTC');
    expect(formatDateTime(Date.UTC(2025, 0, 5, 7, 3))).toBe('Sun 5 Jan 2025, 07:03 UTC');
    expect(formatShortDate(new Date('2025-03-17T10:00:00Z'))).toBe('Mon 17 Mar');
  });

  it('offsets', () => {
    expect(offsetWords(72 * H)).toBe('72 hours');
    expect(offsetWords(H)).toBe('1 hour');
    expect(offsetWords(7 * D)).toBe('7 days');
    expect(offsetWords(90 * M)).toBe('90 minutes');
  });
});

describe('withArticle', () => {
  it('takes "an" before a vowel sound and "a" before a consonant sound, a digit or a symbol', () => {
    const cases: [string, string][] = [
      ['evidence', 'an evidence'],
      ['inquiry', 'an inquiry'],
      ['alerts', 'an alerts'],
      ['early fraud warning', 'an early fraud warning'],
      ['Apple Pay', 'an Apple Pay'],
      ['urgent message', 'an urgent message'],
      ['chargeback', 'a chargeback'],
      ['whop-events', 'a whop-events'],
      ['dispute', 'a dispute'],
      ['user', 'a user'],
      ['unit', 'a unit'],
      ['euro payment', 'a euro payment'],
      ['one-off', 'a one-off'],
      ['$49.00 payment', 'a $49.00 payment'],
    ];
    for (const [phrase, want] of cases) expect(withArticle(phrase), phrase).toBe(want);
    expect(withArticle('evidence', true)).toBe('An evidence');
    expect(withArticle('sweeps', true)).toBe('A sweeps');
  });
});

describe('money, percentages, codes', () => {
  it('formats known currencies, falls back for unknown codes', () => {
    expect(formatMoney(49, 'usd')).toBe('$49.00');
    expect(formatMoney(19.5, 'EUR')).toBe('€19.50');
    expect(formatMoney(1234.5, 'usd')).toBe('$1,234.50');
    expect(formatMoney(49, 'xx1')).toBe('49.00 XX1');
    expect(formatMoney(49, null)).toBe('49.00');
  });

  it('percentages without trailing zeros', () => {
    expect(formatPercent(0.0075)).toBe('0.75%');
    expect(formatPercent(0.015)).toBe('1.5%');
    expect(formatPercent(0.02)).toBe('2%');
  });

  it('humanizes snake_case codes', () => {
    expect(humanize('forgot_to_cancel')).toBe('Forgot to cancel');
    expect(humanize('significantly_not_as_described')).toBe('Significantly not as described');
  });
});
