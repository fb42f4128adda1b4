/**
 * End to end, on both stores: HubSpot tickets (HS-TIX-1/2), SMS as
 * communications (HS-SMS-1), business hours (HS-GEN-1), contact sync to
 * Aircall (HS-GEN-3) and a required contact property (GEN-REQ-1). Calls and
 * SMS are played through the Aircall simulator; what the backend wrote is
 * read back through HubSpot's and Aircall's own APIs and the backend's traces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { loggedOf } from '../server/store/writes.ts';
import { STORES, startWorld, type World } from './support/world.ts';

type Json = Record<string, unknown>;

interface TraceStep {
  rule: string;
  outcome: 'applied' | 'stopped' | 'skipped';
  detail: string;
}

interface Logging {
  outcome: 'write' | 'wait' | 'nothing';
  recordId: string | null;
  unmatched: boolean;
  written: Record<string, { target: string; id: string }>;
  trace: TraceStep[];
}

/** Ticket pipelines of the portal (API-CONTRACTS 2.6); seeded before the first call reads them. */
const CALLS_PIPELINE = '700';
const OTHER_PIPELINE = '710';
const DOOMED_PIPELINE = '800';
const TRIMMED_PIPELINE = '900';

const PIPELINES = [
  {
    id: CALLS_PIPELINE,
    label: 'Calls',
    stages: [
      { id: '701', label: 'New', metadata: { ticketState: 'OPEN' } },
      { id: '702', label: 'In progress', metadata: { ticketState: 'OPEN' } },
      { id: '703', label: 'Called back', metadata: { ticketState: 'OPEN' } },
      { id: '704', label: 'Closed', metadata: { ticketState: 'CLOSED' } },
    ],
  },
  {
    id: OTHER_PIPELINE,
    label: 'Other',
    stages: [{ id: '711', label: 'Open', metadata: { ticketState: 'OPEN' } }],
  },
  {
    id: DOOMED_PIPELINE,
    label: 'Doomed',
    stages: [{ id: '801', label: 'New', metadata: { ticketState: 'OPEN' } }],
  },
  {
    id: TRIMMED_PIPELINE,
    label: 'Trimmed',
    stages: [
      { id: '901', label: 'Soon deleted', metadata: { ticketState: 'OPEN' } },
      { id: '902', label: 'Kept', metadata: { ticketState: 'OPEN' } },
    ],
  },
];

/** One HubSpot contact per test, each with its own number (the adapter caches phone searches 60 s). */
const PEOPLE = {
  tixCreate: { id: '6101', first: 'Théo', last: 'Create', phone: '+33 6 31 00 00 01' },
  tixUpdate: { id: '6102', first: 'Ugo', last: 'Update', phone: '06 31 00 00 02' },
  tixNoOpen: { id: '6103', first: 'Nina', last: 'Noopen', phone: '+33631000003' },
  tixNone: { id: '6104', first: 'Rémi', last: 'None', phone: '+33 6 31 00 00 04' },
  tixPipeline: { id: '6105', first: 'Paul', last: 'Pipeline', phone: '+33 6 31 00 00 05' },
  tixStage: { id: '6106', first: 'Sara', last: 'Stage', phone: '+33 6 31 00 00 06' },
  smsIn: { id: '6111', first: 'Inès', last: 'Inbound', phone: '+33 6 32 00 00 01' },
  smsOut: { id: '6112', first: 'Otto', last: 'Outbound', phone: '+33 6 32 00 00 02' },
  smsOff: { id: '6113', first: 'Lou', last: 'Offline', phone: '+33 6 32 00 00 03' },
  smsTix: { id: '6114', first: 'Tess', last: 'Ticket', phone: '+33 6 32 00 00 04' },
  hours: { id: '6121', first: 'Hugo', last: 'Hours', phone: '+33 6 33 00 00 01' },
  syncNew: { id: '6131', first: 'Zoé', last: 'Sync', phone: '+33 6 34 00 00 01' },
  syncExisting: { id: '6132', first: 'Yann', last: 'Known', phone: '+33 6 34 00 00 02' },
  syncOff: { id: '6133', first: 'Xavier', last: 'Nosync', phone: '+33 6 34 00 00 03' },
} as const;

const UNKNOWN_FOR_REQ = '+33 6 35 00 00 01';

