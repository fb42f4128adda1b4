import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KEY_PREFIXES, ORG_PREFIX, makeId } from './ids.ts';
import { ADMIN_ID, AGENT_ID, ORG_ID, TOKEN, V, caller, startTestSalesforce } from './testing.ts';

const APP = {
  clientId: '3MVG9-sim-client',
  clientSecret: 'sim-secret-1',
  redirectUris: ['https://bridge.test/oauth/salesforce/callback'],
};
const REDIRECT = APP.redirectUris[0] ?? '';
const OTHER_ORG = makeId(ORG_PREFIX, 5151);
const OTHER_USER = makeId(KEY_PREFIXES.User, 515_101);

let t: Awaited<ReturnType<typeof startTestSalesforce>>;
let admin: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestSalesforce();
  admin = caller(t.url, null);
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset();
  await admin.post('/_sandbox/clock', { now: '2026-11-22T08:00:00Z', frozen: true });
  const seeded = await admin.post('/_sandbox/seed', {
    oauthApps: [APP],
    orgs: [
      {
        orgId: OTHER_ORG,
        users: [{ Id: OTHER_USER, FirstName: 'Olga', LastName: 'Other', Email: 'olga@other.test' }],
      },
    ],
  });
  expect(seeded.status).toBe(200);
});

async function authorize(query: Record<string, string>) {
  return admin.get(`/services/oauth2/authorize?${new URLSearchParams(query)}`);
}

