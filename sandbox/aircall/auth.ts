/**
 * Basic authentication and the per-company rate limit for every `/v1` and
 * `/v2` route (API-CONTRACTS 1.1, 1.2). `Authorization: Basic
 * base64(api_id:api_token)` names the company; a missing or wrong key is 401
 * `{error: 'Unauthorized', troubleshoot}`. Authenticated answers carry the
 * `X-AircallApi-*` headers, 429 included.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimClock } from '../common/sim.ts';
import { errorBody } from './errors.ts';
import type { CompanyRateLimiter } from './rate-limit.ts';
import type { AircallState, CompanyState } from './state.ts';

/** The API ID and token of a Basic `Authorization` header, or null. */
export function parseBasic(header: string | undefined): { apiId: string; apiToken: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { apiId: decoded.slice(0, colon), apiToken: decoded.slice(colon + 1) };
}

export function isApiPath(url: string): boolean {
  return /^\/v[12]\//.test(url);
}

export function installAuth(
  app: FastifyInstance,
  deps: {
    state: AircallState;
    clock: SimClock;
    limiter: CompanyRateLimiter;
    companies: WeakMap<FastifyRequest, CompanyState>;
  },
): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!isApiPath(req.url)) return;
    const key = parseBasic(req.headers.authorization);
    const company = key ? deps.state.byApiKey(key.apiId, key.apiToken) : undefined;
    if (!company) {
      return reply
        .code(401)
        .send(
          errorBody(
            401,
            key
              ? 'Wrong API ID or API token: generate an API key in the Aircall Dashboard (Integrations > API keys)'
              : 'Send Authorization: Basic base64(api_id:api_token)',
          ),
        );
    }
    deps.companies.set(req, company);
    const verdict = deps.limiter.take(company.id, deps.clock.now());
    reply.headers({
      'X-AircallApi-Limit': String(verdict.limit),
      'X-AircallApi-Remaining': String(verdict.remaining),
      'X-AircallApi-Reset': String(verdict.reset),
    });
    if (!verdict.allowed) {
      return reply
        .code(429)
        .send(
          errorBody(
            429,
            `Rate limit of ${verdict.limit} requests per minute reached; retry after X-AircallApi-Reset (${verdict.reset})`,
          ),
        );
    }
  });
}
