/**
 * The general rules of SPEC section 3 end to end (GEN-ACT-1/2/2b, GEN-NUM-1,
 * GEN-TRACE-1 with EXT-WHY-1, GEN-DEL-1): Aircall webhooks from the
 * simulator's scenario player into the backend, settings through the admin
 * API, and the result read back through HubSpot's REST API (the simulator)
 * and the backend's trace routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, type ScenarioNumber } from '../lib/aircall/scenarios.ts';
import { STORES, startWorld, type World } from './support/world.ts';

/** Aircall number 2 of the demo company (sandbox/demo.ts), not connected by default. */
const SALES_US = {
  id: 2,
  name: 'Sales US',
  digits: '+1 415-555-0100',
  country: 'US',
  time_zone: 'America/Los_Angeles',
};

/** An IVR number of the demo company, seeded by the GEN-NUM-2 test. */
const IVR = {
  id: 3,
  name: 'Standard IVR',
  digits: '+33 1 76 36 06 00',
  country: 'FR',
  time_zone: 'Europe/Paris',
  is_ivr: true,
};

interface TraceStep {
  rule: string;
  outcome: 'applied' | 'stopped' | 'skipped';
  detail: string;
}
interface Logging {
  integrationId: string;
  outcome: 'write' | 'wait' | 'nothing';
  written: Record<string, { target: string; id: string }>;
  trace: TraceStep[];
}
interface Activity {
  id: string;
  logging: Logging[];
}

