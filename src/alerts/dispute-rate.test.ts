import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_THRESHOLDS, disputeCountsWords, disputeRate, rateLevel } from './dispute-rate.js';

describe('disputeRate', () => {
  it('is disputes over payments, null without payments', () => {
    expect(disputeRate({ disputes30d: 3, payments30d: 400 })).toBe(0.0075);
    expect(disputeRate({ disputes30d: 0, payments30d: 10 })).toBe(0);
    expect(disputeRate({ disputes30d: 2, payments30d: 0 })).toBeNull();
    expect(disputeRate({ disputes30d: 0, payments30d: 0 })).toBeNull();
  });

  it('refuses counts that are not counts', () => {
    expect(() => disputeRate({ disputes30d: -1, payments30d: 10 })).toThrow(/disputes30d/);
    expect(() => disputeRate({ disputes30d: 1, payments30d: Number.NaN })).toThrow(/payments30d/);
  });
});

describe('rateLevel: the one level a message names', () => {
  it('defaults to 0.75% and 1.5%', () => {
    expect(DEFAULT_RATE_THRESHOLDS).toEqual([0.0075, 0.015]);
  });

  it.each([
    // rate, thresholds, level
    [0.005, undefined, null],
    [0.0075, undefined, 0.0075],
    [0.01, undefined, 0.0075],
    [0.015, undefined, 0.015],
    // One dispute on one payment passes every level at once: only the highest is named.
    [1, undefined, 0.015],
    [null, undefined, null],
    [Number.NaN, undefined, null],
    [0.05, [0.02, 0.01, 0.02], 0.02],
    [0.05, [], null],
  ] as const)('rate %s, thresholds %j → %s', (rate, thresholds, level) => {
    expect(rateLevel(rate, thresholds)).toBe(level);
  });
});

describe('disputeCountsWords', () => {
  it.each([
    [2, 1, '2 disputes on 1 payment in 30 days'],
    [1, 1, '1 dispute on 1 payment in 30 days'],
    [1, 40, '1 dispute on 40 payments in 30 days'],
    [0, 0, '0 disputes on 0 payments in 30 days'],
  ])('%i disputes, %i payments → %s', (d, p, words) => {
    expect(disputeCountsWords(d, p)).toBe(words);
  });
});
