import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonTextTooDeep, MAX_JSON_DEPTH } from './json-depth.js';

/** Depth by the definition, recursively (fine for the small values fast-check makes). */
function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depthOf));
}

const nested = (levels: number) => `${'{"a":['.repeat(levels)}1${']}'.repeat(levels)}`;

describe('jsonTextTooDeep', () => {
  it('agree with the depth of any JSON value, whatever its strings hold', () => {
    // Strings full of brackets, quotes and backslashes must not count.
    const tricky = fc.string({ unit: fc.constantFrom('{', '[', '}', ']', '"', '\\', 'a', 'é') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.oneof(tricky, fc.integer(), fc.constant(null), fc.boolean()),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(tricky, tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 8 }), (v, limit) => {
        const expected = depthOf(v) > limit;
        expect(jsonTextTooDeep(JSON.stringify(v), limit)).toBe(expected);
        expect(jsonTextTooDeep(JSON.stringify(v, null, 2), limit)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('takes exactly the limit and refuses one level more', () => {
    // nested(n) is 2n levels deep: an object and an array per step.
    expect(jsonTextTooDeep(nested(MAX_JSON_DEPTH / 2))).toBe(false);
    expect(jsonTextTooDeep(`[${nested(MAX_JSON_DEPTH / 2)}]`)).toBe(true);
  });

  it('answers for a million levels without overflowing the stack', () => {
    const text = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    expect(jsonTextTooDeep(text)).toBe(true);
    // The kind of value that once took a relay batch down: JSON.stringify cannot take it.
    expect(() => JSON.stringify(JSON.parse(text))).toThrow(RangeError);
  });

  it('treats text that is not JSON harmlessly', () => {
    expect(jsonTextTooDeep('')).toBe(false);
    expect(jsonTextTooDeep('"unterminated {{{')).toBe(false);
    expect(jsonTextTooDeep(']]]]{')).toBe(false);
  });
});
