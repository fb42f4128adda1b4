/**
 * The Salesforce client against the Salesforce simulator over real HTTP
 * (sandbox/salesforce): what it sends, what it returns, how Salesforce's
 * error arrays become VendorErrors that decideRetry classifies, and the
 * OAuth web server flow with refresh.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decideRetry, VendorError } from '../../http/vendor.ts';
import {
  ADMIN_ID,
  AGENT_ID,
  ORG_ID,
  TOKEN,
  V,
  caller,
  startTestSalesforce,
} from '../../../sandbox/salesforce/testing.ts';
import {
  exchangeSalesforceCode,
  idsOfIdentityUrl,
  refreshSalesforceToken,
  SalesforceClient,
  salesforceIdentity,
  soqlString,
  soslTerm,
} from './client.ts';

const APP = { clientId: 'bridge-app', clientSecret: 'bridge-secret' };
const REDIRECT = 'https://bridge.test/oauth/salesforce/callback';

let t: Awaited<ReturnType<typeof startTestSalesforce>>;
let client: SalesforceClient;
let seeded: Awaited<ReturnType<typeof t.reset>>;

beforeAll(async () => {
  t = await startTestSalesforce();
  client = new SalesforceClient({
    instanceUrl: t.url,
    apiVersion: '60.0',
    auth: { token: async () => TOKEN },
  });
});
afterAll(() => t.close());
beforeEach(async () => {
  seeded = await t.reset({
    records: {
      Contact: [
        {
          FirstName: 'Claire',
          LastName: 'Dupont',
          Phone: '06 12 34 56 78',
          LastModifiedDate: '2026-01-01T00:00:00Z',
        },
        {
          FirstName: 'Paul',
          LastName: 'Dupont',
          MobilePhone: '+33612345678',
          LastModifiedDate: '2026-02-01T00:00:00Z',
        },
      ],
      Lead: [{ LastName: 'Lead', Company: 'Acme', Phone: '+33 6 12 34 56 78' }],
    },
  });
  await caller(t.url, null).post('/_sandbox/seed', {
    oauthApps: [{ ...APP, redirectUris: [REDIRECT] }],
  });
});

/** Expects `promise` to reject with a VendorError and returns it. */
async function vendorError(promise: Promise<unknown>): Promise<VendorError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorError);
  return err as VendorError;
}

