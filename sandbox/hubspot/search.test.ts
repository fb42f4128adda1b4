import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN, caller, startTestHubspot } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestHubspot>>;
let api: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestHubspot();
  api = caller(t.url, TOKEN);
});
afterAll(() => t.close());

const CONTACTS = [
  {
    id: '11',
    properties: { firstname: 'Alice', lastname: 'Martin', phone: '+33612345678' },
    createdAt: '2026-01-01',
  },
  {
    id: '12',
    properties: { firstname: 'Bob', phone: '06 12 34 56 79', email: 'bob@acme.test' },
    createdAt: '2026-02-01',
  },
  { id: '13', properties: { firstname: 'Carla', mobilephone: '(0)6-12-34-56-80' }, createdAt: '2026-03-01' },
  {
    id: '14',
    properties: { firstname: 'Dan', lastname: 'Martin Smith', company: 'Acme Corp' },
    createdAt: '2026-04-01',
  },
];

beforeEach(async () => {
  await t.reset({
    defaultCountry: 'FR',
    objects: {
      contacts: CONTACTS,
      tickets: [
        {
          id: '21',
          properties: { subject: 'old', hs_pipeline: '0', hs_pipeline_stage: '1' },
          updatedAt: '2026-05-01',
        },
        {
          id: '22',
          properties: { subject: 'new', hs_pipeline: '0', hs_pipeline_stage: '2' },
          updatedAt: '2026-06-01',
        },
        { id: '23', properties: { subject: 'closed', hs_pipeline: '0', hs_pipeline_stage: '4' } },
      ],
    },
    associations: [
      { from: { type: 'tickets', id: '21' }, to: { type: 'contacts', id: '11' } },
      { from: { type: 'tickets', id: '22' }, to: { type: 'contacts', id: '11' } },
      { from: { type: 'tickets', id: '23' }, to: { type: 'contacts', id: '12' } },
    ],
  });
  // Several searches per test: lift the 5/s search limit (limits.test.ts covers it).
  await api.post('/_sandbox/limits', { searchPerSecond: 1000 });
});

const eq = (propertyName: string, value: string) => ({ filters: [{ propertyName, operator: 'EQ', value }] });
const ids = (body: Record<string, unknown>) => (body.results as { id: string }[]).map((r) => r.id);

