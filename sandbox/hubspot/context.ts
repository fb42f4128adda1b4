/**
 * What the simulator's route modules share: the state, the clock, the portal
 * of the authenticated request, and HubSpot-shaped parsing of paths and bodies.
 */
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { SimClock } from '../common/sim.ts';
import { badRequest } from './errors.ts';
import { type HubspotState, type ObjectType, type Portal, toObjectType } from './state.ts';

export interface SimContext {
  state: HubspotState;
  clock: SimClock;
  /** The portal the request's token opens (set by the auth hook). */
  portalOf(req: FastifyRequest): Portal;
}

/** An object type named in a path, or 400 [unverified wording]. */
export function pathType(raw: string): ObjectType {
  const type = toObjectType(raw);
  if (!type) throw badRequest(`Unable to infer object type from: ${raw}`);
  return type;
}

/**
 * A body checked with a lenient zod schema (API-CONTRACTS 5: `required` is
 * relaxed where the live API is); a mismatch is HubSpot's 400 VALIDATION_ERROR.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    message: `${i.path.join('.') || 'body'}: ${i.message}`,
    code: 'INVALID_INPUT',
  }));
  throw badRequest(`Invalid input JSON: ${issues.map((i) => i.message).join('; ')}`, issues);
}

/** A query parameter that may be given as `a,b` or repeated (`?p=a&p=b`). */
export function listParam(value: unknown): string[] | null {
  if (value === undefined) return null;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return parts.map((s) => s.trim()).filter(Boolean);
}
