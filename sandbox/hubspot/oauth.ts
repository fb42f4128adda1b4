/**
 * HubSpot OAuth (API-CONTRACTS 2 "Auth"): the authorize step (auto-approved
 * in the sandbox), the token endpoint (authorization_code and refresh_token
 * grants), token information, and revocation.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimContext } from './context.ts';
import { errorBody } from './errors.ts';
import type { HubspotState } from './state.ts';

/** Access tokens live 30 minutes (`expires_in: 1800`); codes 10 minutes [unverified: HubSpot OAuth guide]. */
export const ACCESS_TOKEN_TTL_S = 1800;
export const CODE_TTL_MS = 10 * 60_000;

/**
 * The token endpoint's refusals: `{status: <reason>, message}` rather than
 * the `Error` shape. BAD_REFRESH_TOKEN "missing or invalid refresh token"
 * [partner-code]; the other reasons' wording [unverified].
 */
function grantError(status: string, message: string) {
  return { status, message, correlationId: randomUUID() };
}

const authorizeQuery = z.looseObject({
  client_id: z.string().min(1),
  redirect_uri: z.string().min(1),
  scope: z.string().default(''),
  optional_scope: z.string().optional(),
  state: z.string().optional(),
  portal_id: z.coerce.number().int().optional(),
  /** Sandbox: the HubSpot user who consents; default the portal's first active user. */
  user_id: z.coerce.number().int().optional(),
});

const tokenBody = z.looseObject({
  grant_type: z.string(),
  client_id: z.string().default(''),
  client_secret: z.string().default(''),
  redirect_uri: z.string().optional(),
  code: z.string().optional(),
  refresh_token: z.string().optional(),
});

