/**
 * Whop's list pages, read without the extra request the SDK makes. Whop's lists are GraphQL-style
 * connections: `page_info` carries `end_cursor` even on the last page, with `has_next_page: false`.
 * The SDK 0.0.42 `CursorPage` (src/core/pagination.ts) knows only `end_cursor`, so it asks for one
 * more, empty page after the last one. Where Whop says `has_next_page: false` we stop; where the field
 * is missing we fall back to the SDK's own rule (the safe side: never miss a page).
 */
interface CursorPageLike<Item> {
  getPaginatedItems(): Item[];
  hasNextPage(): boolean;
  getNextPage(): Promise<CursorPageLike<Item>>;
  page_info?: unknown;
}

/** Whether another page should be requested after `page`. */
export function hasMorePages(page: CursorPageLike<unknown>): boolean {
  const info = page.page_info as { has_next_page?: unknown } | undefined;
  if (info?.has_next_page === false) return false;
  return page.hasNextPage();
}

/**
 * Every item of a list, page by page (each `getNextPage` is one request). Errors propagate: the caller
 * decides whether a half-read list is usable.
 */
export async function* listItems<Item>(first: PromiseLike<CursorPageLike<Item>>): AsyncGenerator<Item> {
  let page = await first;
  for (;;) {
    yield* page.getPaginatedItems();
    if (!hasMorePages(page)) return;
    page = await page.getNextPage();
  }
}
