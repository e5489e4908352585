import { describe, expect, it } from 'vitest';
import { hasMorePages } from './pagination.js';

describe('hasMorePages', () => {
  const page = (info: unknown, sdkSays: boolean) => ({
    page_info: info,
    getPaginatedItems: () => [1],
    hasNextPage: () => sdkSays,
    getNextPage: async () => page(info, sdkSays),
  });
  it('stops where Whop says has_next_page is false, else follows the SDK', () => {
    expect(hasMorePages(page({ end_cursor: 'c', has_next_page: false }, true))).toBe(false);
    expect(hasMorePages(page({ end_cursor: 'c', has_next_page: true }, true))).toBe(true);
    expect(hasMorePages(page({ end_cursor: 'c' }, true))).toBe(true);
    expect(hasMorePages(page({}, false))).toBe(false);
  });
});