/** Tickets of contact tixUpdate / tixNoOpen (HS-TIX-1 "update"): dates say which is the most recent. */
const TICKETS = [
  { id: '6201', pipeline: CALLS_PIPELINE, stage: '701', at: '2026-10-01T10:00:00Z' }, // open, older
  { id: '6202', pipeline: CALLS_PIPELINE, stage: '702', at: '2026-11-01T10:00:00Z' }, // open, newest open
  { id: '6203', pipeline: CALLS_PIPELINE, stage: '704', at: '2026-11-10T10:00:00Z' }, // closed, newer
  { id: '6204', pipeline: OTHER_PIPELINE, stage: '711', at: '2026-11-15T10:00:00Z' }, // other pipeline
  { id: '6205', pipeline: CALLS_PIPELINE, stage: '704', at: '2026-11-12T10:00:00Z' }, // tixNoOpen's closed one
];

const SALES_US = {
  id: 2,
  name: 'Sales US',
  digits: '+1 415-555-0100',
  country: 'US',
  time_zone: 'America/Los_Angeles',
};

function e164(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `+33${digits.slice(1)}` : `+${digits}`;
}

/** UNIX seconds of the Monday of the week before last, at `hourUtc` (Paris is UTC+1 or +2). */
function mondayAt(hourUtc: number): number {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 7 - ((d.getUTCDay() + 6) % 7));
  d.setUTCHours(hourUtc, 0, 0, 0);
  return Math.floor(d.getTime() / 1000);
}