async function codeFor(extra: Record<string, string> = {}): Promise<string> {
  const res = await authorize({
    response_type: 'code',
    client_id: APP.clientId,
    redirect_uri: REDIRECT,
    state: 's-42',
    ...extra,
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.location ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('s-42');
  return location.searchParams.get('code') ?? '';
}

async function token(form: Record<string, string>, json = false) {
  const res = await fetch(`${t.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const exchange = (code: string, json = false) =>
  token(
    {
      grant_type: 'authorization_code',
      client_id: APP.clientId,
      client_secret: APP.clientSecret,
      redirect_uri: REDIRECT,
      code,
    },
    json,
  );
const refresh = (refreshToken: string) =>
  token({
    grant_type: 'refresh_token',
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
    refresh_token: refreshToken,
  });

describe('Salesforce simulator: OAuth web server flow (API-CONTRACTS 3.1)', () => {
  it('authorizes, exchanges the code once for tokens whose instance_url is the simulator, and the token opens the org', async () => {
    const code = await codeFor();
    const first = await exchange(code);
    expect(first.status).toBe(200);
    const id = `${t.url}/id/${ORG_ID}/${ADMIN_ID}`;
    expect(first.body).toEqual({
      access_token: expect.stringMatching(new RegExp(`^${ORG_ID.slice(0, 15)}!`)),
      refresh_token: expect.any(String),
      signature: expect.any(String),
      scope: 'api refresh_token',
      instance_url: t.url,
      id,
      token_type: 'Bearer',
      issued_at: String(Date.parse('2026-11-22T08:00:00Z')),
    });
    const expected = createHmac('sha256', APP.clientSecret)
      .update(id + String(first.body.issued_at))
      .digest('base64');
    expect(first.body.signature).toBe(expected);

    const api = caller(String(first.body.instance_url), String(first.body.access_token));
    const read = await api.get(`${V}/query?q=${encodeURIComponent('SELECT Id FROM User')}`);
    expect(read.status).toBe(200);
    expect(read.body.totalSize).toBe(2);

    const again = await exchange(code);
    expect(again).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'invalid authorization code' },
    });
  });

  it('picks the org and consenting user with org_id/user_id, and accepts a JSON token body', async () => {
    const other = await exchange(await codeFor({ org_id: OTHER_ORG }), true);
    expect(other.status).toBe(200);
    expect(other.body.id).toBe(`${t.url}/id/${OTHER_ORG}/${OTHER_USER}`);
    const agent = await exchange(await codeFor({ user_id: AGENT_ID }));
    expect(agent.body.id).toBe(`${t.url}/id/${ORG_ID}/${AGENT_ID}`);
    // The API user of the session owns what it creates (SF-OWN-3).
    const api = caller(t.url, String(agent.body.access_token));
    const created = await api.post(`${V}/sobjects/Task`, { Subject: 'Call' });
    expect(t.sim.record(ORG_ID, String(created.body.id))?.fields).toMatchObject({
      OwnerId: AGENT_ID,
      CreatedById: AGENT_ID,
    });
  });

  it('refuses an unknown client or redirect URI with 400 {error, error_description}; a refusal redirects with access_denied', async () => {
    const unknown = await authorize({ response_type: 'code', client_id: 'nope', redirect_uri: REDIRECT });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    const badRedirect = await authorize({
      response_type: 'code',
      client_id: APP.clientId,
      redirect_uri: 'https://evil.test/cb',
    });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.body).toEqual({
      error: 'redirect_uri_mismatch',
      error_description: 'redirect_uri must match configuration',
    });
    const denied = await authorize({
      response_type: 'code',
      client_id: APP.clientId,
      redirect_uri: REDIRECT,
      deny: 'true',
    });
    expect(new URL(denied.headers.location ?? '').searchParams.get('error')).toBe('access_denied');
    const badSecret = await token({
      grant_type: 'authorization_code',
      client_id: APP.clientId,
      client_secret: 'x',
      code: 'c',
    });
    expect(badSecret.body).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
  });

  it('codes expire after 15 minutes', async () => {
    const code = await codeFor();
    await admin.post('/_sandbox/clock', { advanceMs: 15 * 60_000 });
    expect((await exchange(code)).body).toEqual({
      error: 'invalid_grant',
      error_description: 'expired authorization code',
    });
  });

  it('sessions expire after the org session timeout without use (401 INVALID_SESSION_ID); refresh gives a new token', async () => {
    const tokens = (await exchange(await codeFor())).body;
    const api = caller(t.url, String(tokens.access_token));
    await admin.post('/_sandbox/clock', { advanceMs: 60 * 60_000 });
    // Use within the timeout keeps the session alive.
    expect((await api.get(`${V}/limits`)).status).toBe(200);
    await admin.post('/_sandbox/clock', { advanceMs: 2 * 60 * 60_000 });
    const expired = await api.get(`${V}/limits`);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);

    const renewed = await refresh(String(tokens.refresh_token));
    expect(renewed.status).toBe(200);
    expect(renewed.body).not.toHaveProperty('refresh_token');
    expect(renewed.body).toMatchObject({ instance_url: t.url, token_type: 'Bearer', id: tokens.id });
    expect((await caller(t.url, String(renewed.body.access_token)).get(`${V}/limits`)).status).toBe(200);
    // Read tokens never expire.
    expect((await caller(t.url, TOKEN).get(`${V}/limits`)).status).toBe(200);
  });

  it('a shorter org session timeout and /_sandbox/expire-sessions end sessions', async () => {
    await admin.post('/_sandbox/seed', { orgs: [{ orgId: ORG_ID, sessionTimeoutMs: 15 * 60_000 }] });
    const tokens = (await exchange(await codeFor())).body;
    const api = caller(t.url, String(tokens.access_token));
    await admin.post('/_sandbox/clock', { advanceMs: 15 * 60_000 });
    expect((await api.get(`${V}/limits`)).status).toBe(401);
    const fresh = caller(t.url, String((await refresh(String(tokens.refresh_token))).body.access_token));
    expect((await fresh.get(`${V}/limits`)).status).toBe(200);
    expect((await admin.post('/_sandbox/expire-sessions', { orgId: ORG_ID })).body).toEqual({
      ok: true,
      expired: 2,
    });
    expect((await fresh.get(`${V}/limits`)).status).toBe(401);
  });

  it('a revoked refresh token fails with invalid_grant and its sessions end', async () => {
    const tokens = (await exchange(await codeFor())).body;
    const revoked = await admin.post('/_sandbox/revoke', { orgId: ORG_ID });
    expect(revoked.body).toEqual({ ok: true, revoked: 1 });
    expect(await refresh(String(tokens.refresh_token))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
    expect((await caller(t.url, String(tokens.access_token)).get(`${V}/limits`)).status).toBe(401);

    // The real revoke endpoint does the same for one token.
    const second = (await exchange(await codeFor())).body;
    const res = await fetch(`${t.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: String(second.refresh_token) }).toString(),
    });
    expect(res.status).toBe(200);
    expect((await refresh(String(second.refresh_token))).status).toBe(400);
  });

  it('GEN-ADM-1: a deactivated installer loses the session and cannot refresh', async () => {
    const tokens = (await exchange(await codeFor())).body;
    await admin.post('/_sandbox/seed', {
      orgs: [{ orgId: ORG_ID, users: [{ Id: ADMIN_ID, IsActive: false }] }],
    });
    expect((await caller(t.url, String(tokens.access_token)).get(`${V}/limits`)).status).toBe(401);
    expect((await refresh(String(tokens.refresh_token))).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('userinfo and the identity URL return the user and org', async () => {
    const tokens = (await exchange(await codeFor({ user_id: AGENT_ID }))).body;
    const api = caller(t.url, String(tokens.access_token));
    const info = await api.get('/services/oauth2/userinfo');
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      user_id: AGENT_ID,
      organization_id: ORG_ID,
      email: 'bob@acme.test',
      name: 'Bob Agent',
      sub: tokens.id,
    });
    const id = await api.get(new URL(String(tokens.id)).pathname);
    expect(id.status).toBe(200);
    expect(id.body).toMatchObject({
      id: tokens.id,
      user_id: AGENT_ID,
      organization_id: ORG_ID,
      email: 'bob@acme.test',
      display_name: 'Bob Agent',
      urls: { rest: `${t.url}/services/data/v{version}/` },
    });
    expect((await caller(t.url, 'nope').get('/services/oauth2/userinfo')).status).toBe(403);
  });

  it('logs each request under the org id of its token', async () => {
    const tokens = (await exchange(await codeFor({ org_id: OTHER_ORG }))).body;
    await caller(t.url, String(tokens.access_token)).get(`${V}/limits`);
    await caller(t.url, TOKEN).get(`${V}/limits`);
    const log = await admin.get(`/_sandbox/requests?account=${OTHER_ORG}`);
    expect(log.body.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: `${V}/limits`, status: 200, account: OTHER_ORG }),
    ]);
  });
});
