import { describe, expect, it } from 'vitest';
import { parseDuration, parseReminderOffsets } from './duration.js';

const H = 3_600_000;

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['10m', 600_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['1.5h', 5_400_000],
    ['1500', 1500],
    [' 10m ', 600_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it.each(['', 'ten minutes', '10 minutes', '-5m', '5w', 'm', '10M'])('refuses "%s"', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  it('accepts only the units given; without ms a bare number is refused', () => {
    expect(parseDuration('6h', ['h', 'd'])).toBe(6 * H);
    expect(parseDuration('90m', ['h', 'd'])).toBeUndefined();
    expect(parseDuration('72', ['s', 'm', 'h', 'd'])).toBeUndefined();
    expect(parseDuration('72', ['ms'])).toBe(72);
  });
});

describe('parseReminderOffsets', () => {
  it('reads s, m, h and d, largest first, without duplicates; empty means none', () => {
    expect(parseReminderOffsets('72h,24h,6h')).toEqual([72 * H, 24 * H, 6 * H]);
    expect(parseReminderOffsets(' 6h , 3d ,90m, 72h ')).toEqual([72 * H, 6 * H, 90 * 60_000]);
    expect(parseReminderOffsets('1.5h,1.5H')).toEqual([1.5 * H]);
    expect(parseReminderOffsets('3s,1s')).toEqual([3000, 1000]);
    expect(parseReminderOffsets('')).toEqual([]);
    expect(parseReminderOffsets('  ')).toEqual([]);
  });

  it('names the bad entry', () => {
    expect(() => parseReminderOffsets('72h,soon')).toThrow(
      '"soon" is not an offset like 72h, 24h, 90m or 7d',
    );
    expect(() => parseReminderOffsets('72')).toThrow('"72" is not an offset');
    expect(() => parseReminderOffsets('72h,,6h')).toThrow(/empty entry/);
    expect(() => parseReminderOffsets('0h')).toThrow('"0h" must be more than zero');
    expect(() => parseReminderOffsets('-6h')).toThrow('"-6h" is not an offset');
    expect(() => parseReminderOffsets('6w')).toThrow('"6w" is not an offset');
    expect(() => parseReminderOffsets('250ms')).toThrow('"250ms" is not an offset');
    expect(() => parseReminderOffsets(`${'9'.repeat(400)}h`)).toThrow('is not an offset');
  });
});
