import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_THRESHOLDS, disputeRate, rateCrossings } from './dispute-rate.js';

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

describe('rateCrossings', () => {
  it('defaults to 0.75% and 1.5%', () => {
    expect(DEFAULT_RATE_THRESHOLDS).toEqual([0.0075, 0.015]);
  });

  it('reports thresholds newly reached on the way up, lowest first; reaching exactly counts', () => {
    expect(rateCrossings(0.005, 0.0075)).toEqual([0.0075]);
    expect(rateCrossings(0.005, 0.02)).toEqual([0.0075, 0.015]);
    expect(rateCrossings(0.01, 0.016)).toEqual([0.015]);
    expect(rateCrossings(null, 0.009)).toEqual([0.0075]);
  });

  it('alerts once per crossing: staying above, or falling, crosses nothing', () => {
    expect(rateCrossings(0.008, 0.009)).toEqual([]);
    expect(rateCrossings(0.0075, 0.0075)).toEqual([]);
    expect(rateCrossings(0.02, 0.01)).toEqual([]);
    expect(rateCrossings(0.01, null)).toEqual([]);
  });

  it('re-arms when the rate falls back below: the next rise alerts again', () => {
    const rates = [0.004, 0.008, 0.009, 0.007, 0.008, 0.016, 0.014, 0.015];
    const alerts = rates.slice(1).map((r, i) => rateCrossings(rates[i]!, r));
    expect(alerts).toEqual([[0.0075], [], [], [0.0075], [0.015], [], [0.015]]);
  });

  it('takes other thresholds, unsorted and duplicated', () => {
    expect(rateCrossings(0, 0.05, [0.02, 0.01, 0.02])).toEqual([0.01, 0.02]);
  });
});
