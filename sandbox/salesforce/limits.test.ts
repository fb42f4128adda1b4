import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORG_ID, TOKEN, V, caller, startTestSalesforce } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestSalesforce>>;
let api: ReturnType<typeof caller>;
let admin: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestSalesforce();
  api = caller(t.url, TOKEN);
  admin = caller(t.url, null);
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset();
  await admin.post('/_sandbox/clock', { now: '2026-11-22T12:00:00Z', frozen: true });
});

describe('Salesforce simulator: API request limits (API-CONTRACTS 3.5)', () => {
  it('sends Sforce-Limit-Info on every answer and reports DailyApiRequests on /limits', async () => {
    const first = await api.get(`${V}/sobjects`);
    expect(first.headers['sforce-limit-info']).toBe('api-usage=1/15000');
    const limits = await api.get(`${V}/limits`);
    expect(limits.headers['sforce-limit-info']).toBe('api-usage=2/15000');
    expect(limits.body.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14998 });
    // Errors count too, and carry the header.
    const bad = await api.get(`${V}/query?q=nope`);
    expect(bad.status).toBe(400);
    expect(bad.headers['sforce-limit-info']).toBe('api-usage=3/15000');
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED past the allocation until the 24 h window rolls', async () => {
    await admin.post('/_sandbox/limits', { orgId: ORG_ID, dailyApiRequests: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.get(`${V}/limits`)).status);
    expect(statuses).toEqual([200, 200, 200, 403]);
    const refused = await api.get(`${V}/limits`);
    expect(refused.body).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(refused.headers['sforce-limit-info']).toBe('api-usage=3/3');
    await admin.post('/_sandbox/clock', { advanceMs: 24 * 60 * 60_000 - 1 });
    expect((await api.get(`${V}/limits`)).status).toBe(403);
    await admin.post('/_sandbox/clock', { advanceMs: 1 });
    expect((await api.get(`${V}/limits`)).status).toBe(200);
  });

  it('counts a composite of several subrequests as one request; `used` starts an org near its limit', async () => {
    const setup = await admin.post('/_sandbox/limits', { dailyApiRequests: 100, used: 98 });
    expect(setup.body).toEqual({ ok: true, orgs: [{ orgId: ORG_ID, dailyApiRequests: 100, used: 98 }] });
    const res = await api.post(`${V}/composite`, {
      compositeRequest: Array.from({ length: 5 }, (_, i) => ({
        method: 'POST',
        url: `${V}/sobjects/Contact`,
        referenceId: `c${i}`,
        body: { LastName: `C${i}` },
      })),
    });
    expect(res.status).toBe(200);
    expect(res.headers['sforce-limit-info']).toBe('api-usage=99/100');
    expect(t.sim.records(ORG_ID, 'Contact')).toHaveLength(5);
    const collection = await api.post(`${V}/composite/sobjects`, {
      records: [{ attributes: { type: 'Contact' }, LastName: 'X' }],
    });
    expect(collection.headers['sforce-limit-info']).toBe('api-usage=100/100');
    expect((await api.get(`${V}/limits`)).status).toBe(403);
  });

  it('does not count unauthenticated requests or the OAuth endpoints', async () => {
    const anonymous = await caller(t.url, 'bad-token').get(`${V}/limits`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['sforce-limit-info']).toBeUndefined();
    await admin.get('/services/data/');
    expect((await api.get(`${V}/limits`)).body.DailyApiRequests).toEqual({ Max: 15000, Remaining: 14999 });
  });
});

describe('Salesforce simulator: sandbox controls (sandbox/common/sim.ts)', () => {
  it('answers an injected fault with a Salesforce error array, once, and logs it under the org', async () => {
    await admin.post('/_sandbox/faults', { method: 'POST', pathPrefix: `${V}/sobjects/Task`, status: 503 });
    const failed = await api.post(`${V}/sobjects/Task`, { Subject: 'Call' });
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual([
      { message: expect.stringContaining('unavailable'), errorCode: 'SERVER_UNAVAILABLE' },
    ]);
    expect((await api.post(`${V}/sobjects/Task`, { Subject: 'Call' })).status).toBe(201);

    await admin.post('/_sandbox/faults', { pathPrefix: `${V}/query`, status: 401 });
    expect((await api.get(`${V}/query?q=x`)).body).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    const log = await admin.get(`/_sandbox/requests?account=${ORG_ID}`);
    expect((log.body.requests as { status: number; path: string }[]).map((r) => [r.status, r.path])).toEqual([
      [503, `${V}/sobjects/Task`],
      [201, `${V}/sobjects/Task`],
      [401, `${V}/query`],
    ]);
  });

  it('refuses a malformed seed with a message naming the problem', async () => {
    const cases: [unknown, string][] = [
      [{ orgs: [{ orgId: 'org-1', users: [] }] }, 'is not a organization id'],
      [{ orgs: [{ orgId: '00DSm0000000001', users: [] }] }, 'needs at least one user'],
      [
        { orgs: [{ orgId: ORG_ID, records: { Contact: [{ Nope: 1 }] } }] },
        "records.Contact[0]: INVALID_FIELD: No such column 'Nope'",
      ],
      [{ orgs: [{ orgId: ORG_ID, fields: { Task: { hidden: ['Nope'] } } }] }, 'Task has no field Nope'],
      [
        {
          orgs: [
            {
              orgId: ORG_ID,
              fields: { Task: { custom: [{ name: 'NoSuffix', label: 'x', type: 'string' }] } },
            },
          ],
        },
        '__c',
      ],
      [{ oauthApps: [{ clientId: 'a', clientSecret: 'b', redirectUris: ['not a url'] }] }, 'redirectUris'],
    ];
    for (const [body, text] of cases) {
      const res = await admin.post('/_sandbox/seed', body);
      expect(res.status, text).toBe(400);
      expect(String(res.body.error), text).toContain(text);
    }
    // A refused seed leaves the org as it was.
    const partial = await admin.post('/_sandbox/seed', {
      orgs: [
        { orgId: ORG_ID, records: { Contact: [{ LastName: 'Ok' }, { LastName: 'Bad', Email: 'nope' }] } },
      ],
    });
    expect(String(partial.body.error)).toContain('records.Contact[1]: INVALID_EMAIL_ADDRESS');
    expect(t.sim.records(ORG_ID, 'Contact')).toHaveLength(0);
  });

  it('answers the ids it assigned; reset empties everything', async () => {
    const res = await admin.post('/_sandbox/seed', {
      orgs: [
        {
          orgId: ORG_ID,
          records: { Account: [{ Name: 'Acme' }], Contact: [{ LastName: 'A' }, { LastName: 'B' }] },
        },
      ],
    });
    expect(res.body.orgs).toEqual([
      {
        orgId: ORG_ID,
        userIds: [],
        profileIds: { admin: expect.stringMatching(/^00e/), standard: expect.stringMatching(/^00e/) },
        ids: {
          Account: [expect.stringMatching(/^001/)],
          Contact: [expect.stringMatching(/^003/), expect.stringMatching(/^003/)],
        },
      },
    ]);
    await admin.post('/_sandbox/reset', {});
    expect(t.sim.state.orgs.size).toBe(0);
    expect((await api.get(`${V}/limits`)).status).toBe(401);
  });
});
