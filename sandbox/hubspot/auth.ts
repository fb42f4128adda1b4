/**
 * Bearer authentication of the CRM endpoints (API-CONTRACTS 2 "Auth"):
 * private app tokens and OAuth access tokens, expiring on the simulator's
 * clock; then the portal's rate limits (API-CONTRACTS 2.7).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimClock } from '../common/sim.ts';
import { hsError } from './errors.ts';
import type { RateLimiter } from './limits.ts';
import type { HubspotState, Portal } from './state.ts';

/** HubSpot's answer to a missing or unknown token [partner-code: the message clients log]. */
const NO_CREDENTIALS =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

export function authenticate(state: HubspotState, now: number, header: string | undefined): Portal {
  const token = bearerToken(header);
  const privatePortal = token === null ? undefined : state.privateTokens.get(token);
  const grant = token === null ? undefined : state.accessTokens.get(token);
  const portalId = privatePortal ?? grant?.portalId;
  const portal = portalId === undefined ? undefined : state.portals.get(portalId);
  if (!portal) throw hsError(401, 'INVALID_AUTHENTICATION', NO_CREDENTIALS);
  if (privatePortal === undefined && grant && grant.expiresAt <= now) {
    // [unverified wording]; the category is what clients key on to refresh.
    const ago = Math.max(1, Math.round((now - grant.expiresAt) / 1000));
    throw hsError(
      401,
      'EXPIRED_AUTHENTICATION',
      `The OAuth token used to make this call expired ${ago} second(s) ago.`,
    );
  }
  return portal;
}

/** Paths served with a portal's Bearer token; OAuth and `/_sandbox/` are not. */
function needsAuth(path: string): boolean {
  return path.startsWith('/crm/') || path.startsWith('/calling/') || path.startsWith('/settings/');
}

/** Search endpoints have their own limit and send no rate-limit headers (API-CONTRACTS 2.5, 2.7). */
function isSearch(method: string, path: string): boolean {
  return method === 'POST' && /^\/crm\/v3\/objects\/[^/]+\/search$/.test(path);
}

/** Installs the hook; returns how routes get the request's portal. */
export function installAuth(
  app: FastifyInstance,
  state: HubspotState,
  clock: SimClock,
  limiter: RateLimiter,
): (req: FastifyRequest) => Portal {
  const portals = new WeakMap<FastifyRequest, Portal>();
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (!needsAuth(path)) return;
    const now = clock.now();
    const portal = authenticate(state, now, req.headers.authorization);
    portals.set(req, portal);
    reply.headers(limiter.take(portal, isSearch(req.method, path), now));
  });
  return (req) => {
    const portal = portals.get(req);
    if (!portal) throw hsError(401, 'INVALID_AUTHENTICATION', NO_CREDENTIALS);
    return portal;
  };
}
