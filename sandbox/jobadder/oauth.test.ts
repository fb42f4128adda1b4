import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, APP, TOKEN, USER_ID, caller, startTestJobadder } from './testing.ts';

const REDIRECT = APP.redirectUris[0] ?? '';
const SCOPE = 'read_contact write_contact_note read_candidate write_candidate_note read_user offline_access';

let t: Awaited<ReturnType<typeof startTestJobadder>>;
beforeAll(async () => {
  t = await startTestJobadder();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset();
  await t.admin.post('/_sandbox/seed', {
    accounts: [
      {
        accountId: 'agency-eu',
        defaultCountry: 'FR',
        apiPath: '/eu/v2',
        users: [
          { userId: 21, firstName: 'Eve', lastName: 'Owner', email: 'eve@agency.eu' },
          { userId: 22, firstName: 'Max', lastName: 'Member', email: 'max@agency.eu', admin: false },
        ],
        contacts: [{ contactId: 501, firstName: 'Zoé', lastName: 'Roux', phone: '06 12 34 56 78' }],
      },
    ],
  });
});

function authorize(query: Record<string, string>) {
  return t.admin.get(`/connect/authorize?${new URLSearchParams(query)}`);
}

/** Runs the authorize step and returns the redirect's query. */
async function consent(extra: Record<string, string> = {}): Promise<URLSearchParams> {
  const res = await authorize({
    response_type: 'code',
    client_id: APP.clientId,
    scope: SCOPE,
    redirect_uri: REDIRECT,
    state: 'st-1',
    ...extra,
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.location ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('st-1');
  return location.searchParams;
}

async function token(form: Record<string, string>, as: 'form' | 'json' = 'form') {
  const res = await fetch(`${t.url}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: as === 'json' ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string | number> };
}

const client = { client_id: APP.clientId, client_secret: APP.clientSecret };
const exchange = (code: string, redirectUri = REDIRECT) =>
  token({ ...client, grant_type: 'authorization_code', code, redirect_uri: redirectUri });
const refresh = (refreshToken: string) =>
  token({ ...client, grant_type: 'refresh_token', refresh_token: refreshToken });

describe('JobAdder simulator: OAuth (API-CONTRACTS 4.1)', () => {
  it('JA-INST-1: code -> token with the api URL -> refresh rotates -> used and revoked refresh tokens are invalid_grant; notes stay', async () => {
    const code = (await consent({ account_id: 'agency-eu', user_id: '22' })).get('code') ?? '';
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', api: `${t.url}/eu/v2` });
    expect(typeof first.body.refresh_token).toBe('string');
    const api = caller(String(first.body.api), String(first.body.access_token));
    expect((await api.get('/users/current')).body).toMatchObject({
      userId: 22,
      email: 'max@agency.eu',
      admin: false,
    });
    const note = await api.post('/contacts/501/notes', { text: 'Call logged', type: 'Phone Call' });
    expect(note.status).toBe(201);

    const second = await refresh(String(first.body.refresh_token));
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(second.body.api).toBe(`${t.url}/eu/v2`);
    expect(
      (await caller(String(second.body.api), String(second.body.access_token)).get('/users/current')).status,
    ).toBe(200);
    // Rotation: the used refresh token is spent.
    expect(await refresh(String(first.body.refresh_token))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });

    const revoked = await t.admin.post('/_sandbox/revoke', { accountId: 'agency-eu' });
    expect(revoked.body).toEqual({ ok: true, revoked: 1 });
    expect(await refresh(String(second.body.refresh_token))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    // Disconnecting deletes nothing in JobAdder.
    expect(t.sim.notes('agency-eu', { contactId: 501 }).map((n) => n.text)).toEqual(['Call logged']);
  });

  it('authorizes into the first account and user by default; the code is single use and must come back with its redirect_uri', async () => {
    const code = (await consent()).get('code') ?? '';
    expect((await exchange(code, 'https://bridge.test/other')).body).toMatchObject({
      error: 'invalid_grant',
    });
    const ok = await exchange(code);
    expect(ok.body.api).toBe(`${t.url}/v2`);
    const me = await caller(String(ok.body.api), String(ok.body.access_token)).get('/users/current');
    expect(me.body).toMatchObject({ userId: USER_ID, accountName: 'Agency AU' });
    expect((await exchange(code)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('expires codes after 5 minutes on the simulator clock', async () => {
    const code = (await consent()).get('code') ?? '';
    await t.admin.post('/_sandbox/clock', { advanceMs: 5 * 60_000 + 1 });
    expect(await exchange(code)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses an unknown client or redirect URI with 400 {error, error_description}; other refusals go back to the redirect URI', async () => {
    const unknownClient = await authorize({
      response_type: 'code',
      client_id: 'nope',
      redirect_uri: REDIRECT,
      scope: 'read',
    });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.body).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringContaining('nope'),
    });
    const badRedirect = await authorize({
      response_type: 'code',
      client_id: APP.clientId,
      redirect_uri: 'https://evil.test/cb',
      scope: 'read',
    });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.body).toMatchObject({ error: 'invalid_request' });
    expect((await consent({ response_type: 'token' })).get('error')).toBe('unsupported_response_type');
    expect((await consent({ scope: 'read_contacts' })).get('error')).toBe('invalid_scope');
    expect((await consent({ scope: 'offline_access' })).get('error')).toBe('invalid_scope');
    expect((await consent({ deny: 'true' })).get('error')).toBe('access_denied');
    const unknownAccount = await authorize({
      response_type: 'code',
      client_id: APP.clientId,
      redirect_uri: REDIRECT,
      scope: 'read',
      account_id: 'ghost',
    });
    expect(unknownAccount.status).toBe(400);
  });

  it('checks the client secret (form, JSON or Basic) and the grant type', async () => {
    const code = (await consent()).get('code') ?? '';
    const wrong = await token({
      ...client,
      client_secret: 'x',
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
    expect((await token({ ...client, grant_type: 'password' })).body).toMatchObject({
      error: 'unsupported_grant_type',
    });
    const json = await token(
      { ...client, grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      'json',
    );
    expect(json.status).toBe(200);
    const basic = await fetch(`${t.url}/connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: String(json.body.refresh_token),
      }),
    });
    expect(basic.status).toBe(200);
  });

  it('logs token requests under the account of their code or refresh token', async () => {
    const tokens = await exchange((await consent({ account_id: 'agency-eu' })).get('code') ?? '');
    await refresh(String(tokens.body.refresh_token));
    const log = await t.admin.get('/_sandbox/requests?account=agency-eu');
    expect((log.body.requests as { path: string; status: number }[]).map((r) => [r.path, r.status])).toEqual([
      ['/connect/token', 200],
      ['/connect/token', 200],
    ]);
  });

  it('gives no refresh token without offline_access (API-CONTRACTS 4.1)', async () => {
    const code = (await consent({ scope: 'read write' })).get('code') ?? '';
    const res = await exchange(code);
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBeUndefined();
  });
});

