/**
 * Bearer authentication of the REST API (API-CONTRACTS 3.5): OAuth access
 * tokens die after the org's session timeout without use (Salesforce's
 * session timeout is an inactivity timeout [unverified: Session Settings
 * doc]), when revoked, or when their user is deactivated; seeded read tokens
 * never expire (they act as the org's first user). A refused token is 401 INVALID_SESSION_ID, the answer
 * clients refresh on. Authenticated REST requests then count against the
 * org's daily allocation (limits.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimClock } from '../common/sim.ts';
import { invalidSession } from './errors.ts';
import { takeApiRequest } from './limits.ts';
import { parseVersion } from './rest.ts';
import type { Org, SalesforceState, Session } from './state.ts';

export function bearerToken(header: string | undefined): string | null {
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** The live session a token opens, or null (unknown, revoked, expired, or its user inactive). */
export function liveSession(state: SalesforceState, now: number, token: string | null): Session | null {
  const session = token === null ? undefined : state.sessions.get(token);
  const org = session ? state.orgs.get(session.orgId) : undefined;
  if (!session || !org || session.revoked) return null;
  if (session.expires && now - session.lastUsedAt >= org.sessionTimeoutMs) return null;
  // Read tokens are the tests' own: they keep working when a test deactivates their user.
  if (session.expires && org.records.User.get(session.userId)?.fields.IsActive !== true) return null;
  return session;
}

/** The org and API user of an authenticated REST request. */
export interface Authenticated {
  org: Org;
  userId: string;
}

/** Installs the hook on `/services/data/vNN.N/...`; returns how routes get the request's session. */
export function installAuth(
  app: FastifyInstance,
  state: SalesforceState,
  clock: SimClock,
): (req: FastifyRequest) => Authenticated {
  const sessions = new WeakMap<FastifyRequest, Authenticated>();
  app.addHook('onRequest', async (req, reply) => {
    const segment = /^\/services\/data\/(v[^/?]+)/.exec(req.url)?.[1];
    // Unknown versions are 404 before any auth, as a missing resource.
    if (segment === undefined || parseVersion(segment) === null) return;
    const now = clock.now();
    const session = liveSession(state, now, bearerToken(req.headers.authorization));
    const org = session ? state.orgs.get(session.orgId) : undefined;
    if (!session || !org) throw invalidSession();
    session.lastUsedAt = now;
    reply.headers(takeApiRequest(org, now));
    sessions.set(req, { org, userId: session.userId });
  });
  return (req) => {
    const auth = sessions.get(req);
    if (!auth) throw invalidSession();
    return auth;
  };
}
