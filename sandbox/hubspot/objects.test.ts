import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PORTAL_ID, TOKEN, caller, hs, startTestHubspot } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestHubspot>>;
let api: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestHubspot();
  api = caller(t.url, TOKEN);
});
afterAll(() => t.close());
beforeEach(() =>
  t.reset({
    defaultCountry: 'FR',
    owners: [{ id: '501', email: 'ann@acme.test', firstName: 'Ann', lastName: 'Lee', userId: 9001 }],
  }),
);

const CALL = {
  hs_timestamp: '2026-09-01T10:15:00Z',
  hs_call_direction: 'INBOUND',
  hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  hs_call_status: 'COMPLETED',
  hs_call_duration: '95000',
  hubspot_owner_id: '501',
};

async function contact(properties: Record<string, string>): Promise<string> {
  const res = await api.post('/crm/v3/objects/contacts', { properties });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

describe('HubSpot simulator: records (API-CONTRACTS 2.1)', () => {
  it('creates a contact with system properties from the simulator clock and the calculated phone digits', async () => {
    await api.post('/_sandbox/clock', { now: '2026-09-01T08:00:00Z', frozen: true });
    const res = await api.post('/crm/v3/objects/contacts', {
      properties: { firstname: 'Alice', phone: '06 12 34 56 78', mobilephone: '+44 7700 900123' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      createdAt: '2026-09-01T08:00:00.000Z',
      archived: false,
      properties: {
        hs_object_id: res.body.id,
        createdate: '2026-09-01T08:00:00.000Z',
        lastmodifieddate: '2026-09-01T08:00:00.000Z',
        // Read with the portal's default country (FR); the UK mobile keeps its own country.
        hs_searchable_calculated_phone_number: '612345678',
        hs_searchable_calculated_mobile_number: '7700900123',
      },
    });

    await api.post('/_sandbox/clock', { advanceMs: 60_000 });
    const patched = await api.patch(`/crm/v3/objects/contacts/${String(res.body.id)}`, {
      properties: { phone: '+33 1 76 36 06 95' },
    });
    expect(patched.body).toMatchObject({
      updatedAt: '2026-09-01T08:01:00.000Z',
      properties: {
        hs_searchable_calculated_phone_number: '176360695',
        lastmodifieddate: '2026-09-01T08:01:00.000Z',
      },
    });
  });

  it('reads requested properties (null when empty) plus system ones, and 404s an archived record', async () => {
    const id = await contact({ firstname: 'Alice', email: 'alice@x.test' });
    const read = await api.get(`/crm/v3/objects/contacts/${id}?properties=email,phone`);
    expect(read.body.properties).toEqual({
      email: 'alice@x.test',
      phone: null,
      hs_object_id: id,
      createdate: expect.any(String),
      lastmodifieddate: expect.any(String),
    });
    expect((await api.get(`/crm/v3/objects/contacts/alice@x.test?idProperty=email`)).body.id).toBe(id);

    expect((await api.del(`/crm/v3/objects/contacts/${id}`)).status).toBe(204);
    const gone = await api.get(`/crm/v3/objects/contacts/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('creates a call with inline associations, stored in both directions with the reverse type id', async () => {
    const contactId = await contact({ firstname: 'Alice' });
    const call = await api.post('/crm/v3/objects/calls', {
      properties: CALL,
      associations: [{ to: { id: contactId }, types: [hs(194)] }],
    });
    expect(call.status).toBe(201);
    expect(call.body.properties).toMatchObject({
      hs_timestamp: '2026-09-01T10:15:00.000Z',
      hs_call_duration: '95000',
    });
    const callId = String(call.body.id);

    const fromContact = await api.get(`/crm/v4/objects/contacts/${contactId}/associations/calls`);
    expect(fromContact.body.results).toEqual([
      {
        toObjectId: Number(callId),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 193, label: null }],
      },
    ]);
    const read = await api.get(`/crm/v3/objects/calls/${callId}?associations=contacts`);
    expect(read.body.associations).toEqual({
      contacts: { results: [{ id: contactId, type: 'call_to_contact' }] },
    });
  });

  it('refuses associations to a record that does not exist or with a type id unknown for the pair', async () => {
    const missing = await api.post('/crm/v3/objects/calls', {
      properties: CALL,
      associations: [{ to: { id: '999999' }, types: [hs(194)] }],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.category).toBe('VALIDATION_ERROR');
    const contactId = await contact({ firstname: 'A' });
    const wrongType = await api.post('/crm/v3/objects/calls', {
      properties: CALL,
      associations: [{ to: { id: contactId }, types: [hs(81)] }],
    });
    expect(wrongType.status).toBe(400);
    expect(t.sim.objects(PORTAL_ID, 'calls')).toHaveLength(0);
  });

  it('v4: associates by default and with explicit types, lists both directions, and deletes', async () => {
    const contactId = await contact({ firstname: 'A' });
    const ticket = await api.post('/crm/v3/objects/tickets', {
      properties: { subject: 'Call back', hs_pipeline: '0', hs_pipeline_stage: '1' },
    });
    const ticketId = String(ticket.body.id);
    const call = await api.post('/crm/v3/objects/calls', { properties: CALL });
    const callId = String(call.body.id);

    const dflt = await api.put(
      `/crm/v4/objects/tickets/${ticketId}/associations/default/contacts/${contactId}`,
    );
    expect(dflt.status).toBe(200);
    expect(dflt.body.results).toContainEqual({
      from: { id: ticketId },
      to: { id: contactId },
      associationSpec: hs(16),
    });
    const labelled = await api.put(`/crm/v4/objects/tickets/${ticketId}/associations/calls/${callId}`, [
      hs(219),
    ]);
    expect(labelled.status).toBe(201);
    expect(t.sim.associations(PORTAL_ID, 'contacts', contactId, 'tickets')).toEqual([
      { toId: ticketId, typeIds: [15] },
    ]);
    expect(t.sim.associations(PORTAL_ID, 'calls', callId, 'tickets')).toEqual([
      { toId: ticketId, typeIds: [220] },
    ]);

    const wrong = await api.put(`/crm/v4/objects/tickets/${ticketId}/associations/calls/${callId}`, [hs(16)]);
    expect(wrong.status).toBe(400);
    expect(
      (await api.put(`/crm/v4/objects/tickets/${ticketId}/associations/default/contacts/424242`)).status,
    ).toBe(404);

    expect(
      (await api.del(`/crm/v4/objects/contacts/${contactId}/associations/tickets/${ticketId}`)).status,
    ).toBe(204);
    expect(t.sim.associations(PORTAL_ID, 'tickets', ticketId, 'contacts')).toEqual([]);
  });

  it('refuses unknown properties, bad values and read-only ones, naming each property', async () => {
    const res = await api.post('/crm/v3/objects/calls', {
      properties: {
        ...CALL,
        hs_call_direction: 'SIDEWAYS',
        hs_call_disposition: 'not-an-outcome',
        hs_call_duration: 'long',
        hubspot_owner_id: '999',
        aircall_call_id: '123',
        hs_object_id: '1',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
    const errors = res.body.errors as { code: string; context: { propertyName: string[] } }[];
    expect(errors.map((e) => [e.context.propertyName[0], e.code])).toEqual([
      ['hs_call_direction', 'INVALID_OPTION'],
      ['hs_call_disposition', 'INVALID_OPTION'],
      ['hs_call_duration', 'INVALID_INTEGER'],
      ['hubspot_owner_id', 'INVALID_OWNER_ID'],
      ['aircall_call_id', 'PROPERTY_DOESNT_EXIST'],
      ['hs_object_id', 'READ_ONLY_VALUE'],
    ]);
    expect(String(res.body.message)).toMatch(/^Property values were not valid: \[/);
  });

  it('GEN-REQ-1: a portal-required property missing at creation is a 400 naming it', async () => {
    await t.reset({ requiredProperties: { contacts: ['jobtitle'] } });
    const res = await api.post('/crm/v3/objects/contacts', { properties: { firstname: 'A' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        message: 'Property "jobtitle" is required',
        code: 'REQUIRED_PROPERTY',
        context: { propertyName: ['jobtitle'] },
      },
    ]);
    expect((await api.post('/crm/v3/objects/contacts', { properties: { jobtitle: 'CTO' } })).status).toBe(
      201,
    );
    // Engagements need hs_timestamp whatever the portal (API-CONTRACTS 2.2).
    const call = await api.post('/crm/v3/objects/calls', { properties: { hs_call_title: 'x' } });
    expect(call.status).toBe(400);
    expect(JSON.stringify(call.body.errors)).toContain('hs_timestamp');
  });

  it('tickets: pipeline and stage must exist together', async () => {
    const bad = await api.post('/crm/v3/objects/tickets', {
      properties: { subject: 'x', hs_pipeline: '0', hs_pipeline_stage: '99' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ context: { propertyName: ['hs_pipeline_stage'] } }),
    ]);
    const noPipeline = await api.post('/crm/v3/objects/tickets', {
      properties: { subject: 'x', hs_pipeline: 'sales', hs_pipeline_stage: '1' },
    });
    expect(noPipeline.body.errors).toEqual([
      expect.objectContaining({ context: { propertyName: ['hs_pipeline'] } }),
    ]);
    const ok = await api.post('/crm/v3/objects/tickets', {
      properties: { subject: 'x', hs_pipeline_stage: '2' },
    });
    expect(ok.body.properties).toMatchObject({ hs_pipeline: '0', hs_pipeline_stage: '2' });
    const moved = await api.patch(`/crm/v3/objects/tickets/${String(ok.body.id)}`, {
      properties: { hs_pipeline_stage: '4' },
    });
    expect(moved.status).toBe(200);
  });

  it('unique values: a second contact with the same email, or a custom unique value, is a 409 CONFLICT', async () => {
    const first = await contact({ email: 'Alice@X.test' });
    const dup = await api.post('/crm/v3/objects/contacts', { properties: { email: 'alice@x.test' } });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${first}`,
    });

    const prop = await api.post('/crm/v3/properties/calls', {
      name: 'aircall_call_id',
      label: 'Aircall call id',
      type: 'string',
      fieldType: 'text',
      groupName: 'callinformation',
      hasUniqueValue: true,
    });
    expect(prop.status).toBe(201);
    const call = await api.post('/crm/v3/objects/calls', { properties: { ...CALL, aircall_call_id: '42' } });
    const again = await api.post('/crm/v3/objects/calls', { properties: { ...CALL, aircall_call_id: '42' } });
    expect(again.status).toBe(409);
    expect(String(again.body.message)).toContain(`Existing ID: ${String(call.body.id)}`);
  });

  it('batch read answers 207 for missing ids; batch upsert creates then updates by a unique property', async () => {
    const a = await contact({ email: 'a@x.test', firstname: 'A' });
    const read = await api.post('/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: a }, { id: '5555' }],
      properties: ['firstname'],
    });
    expect(read.status).toBe(207);
    expect(read.body).toMatchObject({
      status: 'COMPLETE',
      results: [{ id: a, properties: { firstname: 'A' } }],
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['5555'] } }],
    });

    const upsert = (firstname: string) =>
      api.post('/crm/v3/objects/contacts/batch/upsert', {
        inputs: [{ idProperty: 'email', id: 'b@x.test', properties: { firstname } }],
      });
    const created = await upsert('Bee');
    expect(created.body.results).toEqual([expect.objectContaining({ new: true })]);
    const updated = await upsert('Bea');
    expect(updated.body.results).toEqual([
      expect.objectContaining({ new: false, properties: expect.objectContaining({ firstname: 'Bea' }) }),
    ]);
    expect(t.sim.objects(PORTAL_ID, 'contacts')).toHaveLength(2);

    const nonUnique = await api.post('/crm/v3/objects/contacts/batch/upsert', {
      inputs: [{ idProperty: 'firstname', id: 'Bea', properties: {} }],
    });
    expect(nonUnique.status).toBe(400);
  });

  it('batch create with a trace id per input answers 207: the valid inputs are created, the refused one named', async () => {
    const a = await contact({ firstname: 'A' });
    const res = await api.post('/crm/v3/objects/calls/batch/create', {
      inputs: [
        {
          objectWriteTraceId: 't1',
          properties: CALL,
          associations: [{ to: { id: a }, types: [hs(194)] }],
        },
        { objectWriteTraceId: 't2', properties: { ...CALL, hs_call_direction: 'SIDEWAYS' } },
        { objectWriteTraceId: 't3', properties: CALL },
      ],
    });
    expect(res.status).toBe(207);
    const results = res.body.results as { id: string; objectWriteTraceId: string }[];
    expect(results.map((r) => r.objectWriteTraceId).sort()).toEqual(['t1', 't3']);
    expect(res.body).toMatchObject({
      status: 'COMPLETE',
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'VALIDATION_ERROR',
          context: { objectWriteTraceId: ['t2'] },
          errors: [expect.objectContaining({ context: { propertyName: ['hs_call_direction'] } })],
        },
      ],
    });
    expect(t.sim.objects(PORTAL_ID, 'calls')).toHaveLength(2);
    const t1 = results.find((r) => r.objectWriteTraceId === 't1');
    const read = await api.get(`/crm/v3/objects/calls/${String(t1?.id)}?associations=contacts`);
    expect(read.body.associations).toMatchObject({ contacts: { results: [{ id: a }] } });

    const all = await api.post('/crm/v3/objects/calls/batch/create', {
      inputs: [{ objectWriteTraceId: 'u1', properties: CALL }],
    });
    expect(all.status).toBe(201);
    const dup = await api.post('/crm/v3/objects/calls/batch/create', {
      inputs: [
        { objectWriteTraceId: 'v', properties: CALL },
        { objectWriteTraceId: 'v', properties: CALL },
      ],
    });
    expect(dup.status).toBe(400);
  });

  it('batch update refuses invalid values as a whole (400, nothing changed) and answers 207 for unknown ids', async () => {
    const a = await contact({ firstname: 'A' });
    const b = await contact({ firstname: 'B' });
    const bad = await api.post('/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: a, properties: { firstname: 'A2' } },
        { id: b, properties: { nope: 'x' } },
      ],
    });
    expect(bad.status).toBe(400);
    const partial = await api.post('/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: a, properties: { firstname: 'A3' } },
        { id: '5555', properties: { firstname: 'Z' } },
      ],
    });
    expect(partial.status).toBe(207);
    expect(partial.body).toMatchObject({
      results: [{ id: a, properties: expect.objectContaining({ firstname: 'A3' }) }],
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['5555'] } }],
    });
  });

  it('batch create is all or nothing', async () => {
    const res = await api.post('/crm/v3/objects/contacts/batch/create', {
      inputs: [{ properties: { firstname: 'A' } }, { properties: { nope: 'x' } }],
    });
    expect(res.status).toBe(400);
    expect(t.sim.objects(PORTAL_ID, 'contacts')).toEqual([]);
    const ok = await api.post('/crm/v3/objects/contacts/batch/create', {
      inputs: [{ properties: { firstname: 'A' } }, { properties: { firstname: 'B' } }],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.results).toHaveLength(2);
  });
});