describe('SalesforceClient: records (API-CONTRACTS 3.1)', () => {
  it('creates, reads and updates a Task; null clears a field', async () => {
    const id = await client.create('Task', { Subject: 'Call', Description: 'first', Status: 'Completed' });
    expect(id).toMatch(/^00T/);
    await client.update('Task', id, { Description: null, CallType: 'Inbound' });
    const task = await client.read('Task', id, ['Subject', 'Description', 'CallType', 'Status']);
    expect(task).toMatchObject({
      type: 'Task',
      id,
      fields: { Subject: 'Call', Description: null, CallType: 'Inbound', Status: 'Completed' },
    });
  });

  it('GEN-IDEM-1: an upsert on the external id creates once, then updates the same record', async () => {
    const first = await client.upsert('Task', 'Aircall_Bridge_Key__c', 'abc123', { Subject: 'one' });
    expect(first.created).toBe(true);
    const second = await client.upsert('Task', 'Aircall_Bridge_Key__c', 'abc123', { Subject: 'two' });
    expect(second).toEqual({ id: first.id, created: false });
    expect(await client.idByField('Task', 'Aircall_Bridge_Key__c', 'abc123')).toBe(first.id);
    expect((await client.read('Task', first.id, ['Subject'])).fields.Subject).toBe('two');
    expect(await client.idByField('Task', 'Aircall_Bridge_Key__c', 'missing')).toBeNull();
  });

  it('follows nextRecordsUrl past 2,000 rows', async () => {
    const many = Array.from({ length: 2105 }, (_, i) => ({ LastName: `Bulk ${i}`, Company: 'Bulk' }));
    await caller(t.url, null).post('/_sandbox/seed', { orgs: [{ orgId: ORG_ID, records: { Lead: many } }] });
    const rows = await client.query("SELECT Id, LastName FROM Lead WHERE Company = 'Bulk'");
    expect(rows).toHaveLength(2105);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2105);
  });

  it('GEN-PHONE-1: SOSL IN PHONE FIELDS finds national and E.164 formats, grouped as RETURNING lists them', async () => {
    const found = await client.search(
      'FIND {33612345678 OR 612345678} IN PHONE FIELDS RETURNING Contact(Id, Name ORDER BY LastModifiedDate DESC), Lead(Id, Name)',
    );
    expect(found.map((r) => [r.type, r.fields.Name])).toEqual([
      ['Contact', 'Paul Dupont'],
      ['Contact', 'Claire Dupont'],
      ['Lead', 'Lead'],
    ]);
  });

  it('batches GETs in one composite request, each answer with its own status', async () => {
    const before = (await caller(t.url, null).get(`/_sandbox/requests?account=${seeded.orgId}`)).body
      .requests as unknown[];
    const answers = await client.composite([
      {
        method: 'GET',
        referenceId: 'users',
        url: client.subrequestUrl(
          `/query?q=${encodeURIComponent('SELECT Id, Email FROM User ORDER BY Email')}`,
        ),
      },
      { method: 'GET', referenceId: 'task', url: client.subrequestUrl('/sobjects/Task/describe') },
      { method: 'GET', referenceId: 'bad', url: client.subrequestUrl('/sobjects/Nope/describe') },
    ]);
    expect(answers.map((a) => [a.referenceId, a.status])).toEqual([
      ['users', 200],
      ['task', 200],
      ['bad', 404],
    ]);
    const after = (await caller(t.url, null).get(`/_sandbox/requests?account=${seeded.orgId}`)).body
      .requests as unknown[];
    expect(after.length - before.length).toBe(1);
    const bad = await vendorError(
      Promise.resolve().then(() => client.compositeResult(z.unknown(), answers[2], 'describe Nope')),
    );
    expect(bad.status).toBe(404);
  });

  it('describe lists the Task fields with createable flags (SF-FLD-1 custom fields included)', async () => {
    const d = await client.describe('Task');
    const names = d.fields.filter((f) => f.createable).map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['Subject', 'Type', 'TaskSubtype', 'aircall__Answered_by__c']),
    );
    expect(d.fields.find((f) => f.name === 'Aircall_Bridge_Key__c')).toMatchObject({ externalId: true });
  });

  it("limits reports the org's daily API allocation", async () => {
    const l = await client.limits();
    expect(l.dailyApiRequests.max).toBe(15_000);
    expect(l.dailyApiRequests.remaining).toBeLessThan(15_000);
  });
});

describe('SalesforceClient: errors (API-CONTRACTS 3.5)', () => {
  it('GEN-REQ-1: REQUIRED_FIELD_MISSING names the field; not retried', async () => {
    const err = await vendorError(client.create('Lead', { LastName: 'No company' }));
    expect(err).toMatchObject({
      vendor: 'salesforce',
      status: 400,
      code: 'REQUIRED_FIELD_MISSING',
      field: 'Company',
    });
    expect(err.message).toMatch(/Salesforce refused POST \/sobjects\/Lead \(400 REQUIRED_FIELD_MISSING\)/);
    expect(err.message).toMatch(/make it optional/);
    expect(decideRetry(err, 1, Date.now()).retry).toBe(false);
  });

  it('404 for an unknown record; 403 REQUEST_LIMIT_EXCEEDED is retried later', async () => {
    const missing = await vendorError(client.read('Contact', '003000000000000AAA'));
    expect(missing.status).toBe(404);
    await caller(t.url, null).post('/_sandbox/limits', { dailyApiRequests: 5, used: 5 });
    const limited = await vendorError(client.query('SELECT Id FROM User'));
    expect(limited).toMatchObject({ status: 403, code: 'REQUEST_LIMIT_EXCEEDED' });
    const decision = decideRetry(limited, 1, Date.now());
    expect(decision.retry).toBe(true);
    expect(decision.waitMs).toBeGreaterThan(0);
  });

  it('5xx and unreachable hosts are retried', async () => {
    await caller(t.url, null).post('/_sandbox/faults', { pathPrefix: `${V}/query`, status: 503, count: 1 });
    const down = await vendorError(client.query('SELECT Id FROM User'));
    expect(down).toMatchObject({ status: 503, code: 'SERVER_UNAVAILABLE' });
    expect(decideRetry(down, 1, Date.now()).retry).toBe(true);
    const nowhere = new SalesforceClient({
      instanceUrl: 'http://127.0.0.1:9',
      apiVersion: '60.0',
      auth: { token: async () => TOKEN },
    });
    const gone = await vendorError(nowhere.query('SELECT Id FROM User'));
    expect(gone.status).toBe(0);
    expect(gone.message).toMatch(/could not be reached/);
  });

  it('401 INVALID_SESSION_ID refreshes the token once and retries', async () => {
    let refreshed = 0;
    const c = new SalesforceClient({
      instanceUrl: t.url,
      apiVersion: '60.0',
      auth: {
        token: async () => 'expired-token',
        refresh: async () => {
          refreshed++;
          return TOKEN;
        },
      },
    });
    const rows = await c.query(`SELECT Id FROM User WHERE Id = ${soqlString(ADMIN_ID)}`);
    expect(rows.map((r) => r.id)).toEqual([ADMIN_ID]);
    expect(refreshed).toBe(1);
    const noRefresh = new SalesforceClient({
      instanceUrl: t.url,
      apiVersion: '60.0',
      auth: { token: async () => 'expired-token' },
    });
    const err = await vendorError(noRefresh.query('SELECT Id FROM User'));
    expect(err).toMatchObject({ status: 401, code: 'INVALID_SESSION_ID' });
  });
});

