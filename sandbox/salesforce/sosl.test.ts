import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneMatches } from './sosl.ts';
import { TOKEN, V, caller, q, startTestSalesforce } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestSalesforce>>;
let api: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestSalesforce();
  api = caller(t.url, TOKEN);
});
afterAll(() => t.close());

const search = (sosl: string) => api.get(`${V}/search?q=${q(sosl)}`);
type Row = { attributes: { type: string }; Id: string; LastName?: string; Name?: string };
const rows = (res: { body: Record<string, unknown> }) => res.body.searchRecords as Row[];

describe('Salesforce simulator: phone matching (GEN-PHONE-1)', () => {
  it.each([
    ['+33 6 12 34 56 78', '+33612345678', true],
    ['06 12 34 56 78', '612345678', true],
    ['+33612345678', '612345678', true],
    ['(415) 555-1212', '+14155551212', true],
    ['555-1212', '+14155551212', true],
    ['06 12 34 56 78', '+33612345678', false],
    ['123456', '+33123456', false],
    ['', '612345678', false],
  ])('GEN-PHONE-1: %s vs term %s -> %s', (stored, term, expected) => {
    expect(phoneMatches(stored, term)).toBe(expected);
  });
});

describe('Salesforce simulator: SOSL (API-CONTRACTS 3.2)', () => {
  it('GEN-PHONE-2: IN PHONE FIELDS searches every phone field of Contacts and Leads, and Account Phone', async () => {
    const seeded = await t.reset({
      records: {
        Account: [{ Name: 'Acme', Phone: '+33 6 12 34 56 78' }],
        Contact: [
          { LastName: 'Phone', Phone: '+33612345678' },
          { LastName: 'Mobile', MobilePhone: '06 12 34 56 78' },
          { LastName: 'Home', HomePhone: '0033612345678' },
          { LastName: 'Assistant', AssistantPhone: '+33-6-12-34-56-78' },
          { LastName: 'Other', OtherPhone: '(0)6 12 34 56 78' },
          { LastName: 'Elsewhere', Phone: '+33699999999', Description: 'call 612345678' },
        ],
        Lead: [
          { LastName: 'LeadMobile', Company: 'C', MobilePhone: '+33612345678' },
          { LastName: 'LeadOther', Company: 'C', Phone: '+442071234567' },
        ],
      },
    });
    const res = await search(
      'FIND {612345678} IN PHONE FIELDS RETURNING Contact(Id, LastName), Lead(Id, LastName, IsConverted), Account(Id, Name)',
    );
    expect(res.status).toBe(200);
    const found = rows(res);
    expect(
      found
        .filter((r) => r.attributes.type === 'Contact')
        .map((r) => r.LastName)
        .sort(),
    ).toEqual(['Assistant', 'Home', 'Mobile', 'Other', 'Phone']);
    expect(found.filter((r) => r.attributes.type === 'Lead').map((r) => r.LastName)).toEqual(['LeadMobile']);
    expect(found.filter((r) => r.attributes.type === 'Account').map((r) => r.Id)).toEqual(seeded.ids.Account);
    // Grouped in RETURNING order.
    expect(found.map((r) => r.attributes.type)).toEqual([...Array(5).fill('Contact'), 'Lead', 'Account']);
    expect(found[0]).toEqual({
      attributes: {
        type: 'Contact',
        url: expect.stringMatching(/^\/services\/data\/v60\.0\/sobjects\/Contact\/003/),
      },
      Id: expect.any(String),
      LastName: expect.any(String),
    });
  });

  it('SF-MATCH-1: within an object the most recently updated comes first, unless ORDER BY says otherwise; LIMIT and WHERE apply', async () => {
    await t.reset({
      records: {
        Contact: [
          { LastName: 'Old', Phone: '+33612345678', LastModifiedDate: '2026-01-01T00:00:00Z' },
          { LastName: 'New', Phone: '+33612345678', LastModifiedDate: '2026-06-01T00:00:00Z' },
          { LastName: 'Mid', MobilePhone: '+33612345678', LastModifiedDate: '2026-03-01T00:00:00Z' },
        ],
        Lead: [
          { LastName: 'Converted', Company: 'C', Phone: '+33612345678', IsConverted: true },
          { LastName: 'Open', Company: 'C', Phone: '+33612345678' },
        ],
      },
    });
    const names = async (sosl: string) => rows(await search(sosl)).map((r) => r.LastName);
    expect(await names('FIND {\\+33612345678} IN PHONE FIELDS RETURNING Contact(Id, LastName)')).toEqual([
      'New',
      'Mid',
      'Old',
    ]);
    expect(
      await names('FIND {\\+33612345678} IN PHONE FIELDS RETURNING Contact(Id, LastName ORDER BY LastName)'),
    ).toEqual(['Mid', 'New', 'Old']);
    expect(await names('FIND {\\+33612345678} IN PHONE FIELDS RETURNING Contact(LastName LIMIT 1)')).toEqual([
      'New',
    ]);
    expect(
      await names(
        'FIND {\\+33612345678} IN PHONE FIELDS RETURNING Lead(Id, LastName WHERE IsConverted = false)',
      ),
    ).toEqual(['Open']);
    expect(
      await names(
        'FIND {\\+33612345678} IN PHONE FIELDS RETURNING Contact(LastName), Lead(LastName) LIMIT 4',
      ),
    ).toHaveLength(4);
  });

  it('combines terms with OR, accepts IN ALL FIELDS for phone terms, and searches Person Account phones', async () => {
    await t.reset({
      personAccounts: true,
      records: {
        Account: [{ FirstName: 'Paul', LastName: 'Person', PersonMobilePhone: '+33 7 00 00 00 01' }],
        Contact: [{ LastName: 'Dupont', Phone: '+33612345678', Email: 'claire@dupont.test' }],
      },
    });
    const both = rows(
      await search(
        'FIND {612345678 OR 700000001} IN PHONE FIELDS RETURNING Contact(LastName), Account(Name, IsPersonAccount)',
      ),
    );
    expect(both).toEqual([
      expect.objectContaining({ LastName: 'Dupont' }),
      expect.objectContaining({ Name: 'Paul Person', IsPersonAccount: true }),
    ]);
    expect(rows(await search('FIND {612345678} RETURNING Contact(LastName)'))).toHaveLength(1);
    expect(
      rows(await search('FIND {claire@dupont.test} IN EMAIL FIELDS RETURNING Contact(LastName)')),
    ).toHaveLength(1);
    expect(rows(await search('FIND {dupont} IN NAME FIELDS RETURNING Contact(LastName)'))).toHaveLength(1);
    expect(rows(await search('FIND {612345678} IN NAME FIELDS RETURNING Contact(LastName)'))).toHaveLength(0);
  });

  it('a search string over 4,000 characters loses its OR operators; over 10,000 it returns no rows (SOSL Syntax)', async () => {
    await t.reset({ records: { Contact: [{ LastName: 'Dupont', Phone: '+33612345678' }] } });
    const others = (n: number) => Array.from({ length: n }, (_, i) => String(700000000 + i));
    const find = (terms: string[]) =>
      search(`FIND {${terms.join(' OR ')}} IN PHONE FIELDS RETURNING Contact(LastName)`);
    const under = ['612345678', ...others(250)];
    expect(under.join(' OR ').length).toBeLessThanOrEqual(4_000);
    expect(rows(await find(under))).toEqual([expect.objectContaining({ LastName: 'Dupont' })]);
    const over = ['612345678', ...others(320)];
    expect(over.join(' OR ').length).toBeGreaterThan(4_000);
    const dropped = await find(over);
    expect(dropped.status).toBe(200);
    expect(rows(dropped)).toEqual([]);
    const huge = await search(`FIND {${'6'.repeat(10_001)}} IN PHONE FIELDS RETURNING Contact(LastName)`);
    expect(huge.status).toBe(200);
    expect(rows(huge)).toEqual([]);
  });

  it('parameterized search takes the term literally', async () => {
    await t.reset({ records: { Contact: [{ LastName: 'Dupont', Phone: '+33612345678' }] } });
    const res = await api.get(
      `${V}/parameterizedSearch/?q=${q('+33612345678')}&sobject=Contact&in=PHONE&Contact.fields=Id,LastName`,
    );
    expect(res.status).toBe(200);
    expect(rows(res)).toEqual([expect.objectContaining({ LastName: 'Dupont' })]);
  });

  it('refuses malformed searches with MALFORMED_SEARCH, unknown fields with INVALID_FIELD', async () => {
    await t.reset();
    const cases: [string, string, string][] = [
      ['FIND 612345678 IN PHONE FIELDS', 'MALFORMED_SEARCH', 'enclosed in braces'],
      ['FIND {+33612345678} IN PHONE FIELDS', 'MALFORMED_SEARCH', "reserved character '+'"],
      ['FIND {6} IN PHONE FIELDS', 'MALFORMED_SEARCH', 'longer than one character'],
      ['FIND {6123*} IN PHONE FIELDS', 'MALFORMED_SEARCH', 'wildcards'],
      ['FIND {612345678} IN PHONE FIELDS RETURNING Contact(Id', 'MALFORMED_SEARCH', "expecting ')'"],
      ['FIND {612345678} IN WEIRD FIELDS', 'MALFORMED_SEARCH', 'unknown search group'],
      ['FIND {612345678} IN PHONE FIELDS RETURNING Contact(Nope)', 'INVALID_FIELD', "No such column 'Nope'"],
      ['FIND {612345678} IN PHONE FIELDS RETURNING Nope', 'INVALID_TYPE', "'Nope'"],
    ];
    for (const [sosl, code, text] of cases) {
      const res = await search(sosl);
      expect(res.status, sosl).toBe(400);
      expect(res.body, sosl).toEqual([{ errorCode: code, message: expect.stringContaining(text) }]);
    }
  });
});
