import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_ID, AGENT_ID, ORG_ID, TOKEN, V, caller, q, startTestSalesforce } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestSalesforce>>;
let api: ReturnType<typeof caller>;
let ids: Record<string, string[]>;
beforeAll(async () => {
  t = await startTestSalesforce();
  api = caller(t.url, TOKEN);
});
afterAll(() => t.close());

beforeEach(async () => {
  await caller(t.url, null).post('/_sandbox/clock', { now: '2026-11-22T12:00:00Z', frozen: true });
  const seeded = await t.reset({
    records: {
      Account: [{ Name: 'Acme' }, { Name: 'Globex' }],
      Contact: [
        {
          LastName: 'Dupont',
          FirstName: 'Claire',
          Phone: '+33612345678',
          LastModifiedDate: '2026-11-20T10:00:00Z',
        },
        {
          LastName: 'Martin',
          FirstName: 'Alain',
          OwnerId: AGENT_ID,
          LastModifiedDate: '2026-11-21T10:00:00Z',
        },
        { LastName: "O'Brien", Email: 'ob@x.test', LastModifiedDate: '2026-11-19T10:00:00Z' },
        { LastName: 'Zed', LastModifiedDate: '2026-11-22T11:00:00Z' },
      ],
      Opportunity: [
        {
          Name: 'Open deal',
          StageName: 'Prospecting',
          CloseDate: '2026-12-31',
          LastModifiedDate: '2026-11-10T00:00:00Z',
        },
        { Name: 'Won deal', StageName: 'Closed Won', CloseDate: '2026-10-01' },
        {
          Name: 'Newer deal',
          StageName: 'Qualification',
          CloseDate: '2027-01-31',
          LastModifiedDate: '2026-11-15T00:00:00Z',
        },
      ],
    },
  });
  ids = seeded.ids as Record<string, string[]>;
  const [dupont] = ids.Contact ?? [];
  const [open, won, newer] = ids.Opportunity ?? [];
  const acme = ids.Account?.[0];
  await t.sim.seed({
    orgs: [
      {
        orgId: ORG_ID,
        records: {
          OpportunityContactRole: [open, won, newer].map((OpportunityId) => ({
            OpportunityId,
            ContactId: dupont,
          })),
          Case: [
            {
              Subject: 'Open case',
              ContactId: dupont,
              AccountId: acme,
              LastModifiedDate: '2026-11-01T00:00:00Z',
            },
            { Subject: 'Closed case', ContactId: dupont, Status: 'Closed' },
          ],
          Task: [{ Subject: 'Call', WhoId: dupont, WhatId: acme }],
        },
      },
    ],
  });
});

const query = (soql: string) => api.get(`${V}/query?q=${q(soql)}`);
const names = (res: { body: Record<string, unknown> }) =>
  (res.body.records as { LastName?: string }[]).map((r) => r.LastName);