describe('Salesforce OAuth web server flow (API-CONTRACTS 3.1)', () => {
  async function authorize(userId = ADMIN_ID): Promise<string> {
    const url = new URL('/services/oauth2/authorize', t.url);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: APP.clientId,
      redirect_uri: REDIRECT,
      scope: 'api refresh_token',
      state: 's1',
      org_id: ORG_ID,
      user_id: userId,
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code');
    if (!code) throw new Error(`no code: ${res.status}`);
    return code;
  }

  it('exchanges a code: tokens, instance_url, org and installer (with email) from the identity URL', async () => {
    const tokens = await exchangeSalesforceCode({
      loginUrl: t.url,
      ...APP,
      redirectUri: REDIRECT,
      code: await authorize(AGENT_ID),
    });
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.instanceUrl).toBe(t.url);
    expect(tokens.orgId).toBe(seeded.orgId);
    expect(tokens.installer).toEqual({ userId: AGENT_ID, email: 'bob@acme.test' });
    const c = new SalesforceClient({
      instanceUrl: tokens.instanceUrl,
      apiVersion: '60.0',
      auth: { token: async () => tokens.accessToken },
    });
    expect((await c.limits()).dailyApiRequests.max).toBe(15_000);
    const who = await salesforceIdentity({ idUrl: tokens.idUrl, accessToken: tokens.accessToken });
    expect(who).toMatchObject({ userId: AGENT_ID, orgId: seeded.orgId, email: 'bob@acme.test' });
  });

  it('refreshes without a new refresh token; a revoked one is invalid_grant (4xx, not retried)', async () => {
    const tokens = await exchangeSalesforceCode({
      loginUrl: t.url,
      ...APP,
      redirectUri: REDIRECT,
      code: await authorize(),
    });
    const next = await refreshSalesforceToken({
      loginUrl: t.url,
      ...APP,
      refreshToken: tokens.refreshToken ?? '',
    });
    expect(next.accessToken).not.toBe(tokens.accessToken);
    expect(next.refreshToken).toBeNull();
    expect(next.instanceUrl).toBe(t.url);
    await caller(t.url, null).post('/_sandbox/revoke', { refreshToken: tokens.refreshToken });
    const err = await vendorError(
      refreshSalesforceToken({ loginUrl: t.url, ...APP, refreshToken: tokens.refreshToken ?? '' }),
    );
    expect(err).toMatchObject({ status: 400, code: 'invalid_grant' });
    expect(err.message).toMatch(/reconnect Salesforce/);
    expect(decideRetry(err, 1, Date.now()).retry).toBe(false);
  });

  it('a reused code is refused with invalid_grant', async () => {
    const code = await authorize();
    await exchangeSalesforceCode({ loginUrl: t.url, ...APP, redirectUri: REDIRECT, code });
    const err = await vendorError(
      exchangeSalesforceCode({ loginUrl: t.url, ...APP, redirectUri: REDIRECT, code }),
    );
    expect(err.code).toBe('invalid_grant');
  });
});

describe('helpers', () => {
  it('escapes SOQL literals and SOSL terms; reads ids from the identity URL', () => {
    expect(soqlString("O'Brien\\")).toBe("'O\\'Brien\\\\'");
    expect(soslTerm('+33 (6) 12-34')).toBe('\\+33 \\(6\\) 12\\-34');
    expect(idsOfIdentityUrl('https://login.salesforce.com/id/00D000000000001AAA/005000000000002AAA')).toEqual(
      {
        orgId: '00D000000000001AAA',
        userId: '005000000000002AAA',
      },
    );
  });
});