describe.each(STORES)('HubSpot tickets, SMS and general settings (%s store)', (store) => {
  let w: World;
  let companyId: string;

  beforeAll(async () => {
    w = await startWorld({ store, n: 3 });
    companyId = w.company.ids.companyId;
    const res = await w.seedHubspot({
      pipelines: PIPELINES,
      objects: {
        contacts: Object.values(PEOPLE).map((p) => ({
          id: p.id,
          properties: {
            firstname: p.first,
            lastname: p.last,
            phone: p.phone,
            email: `${p.last.toLowerCase()}@example.fr`,
          },
        })),
        tickets: TICKETS.map((t) => ({
          id: t.id,
          properties: {
            subject: `Seeded ticket ${t.id}`,
            hs_pipeline: t.pipeline,
            hs_pipeline_stage: t.stage,
          },
          createdAt: '2026-09-01T10:00:00Z',
          updatedAt: t.at,
        })),
      },
      // Two of tixUpdate's tickets are associated through the seed, two through HubSpot's API below.
      associations: [
        { from: { type: 'tickets', id: '6201' }, to: { type: 'contacts', id: PEOPLE.tixUpdate.id } },
        { from: { type: 'tickets', id: '6203' }, to: { type: 'contacts', id: PEOPLE.tixUpdate.id } },
        { from: { type: 'tickets', id: '6205' }, to: { type: 'contacts', id: PEOPLE.tixNoOpen.id } },
      ],
    });
    expect(res.status).toBe(200);
    for (const ticket of ['6202', '6204']) {
      const r = await w.hubspot(
        'PUT',
        `/crm/v4/objects/tickets/${ticket}/associations/contacts/${PEOPLE.tixUpdate.id}`,
        [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }],
      );
      expect(r.status).toBe(201);
    }
  }, 90_000);
  afterAll(async () => w?.close());

  /** PUT replaces the settings: every test states all it needs. */
  async function configure(extra: Json = {}): Promise<Json> {
    const r = await w.admin('PUT', `/admin/companies/${companyId}/integrations/hubspot`, {
      name: 'HubSpot (tickets & SMS)',
      connectedNumbers: [1],
      defaultCountry: 'FR',
      ...extra,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json;
  }

  async function callLogging(callId: number): Promise<Logging> {
    const r = await w.admin('GET', `/admin/companies/${companyId}/calls/${callId}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const [logging] = r.json.logging as Logging[];
    if (!logging) throw new Error(`call ${callId} has no logging`);
    return logging;
  }

  /** SMS have no admin route by id; the backend's own store keeps their trace (GEN-TRACE-1). */
  async function messageTrace(messageId: string): Promise<{ outcome: string; trace: TraceStep[] }> {
    const [row] = await loggedOf(w.db, companyId, { kind: 'message', id: messageId });
    if (!row) throw new Error(`message ${messageId} has no trace`);
    return { outcome: row.outcome, trace: row.trace as TraceStep[] };
  }

  function step(trace: TraceStep[], rule: string): TraceStep[] {
    return trace.filter((s) => s.rule === rule);
  }

  async function read(type: string, id: string, properties: string[]): Promise<Json> {
    const r = await w.hubspot('GET', `/crm/v3/objects/${type}/${id}?properties=${properties.join(',')}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.properties as Json;
  }

  /** v4 associations from one object: [{id, typeIds}]. */
  async function assoc(from: string, id: string, to: string): Promise<{ id: string; typeIds: number[] }[]> {
    const r = await w.hubspot('GET', `/crm/v4/objects/${from}/${id}/associations/${to}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json.results as { toObjectId: number; associationTypes: { typeId: number }[] }[]).map((a) => ({
      id: String(a.toObjectId),
      typeIds: a.associationTypes.map((t) => t.typeId),
    }));
  }

  /**
   * HubSpot search, read back as a careful client would: the search endpoints allow
   * 5 requests per second per portal (API-CONTRACTS 2.7), shared with the backend.
   */
  async function search(type: string, body: Json): Promise<Json> {
    for (let attempt = 0; ; attempt++) {
      const r = await w.hubspot('POST', `/crm/v3/objects/${type}/search`, body);
      if (r.status !== 429 || attempt >= 5) {
        expect(r.status, JSON.stringify(r.json)).toBe(200);
        return r.json;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  async function ticketCount(): Promise<number> {
    return (await search('tickets', { limit: 1 })).total as number;
  }

  /**
   * w.settle() and also the work the backend postponed (e.g. a retry after HubSpot's
   * per-second search limit answered 429), so a test never reads HubSpot too early.
   */
  async function settle(): Promise<void> {
    const end = Date.now() + 20_000;
    for (;;) {
      await w.settle();
      const [open] = await w.db.query<{ n: number }>(
        `select count(*)::int as n from work where company_id = $1 and state in ('pending', 'running')`,
        [companyId],
      );
      if ((open?.n ?? 0) === 0) return;
      if (Date.now() > end) throw new Error(`work of ${companyId} did not settle`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function aircallContacts(phone: string): Promise<Json[]> {
    const { apiId, apiToken } = w.company.ids;
    const res = await fetch(
      `${w.sandbox.aircall.url}/v1/contacts/search?phone_number=${encodeURIComponent(e164(phone))}`,
      { headers: { authorization: `Basic ${Buffer.from(`${apiId}:${apiToken}`).toString('base64')}` } },
    );
    expect(res.status).toBe(200);
    return ((await res.json()) as { contacts: Json[] }).contacts;
  }

  async function answeredCall(callId: number, external: string): Promise<void> {
    await w.play({ scenario: 'inbound-answered', external, callId });
    await settle();
  }

  /** Tickets setting with one pipeline and per-type actions; other types "none". */
  function tickets(pipelineId: string, types: Record<string, { action: string; stageId: string | null }>) {
    return { tickets: { pipelineId, types } };
  }

  // ---- HS-TIX-1 ----

  it('HS-TIX-1: "create" makes a ticket in the pipeline/stage, associated with the contact and the call', async () => {
    await configure(tickets(CALLS_PIPELINE, { inbound_answered: { action: 'create', stageId: '702' } }));
    const before = await ticketCount();
    await answeredCall(3001, PEOPLE.tixCreate.phone);

    const logging = await callLogging(3001);
    expect(logging.outcome).toBe('write');
    const ticketId = logging.written.ticket?.id;
    const callId = logging.written.activity?.id;
    if (!ticketId || !callId)
      throw new Error(`no ticket or call written: ${JSON.stringify(logging.written)}`);
    expect(await ticketCount()).toBe(before + 1);

    const ticket = await read('tickets', ticketId, [
      'hs_pipeline',
      'hs_pipeline_stage',
      'subject',
      'content',
    ]);
    expect(ticket.hs_pipeline).toBe(CALLS_PIPELINE);
    expect(ticket.hs_pipeline_stage).toBe('702');
    expect(ticket.subject).toBe('Inbound call from Théo Create on Support FR');
    expect(String(ticket.content)).toContain('Inbound call from Théo Create on Support FR');

    expect(await assoc('tickets', ticketId, 'contacts')).toEqual([
      { id: PEOPLE.tixCreate.id, typeIds: [16] },
    ]);
    expect(await assoc('tickets', ticketId, 'calls')).toEqual([{ id: callId, typeIds: [219] }]);
    expect(await assoc('calls', callId, 'tickets')).toEqual([{ id: ticketId, typeIds: [220] }]);
    expect(step(logging.trace, 'HS-TIX-1').map((s) => s.outcome)).toContain('applied');
  }, 30_000);

  it('HS-TIX-1: "update" moves the most recently modified OPEN ticket of the pipeline and associates the call', async () => {
    await configure(tickets(CALLS_PIPELINE, { inbound_answered: { action: 'update', stageId: '703' } }));
    const before = await ticketCount();
    await answeredCall(3002, PEOPLE.tixUpdate.phone);

    const logging = await callLogging(3002);
    const callId = logging.written.activity?.id;
    if (!callId) throw new Error('no call written');
    // 6202 is the newest open ticket of pipeline 700; 6203 is newer but closed, 6204 newer but in another pipeline.
    expect(logging.written.ticket?.id).toBe('6202');
    expect(await ticketCount()).toBe(before);

    const stages = await Promise.all(
      ['6201', '6202', '6203', '6204'].map(
        async (id) => (await read('tickets', id, ['hs_pipeline_stage'])).hs_pipeline_stage,
      ),
    );
    expect(stages).toEqual(['701', '703', '704', '711']);
    expect(await assoc('tickets', '6202', 'calls')).toEqual([{ id: callId, typeIds: [219] }]);
    expect(await assoc('calls', callId, 'tickets')).toEqual([{ id: '6202', typeIds: [220] }]);
    for (const other of ['6201', '6203', '6204']) expect(await assoc('tickets', other, 'calls')).toEqual([]);
    expect(step(logging.trace, 'HS-TIX-1').find((s) => s.outcome === 'applied')?.detail).toContain(
      'Ticket 6202',
    );
  }, 30_000);

  it('HS-TIX-1: "update" with no open ticket in the pipeline creates one', async () => {
    await configure(tickets(CALLS_PIPELINE, { missed_no_voicemail: { action: 'update', stageId: '701' } }));
    const before = await ticketCount();
    // A missed call without voicemail (the setting is per call type); contact 6103 has only a closed ticket.
    await w.play({
      call: {
        callId: 3003,
        direction: 'inbound',
        external: PEOPLE.tixNoOpen.phone,
        talk: 18,
        missedCallReason: 'no_available_agent',
      },
    });
    await settle();

    const logging = await callLogging(3003);
    const ticketId = logging.written.ticket?.id;
    const callId = logging.written.activity?.id;
    if (!ticketId || !callId) throw new Error(`no ticket or call written: ${JSON.stringify(logging)}`);
    expect(ticketId).not.toBe('6205');
    expect(await ticketCount()).toBe(before + 1);
    const ticket = await read('tickets', ticketId, ['hs_pipeline', 'hs_pipeline_stage']);
    expect(ticket).toMatchObject({ hs_pipeline: CALLS_PIPELINE, hs_pipeline_stage: '701' });
    expect((await read('tickets', '6205', ['hs_pipeline_stage'])).hs_pipeline_stage).toBe('704');
    expect(await assoc('tickets', ticketId, 'contacts')).toEqual([
      { id: PEOPLE.tixNoOpen.id, typeIds: [16] },
    ]);
    expect(await assoc('calls', callId, 'tickets')).toEqual([{ id: ticketId, typeIds: [220] }]);
    // The trace kept is the last run's: the one that created the ticket, or a re-run (a late
    // duplicate event) that found it already written.
    expect(step(logging.trace, 'HS-TIX-1').find((s) => s.outcome === 'applied')?.detail).toMatch(
      new RegExp(
        `contact ${PEOPLE.tixNoOpen.id} has no open ticket in pipeline 700: a ticket is created in stage 701|Ticket ${ticketId} was already written`,
      ),
    );
  }, 30_000);

  it('HS-TIX-1: "none" makes no ticket', async () => {
    await configure(tickets(CALLS_PIPELINE, { inbound_answered: { action: 'none', stageId: null } }));
    const before = await ticketCount();
    await answeredCall(3004, PEOPLE.tixNone.phone);

    const logging = await callLogging(3004);
    const callId = logging.written.activity?.id;
    if (!callId) throw new Error('no call written');
    expect(logging.written.ticket).toBeUndefined();
    expect(await ticketCount()).toBe(before);
    expect(await assoc('calls', callId, 'tickets')).toEqual([]);
    expect(await assoc('contacts', PEOPLE.tixNone.id, 'tickets')).toEqual([]);
    expect(step(logging.trace, 'HS-TIX-1')).toEqual([
      expect.objectContaining({ outcome: 'skipped', detail: expect.stringContaining('do nothing') }),
    ]);
  }, 30_000);

  // ---- HS-TIX-2 ----

  it('HS-TIX-2: a deleted pipeline writes no ticket, still logs the call, sets its types to "none" and warns', async () => {
    await configure(
      tickets(DOOMED_PIPELINE, {
        inbound_answered: { action: 'create', stageId: '801' },
        missed_voicemail: { action: 'update', stageId: '801' },
      }),
    );
    // A first call while the pipeline exists: the backend knows (and caches) the pipeline.
    await answeredCall(3010, PEOPLE.tixPipeline.phone);
    expect((await callLogging(3010)).written.ticket).toBeDefined();

    const del = await w.hubspot('DELETE', `/crm/v3/pipelines/tickets/${DOOMED_PIPELINE}`);
    expect(del.status).toBe(204);
    const before = await ticketCount();
    await answeredCall(3011, PEOPLE.tixPipeline.phone);

    const logging = await callLogging(3011);
    const callId = logging.written.activity?.id;
    if (!callId) throw new Error(`the call was not logged: ${JSON.stringify(logging)}`);
    expect(logging.written.ticket).toBeUndefined();
    expect(await ticketCount()).toBe(before);
    expect(await assoc('calls', callId, 'tickets')).toEqual([]);
    expect(await assoc('calls', callId, 'contacts')).toEqual([{ id: PEOPLE.tixPipeline.id, typeIds: [194] }]);
    // Exactly one call activity for call 3011 (the re-plan after the refused ticket must not log it twice).
    const calls = await search('calls', {
      filterGroups: [
        { filters: [{ propertyName: 'hs_call_title', operator: 'CONTAINS_TOKEN', value: 'Pipeline' }] },
      ],
      properties: ['hs_call_title'],
    });
    expect(calls.total).toBe(2);
    expect(step(logging.trace, 'HS-TIX-1')).toEqual([expect.objectContaining({ outcome: 'skipped' })]);

    const list = await w.admin('GET', `/admin/companies/${companyId}/integrations`);
    const [integration] = list.json.integrations as {
      settings: { tickets: { pipelineId: string | null; types: Record<string, { action: string }> } };
      warnings: { rule: string; message: string }[];
    }[];
    if (!integration) throw new Error('no integration');
    expect(integration.settings.tickets.pipelineId).toBeNull();
    expect(integration.settings.tickets.types.inbound_answered?.action).toBe('none');
    expect(integration.settings.tickets.types.missed_voicemail?.action).toBe('none');
    const warnings = integration.warnings.filter((x) => x.rule === 'HS-TIX-2' && x.message.includes('800'));
    expect(warnings.map((x) => x.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Ticket pipeline 800 no longer exists'),
        expect.stringContaining('inbound answered calls were set to "create"'),
        expect.stringContaining('missed calls with voicemail were set to "update"'),
      ]),
    );
  }, 30_000);

  it('HS-TIX-2: a deleted stage sets only the types that used it to "none" and warns', async () => {
    await configure(
      tickets(TRIMMED_PIPELINE, {
        inbound_answered: { action: 'create', stageId: '901' },
        outbound_answered: { action: 'create', stageId: '902' },
      }),
    );
    const del = await w.hubspot('DELETE', `/crm/v3/pipelines/tickets/${TRIMMED_PIPELINE}/stages/901`);
    expect(del.status).toBe(204);
    const before = await ticketCount();
    await answeredCall(3012, PEOPLE.tixStage.phone);

    const logging = await callLogging(3012);
    const callId = logging.written.activity?.id;
    if (!callId) throw new Error(`the call was not logged: ${JSON.stringify(logging)}`);
    expect(logging.written.ticket).toBeUndefined();
    expect(await ticketCount()).toBe(before);
    expect(await assoc('calls', callId, 'contacts')).toEqual([{ id: PEOPLE.tixStage.id, typeIds: [194] }]);
    expect(await assoc('contacts', PEOPLE.tixStage.id, 'calls')).toEqual([{ id: callId, typeIds: [193] }]);

    const list = await w.admin('GET', `/admin/companies/${companyId}/integrations`);
    const [integration] = list.json.integrations as {
      settings: {
        tickets: {
          pipelineId: string | null;
          types: Record<string, { action: string; stageId: string | null }>;
        };
      };
      warnings: { rule: string; message: string }[];
    }[];
    if (!integration) throw new Error('no integration');
    expect(integration.settings.tickets.pipelineId).toBe(TRIMMED_PIPELINE);
    expect(integration.settings.tickets.types.inbound_answered).toEqual({ action: 'none', stageId: null });
    expect(integration.settings.tickets.types.outbound_answered).toEqual({
      action: 'create',
      stageId: '902',
    });
    expect(integration.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'HS-TIX-2',
          message: expect.stringContaining('stage 901 of pipeline "Trimmed"'),
        }),
      ]),
    );
  }, 30_000);

  it('HS-TIX-2: a stage deleted in HubSpot is caught when an admin reads the settings, before any call', async () => {
    await configure(tickets(TRIMMED_PIPELINE, { outbound_answered: { action: 'create', stageId: '902' } }));
    const del = await w.hubspot('DELETE', `/crm/v3/pipelines/tickets/${TRIMMED_PIPELINE}/stages/902`);
    expect(del.status).toBe(204);

    const list = await w.admin('GET', `/admin/companies/${companyId}/integrations`);
    const [integration] = list.json.integrations as {
      settings: { tickets: { types: Record<string, { action: string; stageId: string | null }> } };
      warnings: { rule: string; message: string }[];
    }[];
    expect(integration?.settings.tickets.types.outbound_answered).toEqual({ action: 'none', stageId: null });
    expect(integration?.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'HS-TIX-2', message: expect.stringContaining('stage 902') }),
      ]),
    );
  }, 30_000);

  // ---- HS-SMS-1 ----

  it('HS-SMS-1: an inbound SMS becomes an SMS communication associated with the contact', async () => {
    await configure();
    const played = await w.play({ scenario: 'sms-inbound', external: PEOPLE.smsIn.phone });
    await settle();

    const linked = await assoc('contacts', PEOPLE.smsIn.id, 'communications');
    expect(linked).toHaveLength(1);
    const commId = linked[0]?.id ?? '';
    expect(await assoc('communications', commId, 'contacts')).toEqual([
      { id: PEOPLE.smsIn.id, typeIds: [81] },
    ]);
    const comm = await read('communications', commId, [
      'hs_communication_channel_type',
      'hs_communication_logged_from',
      'hs_communication_body',
    ]);
    expect(comm.hs_communication_channel_type).toBe('SMS');
    expect(comm.hs_communication_logged_from).toBe('CRM');
    expect(comm.hs_communication_body).toContain('SMS received from Inès Inbound on Support FR');
    expect(comm.hs_communication_body).toContain('Bonjour, pouvez-vous me rappeler ?');
    const { trace } = await messageTrace(String(played.messageId));
    expect(step(trace, 'HS-SMS-1').map((x) => x.detail)).toContain(
      `The SMS is logged on HubSpot contact ${PEOPLE.smsIn.id} (Inès Inbound).`,
    );
  }, 30_000);

  it('HS-SMS-1: an outbound SMS becomes an SMS communication with the agent as owner', async () => {
    await configure();
    await w.play({ scenario: 'sms-outbound', external: PEOPLE.smsOut.phone });
    await settle();

    const linked = await assoc('contacts', PEOPLE.smsOut.id, 'communications');
    expect(linked).toHaveLength(1);
    const commId = linked[0]?.id ?? '';
    expect(await assoc('communications', commId, 'contacts')).toEqual([
      { id: PEOPLE.smsOut.id, typeIds: [81] },
    ]);
    const comm = await read('communications', commId, [
      'hs_communication_channel_type',
      'hs_communication_logged_from',
      'hs_communication_body',
      'hubspot_owner_id',
    ]);
    expect(comm).toMatchObject({
      hs_communication_channel_type: 'SMS',
      hs_communication_logged_from: 'CRM',
      hubspot_owner_id: '9001',
    });
    expect(comm.hs_communication_body).toContain('SMS sent by Alice Martin via Support FR to Otto Outbound');
    expect(comm.hs_communication_body).toContain('je vous rappelle demain');
  }, 30_000);

  it('HS-SMS-1: an SMS on a number that is not connected is not logged (GEN-NUM-1)', async () => {
    await configure();
    const played = await w.play({
      message: { direction: 'inbound', external: PEOPLE.smsOff.phone, number: SALES_US, body: 'Hello?' },
    });
    await settle();

    expect(await assoc('contacts', PEOPLE.smsOff.id, 'communications')).toEqual([]);
    const { outcome, trace } = await messageTrace(String(played.messageId));
    expect(outcome).toBe('nothing');
    expect(step(trace, 'GEN-NUM-1')).toEqual([
      expect.objectContaining({
        outcome: 'stopped',
        detail: expect.stringContaining('Aircall number 2 is not connected'),
      }),
    ]);
    expect(step(trace, 'HS-SMS-1')).toEqual([]);
  }, 30_000);

  it('HS-SMS-1: SMS tickets follow the SMS settings (inbound "create", outbound "none")', async () => {
    await configure(
      tickets(CALLS_PIPELINE, {
        sms_inbound: { action: 'create', stageId: '701' },
        sms_outbound: { action: 'none', stageId: null },
      }),
    );
    const before = await ticketCount();
    const inbound = await w.play({ scenario: 'sms-inbound', external: PEOPLE.smsTix.phone });
    await settle();
    expect(await ticketCount()).toBe(before + 1);
    const [ticket] = await assoc('contacts', PEOPLE.smsTix.id, 'tickets');
    const [comm] = await assoc('contacts', PEOPLE.smsTix.id, 'communications');
    if (!ticket || !comm) throw new Error('no ticket or communication on the contact');
    expect(ticket.typeIds).toEqual([15]);
    expect(await assoc('tickets', ticket.id, 'communications')).toEqual([{ id: comm.id, typeIds: [84] }]);
    expect(
      await read('tickets', ticket.id, ['hs_pipeline', 'hs_pipeline_stage', 'subject', 'content']),
    ).toMatchObject({
      hs_pipeline: CALLS_PIPELINE,
      hs_pipeline_stage: '701',
      subject: 'SMS from Tess Ticket on Support FR',
      content: 'Bonjour, pouvez-vous me rappeler ?',
    });
    const inTrace = await messageTrace(String(inbound.messageId));
    expect(step(inTrace.trace, 'HS-TIX-1')).toEqual([expect.objectContaining({ outcome: 'applied' })]);

    const outbound = await w.play({ scenario: 'sms-outbound', external: PEOPLE.smsTix.phone });
    await settle();
    expect(await ticketCount()).toBe(before + 1);
    expect(await assoc('contacts', PEOPLE.smsTix.id, 'communications')).toHaveLength(2);
    const outTrace = await messageTrace(String(outbound.messageId));
    expect(step(outTrace.trace, 'HS-TIX-1')).toEqual([expect.objectContaining({ outcome: 'skipped' })]);
  }, 30_000);

  // ---- HS-GEN-1 ----

  it('HS-GEN-1: only within business hours: a call outside the hours is not logged, one inside is', async () => {
    await configure({ onlyBusinessHours: true });
    const call = (callId: number, startedAt: number) =>
      w.play({
        call: {
          callId,
          direction: 'inbound',
          external: PEOPLE.hours.phone,
          startedAt,
          answerAfter: 5,
          talk: 60,
          user: ALICE,
        },
      });
    await call(3020, mondayAt(20)); // Monday 21:00 or 22:00 in Paris
    await call(3021, mondayAt(11)); // Monday 12:00 or 13:00 in Paris
    await settle();

    const outside = await callLogging(3020);
    expect(outside.outcome).toBe('nothing');
    expect(outside.written).toEqual({});
    expect(step(outside.trace, 'HS-GEN-1')).toEqual([
      expect.objectContaining({
        outcome: 'stopped',
        detail: expect.stringContaining(
          "outside the business hours of Support FR (from the number's business hours)",
        ),
      }),
    ]);
    expect(step(outside.trace, 'HS-OUT-1')).toEqual([]);

    const inside = await callLogging(3021);
    expect(inside.outcome).toBe('write');
    // The last event's run finds the call already logged; the first one checked the hours (written.activity).
    expect(step(inside.trace, 'HS-GEN-1')).toEqual([expect.objectContaining({ outcome: 'applied' })]);
    const callId = inside.written.activity?.id ?? '';
    expect(await assoc('calls', callId, 'contacts')).toEqual([{ id: PEOPLE.hours.id, typeIds: [194] }]);
    expect(await assoc('contacts', PEOPLE.hours.id, 'calls')).toEqual([{ id: callId, typeIds: [193] }]);
  }, 30_000);

  it('HS-GEN-1: always (off): calls inside and outside business hours are both logged', async () => {
    await configure({ onlyBusinessHours: false });
    for (const [callId, startedAt] of [
      [3022, mondayAt(20)],
      [3023, mondayAt(11)],
    ] as const) {
      await w.play({
        call: {
          callId,
          direction: 'inbound',
          external: PEOPLE.hours.phone,
          startedAt,
          answerAfter: 5,
          talk: 60,
          user: ALICE,
        },
      });
    }
    await settle();
    const written = await Promise.all(
      [3022, 3023].map(async (id) => (await callLogging(id)).written.activity?.id),
    );
    expect(written.every((id) => typeof id === 'string')).toBe(true);
    const linked = (await assoc('contacts', PEOPLE.hours.id, 'calls')).map((a) => a.id);
    expect(linked).toEqual(expect.arrayContaining(written as string[]));
    expect(linked).toHaveLength(3);
  }, 30_000);

  // ---- HS-GEN-3 ----

  it('HS-GEN-3: on: a called number in HubSpot creates the Aircall contact, a second call updates it', async () => {
    await configure({ syncContactsToAircall: true });
    expect(await aircallContacts(PEOPLE.syncNew.phone)).toEqual([]);
    await w.play({ scenario: 'outbound-answered', external: PEOPLE.syncNew.phone, callId: 3030 });
    await settle();

    const [created, ...more] = await aircallContacts(PEOPLE.syncNew.phone);
    expect(more).toEqual([]);
    expect(created).toMatchObject({ first_name: 'Zoé', last_name: 'Sync' });
    expect((await callLogging(3030)).written.aircall_contact).toEqual({
      target: 'aircall.contact',
      id: String(created?.id),
    });

    // The contact changes in HubSpot; past the adapter's 60 s phone-search cache a second call syncs it.
    const patched = await w.hubspot('PATCH', `/crm/v3/objects/contacts/${PEOPLE.syncNew.id}`, {
      properties: { lastname: 'Synced-Again' },
    });
    expect(patched.status).toBe(200);
    w.clock.set(w.clock.now() + 61_000);
    await w.play({ scenario: 'outbound-answered', external: PEOPLE.syncNew.phone, callId: 3031 });
    await settle();

    const after = await aircallContacts(PEOPLE.syncNew.phone);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: created?.id, first_name: 'Zoé', last_name: 'Synced-Again' });
    expect(step((await callLogging(3031)).trace, 'HS-GEN-3')[0]?.detail).toContain(
      `Aircall contact ${String(created?.id)} is updated`,
    );
  }, 30_000);

  it('HS-GEN-3: on: an existing Aircall contact with the number is updated, not duplicated', async () => {
    const seeded = await w.seedAircall({
      contacts: [
        {
          id: 77001,
          first_name: 'Old',
          last_name: 'Name',
          phone_numbers: [{ label: 'Mobile', value: PEOPLE.syncExisting.phone }],
        },
      ],
    });
    expect(seeded.status).toBe(200);
    await configure({ syncContactsToAircall: true });
    await w.play({ scenario: 'outbound-answered', external: PEOPLE.syncExisting.phone, callId: 3032 });
    await settle();

    const found = await aircallContacts(PEOPLE.syncExisting.phone);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ id: 77001, first_name: 'Yann', last_name: 'Known' });
  }, 30_000);

  it('HS-GEN-3: off: nothing is created in Aircall', async () => {
    await configure({ syncContactsToAircall: false });
    await w.play({ scenario: 'outbound-answered', external: PEOPLE.syncOff.phone, callId: 3033 });
    await settle();
    const logging = await callLogging(3033);
    expect(logging.written.activity).toBeDefined();
    expect(logging.written.aircall_contact).toBeUndefined();
    expect(await aircallContacts(PEOPLE.syncOff.phone)).toEqual([]);
    expect(step(logging.trace, 'HS-GEN-3')).toEqual([
      expect.objectContaining({ outcome: 'skipped', detail: 'Contact sync to Aircall is off.' }),
    ]);
  }, 30_000);

  // ---- GEN-REQ-1 (last: the required property stays on the portal) ----

  it('GEN-REQ-1: a contact HubSpot refuses for a required property: the call is logged unmatched, the trace names it', async () => {
    const seeded = await w.seedHubspot({ requiredProperties: { contacts: ['some_required_prop'] } });
    expect(seeded.status).toBe(200);
    await configure({ createContacts: true });
    await answeredCall(3040, UNKNOWN_FOR_REQ);

    const logging = await callLogging(3040);
    expect(logging.outcome).toBe('write');
    expect(logging.unmatched).toBe(true);
    expect(logging.recordId).toBeNull();
    expect(logging.written.record).toBeUndefined();
    const callId = logging.written.activity?.id;
    if (!callId) throw new Error(`the call was not logged: ${JSON.stringify(logging)}`);
    expect(await assoc('calls', callId, 'contacts')).toEqual([]);
    const contacts = await search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'phone', operator: 'EQ', value: e164(UNKNOWN_FOR_REQ) }] }],
    });
    expect(contacts.total).toBe(0);
    const req = step(logging.trace, 'GEN-REQ-1');
    expect(req.length).toBeGreaterThan(0);
    expect(req.map((s) => s.detail).join(' ')).toContain('some_required_prop');
  }, 30_000);
});
