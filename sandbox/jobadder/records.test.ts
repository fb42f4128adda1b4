import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { USER_ID, startTestJobadder } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestJobadder>>;
beforeAll(async () => {
  t = await startTestJobadder();
});
afterAll(() => t.close());

let seeded: { contactIds: number[]; candidateIds: number[] };
beforeEach(async () => {
  await t.admin.post('/_sandbox/clock', { now: '2026-09-01T12:00:00Z', frozen: true });
  const body = await t.reset({
    contacts: [
      {
        firstName: 'Alice',
        lastName: 'Martin',
        email: 'Alice@Acme.test',
        phone: '02 9999 1234',
        company: { name: 'Acme' },
        position: 'CEO',
        owner: USER_ID,
        createdAt: '2026-01-01T00:00:00Z',
      },
      { firstName: 'Bob', lastName: 'Martin', mobile: '+61 412 345 678', company: { name: 'acme' } },
      { firstName: 'Carla', lastName: 'Smith', mobile: '0412 345 678' },
    ],
    candidates: [
      {
        candidateId: 900,
        firstName: 'Dana',
        lastName: 'Jobseeker',
        mobile: '0412 345 678',
        company: { name: 'Previous Co' },
        position: 'Analyst',
        owner: USER_ID,
      },
    ],
  });
  const account = (body.accounts as { contactIds: number[]; candidateIds: number[] }[])[0];
  seeded = { contactIds: account?.contactIds ?? [], candidateIds: account?.candidateIds ?? [] };
});

const ids = (body: Record<string, unknown>, key = 'contactId') =>
  (body.items as Record<string, number>[]).map((i) => i[key]);

describe('JobAdder simulator: contacts and candidates (API-CONTRACTS 4.2)', () => {
  it('seeds with assigned int ids and answers ContactSummaryModel with company, owner and ISO times', async () => {
    expect(seeded.contactIds).toHaveLength(3);
    expect(seeded.candidateIds).toEqual([900]);
    const [alice, bob] = seeded.contactIds;
    const res = await t.api.get('/contacts');
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(3);
    const first = (res.body.items as Record<string, unknown>[])[0];
    expect(first).toMatchObject({
      contactId: alice,
      firstName: 'Alice',
      lastName: 'Martin',
      email: 'Alice@Acme.test',
      phone: '02 9999 1234',
      mobile: null,
      position: 'CEO',
      company: { companyId: expect.any(Number), name: 'Acme' },
      owner: { userId: USER_ID, firstName: 'Ann', lastName: 'Admin', email: 'ann@agency.test' },
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    // Same company name, same company.
    const bobItem = (res.body.items as Record<string, { companyId: number }>[])[1];
    expect(bobItem?.company?.companyId).toBe((first?.company as { companyId: number }).companyId);
    expect(bobItem).toMatchObject({
      contactId: bob,
      mobileNormalized: '+61412345678',
      createdAt: '2026-09-01T12:00:00.000Z',
    });
  });

  it('GEN-PHONE-2: filters by Phone (phone or mobile, any format), Email (case-insensitive) and Name', async () => {
    const [alice, bob, carla] = seeded.contactIds;
    expect(ids((await t.api.get('/contacts?Phone=%2B61412345678')).body)).toEqual([bob, carla]);
    expect(ids((await t.api.get('/contacts?phone=0412345678')).body)).toEqual([bob, carla]);
    expect(ids((await t.api.get('/contacts?Phone=%2B61299991234')).body)).toEqual([alice]);
    expect(ids((await t.api.get('/contacts?Email=alice%40acme.TEST')).body)).toEqual([alice]);
    expect(ids((await t.api.get('/contacts?Name=martin')).body)).toEqual([alice, bob]);
    expect(ids((await t.api.get('/contacts?Name=alice%20mar')).body)).toEqual([alice]);
    expect(ids((await t.api.get(`/contacts?ContactId=${carla}&ContactId=${alice}`)).body)).toEqual([
      alice,
      carla,
    ]);
    expect((await t.api.get('/contacts?Phone=%2B33612345678')).body).toMatchObject({
      items: [],
      totalCount: 0,
    });
  });

  it('pages with Offset and Limit, with totalCount and links; Limit=0 gives only the count', async () => {
    const [, bob, carla] = seeded.contactIds;
    const page = await t.api.get('/contacts?Limit=2&Offset=1');
    expect(ids(page.body)).toEqual([bob, carla]);
    expect(page.body.totalCount).toBe(3);
    const links = page.body.links as Record<string, string>;
    expect(links.prev).toBe(`${t.url}/v2/contacts?Offset=0&Limit=2`);
    expect(links.next).toBeUndefined();
    expect((await t.api.get('/contacts?Limit=0')).body).toMatchObject({ items: [], totalCount: 3 });
    const bad = await t.api.get('/contacts?Limit=-1');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ code: 'Invalid', fields: ['Limit'] }] });
  });

  it('reads one contact or candidate by id, and answers 404 for an unknown one', async () => {
    const [alice] = seeded.contactIds;
    const one = await t.api.get(`/contacts/${alice}`);
    expect(one.body).toMatchObject({ contactId: alice, links: { self: `${t.url}/v2/contacts/${alice}` } });
    const cand = await t.api.get('/candidates/900');
    expect(cand.body).toMatchObject({
      candidateId: 900,
      mobile: '0412 345 678',
      employment: { current: { employer: 'Previous Co', position: 'Analyst' } },
      recruiters: [{ userId: USER_ID }],
    });
    for (const path of ['/contacts/999999', '/candidates/1', '/contacts/abc']) {
      const res = await t.api.get(path);
      expect(res.status, path).toBe(404);
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('candidates: same filters, CandidateSummaryModel without company or owner', async () => {
    const res = await t.api.get('/candidates?Phone=%2B61412345678');
    expect(ids(res.body, 'candidateId')).toEqual([900]);
    const item = (res.body.items as Record<string, unknown>[])[0];
    expect(item).toMatchObject({ firstName: 'Dana', mobileNormalized: '+61412345678' });
    expect(item).not.toHaveProperty('company');
    expect(item).not.toHaveProperty('owner');
    expect((await t.api.get('/candidates?Name=nobody')).body.totalCount).toBe(0);
  });

  it('refuses a seed that names an unknown owner, with the reason, and changes nothing', async () => {
    const res = await t.admin.post('/_sandbox/seed', {
      accounts: [
        { accountId: 'agency-au', contacts: [{ firstName: 'New' }, { firstName: 'X', owner: 4242 }] },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('owner 4242');
    expect((await t.api.get('/contacts')).body.totalCount).toBe(3);
    const typo = await t.admin.post('/_sandbox/seed', {
      accounts: [{ accountId: 'a', contacts: [{ firstname: 'x' }] }],
    });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toContain('firstname');
  });
});