describe('HubSpot simulator: search (API-CONTRACTS 2.1, 2.5)', () => {
  it('finds contacts by phone through E.164 EQ or the calculated national digits (OR of groups)', async () => {
    const res = await api.post('/crm/v3/objects/contacts/search', {
      filterGroups: [
        eq('phone', '+33612345679'),
        eq('mobilephone', '+33612345679'),
        eq('hs_searchable_calculated_phone_number', '612345679'),
        eq('hs_searchable_calculated_mobile_number', '612345679'),
      ],
      properties: ['phone'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      total: 1,
      results: [{ id: '12', properties: { phone: '06 12 34 56 79' } }],
    });
    expect(res.headers['x-hubspot-ratelimit-max']).toBeUndefined();

    const mobile = await api.post('/crm/v3/objects/contacts/search', {
      filterGroups: [eq('hs_searchable_calculated_mobile_number', '612345680')],
    });
    expect(ids(mobile.body)).toEqual(['13']);
    const exact = await api.post('/crm/v3/objects/contacts/search', {
      filterGroups: [eq('phone', '+33612345678')],
    });
    expect(ids(exact.body)).toEqual(['11']);
  });

  it('ANDs filters inside a group; supports IN, NEQ, HAS_PROPERTY, NOT_HAS_PROPERTY and CONTAINS_TOKEN', async () => {
    const search = async (filters: Record<string, unknown>[]) =>
      ids((await api.post('/crm/v3/objects/contacts/search', { filterGroups: [{ filters }] })).body);
    expect(await search([{ propertyName: 'lastname', operator: 'CONTAINS_TOKEN', value: 'martin' }])).toEqual(
      ['11', '14'],
    );
    expect(
      await search([
        { propertyName: 'lastname', operator: 'CONTAINS_TOKEN', value: 'martin' },
        { propertyName: 'company', operator: 'HAS_PROPERTY' },
      ]),
    ).toEqual(['14']);
    expect(await search([{ propertyName: 'firstname', operator: 'IN', values: ['alice', 'Carla'] }])).toEqual(
      ['11', '13'],
    );
    expect(await search([{ propertyName: 'email', operator: 'NOT_HAS_PROPERTY' }])).toEqual([
      '11',
      '13',
      '14',
    ]);
    expect(await search([{ propertyName: 'firstname', operator: 'NEQ', value: 'bob' }])).toEqual([
      '11',
      '13',
      '14',
    ]);
    expect(await search([{ propertyName: 'company', operator: 'CONTAINS_TOKEN', value: 'ac*' }])).toEqual([
      '14',
    ]);
  });

  it('compares dates as dates (GT/LTE with ms or ISO) and sorts descending', async () => {
    const res = await api.post('/crm/v3/objects/contacts/search', {
      filterGroups: [
        {
          filters: [
            { propertyName: 'createdate', operator: 'GT', value: String(Date.parse('2026-01-15')) },
            { propertyName: 'createdate', operator: 'LTE', value: '2026-03-01T00:00:00Z' },
          ],
        },
      ],
      sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
    });
    expect(ids(res.body)).toEqual(['13', '12']);
    const asc = await api.post('/crm/v3/objects/contacts/search', { sorts: ['-firstname'] });
    expect(ids(asc.body)).toEqual(['14', '13', '12', '11']);
  });

  it('pages with limit and after', async () => {
    const page1 = await api.post('/crm/v3/objects/contacts/search', { limit: 3, sorts: ['firstname'] });
    expect(page1.body).toMatchObject({ total: 4, paging: { next: { after: '3' } } });
    expect(ids(page1.body)).toEqual(['11', '12', '13']);
    const page2 = await api.post('/crm/v3/objects/contacts/search', {
      limit: 3,
      after: '3',
      sorts: ['firstname'],
    });
    expect(ids(page2.body)).toEqual(['14']);
    expect(page2.body.paging).toBeUndefined();
  });

  it('full-text query matches names and phone numbers in any format', async () => {
    const q = async (query: string) =>
      ids((await api.post('/crm/v3/objects/contacts/search', { query })).body);
    expect(await q('martin')).toEqual(['11', '14']);
    expect(await q('+33 6 12 34 56 79')).toEqual(['12']);
    expect(await q('0612345680')).toEqual(['13']);
  });

  it('HS-TIX-1: finds the open tickets of a contact in a pipeline with associations.contact, latest first', async () => {
    const res = await api.post('/crm/v3/objects/tickets/search', {
      filterGroups: [
        {
          filters: [
            { propertyName: 'associations.contact', operator: 'EQ', value: '11' },
            { propertyName: 'hs_pipeline', operator: 'EQ', value: '0' },
            { propertyName: 'hs_pipeline_stage', operator: 'IN', values: ['1', '2', '3'] },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'DESCENDING' }],
      properties: ['subject', 'hs_pipeline_stage'],
    });
    expect(res.body).toMatchObject({
      total: 2,
      results: [
        { id: '22', properties: { subject: 'new', hs_lastmodifieddate: '2026-06-01T00:00:00.000Z' } },
        { id: '21', properties: { subject: 'old' } },
      ],
    });
  });

  it('refuses more than 6 filter groups, limit over 200, unknown operators and unknown properties', async () => {
    const groups = Array.from({ length: 7 }, (_, i) => eq('firstname', `n${i}`));
    for (const body of [
      { filterGroups: groups },
      { limit: 201 },
      { filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'LIKE', value: 'a' }] }] },
      { filterGroups: [eq('no_such_property', 'x')] },
    ]) {
      const res = await api.post('/crm/v3/objects/contacts/search', body);
      expect(res.status).toBe(400);
      expect(res.body.category).toBe('VALIDATION_ERROR');
    }
  });
});
