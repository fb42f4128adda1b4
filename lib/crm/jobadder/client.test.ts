/**
 * The JobAdder client against the JobAdder simulator over real HTTP
 * (sandbox/jobadder): OAuth and the `api` base URL, the token refresh after a
 * 401, what each endpoint returns, and how JobAdder's errors become
 * VendorErrors that decideRetry classifies.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decideRetry, VendorError } from '../../http/vendor.ts';
import { ACCOUNT, APP, TOKEN, USER_ID, startTestJobadder } from '../../../sandbox/jobadder/testing.ts';
import {
  exchangeJobadderCode,
  JOBADDER_SCOPES,
  JobadderClient,
  jobadderAuthorizeUrl,
  refreshJobadderToken,
} from './client.ts';

const REDIRECT = APP.redirectUris[0] ?? '';
const EU = 'agency-eu';

let t: Awaited<ReturnType<typeof startTestJobadder>>;
let client: JobadderClient;
let ids: { contacts: number[]; candidates: number[] };

beforeAll(async () => {
  t = await startTestJobadder();
  client = new JobadderClient({ apiBase: `${t.url}/v2`, auth: { token: async () => TOKEN } });
});
afterAll(() => t.close());
beforeEach(async () => {
  const seeded = (await t.reset({
    defaultCountry: 'FR',
    maxNoteLength: 500,
    contacts: [
      {
        firstName: 'Claire',
        lastName: 'Dupont',
        email: 'claire@example.fr',
        phone: '06 12 34 56 78',
        company: { name: 'Dupont Conseil' },
        position: 'DRH',
        updatedAt: '2026-01-02T10:00:00Z',
      },
      {
        firstName: 'Jean',
        lastName: 'Autre',
        mobile: '+33 6 12 34 56 78',
        updatedAt: '2026-03-01T10:00:00Z',
      },
    ],
    candidates: [
      { firstName: 'Lina', lastName: 'Candidate', mobile: '0612345678', updatedAt: '2026-02-01T10:00:00Z' },
    ],
  })) as { accounts: { contactIds: number[]; candidateIds: number[] }[] };
  const account = seeded.accounts[0];
  ids = { contacts: account?.contactIds ?? [], candidates: account?.candidateIds ?? [] };
  await t.admin.post('/_sandbox/seed', {
    accounts: [
      {
        accountId: EU,
        defaultCountry: 'FR',
        apiPath: '/eu/v2',
        users: [{ userId: 21, firstName: 'Eve', lastName: 'Owner', email: 'eve@agency.eu' }],
      },
    ],
  });
});

/** The simulator's consent page for an account: the code of its redirect. */
async function consent(accountId: string): Promise<string> {
  const url = new URL(
    jobadderAuthorizeUrl({ idUrl: t.url, clientId: APP.clientId, redirectUri: REDIRECT, state: 's' }),
  );
  url.searchParams.set('account_id', accountId);
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`no code in ${res.headers.get('location')}`);
  return code;
}

const app = () => ({ idUrl: t.url, clientId: APP.clientId, clientSecret: APP.clientSecret });

