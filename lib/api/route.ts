/**
 * What a route of the contract is, and the pieces every contract file shares
 * (lib/api/contract.ts puts the files together).
 */
import { z } from 'zod';
import { CRMS } from '../logging/plan-types.ts';

/** 'hubspot': a request HubSpot signed for the app card (server/http/card-auth.ts). */
export type Auth = 'public' | 'admin' | 'agent' | 'hubspot';

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify-style path: `/v1/calls/:callId`. */
  path: string;
  auth: Auth;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  reply: z.ZodType;
  /** Success status (default 200). */
  status?: number;
}

export const route = <const R extends RouteDef>(r: R) => r;

export const crm = z.enum(CRMS);
export const companyParams = z.object({ companyId: z.string().min(1) });
export const integrationParams = companyParams.extend({ crm });
export const callParams = z.object({ callId: z.coerce.number().int().positive() });
export const ok = z.object({ ok: z.literal(true) });

/** Fill `:name` segments of a contract path. */
export function pathOf(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(v));
  });
}
