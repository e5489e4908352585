/**
 * Length limits and escaping shared by the formatters. Lengths are UTF-16 code units (`string.length`):
 * never fewer than the characters Slack or Discord count, so a text within our limit is within theirs.
 */

export const ELLIPSIS = '…';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The first `n` code units of `text`, one fewer if the cut would split a surrogate pair. */
function safePrefix(text: string, n: number): string {
  if (n <= 0) return '';
  if (n >= text.length) return text;
  return isHighSurrogate(text.charCodeAt(n - 1)) ? text.slice(0, n - 1) : text.slice(0, n);
}

/** `text` if it fits in `max`, else as much as fits followed by an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  return safePrefix(text, max - 1).trimEnd() + ELLIPSIS;
}

/**
 * `escaper(text)` within `max`: when it does not fit, the longest prefix of the raw text whose escaped
 * form fits with an ellipsis. Cutting the raw text (not the escaped one) means an entity (`&amp;`) or a
 * backslash escape is never cut in half. Assumes the escaped length grows with the prefix, which holds
 * for every escaper here.
 */
export function escapeWithin(text: string, max: number, escaper: (s: string) => string): string {
  const full = escaper(text);
  if (full.length <= max) return full;
  if (max < 1) return '';
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escaper(safePrefix(text, mid).trimEnd()).length + ELLIPSIS.length <= max) lo = mid;
    else hi = mid - 1;
  }
  return escaper(safePrefix(text, lo).trimEnd()) + ELLIPSIS;
}

/** Slack mrkdwn: only `&`, `<` and `>` are special (`<` starts links and mentions like `<!channel>`). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Discord markdown: backslash-escape the characters that format anywhere, and the ones that only
 * format at a line start (headings, quotes, lists). Mentions are also broken with a zero-width space,
 * so they neither ping (allowed_mentions does that too) nor render as a mention.
 */
export function escapeDiscord(text: string): string {
  return text
    .replace(/[\\*_~`|[\]]/g, '\\$&')
    .replace(/^(\s*)([#>+-])/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\./gm, '$1$2\\.')
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<([@#])/g, '<$1\u200b');
}

/** HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One line: control characters and line breaks become spaces (an email subject, a header). */
export function singleLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/** Only http(s) URLs become links or buttons; anything else (javascript:, a typo) is left out. */
export function safeUrl(link: string | undefined, max = Number.POSITIVE_INFINITY): string | undefined {
  if (!link || link.length > max) return undefined;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? link : undefined;
  } catch {
    return undefined;
  }
}
