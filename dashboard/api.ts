/**
 * The dashboard's client of the admin API: paths and reply schemas come from
 * the contract (lib/api/contract.ts), errors come back in the API's one shape
 * (lib/api/errors.ts) and are thrown as ApiFailure, whose message and fix the
 * screens show as they are.
 */
import type { z } from 'zod';
import { API, type Api, type RouteName } from '../lib/api/contract.ts';
import { apiErrorSchema } from '../lib/api/errors.ts';
import { pathOf } from '../lib/api/route.ts';
import { session } from './session.ts';

/** The routes an admin may call. */
export type AdminRoute = {
  [N in RouteName]: Api[N]['auth'] extends 'admin' | 'public' ? N : never;
}[RouteName];

export type ReplyOf<N extends RouteName> = z.output<Api[N]['reply']>;

export interface CallInput {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export class ApiFailure extends Error {
  readonly status: number;
  readonly fix: string | undefined;
  /** Field-level reasons (invalid settings): `field` is the dotted path. */
  readonly fields: { field: string; message: string }[];
  constructor(
    status: number,
    message: string,
    fix?: string,
    fields: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.fix = fix;
    this.fields = fields;
  }
}

function queryString(query: CallInput['query']): string {
  const entries = Object.entries(query ?? {}).filter(
    (e): e is [string, string | number] => e[1] !== undefined && e[1] !== '',
  );
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`;
}

/** Call one admin route with the signed-in token; throws ApiFailure on any error. */
export async function api<N extends AdminRoute>(name: N, input: CallInput = {}): Promise<ReplyOf<N>> {
  const def = API[name];
  const token = session.get();
  let res: Response;
  try {
    res = await fetch(`${pathOf(def.path, input.params)}${queryString(input.query)}`, {
      method: def.method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
    });
  } catch {
    throw new ApiFailure(0, 'The backend cannot be reached.', 'Check that it is running, then try again.');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const body = apiErrorSchema.safeParse(json);
    if (!body.success) throw new ApiFailure(res.status, `The backend answered ${res.status}.`);
    const { message, fix, fields = [] } = body.data.error;
    if (res.status === 401) session.expire(message);
    throw new ApiFailure(res.status, message, fix, fields);
  }
  return json as ReplyOf<N>;
}