describe.each(STORES)('general rules end to end (%s store)', (store) => {
  let w: World;
  const company = () => w.company.ids.companyId;
  const base = () => `/admin/companies/${company()}/integrations/hubspot`;

  beforeAll(async () => {
    w = await startWorld({ store, n: 4 });
    // The read-backs below use HubSpot's search API, whose budget (5/s per portal) the backend shares;
    // it is raised so the test's own reads never throttle the backend (rate limits have their own tests).
    const limits = await fetch(`${w.sandbox.hubspot.url}/_sandbox/limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ searchPerSecond: 1000 }),
    });
    expect(limits.status).toBe(200);
  }, 90_000);
  afterAll(async () => w?.close());

  /** An inbound call answered by Alice, with an explicit start (UNIX s) when given. */
  async function inboundCall(
    callId: number,
    external: string,
    opts: { startedAt?: number; number?: ScenarioNumber } = {},
  ) {
    await w.play({
      call: {
        callId,
        direction: 'inbound',
        external,
        answerAfter: 5,
        talk: 60,
        user: ALICE,
        ...(opts.startedAt === undefined ? {} : { startedAt: opts.startedAt }),
        ...(opts.number ? { number: opts.number } : {}),
      },
    });
    await w.settle();
  }

  const advance = (ms: number) => w.advance(ms);

  /** HubSpot call engagements whose caller is `e164` (hs_call_from_number of an inbound call). */
  async function hubspotCallsFrom(
    e164: string,
  ): Promise<{ id: string; properties: Record<string, string> }[]> {
    const r = await w.hubspot('POST', '/crm/v3/objects/calls/search', {
      filterGroups: [{ filters: [{ propertyName: 'hs_call_from_number', operator: 'EQ', value: e164 }] }],
      properties: ['hs_call_title', 'hs_call_from_number', 'hs_call_direction'],
    });
    expect(r.status).toBe(200);
    return r.json.results as { id: string; properties: Record<string, string> }[];
  }

  async function traceOf(callId: number): Promise<{ activity: Activity; logging: Logging }> {
    const r = await w.admin('GET', `/admin/companies/${company()}/calls/${callId}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const activity = r.json as unknown as Activity;
    const logging = activity.logging.find((l) => l.integrationId === `${company()}:hubspot`);
    if (!logging) throw new Error(`no HubSpot trace for call ${callId}: ${JSON.stringify(r.json)}`);
    return { activity, logging };
  }

  /** Requests made on this portal, from the HubSpot simulator's request log. */
  async function portalRequests(): Promise<{ method: string; path: string }[]> {
    const res = await fetch(`${w.sandbox.hubspot.url}/_sandbox/requests?account=${w.company.ids.portalId}`);
    return ((await res.json()) as { requests: { method: string; path: string }[] }).requests;
  }

  /** POST /crm/v3/objects/calls made on this portal (only the backend creates calls). */
  async function callCreates(): Promise<number> {
    return (await portalRequests()).filter((r) => r.method === 'POST' && r.path === '/crm/v3/objects/calls')
      .length;
  }

  async function hubspotSettings(): Promise<Record<string, unknown>> {
    const r = await w.admin('GET', `/admin/companies/${company()}/integrations`);
    expect(r.status).toBe(200);
    const list = r.json.integrations as { crm: string; settings: Record<string, unknown> }[];
    const hs = list.find((i) => i.crm === 'hubspot');
    if (!hs) throw new Error('no HubSpot integration');
    return hs.settings;
  }

  it('GEN-ACT-1: a deactivated integration logs nothing, says why, and keeps its settings', async () => {
    const off = await w.admin('POST', `${base()}/deactivate`);
    expect(off.status).toBe(200);
    expect((off.json.settings as Record<string, unknown>).active).toBe(false);

    await inboundCall(4001, '+33 6 40 01 00 01');
    expect(await hubspotCallsFrom('+33640010001')).toHaveLength(0);

    const { logging } = await traceOf(4001);
    expect(logging.outcome).toBe('nothing');
    expect(logging.written).toEqual({});
    expect(logging.trace[0]).toMatchObject({ rule: 'GEN-ACT-1', outcome: 'stopped' });
    expect(logging.trace[0]?.detail).toMatch(/inactive/);
    expect(logging.trace.at(-1)).toMatchObject({ rule: 'GEN-TRACE-1' });
    expect(logging.trace.at(-1)?.detail).toContain('GEN-ACT-1');

    // Settings and installation are kept while inactive.
    const settings = await hubspotSettings();
    expect(settings).toMatchObject({
      active: false,
      name: 'HubSpot (sandbox)',
      connectedNumbers: [1],
      defaultCountry: 'FR',
    });
  }, 30_000);

  it('GEN-ACT-2: after reactivation a call that started before it is not logged', async () => {
    const before = w.clock.now();
    const on = await w.admin('POST', `${base()}/activate`);
    expect(on.status).toBe(200);
    const settings = on.json.settings as { active: boolean; activatedAt: number };
    expect(settings.active).toBe(true);
    // activatedAt is the backend's clock at activation.
    expect(settings.activatedAt).toBeGreaterThanOrEqual(before);
    expect(settings.activatedAt).toBeLessThanOrEqual(w.clock.now());

    // Ten minutes pass: calls played from now on start after the activation.
    await advance(600_000);

    const startedAt = Math.floor(settings.activatedAt / 1000) - 3600;
    await inboundCall(4002, '+33 6 40 02 00 02', { startedAt });
    expect(await hubspotCallsFrom('+33640020002')).toHaveLength(0);
    const { logging } = await traceOf(4002);
    expect(logging.outcome).toBe('nothing');
    const act2 = logging.trace.find((s) => s.rule === 'GEN-ACT-2');
    expect(act2?.outcome).toBe('stopped');
    expect(act2?.detail).toContain(new Date(settings.activatedAt).toISOString());
  }, 30_000);

  it('GEN-ACT-2b: a backfill window logs the earlier call exactly once; a second backfill writes nothing', async () => {
    const settings = await hubspotSettings();
    const startedMs = (Math.floor(Number(settings.activatedAt) / 1000) - 3600) * 1000;
    const window = { from: startedMs - 60_000, to: startedMs + 60_000 };
    const createsBefore = await callCreates();

    const first = await w.admin('POST', `${base()}/backfill`, window);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.queued).toBe(1);
    await w.settle();

    const logged = await hubspotCallsFrom('+33640020002');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.properties.hs_call_direction).toBe('INBOUND');
    expect(await callCreates()).toBe(createsBefore + 1);
    const { logging } = await traceOf(4002);
    expect(logging.outcome).toBe('write');
    expect(logging.trace.find((s) => s.rule === 'GEN-ACT-2b')?.outcome).toBe('applied');
    expect(logging.written.activity?.id).toBe(logged[0]?.id);

    const props = 'properties=hs_call_title,hs_call_body,hs_timestamp,hs_call_duration,hs_call_disposition';
    const before = await w.hubspot('GET', `/crm/v3/objects/calls/${logged[0]?.id}?${props}`);
    const seen = (await portalRequests()).length;
    const second = await w.admin('POST', `${base()}/backfill`, window);
    expect(second.status).toBe(200);
    expect(second.json.queued).toBe(1);
    await w.settle();
    expect(await hubspotCallsFrom('+33640020002')).toHaveLength(1);
    expect(await callCreates()).toBe(createsBefore + 1);
    // The re-run may refresh the call it already logged (same values), but creates nothing.
    const writes = (await portalRequests())
      .slice(seen)
      .filter((r) => r.method !== 'GET' && !r.path.endsWith('/search'));
    for (const r of writes)
      expect(`${r.method} ${r.path}`).toBe(`PATCH /crm/v3/objects/calls/${logged[0]?.id}`);
    const after = await w.hubspot('GET', `/crm/v3/objects/calls/${logged[0]?.id}?${props}`);
    const { hs_lastmodifieddate: _b, ...propsBefore } = before.json.properties as Record<string, string>;
    const { hs_lastmodifieddate: _a, ...propsAfter } = after.json.properties as Record<string, string>;
    expect(propsAfter).toEqual(propsBefore);

    // The call made while inactive (GEN-ACT-1 test) is outside the window and stays unlogged.
    expect(await hubspotCallsFrom('+33640010001')).toHaveLength(0);
  }, 30_000);

  it('GEN-NUM-2: a call through an IVR is logged only when the IVR number and its destination are both connected', async () => {
    // Number 3 is an IVR that routes to number 4 (sandbox extension `ivrDestinations`, sandbox/aircall/seed.ts).
    const seeded = await w.seedAircall({
      numbers: [
        { ...IVR, is_ivr: true, ivrDestinations: [4] },
        { id: 4, name: 'Support DE', digits: '+49 30 1234 5678', country: 'DE', time_zone: 'Europe/Berlin' },
      ],
    });
    expect(seeded.status).toBe(200);
    await w.admin('PUT', `${base()}/numbers`, { connectedNumbers: [1, 3] });
    await inboundCall(4021, '+33 6 40 21 00 21', { number: IVR });
    expect(await hubspotCallsFrom('+33640210021')).toHaveLength(0);
    const stopped = (await traceOf(4021)).logging.trace.find((s) => s.rule === 'GEN-NUM-2');
    expect(stopped?.outcome).toBe('stopped');
    expect(stopped?.detail).toMatch(/IVR number 3 to number 4.*4 is not/);

    await w.admin('PUT', `${base()}/numbers`, { connectedNumbers: [1, 3, 4] });
    await inboundCall(4022, '+33 6 40 22 00 22', { number: IVR });
    expect(await hubspotCallsFrom('+33640220022')).toHaveLength(1);
    expect((await traceOf(4022)).logging.trace.find((s) => s.rule === 'GEN-NUM-2')).toMatchObject({
      outcome: 'applied',
      detail: 'IVR number 3 and its destination number 4 are both connected.',
    });
    await w.admin('PUT', `${base()}/numbers`, { connectedNumbers: [1] });
  }, 30_000);

  it('GEN-NUM-1: a call on a number not connected is not logged; once connected, the next one is', async () => {
    await inboundCall(4003, '+33 6 40 03 00 03', { number: SALES_US });
    expect(await hubspotCallsFrom('+33640030003')).toHaveLength(0);
    const { logging } = await traceOf(4003);
    expect(logging.outcome).toBe('nothing');
    const num = logging.trace.find((s) => s.rule === 'GEN-NUM-1');
    expect(num?.outcome).toBe('stopped');
    expect(num?.detail).toContain('number 2');

    const put = await w.admin('PUT', `${base()}/numbers`, { connectedNumbers: [1, 2] });
    expect(put.status).toBe(200);
    expect((put.json.settings as Record<string, unknown>).connectedNumbers).toEqual([1, 2]);

    await inboundCall(4004, '+33 6 40 04 00 04', { number: SALES_US });
    const logged = await hubspotCallsFrom('+33640040004');
    expect(logged).toHaveLength(1);
    const after = await traceOf(4004);
    expect(after.logging.outcome).toBe('write');
    expect(after.logging.trace.find((s) => s.rule === 'GEN-NUM-1')).toMatchObject({
      outcome: 'applied',
      detail: 'Aircall number 2 is connected.',
    });
  }, 30_000);

  it('GEN-TRACE-1: the admin sees the ordered trace with rule IDs, the outcome and the CRM ids written', async () => {
    await inboundCall(4005, '+33 6 40 05 00 05');
    const [hsCall] = await hubspotCallsFrom('+33640050005');
    expect(hsCall).toBeDefined();

    const { activity, logging } = await traceOf(4005);
    expect(activity.id).toBe('4005');
    expect(logging.outcome).toBe('write');
    const rules = logging.trace.map((s) => s.rule);
    // The order a person checks them in: status, activation time, number, phone, ..., the summary last.
    expect(rules.slice(0, 3)).toEqual(['GEN-ACT-1', 'GEN-ACT-2', 'GEN-NUM-1']);
    expect(rules.indexOf('GEN-PHONE-1')).toBeGreaterThan(rules.indexOf('GEN-NUM-1'));
    expect(rules.at(-1)).toBe('GEN-TRACE-1');
    expect(rules.some((r) => r.startsWith('HS-'))).toBe(true);
    for (const s of logging.trace) expect(['applied', 'stopped', 'skipped']).toContain(s.outcome);
    expect(logging.trace.find((s) => s.rule === 'GEN-PHONE-1')?.detail).toContain('+33640050005');
    expect(logging.written.activity).toEqual({ target: expect.any(String), id: hsCall?.id });
    expect(logging.trace.at(-1)?.detail).toMatch(/^Written: /);
  }, 30_000);

  it('GEN-TRACE-1 / EXT-WHY-1: the agent sees the same trace as the admin for a call that was not logged', async () => {
    const admin = await traceOf(4001);
    const agent = await w.agent('GET', '/v1/calls/4001');
    expect(agent.status).toBe(200);
    const seen = agent.json as unknown as Activity;
    expect(seen.id).toBe('4001');
    const logging = seen.logging.find((l) => l.integrationId === admin.logging.integrationId);
    expect(logging?.outcome).toBe('nothing');
    expect(logging?.trace).toEqual(admin.logging.trace);
    expect(logging?.trace.find((s) => s.outcome === 'stopped')?.rule).toBe('GEN-ACT-1');
  }, 30_000);

  it('GEN-DEL-1: deleting the integration removes its settings; later calls log nothing; HubSpot keeps what was logged', async () => {
    const [kept] = await hubspotCallsFrom('+33640050005');
    expect(kept).toBeDefined();

    const del = await w.admin('DELETE', base());
    expect(del.status).toBe(200);
    expect(del.json).toEqual({ ok: true });
    const list = await w.admin('GET', `/admin/companies/${company()}/integrations`);
    expect(list.json.integrations).toEqual([]);
    // Its credentials go too (the HubSpot connection); Aircall's stays.
    const conns = await w.admin('GET', `/admin/companies/${company()}/connections`);
    expect((conns.json.connections as { provider: string }[]).map((c) => c.provider)).toEqual(['aircall']);

    const createsBefore = await callCreates();
    await inboundCall(4006, '+33 6 40 06 00 06');
    expect(await hubspotCallsFrom('+33640060006')).toHaveLength(0);
    expect(await callCreates()).toBe(createsBefore);
    const work = await w.admin('GET', `/admin/companies/${company()}/work`);
    expect(work.json.work).toEqual([]);

    // What was written to HubSpot before stays there.
    const read = await w.hubspot('GET', `/crm/v3/objects/calls/${kept?.id}?properties=hs_call_title`);
    expect(read.status).toBe(200);
    expect(read.json.id).toBe(kept?.id);
    expect(read.json.archived).toBe(false);
  }, 30_000);
});