describe('OAuth (API-CONTRACTS 4.1)', () => {
  it('asks for the scopes of 4.1 with offline_access, and the code gives tokens and the account api base', async () => {
    const url = new URL(
      jobadderAuthorizeUrl({ idUrl: t.url, clientId: 'c', redirectUri: REDIRECT, state: 'st' }),
    );
    expect(url.pathname).toBe('/connect/authorize');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')?.split(' ')).toEqual([...JOBADDER_SCOPES]);
    for (const s of [
      'read_contact',
      'write_contact_note',
      'read_candidate',
      'write_candidate_note',
      'read_user',
      'offline_access',
    ])
      expect(JOBADDER_SCOPES).toContain(s);

    const now = 1_800_000_000_000;
    const tokens = await exchangeJobadderCode({
      ...app(),
      redirectUri: REDIRECT,
      code: await consent(EU),
      now,
    });
    expect(tokens.apiBase).toBe(`${t.url}/eu/v2`);
    expect(tokens.expiresAt).toBe(now + 3600 * 1000);
    expect(tokens.refreshToken).toBeTruthy();
    const eu = new JobadderClient({
      apiBase: tokens.apiBase,
      auth: { token: async () => tokens.accessToken },
    });
    expect(await eu.currentUser()).toMatchObject({ userId: '21', email: 'eve@agency.eu', admin: true });
  });

  it('uses the api base of the token, never another: the same token on another base is refused', async () => {
    const tokens = await exchangeJobadderCode({ ...app(), redirectUri: REDIRECT, code: await consent(EU) });
    const wrong = new JobadderClient({
      apiBase: `${t.url}/v2`,
      auth: { token: async () => tokens.accessToken },
    });
    const err = await wrong.currentUser().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect((err as VendorError).status).toBe(401);
    expect((err as VendorError).message).toMatch(/reconnect JobAdder/);
  });

  it('a refresh rotates the refresh token; the used one is refused with invalid_grant, a reconnect message', async () => {
    const first = await exchangeJobadderCode({
      ...app(),
      redirectUri: REDIRECT,
      code: await consent(ACCOUNT),
    });
    const second = await refreshJobadderToken({ ...app(), refreshToken: first.refreshToken ?? '' });
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.apiBase).toBe(`${t.url}/v2`);
    const err = await refreshJobadderToken({ ...app(), refreshToken: first.refreshToken ?? '' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(VendorError);
    expect(err).toMatchObject({ vendor: 'jobadder', status: 400, code: 'invalid_grant' });
    expect((err as VendorError).message).toMatch(/connect JobAdder again/);
    expect(decideRetry(err, 1, Date.now()).retry).toBe(false);
  });

  it('a wrong client secret is invalid_client, naming the settings to check', async () => {
    const err = await exchangeJobadderCode({
      ...app(),
      clientSecret: 'nope',
      redirectUri: REDIRECT,
      code: 'x',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'invalid_client' });
    expect((err as VendorError).message).toContain('JOBADDER_CLIENT_SECRET');
  });

  it('an access token past its 60 minutes gets 401; the client refreshes once and retries', async () => {
    const tokens = await exchangeJobadderCode({
      ...app(),
      redirectUri: REDIRECT,
      code: await consent(ACCOUNT),
    });
    let current = tokens;
    let refreshes = 0;
    const c = new JobadderClient({
      apiBase: () => current.apiBase,
      auth: {
        token: async () => current.accessToken,
        refresh: async () => {
          refreshes += 1;
          current = await refreshJobadderToken({ ...app(), refreshToken: current.refreshToken ?? '' });
          return current.accessToken;
        },
      },
    });
    expect((await c.currentUser()).userId).toBe(String(USER_ID));
    expect(refreshes).toBe(0);
    await t.admin.post('/_sandbox/clock', { advanceMs: 61 * 60_000 });
    expect((await c.currentUser()).userId).toBe(String(USER_ID));
    expect(refreshes).toBe(1);
    expect((await c.currentUser()).userId).toBe(String(USER_ID));
    expect(refreshes).toBe(1);
  });
});

describe('records and the phone search (API-CONTRACTS 4.2)', () => {
  it('JA-PHONE-1: finds contacts and candidates whose phone or mobile is the number, national formats included', async () => {
    const found = await client.searchByPhone('+33612345678');
    const byKind = (kind: string) =>
      found.filter((p) => p.kind === kind).map((p) => `${p.firstName} ${p.updatedAt}`);
    // Most recently updated first (spec: "top 5 most recently updated").
    expect(byKind('contact')).toEqual(['Jean 2026-03-01T10:00:00.000Z', 'Claire 2026-01-02T10:00:00.000Z']);
    expect(byKind('candidate')).toEqual(['Lina 2026-02-01T10:00:00.000Z']);
    const claire = found.find((p) => p.firstName === 'Claire');
    expect(claire).toMatchObject({
      kind: 'contact',
      id: String(ids.contacts[0]),
      lastName: 'Dupont',
      email: 'claire@example.fr',
      phone: '06 12 34 56 78',
      company: 'Dupont Conseil',
      position: 'DRH',
    });
    expect(await client.searchByPhone('+33699999999')).toEqual([]);
  });

  it('reads one contact and one candidate; an unknown id is a 404 VendorError', async () => {
    expect(await client.record('contact', String(ids.contacts[0]))).toMatchObject({
      kind: 'contact',
      firstName: 'Claire',
      company: 'Dupont Conseil',
    });
    expect(await client.record('candidate', String(ids.candidates[0]))).toMatchObject({
      kind: 'candidate',
      firstName: 'Lina',
      mobile: '0612345678',
    });
    const err = await client.record('contact', '999999').catch((e: unknown) => e);
    expect(err).toMatchObject({ vendor: 'jobadder', status: 404 });
    expect((err as VendorError).message).toMatch(/no longer exists in JobAdder/);
  });

  it('lists the note types of contacts and candidates', async () => {
    const types = await client.noteTypes('contact');
    expect(types.map((x) => x.name)).toContain('SMS');
    expect(types.find((x) => x.name === 'SMS')?.default.sms).toBe(true);
    expect((await client.noteTypes('candidate')).length).toBeGreaterThan(0);
  });
});

describe('users (GET /users, JobAdder OpenAPI v2; not yet in API-CONTRACTS 4.2)', () => {
  it('GEN-EMAIL-1: users() follows the pages to every user, inactive ones flagged, deleted ones left out', async () => {
    const staff = Array.from({ length: 104 }, (_, i) => ({
      userId: 5000 + i,
      firstName: `Agent${i}`,
      lastName: 'Staff',
      email: `agent${i}@agency.test`,
      admin: false,
      ...(i === 1 ? { inactive: true } : {}),
      ...(i === 2 ? { deleted: true } : {}),
    }));
    await t.admin.post('/_sandbox/seed', { accounts: [{ accountId: ACCOUNT, users: staff }] });
    await fetch(`${t.url}/_sandbox/requests`, { method: 'DELETE' });

    const users = await client.users();
    // Ann (the reset's user) and the 104 agents, less the deleted one: 104, over two pages of 100.
    expect(users).toHaveLength(104);
    expect(users.map((u) => u.userId)).not.toContain('5002');
    expect(new Set(users.map((u) => u.userId)).size).toBe(104);
    expect(users[0]).toMatchObject({
      userId: String(USER_ID),
      firstName: 'Ann',
      lastName: 'Admin',
      email: 'ann@agency.test',
      inactive: false,
      deleted: false,
      // A UserSummaryModel does not say whether the user is an admin.
      admin: null,
    });
    expect(users.find((u) => u.userId === '5001')).toMatchObject({
      email: 'agent1@agency.test',
      inactive: true,
    });
    expect(users.at(-1)).toMatchObject({ userId: '5103', email: 'agent103@agency.test' });

    const res = await fetch(`${t.url}/_sandbox/requests?account=${ACCOUNT}`);
    const log = ((await res.json()) as { requests: { method: string; path: string; query: string }[] })
      .requests;
    expect(log.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      'GET /v2/users?Offset=0&Limit=100',
      'GET /v2/users?Offset=100&Limit=100',
    ]);
  });

  it('an account of one user is one request; a 5xx on the list is a VendorError decideRetry retries', async () => {
    expect((await client.users()).map((u) => u.email)).toEqual(['ann@agency.test']);
    await t.admin.post('/_sandbox/faults', { pathPrefix: '/v2/users', status: 503 });
    const err = await client.users().catch((e: unknown) => e);
    expect(err).toMatchObject({ vendor: 'jobadder', status: 503 });
    expect(decideRetry(err, 1, Date.now()).retry).toBe(true);
  });

  it('a list that never ends (JobAdder ignoring Offset) stops with an error instead of looping', async () => {
    const page = {
      items: [{ userId: 1, firstName: 'Same', lastName: 'Page', email: 'same@agency.test' }],
      totalCount: 1_000_000,
    };
    let calls = 0;
    const looping = new JobadderClient({
      apiBase: 'https://api.jobadder.test/v2',
      auth: { token: async () => TOKEN },
      fetch: async () => {
        calls += 1;
        return new Response(JSON.stringify(page), { headers: { 'content-type': 'application/json' } });
      },
    });
    const err = await looping.users().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect((err as VendorError).message).toMatch(/more than 100 pages/);
    expect(calls).toBe(100);
  });
});

