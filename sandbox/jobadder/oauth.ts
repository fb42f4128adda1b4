/**
 * JobAdder's identity server, id.jobadder.com, simulated on the same host
 * (API-CONTRACTS 4.1): the authorization code flow with the `api` base URL
 * in each token response, 5-minute single-use codes, 60-minute access
 * tokens, and refresh tokens only with the `offline_access` scope. Refresh
 * tokens rotate: each refresh answers a new one and the used one stops
 * working [unverified: the spec's example shows a new refresh token on each
 * refresh]. Errors are OAuth 2.0's `{error, error_description}` (RFC 6749
 * 5.2), 400 for every token-endpoint refusal as IdentityServer answers.
 *
 * Sandbox extensions: `account_id` and `user_id` on the authorize step pick
 * the JobAdder account and the consenting user (default: the first of each);
 * `deny=true` makes the user refuse (`error=access_denied`, spec);
 * `POST /_sandbox/revoke {accountId}` invalidates the account's refresh
 * tokens, as a user disconnecting the app in JobAdder would.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SimClock } from '../common/sim.ts';
import { apiUrl } from './auth.ts';
import type { Grant, JobadderState } from './state.ts';

/** "The authorization code ... will remain valid for 5 minutes" (spec). */
export const CODE_TTL_MS = 5 * 60_000;
/** "The access token has a limited lifetime (currently 60 minutes)" (spec). */
export const ACCESS_TOKEN_TTL_S = 3600;

/** The scopes the spec lists (API-CONTRACTS 4.1); anything else is `invalid_scope`. */
// prettier-ignore
export const SCOPES = new Set([
  'read', 'write', 'offline_access', 'partner_jobboard', 'partner_ui_action',
  'read_candidate', 'write_candidate', 'read_candidate_note', 'write_candidate_note', 'manage_candidate_custom',
  'read_company', 'write_company', 'read_company_note', 'write_company_note', 'manage_company_custom',
  'read_contact', 'write_contact', 'read_contact_note', 'write_contact_note', 'manage_contact_custom',
  'read_jobad', 'write_jobad', 'read_jobapplication', 'write_jobapplication', 'read_jobapplication_note',
  'write_jobapplication_note', 'manage_jobapplication_custom', 'read_interview', 'write_interview',
  'read_job', 'write_job', 'read_job_note', 'write_job_note', 'manage_job_custom',
  'read_placement', 'write_placement', 'read_placement_note', 'write_placement_note', 'manage_placement_custom',
  'read_requisition', 'write_requisition', 'read_requisition_note', 'write_requisition_note',
  'read_float', 'read_submission', 'read_note', 'write_note', 'read_folder', 'write_folder',
  'read_user', 'read_usergroup', 'read_usertask',
]);

const authorizeQuery = z.looseObject({
  response_type: z.string().optional(),
  client_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  scope: z.string().default(''),
  state: z.string().optional(),
  account_id: z.string().optional(),
  user_id: z.coerce.number().int().optional(),
  deny: z.string().optional(),
});

const tokenBody = z.looseObject({
  grant_type: z.string().default(''),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  refresh_token: z.string().optional(),
});

function oauthError(error: string, description: string) {
  return { error, error_description: description };
}

function newToken(): string {
  return randomBytes(16).toString('hex');
}

/** Client credentials from the form (client_id, client_secret) or HTTP Basic (RFC 6749 2.3.1). */
function clientCredentials(req: FastifyRequest, body: z.infer<typeof tokenBody>) {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: body.client_id ?? '', secret: body.client_secret ?? '' };
}

