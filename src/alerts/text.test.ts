import { describe, expect, it } from 'vitest';
import {
  ELLIPSIS,
  escapeDiscord,
  escapeHtml,
  escapeSlack,
  escapeWithin,
  safeUrl,
  singleLine,
  truncate,
} from './text.js';

const isWellFormed = (s: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('truncate', () => {
  it('leaves text that fits, else cuts to the limit with an ellipsis', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcdef', 4)).toBe(`abc${ELLIPSIS}`);
    expect(truncate('abcdef', 4)).toHaveLength(4);
    expect(truncate('ab   cdef', 5)).toBe(`ab${ELLIPSIS}`);
    expect(truncate('abc', 0)).toBe('');
  });

  it('never cuts a surrogate pair in half', () => {
    const text = 'ab😀😀😀';
    for (let max = 1; max <= text.length; max++) {
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(isWellFormed(out)).toBe(true);
    }
    expect(truncate('ab😀cd', 4)).toBe(`ab${ELLIPSIS}`);
  });
});

describe('escapeWithin', () => {
  it('never cuts an entity or an escape in half, and stays within the limit', () => {
    const text = '&&&&&&&&&&';
    for (let max = 1; max <= 60; max++) {
      const out = escapeWithin(text, max, escapeSlack);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(ELLIPSIS, '')).toMatch(/^(&amp;)*$/);
    }
    const md = '*_*_*_*_';
    for (let max = 1; max <= 20; max++) {
      const out = escapeWithin(md, max, escapeDiscord);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(ELLIPSIS, '')).toMatch(/^(\\[*_])*$/);
    }
  });

  it('keeps surrogate pairs whole through escaping', () => {
    const text = '😀<😀<😀<😀';
    for (let max = 1; max <= 25; max++) expect(isWellFormed(escapeWithin(text, max, escapeSlack))).toBe(true);
  });
});

describe('escapers', () => {
  it('Slack: &, < and > only, so <!channel> and links stay text', () => {
    expect(escapeSlack('<!channel> & <https://evil.example|Whop> *bold*')).toBe(
      '&lt;!channel&gt; &amp; &lt;https://evil.example|Whop&gt; *bold*',
    );
  });

  it('Discord: markdown and line-start syntax, mentions broken', () => {
    expect(escapeDiscord('**bold** _it_ ~~s~~ `code` ||spoiler|| [x](https://e.x) \\')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\[x\\](https://e.x) \\\\',
    );
    expect(escapeDiscord('# head\n> quote\n- item\n1. one\nmid-line # > - stay')).toBe(
      '\\# head\n\\> quote\n\\- item\n1\\. one\nmid-line # > - stay',
    );
    expect(escapeDiscord('@everyone @here <@123> <@!123> <@&456> <#789>')).toBe(
      '@\u200beveryone @\u200bhere <@\u200b123> <@\u200b!123> <@\u200b&456> <#\u200b789>',
    );
    expect(escapeDiscord('sam@example.com')).toBe('sam@example.com');
  });

  it('HTML: text and attribute values', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'q'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;',
    );
  });

  it('singleLine folds line breaks and control characters into spaces', () => {
    expect(singleLine('a\r\nBcc: x@y\tz\u2028w')).toBe('a Bcc: x@y z w');
  });

  it('safeUrl allows http(s) only, within a length', () => {
    expect(safeUrl('https://whop.com/x')).toBe('https://whop.com/x');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
    expect(safeUrl(`https://whop.com/${'x'.repeat(100)}`, 50)).toBeUndefined();
  });
});
