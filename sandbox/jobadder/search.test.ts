import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN, USER_ID, caller, startTestJobadder } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestJobadder>>;
beforeAll(async () => {
  t = await startTestJobadder();
});
afterAll(() => t.close());

const at = (month: number) => `2026-${String(month).padStart(2, '0')}-01T00:00:00.000Z`;

beforeEach(async () => {
  await t.reset({
    users: [
      {
        userId: USER_ID,
        firstName: 'Ann',
        lastName: 'Admin',
        email: 'ann@agency.test',
        mobile: '+61412345678',
      },
    ],
    contacts: [
      { contactId: 1, firstName: 'Oldest', phone: '+61 412 345 678', updatedAt: at(1) },
      { contactId: 2, firstName: 'National', mobile: '0412 345 678', updatedAt: at(2) },
      { contactId: 3, firstName: 'Idd', phone: '0011 61 412 345 678', updatedAt: at(3) },
      { contactId: 4, firstName: 'Plain', mobile: '+61412345678', updatedAt: at(4) },
      {
        contactId: 5,
        firstName: 'Both',
        phone: '(04) 1234 5678',
        mobile: '+61 4 1234 5678',
        updatedAt: at(5),
        company: { name: 'Acme Pty' },
        position: 'CFO',
      },
      { contactId: 6, firstName: 'Newest', lastName: 'Lee', phone: '+61 412 345 678', updatedAt: at(6) },
      { contactId: 7, firstName: 'Other', phone: '+61 412 345 679', updatedAt: at(7) },
      { contactId: 8, firstName: 'Garbage', phone: 'call reception', updatedAt: at(8) },
      { contactId: 9, firstName: 'Sydney', phone: '+61 2 9999 1234', updatedAt: at(9) },
    ],
    candidates: [
      {
        candidateId: 101,
        firstName: 'Cand',
        lastName: 'Idate',
        mobile: '0412345678',
        email: 'c@x.test',
        updatedAt: at(3),
      },
    ],
    notes: [
      { type: 'General', text: 'older', candidateId: [101], createdAt: at(4) },
      { type: 'General', text: 'newer', candidateId: [101], createdAt: at(5) },
    ],
  });
});

const search = (e164: string) => t.api.get(`/search/phonenumber?E164=${encodeURIComponent(e164)}`);

describe('JobAdder simulator: phone search (API-CONTRACTS 4.2 MatchedByPhoneNumberModel)', () => {
  it('JA-PHONE-1: matches stored numbers in any format read with the default country, top 5 most recently updated', async () => {
    const res = await search('+61412345678');
    expect(res.status).toBe(200);
    const contacts = res.body.contacts as Record<string, unknown>[];
    // Six contacts hold the number; the oldest (1) is left out.
    expect(contacts.map((c) => c.contactId)).toEqual([6, 5, 4, 3, 2]);
    expect(contacts[0]).toEqual({
      contactId: 6,
      match: { type: 'Phone', number: '+61 412 345 678', normalized: '+61412345678' },
      firstName: 'Newest',
      lastName: 'Lee',
      email: null,
      phone: '+61 412 345 678',
      mobile: null,
      company: undefined,
      position: null,
      updatedAt: at(6),
      lastNoteAt: null,
    });
    // Both numbers match: the one stored internationally is the match.
    expect(contacts[1]).toMatchObject({
      match: { type: 'Mobile', number: '+61 4 1234 5678' },
      company: { companyId: expect.any(Number), name: 'Acme Pty' },
      position: 'CFO',
    });
    expect(contacts[4]).toMatchObject({
      match: { type: 'Mobile', number: '0412 345 678', normalized: '+61412345678' },
    });
    expect(res.body.candidates).toEqual([
      {
        candidateId: 101,
        match: { type: 'Mobile', number: '0412345678', normalized: '+61412345678' },
        firstName: 'Cand',
        lastName: 'Idate',
        email: 'c@x.test',
        phone: null,
        mobile: '0412345678',
        updatedAt: at(3),
        lastNoteAt: at(5),
      },
    ]);
    expect(res.body.users).toEqual([
      expect.objectContaining({ userId: USER_ID, match: expect.objectContaining({ type: 'Mobile' }) }),
    ]);
    expect(res.body.companies).toEqual([]);
    // Some matches were stored in national format.
    expect(res.body.quality).toBe('National');
  });

  it('GEN-PHONE-1: quality is Exact when every match was stored with its country code', async () => {
    const res = await search('+61299991234');
    expect((res.body.contacts as { contactId: number }[]).map((c) => c.contactId)).toEqual([9]);
    expect(res.body.quality).toBe('Exact');
  });

  it('answers empty lists and no quality when nothing matches', async () => {
    const res = await search('+61400000000');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ contacts: [], candidates: [], companies: [], users: [] });
  });

  it('GEN-PHONE-1: reads national numbers with the account default country (FR)', async () => {
    await t.admin.post('/_sandbox/seed', {
      accounts: [
        {
          accountId: 'agency-fr',
          defaultCountry: 'FR',
          readTokens: ['fr-token'],
          contacts: [
            { contactId: 77, firstName: 'Zoé', phone: '06 12 34 56 78' },
            { contactId: 78, firstName: 'Luc', phone: '+33 (0)6 12 34 56 78' },
          ],
        },
      ],
    });
    const fr = await caller(`${t.url}/v2`, 'fr-token').get(`/search/phonenumber?E164=%2B33612345678`);
    expect((fr.body.contacts as { contactId: number }[]).map((c) => c.contactId).sort()).toEqual([77, 78]);
    // The AU account reads "06 12 34 56 78" as Australian: no French match there.
    expect((await search('+33612345678')).body.contacts).toEqual([]);
  });

  it('refuses a missing or malformed E164 with 400 and an ErrorModel naming the field', async () => {
    const missing = await t.api.get('/search/phonenumber');
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ errors: [{ code: 'Missing', fields: ['E164'] }] });
    // A "+" sent unencoded reads as a space.
    const unencoded = await t.api.get('/search/phonenumber?E164=+61412345678');
    expect(unencoded.status).toBe(400);
    expect(unencoded.body.message).toContain('%2B');
    for (const bad of ['0412345678', '+0412345678', '+61 412 345 678', '+61']) {
      const res = await search(bad);
      expect(res.status, bad).toBe(400);
      expect(res.body).toMatchObject({ errors: [{ code: 'Invalid', fields: ['E164'] }] });
    }
  });

  it('needs a token like the rest of the API', async () => {
    expect((await caller(`${t.url}/v2`, null).get('/search/phonenumber?E164=%2B61412345678')).status).toBe(
      401,
    );
    expect((await caller(`${t.url}/v2`, TOKEN).get('/search/phonenumber?e164=%2B61412345678')).status).toBe(
      200,
    );
  });
});