describe('JobAdder simulator: Bearer auth and the account base URL', () => {
  it('expires access tokens after 60 minutes on the simulator clock (401 ErrorModel); seeded read tokens never expire', async () => {
    const tokens = await exchange((await consent()).get('code') ?? '');
    const api = caller(String(tokens.body.api), String(tokens.body.access_token));
    await t.admin.post('/_sandbox/clock', { advanceMs: 3600_000 - 1000 });
    expect((await api.get('/users/current')).status).toBe(200);
    await t.admin.post('/_sandbox/clock', { advanceMs: 1000 });
    const expired = await api.get('/users/current');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: expect.stringContaining('expired') });
    expect(expired.headers['www-authenticate']).toContain('invalid_token');
    expect((await t.api.get('/users/current')).status).toBe(200);
    const renewed = await refresh(String(tokens.body.refresh_token));
    expect(
      (await caller(String(renewed.body.api), String(renewed.body.access_token)).get('/users/current'))
        .status,
    ).toBe(200);
  });

  it('refuses a missing or unknown token with 401 and an ErrorModel', async () => {
    for (const bad of [null, 'nope']) {
      const res = await caller(`${t.url}/v2`, bad).get('/contacts');
      expect(res.status).toBe(401);
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('serves each account only under its own api base: a client that ignores `api` fails', async () => {
    const tokens = await exchange((await consent({ account_id: 'agency-eu' })).get('code') ?? '');
    const access = String(tokens.body.access_token);
    expect((await caller(`${t.url}/eu/v2`, access).get('/contacts/501')).status).toBe(200);
    // The default base belongs to other accounts: this token is not valid there.
    const wrongBase = await caller(`${t.url}/v2`, access).get('/contacts/501');
    expect(wrongBase.status).toBe(401);
    expect(wrongBase.body.message).toContain('"api" URL');
    // No base at all: no JobAdder API there.
    expect((await caller(t.url, access).get('/contacts/501')).status).toBe(404);
    // And the AU read token does not open the EU base.
    expect((await caller(`${t.url}/eu/v2`, TOKEN).get('/contacts/501')).status).toBe(401);
  });

  it('logs each API request under the account of its token', async () => {
    await t.api.get('/users/current');
    await caller(`${t.url}/v2`, 'nope').get('/users/current');
    const log = await t.admin.get(`/_sandbox/requests?account=${ACCOUNT}`);
    expect(log.body.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/v2/users/current', status: 200, account: ACCOUNT }),
    ]);
    const all = await t.admin.get('/_sandbox/requests');
    expect((all.body.requests as { account: string | null }[]).map((r) => r.account)).toEqual([
      ACCOUNT,
      null,
    ]);
  });
});