/** Issues an access token for a portal; the refresh token is kept (HubSpot's do not rotate [unverified]). */
function issue(
  state: HubspotState,
  now: number,
  grant: { portalId: number; userId: number | null; clientId: string; scopes: string[] },
) {
  const token = `CN${randomBytes(30).toString('base64url')}`;
  state.accessTokens.set(token, {
    token,
    portalId: grant.portalId,
    userId: grant.userId,
    clientId: grant.clientId,
    scopes: grant.scopes,
    expiresAt: now + ACCESS_TOKEN_TTL_S * 1000,
  });
  return token;
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { state } = ctx;

  app.get('/oauth/authorize', async (req, reply) => {
    const q = authorizeQuery.safeParse(req.query);
    if (!q.success)
      return reply.code(400).send(errorBody('VALIDATION_ERROR', 'client_id and redirect_uri are required'));
    const app_ = state.apps.get(q.data.client_id);
    if (!app_)
      return reply.code(400).send(errorBody('VALIDATION_ERROR', `Unknown client_id ${q.data.client_id}`));
    if (!app_.redirectUris.includes(q.data.redirect_uri)) {
      return reply
        .code(400)
        .send(
          errorBody('VALIDATION_ERROR', `redirect_uri ${q.data.redirect_uri} is not registered for this app`),
        );
    }
    const portalId = q.data.portal_id ?? [...state.portals.keys()][0];
    if (portalId === undefined || !state.portals.has(portalId)) {
      return reply
        .code(400)
        .send(errorBody('VALIDATION_ERROR', `No portal ${portalId ?? ''} to install the app in`));
    }
    const users = state.portals.get(portalId)?.owners.filter((o) => o.userId !== null && !o.archived) ?? [];
    const userId = q.data.user_id ?? users[0]?.userId ?? null;
    const code = randomUUID();
    state.codes.set(code, {
      code,
      clientId: q.data.client_id,
      redirectUri: q.data.redirect_uri,
      portalId,
      userId,
      scopes: q.data.scope.split(/[\s+]+/).filter(Boolean),
      expiresAt: ctx.clock.now() + CODE_TTL_MS,
      used: false,
    });
    const target = new URL(q.data.redirect_uri);
    target.searchParams.set('code', code);
    if (q.data.state !== undefined) target.searchParams.set('state', q.data.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/oauth/v1/token', async (req, reply) => {
    const parsed = tokenBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send(grantError('BAD_GRANT_TYPE', 'grant_type is required'));
    const b = parsed.data;
    const now = ctx.clock.now();
    const app_ = state.apps.get(b.client_id);
    if (!app_) return reply.code(400).send(grantError('BAD_CLIENT_ID', 'missing or unknown client id'));
    if (app_.clientSecret !== b.client_secret) {
      return reply.code(400).send(grantError('BAD_CLIENT_SECRET', 'missing or invalid client secret'));
    }
    if (b.grant_type === 'authorization_code') {
      const code = state.codes.get(b.code ?? '');
      if (!code || code.used || code.expiresAt <= now || code.clientId !== b.client_id) {
        return reply.code(400).send(grantError('BAD_AUTH_CODE', 'missing or unknown auth code'));
      }
      if (b.redirect_uri !== code.redirectUri) {
        return reply
          .code(400)
          .send(grantError('BAD_REDIRECT_URI', 'redirect_uri does not match the authorize request'));
      }
      code.used = true;
      const refresh = randomUUID();
      const grant = {
        portalId: code.portalId,
        userId: code.userId,
        clientId: code.clientId,
        scopes: code.scopes,
      };
      state.refreshTokens.set(refresh, { token: refresh, ...grant, revoked: false });
      const access = issue(state, now, grant);
      return {
        token_type: 'bearer',
        access_token: access,
        refresh_token: refresh,
        expires_in: ACCESS_TOKEN_TTL_S,
      };
    }
    if (b.grant_type === 'refresh_token') {
      const refresh = state.refreshTokens.get(b.refresh_token ?? '');
      if (
        !refresh ||
        refresh.revoked ||
        refresh.clientId !== b.client_id ||
        !state.portals.has(refresh.portalId)
      ) {
        return reply.code(400).send(grantError('BAD_REFRESH_TOKEN', 'missing or invalid refresh token'));
      }
      const access = issue(state, now, refresh);
      return {
        token_type: 'bearer',
        access_token: access,
        refresh_token: refresh.token,
        expires_in: ACCESS_TOKEN_TTL_S,
      };
    }
    return reply.code(400).send(grantError('BAD_GRANT_TYPE', `unsupported grant_type ${b.grant_type}`));
  });

  // [doc: OAuth "access token information"] What a token is for, notably `hub_id` (the portal).
  app.get('/oauth/v1/access-tokens/:token', async (req, reply) => {
    const { token } = z.object({ token: z.string() }).parse(req.params);
    const grant = state.accessTokens.get(token);
    const now = ctx.clock.now();
    if (!grant || grant.expiresAt <= now) {
      return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'The access token is unknown or expired'));
    }
    const installer = state.portals
      .get(grant.portalId)
      ?.owners.find((o) => o.userId !== null && o.userId === grant.userId);
    return {
      token,
      user: installer?.email ?? null,
      hub_domain: `portal-${grant.portalId}.sim.hubspot`,
      scopes: grant.scopes,
      hub_id: grant.portalId,
      app_id: grant.clientId,
      expires_in: Math.floor((grant.expiresAt - now) / 1000),
      user_id: grant.userId,
      token_type: 'access',
    };
  });

  // [doc: OAuth "delete refresh token"] Uninstall-like revocation.
  app.delete('/oauth/v1/refresh-tokens/:token', async (req, reply) => {
    const { token } = z.object({ token: z.string() }).parse(req.params);
    const grant = state.refreshTokens.get(token);
    if (!grant) return reply.code(404).send(errorBody('OBJECT_NOT_FOUND', 'Unknown refresh token'));
    grant.revoked = true;
    return reply.code(204).send();
  });

  /** Sandbox control: make a refresh token invalid, to test "needs reconnection". */
  app.post('/_sandbox/oauth/revoke', async (req, reply) => {
    const body = z.object({ refreshToken: z.string() }).safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'send {"refreshToken": "..."}' });
    const grant = state.refreshTokens.get(body.data.refreshToken);
    if (!grant) return reply.code(404).send({ error: 'unknown refresh token' });
    grant.revoked = true;
    return { ok: true };
  });
}
