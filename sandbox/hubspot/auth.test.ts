import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PORTAL_ID, TOKEN, caller, startTestHubspot } from './testing.ts';

const APP = {
  clientId: 'client-1',
  clientSecret: 'secret-1',
  redirectUris: ['https://bridge.test/oauth/hubspot/callback'],
};
const REDIRECT = APP.redirectUris[0] ?? '';

let t: Awaited<ReturnType<typeof startTestHubspot>>;
beforeAll(async () => {
  t = await startTestHubspot();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset();
  await caller(t.url, null).post('/_sandbox/seed', { oauthApps: [APP], portals: [{ portalId: 777 }] });
});

/** Runs the authorize step and returns the code HubSpot redirects with. */
async function authorize(query: Record<string, string>) {
  const res = await caller(t.url, null).get(`/oauth/authorize?${new URLSearchParams(query)}`);
  return res;
}

async function codeFor(portalId?: number): Promise<string> {
  const res = await authorize({
    client_id: APP.clientId,
    redirect_uri: REDIRECT,
    scope: 'crm.objects.contacts.read crm.objects.contacts.write',
    state: 's-123',
    ...(portalId ? { portal_id: String(portalId) } : {}),
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.location ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('s-123');
  return location.searchParams.get('code') ?? '';
}

async function token(form: Record<string, string>, json = false) {
  const res = await fetch(`${t.url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const exchange = (code: string) =>
  token({
    grant_type: 'authorization_code',
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
    redirect_uri: REDIRECT,
    code,
  });
const refresh = (refreshToken: string) =>
  token({
    grant_type: 'refresh_token',
    client_id: APP.clientId,
    client_secret: APP.clientSecret,
    refresh_token: refreshToken,
  });

describe('HubSpot simulator: Bearer auth (API-CONTRACTS 2 "Auth")', () => {
  it('serves a seeded private app token and refuses a missing or unknown one with INVALID_AUTHENTICATION', async () => {
    expect((await caller(t.url, TOKEN).get('/crm/v3/owners')).status).toBe(200);
    for (const bad of [null, 'nope']) {
      const res = await caller(t.url, bad).get('/crm/v3/owners');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
      expect(res.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs each request under the portal id of its token', async () => {
    await caller(t.url, TOKEN).get('/crm/v3/owners');
    const log = await caller(t.url, null).get(`/_sandbox/requests?account=${PORTAL_ID}`);
    expect(log.body.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/crm/v3/owners',
        status: 200,
        account: String(PORTAL_ID),
      }),
    ]);
  });
});

describe('HubSpot simulator: OAuth', () => {
  it('authorizes into the chosen portal, exchanges the code once, and the token opens that portal', async () => {
    const code = await codeFor(777);
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'bearer', expires_in: 1800 });
    const access = String(first.body.access_token);
    const info = await caller(t.url, null).get(`/oauth/v1/access-tokens/${access}`);
    expect(info.body).toMatchObject({
      hub_id: 777,
      scopes: ['crm.objects.contacts.read', 'crm.objects.contacts.write'],
    });
    await caller(t.url, access).get('/crm/v3/owners');
    const log = await caller(t.url, null).get('/_sandbox/requests?account=777');
    expect(log.body.requests).toHaveLength(1);

    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ status: 'BAD_AUTH_CODE' });
  });

  it('authorizes into the first portal without portal_id, and refuses an unknown client or redirect URI', async () => {
    const first = await exchange(await codeFor());
    const info = await caller(t.url, null).get(`/oauth/v1/access-tokens/${String(first.body.access_token)}`);
    expect(info.body.hub_id).toBe(PORTAL_ID);
    expect((await authorize({ client_id: 'other', redirect_uri: REDIRECT })).status).toBe(400);
    expect((await authorize({ client_id: APP.clientId, redirect_uri: 'https://evil.test/cb' })).status).toBe(
      400,
    );
  });

  it('expires a code after 10 minutes on the simulator clock', async () => {
    const code = await codeFor();
    await caller(t.url, null).post('/_sandbox/clock', { advanceMs: 10 * 60_000 + 1 });
    expect((await exchange(code)).body).toMatchObject({ status: 'BAD_AUTH_CODE' });
  });

  it('expires access tokens after 1800 s (EXPIRED_AUTHENTICATION); the refresh token gives a working one', async () => {
    const tokens = await exchange(await codeFor());
    const access = String(tokens.body.access_token);
    await caller(t.url, null).post('/_sandbox/clock', { advanceMs: 1800_000 + 5_000 });
    const expired = await caller(t.url, access).get('/crm/v3/owners');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });

    const renewed = await refresh(String(tokens.body.refresh_token));
    expect(renewed.status).toBe(200);
    expect(renewed.body.refresh_token).toBe(tokens.body.refresh_token);
    expect((await caller(t.url, String(renewed.body.access_token)).get('/crm/v3/owners')).status).toBe(200);
  });

  it('accepts a JSON token request too, and refuses a wrong client secret', async () => {
    const code = await codeFor();
    const wrong = await token({
      grant_type: 'authorization_code',
      client_id: APP.clientId,
      client_secret: 'x',
      code,
    });
    expect(wrong.body).toMatchObject({ status: 'BAD_CLIENT_SECRET' });
    const ok = await token(
      {
        grant_type: 'authorization_code',
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
        redirect_uri: REDIRECT,
        code,
      },
      true,
    );
    expect(ok.status).toBe(200);
  });

  it('refuses a revoked refresh token with 400 BAD_REFRESH_TOKEN (needs reconnection)', async () => {
    const tokens = await exchange(await codeFor());
    const refreshToken = String(tokens.body.refresh_token);
    const revoked = await caller(t.url, null).post('/_sandbox/oauth/revoke', { refreshToken });
    expect(revoked.status).toBe(200);
    const res = await refresh(refreshToken);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 'BAD_REFRESH_TOKEN',
      message: 'missing or invalid refresh token',
    });
    expect((await refresh('never-issued')).body).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
  });
});
