import { problem, type Reply } from './http.js';

export interface Page {
  page: number;
  limit: number;
}

/** `page` from 1 and `limit` up to the method's maximum (250, or 100 for events); anything else is a 400. */
export function pageOf(q: Record<string, unknown>, max = 250): Page {
  const page = q.page === undefined ? 1 : Number(q.page);
  const limit = q.limit === undefined ? 50 : Number(q.limit);
  if (!Number.isInteger(page) || page < 1) throw problem(400, 'page: This value should be greater than or equal to 1.');
  if (!Number.isInteger(limit) || limit < 1) throw problem(400, 'limit: This value should be greater than or equal to 1.');
  if (limit > max) throw problem(400, `limit: This value should be less than or equal to ${max}.`);
  return { page, limit };
}

function href(base: string, path: string, search: string, page: number, limit: number): string {
  const p = new URLSearchParams(search);
  p.set('page', String(page));
  p.set('limit', String(limit));
  return `${base}${path}?${p.toString()}`;
}

/**
 * One HAL page: `_page`, `_links.self/next/first/prev`, `_embedded.<key>`. `next` appears only when a further
 * row exists (as in the documented examples); a page past the end is 204 with no body.
 */
export function halPage<T>(base: string, path: string, search: string, key: string, rows: readonly T[], pg: Page, render: (r: T) => unknown): Reply {
  const start = (pg.page - 1) * pg.limit;
  if (start >= rows.length) return { status: 204 };
  const slice = rows.slice(start, start + pg.limit);
  const links: Record<string, { href: string }> = { self: { href: href(base, path, search, pg.page, pg.limit) } };
  if (start + pg.limit < rows.length) links.next = { href: href(base, path, search, pg.page + 1, pg.limit) };
  if (pg.page > 1) {
    links.first = { href: href(base, path, search, 1, pg.limit) };
    links.prev = { href: href(base, path, search, pg.page - 1, pg.limit) };
  }
  return { status: 200, body: { _page: pg.page, _links: links, _embedded: { [key]: slice.map(render) } } };
}