describe('Salesforce simulator: SOQL (API-CONTRACTS 3.1)', () => {
  it('selects fields with attributes, in SELECT order, with totalSize and done', async () => {
    const res = await query("SELECT Id, LastName, Phone FROM Contact WHERE LastName = 'dupont'");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Contact', url: `${V}/sobjects/Contact/${ids.Contact?.[0]}` },
          Id: ids.Contact?.[0],
          LastName: 'Dupont',
          Phone: '+33612345678',
        },
      ],
    });
    // Keywords and names are case-insensitive; answers use the canonical names.
    const lower = await query("select id, lastname from contact where LASTNAME = 'Dupont'");
    expect(Object.keys((lower.body.records as object[])[0] ?? {})).toEqual(['attributes', 'Id', 'LastName']);
  });

  it('orders by several fields, ASC/DESC, NULLS FIRST/LAST, and cuts with LIMIT and OFFSET', async () => {
    expect(names(await query('SELECT LastName FROM Contact ORDER BY LastModifiedDate DESC'))).toEqual([
      'Zed',
      'Martin',
      'Dupont',
      "O'Brien",
    ]);
    expect(
      names(await query('SELECT LastName FROM Contact ORDER BY FirstName NULLS LAST, LastName DESC')),
    ).toEqual(['Martin', 'Dupont', 'Zed', "O'Brien"]);
    expect(names(await query('SELECT LastName FROM Contact ORDER BY FirstName ASC, LastName'))).toEqual([
      "O'Brien",
      'Zed',
      'Martin',
      'Dupont',
    ]);
    expect(names(await query('SELECT LastName FROM Contact ORDER BY LastName LIMIT 2 OFFSET 1'))).toEqual([
      'Martin',
      "O'Brien",
    ]);
  });

  it('filters with IN, NOT IN, LIKE, !=, null, escaped quotes, AND/OR/NOT with parentheses', async () => {
    expect(
      names(
        await query("SELECT LastName FROM Contact WHERE LastName IN ('Zed', 'Martin') ORDER BY LastName"),
      ),
    ).toEqual(['Martin', 'Zed']);
    expect(
      names(
        await query("SELECT LastName FROM Contact WHERE LastName NOT IN ('Zed', 'Martin') ORDER BY LastName"),
      ),
    ).toEqual(['Dupont', "O'Brien"]);
    expect(
      names(await query("SELECT LastName FROM Contact WHERE LastName LIKE '%on%' ORDER BY LastName")),
    ).toEqual(['Dupont']);
    expect(names(await query("SELECT LastName FROM Contact WHERE LastName = 'O\\'Brien'"))).toEqual([
      "O'Brien",
    ]);
    expect(
      names(await query('SELECT LastName FROM Contact WHERE FirstName = null ORDER BY LastName')),
    ).toEqual(["O'Brien", 'Zed']);
    expect(
      names(await query("SELECT LastName FROM Contact WHERE FirstName != 'Claire' ORDER BY LastName")),
    ).toEqual(['Martin', "O'Brien", 'Zed']);
    expect(
      names(
        await query(
          "SELECT LastName FROM Contact WHERE (LastName = 'Zed' OR FirstName = 'Claire') AND NOT LastName = 'Zed'",
        ),
      ),
    ).toEqual(['Dupont']);
    expect(
      names(await query(`SELECT LastName FROM Contact WHERE OwnerId = '${AGENT_ID.slice(0, 15)}'`)),
    ).toEqual(['Martin']);
  });

  it('compares dates and datetimes with literals and date keywords on the simulator clock', async () => {
    const recent = await query(
      'SELECT LastName FROM Contact WHERE LastModifiedDate > 2026-11-20T12:00:00Z ORDER BY LastName',
    );
    expect(names(recent)).toEqual(['Martin', 'Zed']);
    expect(names(await query('SELECT LastName FROM Contact WHERE LastModifiedDate = TODAY'))).toEqual([
      'Zed',
    ]);
    expect(
      names(
        await query('SELECT LastName FROM Contact WHERE LastModifiedDate = LAST_N_DAYS:2 ORDER BY LastName'),
      ),
    ).toEqual(['Dupont', 'Martin', 'Zed']);
    const opps = await query('SELECT Name FROM Opportunity WHERE CloseDate >= 2026-12-31 ORDER BY CloseDate');
    expect((opps.body.records as { Name: string }[]).map((r) => r.Name)).toEqual(['Open deal', 'Newer deal']);
  });

  it('SF-CASE-2: reads relationship fields one level up, in SELECT, WHERE and ORDER BY', async () => {
    const res = await query(
      `SELECT OpportunityId, Opportunity.Name FROM OpportunityContactRole WHERE ContactId = '${ids.Contact?.[0]}' AND Opportunity.IsClosed = false ORDER BY Opportunity.LastModifiedDate DESC`,
    );
    expect(res.status).toBe(200);
    const rows = res.body.records as {
      OpportunityId: string;
      Opportunity: { Name: string; attributes: object };
    }[];
    expect(rows.map((r) => r.Opportunity.Name)).toEqual(['Newer deal', 'Open deal']);
    expect(rows[0]?.Opportunity.attributes).toEqual({
      type: 'Opportunity',
      url: `${V}/sobjects/Opportunity/${ids.Opportunity?.[2]}`,
    });
    const cases = await query(
      `SELECT Id, CaseNumber FROM Case WHERE ContactId = '${ids.Contact?.[0]}' AND IsClosed = false ORDER BY LastModifiedDate DESC`,
    );
    expect((cases.body.records as { CaseNumber: string }[]).map((r) => r.CaseNumber)).toHaveLength(1);
    const owners = await query(
      "SELECT LastName, Owner.Email, Owner.Name, Account.Name FROM Contact WHERE LastName = 'Martin'",
    );
    expect(owners.body.records).toEqual([
      {
        attributes: expect.any(Object),
        LastName: 'Martin',
        Owner: {
          attributes: { type: 'User', url: `${V}/sobjects/User/${AGENT_ID}` },
          Email: 'bob@acme.test',
          Name: 'Bob Agent',
        },
        Account: null,
      },
    ]);
    const tasks = await query('SELECT Subject, Who.Name, Who.Type, What.Name FROM Task');
    expect(tasks.body.records).toEqual([
      expect.objectContaining({
        Who: expect.objectContaining({ Name: 'Claire Dupont', Type: 'Contact' }),
        What: expect.objectContaining({ Name: 'Acme' }),
      }),
    ]);
  });

  it('SF-OWN-1 / GEN-ADM-1: users are queryable with CreatedDate, IsActive and Profile permissions', async () => {
    const res = await query(
      'SELECT Id, Email, IsActive, CreatedDate, Profile.PermissionsModifyAllData FROM User ORDER BY Email',
    );
    expect(res.body.records).toEqual([
      expect.objectContaining({
        Id: ADMIN_ID,
        IsActive: true,
        Profile: expect.objectContaining({ PermissionsModifyAllData: true }),
      }),
      expect.objectContaining({
        Id: AGENT_ID,
        Profile: expect.objectContaining({ PermissionsModifyAllData: false }),
      }),
    ]);
  });

  it('counts with COUNT() and COUNT(field)', async () => {
    expect((await query("SELECT COUNT() FROM Contact WHERE LastName != 'Zed'")).body).toEqual({
      totalSize: 3,
      done: true,
      records: [],
    });
    expect((await query('SELECT COUNT(FirstName) n FROM Contact')).body.records).toEqual([
      { attributes: { type: 'AggregateResult' }, n: 2 },
    ]);
  });

  it('pages past 2,000 rows through nextRecordsUrl', async () => {
    t.sim.seed({
      orgs: [
        {
          orgId: ORG_ID,
          records: { Lead: Array.from({ length: 2100 }, (_, i) => ({ LastName: `L${i}`, Company: 'C' })) },
        },
      ],
    });
    const first = await query('SELECT Id FROM Lead');
    expect(first.body).toMatchObject({ totalSize: 2100, done: false });
    expect(first.body.records).toHaveLength(2000);
    const next = await api.get(String(first.body.nextRecordsUrl));
    expect(next.body).toMatchObject({ totalSize: 2100, done: true });
    expect(next.body.records).toHaveLength(100);
    expect((await api.get(String(first.body.nextRecordsUrl))).body).toMatchObject([
      { errorCode: 'INVALID_QUERY_LOCATOR' },
    ]);
  });

  it('refuses malformed and unsupported syntax with MALFORMED_QUERY naming it, unknown names with INVALID_FIELD/INVALID_TYPE', async () => {
    const cases: [string, string, string][] = [
      ['SELECT Id FRM Contact', 'MALFORMED_QUERY', "unexpected token: 'FRM'"],
      [
        "SELECT Id FROM Contact WHERE LastName = 'a' AND FirstName = 'b' OR Phone = 'c'",
        'MALFORMED_QUERY',
        'parentheses',
      ],
      ['SELECT Id FROM Contact GROUP BY LastName', 'MALFORMED_QUERY', 'does not support GROUP BY'],
      ['SELECT Id, (SELECT Id FROM Cases) FROM Contact', 'MALFORMED_QUERY', 'subqueries'],
      ['SELECT Account.Owner.Email FROM Contact', 'MALFORMED_QUERY', 'more than one level'],
      ['SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)', 'MALFORMED_QUERY', 'semi-joins'],
      ['SELECT Id FROM Contact WHERE CreatedDate = THIS_QUARTER', 'MALFORMED_QUERY', 'THIS_QUARTER'],
      ['SELECT MAX(CreatedDate) FROM Contact', 'MALFORMED_QUERY', 'MAX()'],
      ['SELECT Nope FROM Contact', 'INVALID_FIELD', "No such column 'Nope' on entity 'Contact'"],
      ['SELECT Foo.Name FROM Contact', 'INVALID_FIELD', "Didn't understand relationship 'Foo'"],
      ['SELECT Id FROM Nope', 'INVALID_TYPE', "sObject type 'Nope' is not supported"],
      [
        'SELECT Id FROM Contact WHERE Phone = 33612345678',
        'INVALID_FIELD',
        'must be of type string and should be enclosed in quotes',
      ],
      ["SELECT Id FROM Case WHERE IsClosed = 'false'", 'INVALID_FIELD', 'must be of type boolean'],
    ];
    for (const [soql, code, text] of cases) {
      const res = await query(soql);
      expect(res.status, soql).toBe(400);
      expect(res.body, soql).toEqual([{ errorCode: code, message: expect.stringContaining(text) }]);
    }
  });
});