describe('notes (API-CONTRACTS 4.2)', () => {
  it('creates a contact note with its reference, reads it, finds it by Reference, and updates it with PUT', async () => {
    const contactId = String(ids.contacts[0]);
    const created = await client.addNote('contact', contactId, {
      text: 'First text',
      type: 'SMS',
      reference: 'aircall:sms:m-1',
      createdByIntegration: true,
      createdBy: { userId: USER_ID },
    });
    expect(created).toMatchObject({ type: 'SMS', text: 'First text', reference: 'aircall:sms:m-1' });
    expect(created.noteId).toMatch(/^[0-9a-f-]{36}$/);

    const byRef = await client.listNotes('contact', contactId, {
      reference: 'aircall:sms:m-1',
      sort: '-createdAt',
    });
    expect(byRef.map((n) => n.noteId)).toEqual([created.noteId]);
    // Without Fields=text a list gives no whole text.
    expect(byRef[0]?.text).toBeNull();
    expect(await client.listNotes('contact', contactId, { reference: 'aircall:sms:other' })).toEqual([]);

    await t.admin.post('/_sandbox/clock', { advanceMs: 60_000 });
    await client.updateNote(created.noteId, { text: 'Second text', type: 'SMS' });
    const read = await client.note(created.noteId);
    expect(read.text).toBe('Second text');
    expect(Date.parse(read.updatedAt ?? '')).toBeGreaterThan(Date.parse(created.updatedAt ?? ''));

    const listed = await client.listNotes('contact', contactId, {
      type: 'SMS',
      sort: '-updatedAt',
      withText: true,
    });
    expect(listed.map((n) => n.text)).toEqual(['Second text']);
  });

  it('creates a candidate note; lists by Type and newest change first', async () => {
    const candidateId = String(ids.candidates[0]);
    const a = await client.addNote('candidate', candidateId, {
      text: 'A',
      type: 'SMS',
      reference: 'aircall:sms:a',
    });
    await t.admin.post('/_sandbox/clock', { advanceMs: 1000 });
    const b = await client.addNote('candidate', candidateId, { text: 'B', type: 'General' });
    await t.admin.post('/_sandbox/clock', { advanceMs: 1000 });
    await client.updateNote(a.noteId, { text: 'A2' });
    const all = await client.listNotes('candidate', candidateId, { sort: '-updatedAt', withText: true });
    expect(all.map((n) => n.noteId)).toEqual([a.noteId, b.noteId]);
    const sms = await client.listNotes('candidate', candidateId, { type: 'SMS', withText: true });
    expect(sms.map((n) => n.text)).toEqual(['A2']);
  });

  it('JA-SMS-1: a note over the account maximum is a 422 on "text" that says to lower maxNoteLength, not retried', async () => {
    const err = await client
      .addNote('contact', String(ids.contacts[0]), { text: 'x'.repeat(501), type: 'SMS' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorError);
    expect(err).toMatchObject({ vendor: 'jobadder', status: 422, field: 'text' });
    expect((err as VendorError).message).toMatch(/501 characters/);
    expect((err as VendorError).message).toMatch(/maxNoteLength/);
    expect(decideRetry(err, 1, Date.now()).retry).toBe(false);
  });

  it('an unknown note type is refused naming the field and the settings to change', async () => {
    const err = await client
      .addNote('contact', String(ids.contacts[0]), { text: 'x', type: 'Call' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, field: 'type' });
    expect((err as VendorError).message).toMatch(/noteType/);
  });

  it('a note on a missing contact, or an update of a missing note, is a 404', async () => {
    expect(await client.addNote('contact', '424242', { text: 'x' }).catch((e: unknown) => e)).toMatchObject({
      status: 404,
    });
    expect(
      await client.updateNote('00000000-0000-4000-8000-000000000000', { text: 'x' }).catch((e: unknown) => e),
    ).toMatchObject({ status: 404 });
  });
});

describe('limits and outages', () => {
  it('a 429 with Retry-After is a VendorError that decideRetry waits out for that long', async () => {
    await t.admin.post('/_sandbox/limits', { accountId: ACCOUNT, rateLimit: { max: 1, windowMs: 60_000 } });
    await client.currentUser();
    const err = await client.currentUser().catch((e: unknown) => e);
    expect(err).toMatchObject({ vendor: 'jobadder', status: 429 });
    const decision = decideRetry(err, 1, Date.now());
    expect(decision.retry).toBe(true);
    expect(decision.waitMs).toBeGreaterThanOrEqual(1000);
    expect(decision.waitMs).toBeLessThanOrEqual(60_000);
    await t.admin.post('/_sandbox/limits', { accountId: ACCOUNT, rateLimit: null });
  });

  it('a 5xx is retried with backoff; an unreachable JobAdder is status 0, retried', async () => {
    await t.admin.post('/_sandbox/faults', { pathPrefix: '/v2/users/current', status: 503 });
    const err = await client.currentUser().catch((e: unknown) => e);
    expect(err).toMatchObject({ vendor: 'jobadder', status: 503 });
    expect(decideRetry(err, 1, Date.now()).retry).toBe(true);

    const down = new JobadderClient({ apiBase: 'http://127.0.0.1:9/v2', auth: { token: async () => TOKEN } });
    const gone = await down.currentUser().catch((e: unknown) => e);
    expect(gone).toMatchObject({ vendor: 'jobadder', status: 0 });
    expect(decideRetry(gone, 1, Date.now()).retry).toBe(true);
  });

  it('without an api base the client says to connect JobAdder again', async () => {
    const none = new JobadderClient({ apiBase: '', auth: { token: async () => TOKEN } });
    await expect(none.currentUser()).rejects.toThrow(/connect JobAdder again/);
  });
});
