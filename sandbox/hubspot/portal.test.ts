import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN, caller, startTestHubspot } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestHubspot>>;
let api: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestHubspot();
  api = caller(t.url, TOKEN);
});
afterAll(() => t.close());

const CUSTOM_OUTCOME = { id: '3d1f0c2e-0000-4000-8000-00000000abcd', label: 'Demo booked' };

describe('HubSpot simulator: portal data', () => {
  it('HS-OUT-3: outcomes are the six defaults plus the custom ones, on both endpoints (API-CONTRACTS 2.2)', async () => {
    await t.reset({ outcomes: [CUSTOM_OUTCOME] });
    const prop = await api.get('/crm/v3/properties/calls/hs_call_disposition');
    expect(prop.status).toBe(200);
    const options = prop.body.options as { label: string; value: string; hidden: boolean }[];
    expect(options).toHaveLength(7);
    expect(options).toContainEqual({
      label: 'Connected',
      value: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
      displayOrder: 1,
      hidden: false,
    });
    expect(options.at(-1)).toMatchObject({ label: 'Demo booked', value: CUSTOM_OUTCOME.id });
    const legacy = await api.get('/calling/v1/dispositions');
    expect(legacy.text).toContain(CUSTOM_OUTCOME.id);
    expect(JSON.parse(legacy.text)).toHaveLength(7);
    // A custom outcome is a valid hs_call_disposition value.
    const call = await api.post('/crm/v3/objects/calls', {
      properties: { hs_timestamp: '2026-09-01T10:00:00Z', hs_call_disposition: CUSTOM_OUTCOME.id },
    });
    expect(call.status).toBe(201);
  });

  it('owners: filter by email, page with limit/after, archived ones apart', async () => {
    await t.reset({
      owners: [
        { id: '1', email: 'ann@acme.test', firstName: 'Ann', lastName: 'A', userId: 11 },
        { id: '2', email: 'bob@acme.test', firstName: 'Bob', lastName: 'B', userId: 12 },
        { id: '3', email: 'cy@acme.test', firstName: 'Cy', lastName: 'C', userId: 13 },
        { id: '4', email: 'gone@acme.test', archived: true, userId: 14 },
      ],
    });
    const page1 = await api.get('/crm/v3/owners?limit=2');
    expect((page1.body.results as { id: string }[]).map((o) => o.id)).toEqual(['1', '2']);
    expect(page1.body.paging).toEqual({ next: { after: '2', link: '?after=2' } });
    const page2 = await api.get('/crm/v3/owners?limit=2&after=2');
    expect((page2.body.results as { id: string }[]).map((o) => o.id)).toEqual(['3']);
    const byEmail = await api.get('/crm/v3/owners?email=BOB@acme.test');
    expect(byEmail.body.results).toEqual([
      expect.objectContaining({
        id: '2',
        email: 'bob@acme.test',
        userId: 12,
        type: 'PERSON',
        archived: false,
      }),
    ]);
    const archived = await api.get('/crm/v3/owners?archived=true');
    expect(archived.body.results).toEqual([
      expect.objectContaining({ id: '4', archived: true, userId: null }),
    ]);
    expect((await api.get('/crm/v3/owners/3')).body).toMatchObject({ firstName: 'Cy' });
    expect((await api.get('/crm/v3/owners/13?idProperty=userId')).body).toMatchObject({ id: '3' });
    expect((await api.get('/crm/v3/owners/99')).status).toBe(404);
  });

  it('starts with the default help-desk pipeline "0" (API-CONTRACTS 2.6)', async () => {
    await t.reset();
    const res = await api.get('/crm/v3/pipelines/tickets');
    const pipelines = res.body.results as {
      id: string;
      stages: { id: string; label: string; metadata: unknown }[];
    }[];
    expect(pipelines.map((p) => p.id)).toEqual(['0']);
    expect(pipelines[0]?.stages.map((s) => [s.id, s.label, s.metadata])).toEqual([
      ['1', 'New', { ticketState: 'OPEN' }],
      ['2', 'Waiting on contact', { ticketState: 'OPEN' }],
      ['3', 'Waiting on us', { ticketState: 'OPEN' }],
      ['4', 'Closed', { ticketState: 'CLOSED' }],
    ]);
  });

  it('HS-TIX-2: a deleted stage or pipeline disappears from the API and tickets can no longer use it', async () => {
    await t.reset({
      pipelines: [
        {
          id: 'p-sales',
          label: 'Sales support',
          stages: [
            { id: 's-open', label: 'Open', metadata: { ticketState: 'OPEN' } },
            { id: 's-done', label: 'Done', metadata: { ticketState: 'CLOSED' } },
          ],
        },
        { id: 'p-other', label: 'Other', stages: [{ id: 'o-1', label: 'New' }] },
      ],
    });
    expect(((await api.get('/crm/v3/pipelines/tickets')).body.results as unknown[]).length).toBe(2);

    expect((await api.del('/crm/v3/pipelines/tickets/p-sales/stages/s-open')).status).toBe(204);
    const stages = await api.get('/crm/v3/pipelines/tickets/p-sales/stages');
    expect((stages.body.results as { id: string }[]).map((s) => s.id)).toEqual(['s-done']);
    const onDeletedStage = await api.post('/crm/v3/objects/tickets', {
      properties: { subject: 'x', hs_pipeline: 'p-sales', hs_pipeline_stage: 's-open' },
    });
    expect(onDeletedStage.status).toBe(400);

    expect((await api.del('/crm/v3/pipelines/tickets/p-sales')).status).toBe(204);
    expect((await api.get('/crm/v3/pipelines/tickets/p-sales')).status).toBe(404);
    expect(
      ((await api.get('/crm/v3/pipelines/tickets')).body.results as { id: string }[]).map((p) => p.id),
    ).toEqual(['p-other']);
  });

  it('properties: read one or all, create a custom one once (409 CONFLICT after)', async () => {
    await t.reset();
    const def = {
      name: 'aircall_bridge_key',
      label: 'Key',
      type: 'string',
      fieldType: 'text',
      groupName: 'callinformation',
    };
    expect((await api.post('/crm/v3/properties/calls', def)).status).toBe(201);
    const again = await api.post('/crm/v3/properties/calls', def);
    expect(again.status).toBe(409);
    expect(again.body.category).toBe('CONFLICT');
    const one = await api.get('/crm/v3/properties/calls/aircall_bridge_key');
    expect(one.body).toMatchObject({
      name: 'aircall_bridge_key',
      hubspotDefined: false,
      hasUniqueValue: false,
    });
    const all = await api.get('/crm/v3/properties/calls');
    expect((all.body.results as { name: string }[]).map((p) => p.name)).toContain('hs_call_disposition');
    expect((await api.get('/crm/v3/properties/calls/nope')).status).toBe(404);
    expect((await api.post('/crm/v3/properties/calls', { name: 'Bad Name' })).status).toBe(400);
  });
});
