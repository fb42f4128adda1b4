/**
 * Aircall's page-number pagination (API-CONTRACTS 1.6): `page` and
 * `per_page` in the query, and a `meta` object whose `next_page_link` the
 * clients follow. The other meta fields (`count`, `total`, `current_page`,
 * `per_page`) and the 50-per-page cap are [unverified].
 */
import type { FastifyRequest } from 'fastify';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 50;

export interface PageMeta {
  count: number;
  total: number;
  current_page: number;
  per_page: number;
  next_page_link: string | null;
  previous_page_link: string | null;
}

function positiveInt(raw: unknown, fallback: number): number {
  const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * One page of `items` and its meta. The links are absolute URLs on the host
 * the client called (Aircall's point at https://api.aircall.io), keeping
 * every other query parameter.
 */
export function paginate<T>(req: FastifyRequest, items: T[]): { page: T[]; meta: PageMeta } {
  const query = (req.query ?? {}) as Record<string, unknown>;
  const perPage = Math.min(MAX_PER_PAGE, positiveInt(query.per_page, DEFAULT_PER_PAGE));
  const current = positiveInt(query.page, 1);
  const start = (current - 1) * perPage;
  const page = items.slice(start, start + perPage);
  const link = (n: number) => {
    const url = new URL(req.url, `http://${req.headers.host ?? '127.0.0.1'}`);
    url.searchParams.set('page', String(n));
    url.searchParams.set('per_page', String(perPage));
    return url.toString();
  };
  return {
    page,
    meta: {
      count: page.length,
      total: items.length,
      current_page: current,
      per_page: perPage,
      next_page_link: start + perPage < items.length ? link(current + 1) : null,
      previous_page_link: current > 1 ? link(current - 1) : null,
    },
  };
}