export function registerOAuthRoutes(app: FastifyInstance, state: JobadderState, clock: SimClock): void {
  app.get('/connect/authorize', async (req, reply) => {
    const q = authorizeQuery.parse(req.query ?? {});
    const client = state.apps.get(q.client_id ?? '');
    if (!client) {
      return reply.code(400).send(oauthError('invalid_client', `Unknown client_id "${q.client_id ?? ''}"`));
    }
    if (!q.redirect_uri || !client.redirectUris.includes(q.redirect_uri)) {
      return reply
        .code(400)
        .send(
          oauthError(
            'invalid_request',
            `redirect_uri "${q.redirect_uri ?? ''}" is not registered for client ${client.clientId}`,
          ),
        );
    }
    const accountId = q.account_id ?? [...state.accounts.keys()][0];
    const account = accountId === undefined ? undefined : state.accounts.get(accountId);
    if (!account) {
      return reply
        .code(400)
        .send(
          oauthError('invalid_request', `No JobAdder account "${accountId ?? ''}" is seeded to sign in to`),
        );
    }
    const userId = q.user_id ?? [...account.users.keys()][0] ?? null;
    if (userId !== null && !account.users.has(userId)) {
      return reply
        .code(400)
        .send(oauthError('invalid_request', `User ${userId} is not a user of account ${account.accountId}`));
    }
    const back = (params: Record<string, string>) => {
      const target = new URL(q.redirect_uri ?? '');
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      if (q.state !== undefined) target.searchParams.set('state', q.state);
      return reply.redirect(target.toString(), 302);
    };
    if (q.response_type !== 'code') return back({ error: 'unsupported_response_type' });
    const scopes = q.scope.split(/[\s+]+/).filter(Boolean);
    const unknown = scopes.filter((s) => !SCOPES.has(s));
    if (scopes.length === 0 || unknown.length > 0 || scopes.every((s) => s === 'offline_access')) {
      return back({ error: 'invalid_scope' });
    }
    if (q.deny === 'true' || q.deny === '1') return back({ error: 'access_denied' });
    const code = newToken();
    state.codes.set(code, {
      code,
      clientId: client.clientId,
      redirectUri: q.redirect_uri,
      accountId: account.accountId,
      userId,
      scopes,
      expiresAt: clock.now() + CODE_TTL_MS,
      used: false,
    });
    return back({ code });
  });

  app.post('/connect/token', async (req, reply) => {
    const parsed = tokenBody.safeParse(req.body ?? {});
    const refuse = (status: number, error: string, description: string) =>
      reply.code(status).header('Cache-Control', 'no-store').send(oauthError(error, description));
    if (!parsed.success) return refuse(400, 'invalid_request', 'Send a form (or JSON) body with grant_type');
    const body = parsed.data;
    const creds = clientCredentials(req, body);
    const client = state.apps.get(creds.id);
    if (!client || client.clientSecret !== creds.secret) {
      return refuse(400, 'invalid_client', 'Unknown client_id or wrong client_secret');
    }
    const now = clock.now();
    if (body.grant_type === 'authorization_code') {
      const code = state.codes.get(body.code ?? '');
      if (!code || code.used || code.expiresAt <= now || code.clientId !== client.clientId) {
        return refuse(400, 'invalid_grant', 'The code is unknown, expired (5 minutes) or already used');
      }
      if (code.redirectUri !== body.redirect_uri) {
        return refuse(400, 'invalid_grant', 'redirect_uri does not match the one of the authorize step');
      }
      code.used = true;
      return issue(req, reply, state, now, code);
    }
    if (body.grant_type === 'refresh_token') {
      const refresh = state.refreshTokens.get(body.refresh_token ?? '');
      if (!refresh || !refresh.valid || refresh.clientId !== client.clientId) {
        return refuse(400, 'invalid_grant', 'The refresh token is unknown, already used or revoked');
      }
      refresh.valid = false;
      return issue(req, reply, state, now, refresh);
    }
    return refuse(400, 'unsupported_grant_type', `grant_type "${body.grant_type}" is not supported`);
  });

  app.post('/_sandbox/revoke', async (req, reply) => {
    const body = z
      .object({
        accountId: z.union([z.string(), z.number()]).transform(String),
        accessTokens: z.boolean().optional(),
      })
      .safeParse(req.body ?? {});
    if (!body.success) {
      return reply.code(400).send({ error: 'send {"accountId": "...", "accessTokens"?: true}' });
    }
    const { accountId, accessTokens } = body.data;
    if (!state.accounts.has(accountId)) {
      return reply.code(404).send({ error: `no JobAdder account "${accountId}" is seeded` });
    }
    let revoked = 0;
    for (const t of state.refreshTokens.values()) {
      if (t.accountId === accountId && t.valid) {
        t.valid = false;
        revoked += 1;
      }
    }
    if (accessTokens) {
      for (const [token, t] of state.accessTokens) {
        if (t.accountId === accountId && t.expiresAt !== null) state.accessTokens.delete(token);
      }
    }
    return { ok: true, revoked };
  });
}

/** The token response (API-CONTRACTS 4.1); a refresh token only with `offline_access`. */
function issue(req: FastifyRequest, reply: FastifyReply, state: JobadderState, now: number, grant: Grant) {
  const account = state.accounts.get(grant.accountId);
  if (!account) {
    return reply
      .code(400)
      .send(oauthError('invalid_grant', `Account ${grant.accountId} no longer exists in the simulator`));
  }
  const base: Grant = {
    accountId: grant.accountId,
    userId: grant.userId,
    clientId: grant.clientId,
    scopes: grant.scopes,
  };
  const access = newToken();
  state.accessTokens.set(access, { ...base, token: access, expiresAt: now + ACCESS_TOKEN_TTL_S * 1000 });
  let refresh: string | undefined;
  if (grant.scopes.includes('offline_access')) {
    refresh = newToken();
    state.refreshTokens.set(refresh, { ...base, token: refresh, valid: true });
  }
  return reply.header('Cache-Control', 'no-store').send({
    access_token: access,
    expires_in: ACCESS_TOKEN_TTL_S,
    token_type: 'Bearer',
    ...(refresh ? { refresh_token: refresh } : {}),
    api: apiUrl(req, account),
  });
}
