/**
 * The API's own small router. JobAdder serves each account under the base URL
 * its token response names (`api`, API-CONTRACTS 4.1), and accounts are
 * seeded while the server runs, so the simulator cannot give Fastify one route
 * per account base: one catch-all route strips the account's base path and
 * dispatches the rest here. Also the request view the handlers share, and
 * ASP.NET-style query reading (parameter names are case-insensitive,
 * repeated parameters make lists).
 */
import type { z } from 'zod';
import { jaError } from './errors.ts';
import type { Account, User } from './state.ts';

/** One API request, after authentication, as handlers see it. */
export interface ApiCall {
  account: Account;
  /** The token's user (null when the account has no users). */
  user: User | null;
  params: Record<string, string>;
  /** Lower-cased parameter names -> their values, in order. */
  query: Map<string, string[]>;
  body: unknown;
  now: number;
  /** The account's API base URL as the client reached it, e.g. http://127.0.0.1:4000/v2. */
  baseUrl: string;
}

export interface ApiAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type ApiHandler = (call: ApiCall) => ApiAnswer;

interface Route {
  method: string;
  segments: string[];
  handler: ApiHandler;
}

export class ApiRouter {
  private readonly routes: Route[] = [];

  /** `pattern` like "/contacts/:contactId/notes"; earlier routes win. */
  add(method: string, pattern: string, handler: ApiHandler): void {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
  }

  match(method: string, path: string): { handler: ApiHandler; params: Record<string, string> } | null {
    const parts = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = route.segments.every((seg, i) => {
        const part = decodeURIComponent(parts[i] ?? '');
        if (seg.startsWith(':')) params[seg.slice(1)] = part;
        else if (seg.toLowerCase() !== part.toLowerCase()) return false;
        return true;
      });
      if (fits) return { handler: route.handler, params };
    }
    return null;
  }
}

/** Fastify's parsed query, with case-insensitive names and every value as a list. */
export function readQuery(raw: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!raw || typeof raw !== 'object') return out;
  for (const [key, value] of Object.entries(raw)) {
    const values = (Array.isArray(value) ? value : [value]).map(String);
    const name = key.toLowerCase();
    out.set(name, [...(out.get(name) ?? []), ...values]);
  }
  return out;
}

/** The single value of a parameter (the last one if repeated), or undefined. */
export function one(query: Map<string, string[]>, name: string): string | undefined {
  return query.get(name.toLowerCase())?.at(-1);
}

/** Every value of a list parameter (`Type=a&Type=b`). */
export function many(query: Map<string, string[]>, name: string): string[] {
  return query.get(name.toLowerCase()) ?? [];
}

/** An integer parameter within bounds, or 400 naming it. */
export function intParam(
  query: Map<string, string[]>,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = one(query, name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw jaError(400, `${name} must be an integer >= ${min}, got "${raw}"`, [
      { code: 'Invalid', message: `${name} must be an integer >= ${min}`, fields: [name] },
    ]);
  }
  return Math.min(n, max);
}

/** A numeric path id (JobAdder ids are int32); anything else names no record: 404. */
export function pathId(raw: string | undefined, what: string): number {
  const id = Number(raw);
  if (!raw || !/^\d+$/.test(raw) || !Number.isSafeInteger(id))
    throw jaError(404, `${what} ${raw ?? ''} not found`);
  return id;
}

/**
 * A JSON body checked against the command's schema; a mismatch is 400 with
 * one ErrorModel item per problem (`Missing` for an absent required field).
 */
export function parseCommand<S extends z.ZodType>(schema: S, body: unknown, name: string): z.infer<S> {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
    throw jaError(400, `The request body must be a JSON ${name} object`);
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'body';
    const missing = issue.code === 'invalid_type' && issue.message.includes('received undefined');
    return {
      code: missing ? ('Missing' as const) : ('Invalid' as const),
      message: `${field}: ${issue.message}`,
      fields: [field],
    };
  });
  throw jaError(400, `Invalid ${name}: ${errors.map((e) => e.message).join('; ')}`, errors);
}
