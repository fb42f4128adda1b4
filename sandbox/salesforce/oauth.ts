/**
 * Salesforce OAuth 2.0 web server flow, served by the simulator as both the
 * login host and the instance (Postman `auth/web_server_flow_1.json`,
 * `web_server_flow_2.json`, `refresh_token.json`, `revoke_token.json`,
 * `user_info.json`, `id_token.json`; answers: API-CONTRACTS 3.1 "OAuth
 * refresh"; other error texts [unverified]).
 * - `GET /services/oauth2/authorize`: auto-approved; sandbox query `org_id`
 *   picks the org (default the first seeded), `user_id` the consenting user
 *   (default the org's first active user), `deny=true` the user's refusal.
 * - `POST /services/oauth2/token`: authorization_code (codes live 15 minutes,
 *   single use) and refresh_token grants; form or JSON bodies.
 * - `POST /services/oauth2/revoke`, `GET /services/oauth2/userinfo`,
 *   `GET /id/{orgId}/{userId}` (the token answer's `id`).
 * - Sandbox: `POST /_sandbox/revoke {orgId?, refreshToken?}` revokes refresh
 *   tokens (and the sessions they issued); `POST /_sandbox/expire-sessions
 *   {orgId}` ends the org's OAuth sessions as a timeout would.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SimClock } from '../common/sim.ts';
import { bearerToken, liveSession } from './auth.ts';
import { SalesforceSimError, oauthError } from './errors.ts';
import { to18 } from './ids.ts';
import type { Org, SalesforceState, Session, StoredRecord } from './state.ts';

export const CODE_TTL_MS = 15 * 60_000;
const DEFAULT_SCOPE = 'api refresh_token';

/** The simulator's own base URL as the client reached it: it is both login host and instance_url. */
export function baseUrlOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? req.hostname}`;
}

const authorizeQuery = z.looseObject({
  response_type: z.string().default(''),
  client_id: z.string().default(''),
  redirect_uri: z.string().default(''),
  state: z.string().optional(),
  scope: z.string().optional(),
  org_id: z.string().optional(),
  user_id: z.string().optional(),
  deny: z.string().optional(),
});

const tokenBody = z.looseObject({
  grant_type: z.string().default(''),
  client_id: z.string().default(''),
  client_secret: z.string().optional(),
  redirect_uri: z.string().optional(),
  code: z.string().optional(),
  refresh_token: z.string().optional(),
});

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'A');
}

/** Opens a session: `00D...!<random>`, the shape of Salesforce access tokens. */
export function openSession(
  state: SalesforceState,
  now: number,
  grant: {
    orgId: string;
    userId: string;
    clientId: string | null;
    refreshToken: string | null;
    expires?: boolean;
  },
  token = `${grant.orgId.slice(0, 15)}!${randomToken(48)}`,
): Session {
  const session: Session = {
    token,
    orgId: grant.orgId,
    userId: grant.userId,
    clientId: grant.clientId,
    lastUsedAt: now,
    expires: grant.expires ?? true,
    revoked: false,
    refreshToken: grant.refreshToken,
  };
  state.sessions.set(token, session);
  return session;
}

function identityUrl(base: string, orgId: string, userId: string): string {
  return `${base}/id/${orgId}/${userId}`;
}

/** The token endpoint's success body (API-CONTRACTS 3.1). */
function tokenAnswer(
  base: string,
  now: number,
  session: Session,
  clientSecret: string,
  scope: string,
  refreshToken?: string,
) {
  const id = identityUrl(base, session.orgId, session.userId);
  const issuedAt = String(now);
  const signature = createHmac('sha256', clientSecret)
    .update(id + issuedAt)
    .digest('base64');
  return {
    access_token: session.token,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    signature,
    scope,
    instance_url: base,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

const active = (u: StoredRecord | undefined) => u !== undefined && u.fields.IsActive === true;

/** The user's identity as `/id/...` answers it. */
function identity(base: string, org: Org, user: StoredRecord) {
  const f = user.fields;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: identityUrl(base, org.orgId, user.Id),
    asserted_user: true,
    user_id: user.Id,
    organization_id: org.orgId,
    username: str(f.Username),
    nick_name: str(f.Username)?.split('@')[0] ?? null,
    display_name: str(f.Name),
    email: str(f.Email),
    email_verified: true,
    first_name: str(f.FirstName),
    last_name: str(f.LastName),
    timezone: 'GMT',
    active: f.IsActive === true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: str(f.LastModifiedDate),
    is_app_installed: true,
    urls: {
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      search: `${base}/services/data/v{version}/search/`,
      query: `${base}/services/data/v{version}/query/`,
      profile: `${base}/${user.Id}`,
    },
  };
}

export function registerOAuthRoutes(app: FastifyInstance, state: SalesforceState, clock: SimClock): void {
  app.get('/services/oauth2/authorize', async (req, reply) => {
    const q = authorizeQuery.parse(req.query ?? {});
    const client = state.apps.get(q.client_id);
    if (!client) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
    if (!client.redirectUris.includes(q.redirect_uri))
      throw oauthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    const target = new URL(q.redirect_uri);
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    if (q.response_type !== 'code') {
      target.searchParams.set('error', 'unsupported_response_type');
      target.searchParams.set('error_description', 'response type not supported (the simulator serves code)');
      return reply.redirect(target.toString(), 302);
    }
    if (q.deny === 'true') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'end-user denied authorization');
      return reply.redirect(target.toString(), 302);
    }
    const orgId = q.org_id ? to18(q.org_id) : ([...state.orgs.keys()][0] ?? null);
    const org = orgId ? state.orgs.get(orgId) : undefined;
    if (!org)
      throw oauthError(
        400,
        'invalid_request',
        `sandbox: no Salesforce org ${q.org_id ?? ''} is seeded (org_id picks one)`,
      );
    const users = [...org.records.User.values()];
    const user = q.user_id ? org.records.User.get(to18(q.user_id) ?? '') : users.find(active);
    if (!user)
      throw oauthError(
        400,
        'invalid_request',
        `sandbox: org ${org.orgId} has no user ${q.user_id ?? '(active)'}`,
      );
    if (!active(user)) throw oauthError(400, 'inactive_user', 'user is inactive');
    const code = `aPrx${randomToken(40)}`;
    state.codes.set(code, {
      code,
      clientId: client.clientId,
      redirectUri: q.redirect_uri,
      orgId: org.orgId,
      userId: user.Id,
      scope: q.scope?.trim() || DEFAULT_SCOPE,
      expiresAt: clock.now() + CODE_TTL_MS,
      used: false,
    });
    target.searchParams.set('code', code);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/services/oauth2/token', async (req) => {
    const b = tokenBody.parse(req.body ?? {});
    const now = clock.now();
    const base = baseUrlOf(req);
    const client = state.apps.get(b.client_id);
    if (!client) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
    if (b.client_secret !== client.clientSecret)
      throw oauthError(400, 'invalid_client', 'invalid client credentials');
    if (b.grant_type === 'authorization_code') {
      const code = state.codes.get(b.code ?? '');
      if (!code || code.used || code.clientId !== client.clientId)
        throw oauthError(400, 'invalid_grant', 'invalid authorization code');
      if (code.expiresAt <= now) throw oauthError(400, 'invalid_grant', 'expired authorization code');
      if (b.redirect_uri !== code.redirectUri)
        throw oauthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      code.used = true;
      const refresh = `5Aep${randomToken(60)}`;
      state.refreshTokens.set(refresh, {
        token: refresh,
        orgId: code.orgId,
        userId: code.userId,
        clientId: client.clientId,
        scope: code.scope,
        revoked: false,
      });
      const session = openSession(state, now, { ...code, clientId: client.clientId, refreshToken: refresh });
      return tokenAnswer(base, now, session, client.clientSecret, code.scope, refresh);
    }
    if (b.grant_type === 'refresh_token') {
      const grant = state.refreshTokens.get(b.refresh_token ?? '');
      const org = grant ? state.orgs.get(grant.orgId) : undefined;
      if (
        !grant ||
        !org ||
        grant.revoked ||
        grant.clientId !== client.clientId ||
        !active(org.records.User.get(grant.userId))
      )
        throw oauthError(400, 'invalid_grant', 'expired access/refresh token');
      const session = openSession(state, now, { ...grant, refreshToken: grant.token });
      return tokenAnswer(base, now, session, client.clientSecret, grant.scope);
    }
    throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  });

  /** Revokes an access token, or a refresh token and every session it issued. */
  const revoke = (token: string): boolean => {
    const grant = state.refreshTokens.get(token);
    if (grant) {
      grant.revoked = true;
      for (const s of state.sessions.values()) if (s.refreshToken === token) s.revoked = true;
      return true;
    }
    const session = state.sessions.get(token);
    if (session) session.revoked = true;
    return session !== undefined;
  };
  const revokeRoute = async (req: FastifyRequest) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const query = (req.query ?? {}) as Record<string, unknown>;
    const token = String(body.token ?? query.token ?? '');
    if (!revoke(token)) throw oauthError(400, 'unsupported_token_type', 'this token type is not supported');
    return '';
  };
  app.post('/services/oauth2/revoke', revokeRoute);
  app.get('/services/oauth2/revoke', revokeRoute);

  /** The identity endpoints answer a bad token with 403 `Bad_OAuth_Token` [unverified]. */
  const identitySession = (req: FastifyRequest): { org: Org; user: StoredRecord } => {
    const session = liveSession(state, clock.now(), bearerToken(req.headers.authorization));
    const org = session ? state.orgs.get(session.orgId) : undefined;
    const user = session ? org?.records.User.get(session.userId) : undefined;
    if (!session || !org || !user) throw new SalesforceSimError(403, 'Bad_OAuth_Token');
    session.lastUsedAt = clock.now();
    return { org, user };
  };

  app.get('/id/:orgId/:userId', async (req) => {
    const params = req.params as { orgId: string; userId: string };
    const { org, user } = identitySession(req);
    const orgId = to18(params.orgId);
    const userId = to18(params.userId);
    if (orgId !== org.orgId) throw new SalesforceSimError(403, 'Bad_Id');
    const target = userId ? org.records.User.get(userId) : undefined;
    if (!target) throw new SalesforceSimError(404, 'Bad_Id');
    return identity(baseUrlOf(req), org, target ?? user);
  });

  app.get('/services/oauth2/userinfo', async (req) => {
    const { org, user } = identitySession(req);
    const id = identity(baseUrlOf(req), org, user);
    return {
      sub: id.id,
      user_id: id.user_id,
      organization_id: id.organization_id,
      preferred_username: id.username,
      nickname: id.nick_name,
      name: id.display_name,
      email: id.email,
      email_verified: true,
      given_name: id.first_name,
      family_name: id.last_name,
      zoneinfo: 'GMT',
      active: id.active,
      user_type: id.user_type,
      language: id.language,
      locale: id.locale,
      utcOffset: 0,
      updated_at: id.last_modified_date,
      is_app_installed: true,
      urls: id.urls,
    };
  });

  app.post('/_sandbox/revoke', async (req, reply) => {
    const body = z
      .strictObject({ orgId: z.string().optional(), refreshToken: z.string().optional() })
      .refine((b) => b.orgId !== undefined || b.refreshToken !== undefined)
      .safeParse(req.body ?? {});
    if (!body.success)
      return reply
        .code(400)
        .send({ error: 'send {"orgId": "00D..."} (all its refresh tokens) or {"refreshToken": "..."}' });
    if (body.data.refreshToken !== undefined) {
      if (!state.refreshTokens.has(body.data.refreshToken))
        return reply.code(404).send({ error: 'unknown refresh token' });
      revoke(body.data.refreshToken);
      return { ok: true, revoked: 1 };
    }
    const orgId = to18(body.data.orgId ?? '');
    const grants = [...state.refreshTokens.values()].filter((g) => g.orgId === orgId && !g.revoked);
    for (const g of grants) revoke(g.token);
    return { ok: true, revoked: grants.length };
  });

  app.post('/_sandbox/expire-sessions', async (req, reply) => {
    const body = z.strictObject({ orgId: z.string() }).safeParse(req.body ?? {});
    if (!body.success) return reply.code(400).send({ error: 'send {"orgId": "00D..."}' });
    const orgId = to18(body.data.orgId);
    let expired = 0;
    for (const s of state.sessions.values()) {
      if (s.orgId === orgId && s.expires && !s.revoked) {
        s.lastUsedAt = Number.NEGATIVE_INFINITY;
        expired++;
      }
    }
    return { ok: true, expired };
  });
}
