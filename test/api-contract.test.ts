/**
 * The backend's HTTP contract end to end (lib/api/contract.ts, STYLE.md 9):
 * the Aircall webhook intake (token, validation, size, duplicates, the one
 * error shape), the admin API (auth, settings validation, agent tokens,
 * connections, OpenAPI, health) and the agent API (EXT-NOTE-1, EXT-TAG-1,
 * EXT-FIX-1, company isolation), over real HTTP against the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../lib/api/contract.ts';
import { apiErrorSchema } from '../lib/api/errors.ts';
import { callWebhooks, inboundAnsweredScript, type CallScript } from '../lib/aircall/scenarios.ts';
import { ADMIN_TOKEN, STORES, startWorld, type World } from './support/world.ts';

interface Reply {
  status: number;
  json: Record<string, unknown>;
}

/** One request with a raw body and chosen headers (the world's helpers always send valid JSON). */
async function raw(url: string, init: { method?: string; body?: string; headers?: Record<string, string> }) {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: init.headers ?? {},
    body: init.body,
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json } satisfies Reply;
}

/** The reply is the one error shape `{error: {code, message, fix?, fields?}}` (STYLE.md 9). */
function expectErrorShape(r: Reply, status: number, code?: string) {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  const parsed = apiErrorSchema.safeParse(r.json);
  expect(parsed.success, JSON.stringify(r.json)).toBe(true);
  expect(Object.keys(r.json)).toEqual(['error']);
  if (code) expect((r.json.error as { code: string }).code).toBe(code);
  return r.json.error as { code: string; message: string; fix?: string; fields?: { field: string }[] };
}

describe.each(STORES)('backend API contract (%s store)', (store) => {
  let w: World;
  let webhookToken = '';
  const company = () => w.company.ids.companyId;
  const aircallAuth = () =>
    `Basic ${Buffer.from(`${w.company.ids.apiId}:${w.company.ids.apiToken}`).toString('base64')}`;

  beforeAll(async () => {
    w = await startWorld({ store, n: 5 });
    // The token Aircall signs this company's webhooks with, as Aircall's API shows it (API-CONTRACTS 1.3).
    const hooks = await raw(`${w.sandbox.aircall.url}/v1/webhooks`, {
      method: 'GET',
      headers: { authorization: aircallAuth() },
    });
    const mine = (hooks.json.webhooks as { url: string; token: string }[]).find((h) =>
      h.url.endsWith(`/webhooks/aircall/${company()}`),
    );
    if (!mine) throw new Error(`no webhook registered for ${company()}: ${JSON.stringify(hooks.json)}`);
    webhookToken = mine.token;
  }, 90_000);
  afterAll(async () => w?.close());

  const webhookUrl = (companyId = company()) => `${w.backend.url}/webhooks/aircall/${companyId}`;
  const postWebhook = (body: unknown, companyId?: string) =>
    raw(webhookUrl(companyId), {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  async function storedEvents(): Promise<number> {
    const rows = await w.db.query<{ n: number }>(
      'select count(*)::int as n from events where company_id = $1',
      [company()],
    );
    return rows[0]?.n ?? -1;
  }

  /** The webhooks of an inbound answered call, signed with this company's token. */
  function callEvents(overrides: Partial<CallScript>) {
    return callWebhooks(
      inboundAnsweredScript({
        token: webhookToken,
        startedAt: Math.floor(w.clock.now() / 1000) - 300,
        ...overrides,
      }),
    );
  }

  const event = (events: ReturnType<typeof callEvents>, name: string) => {
    const e = events.find((x) => x.event === name);
    if (!e) throw new Error(`no ${name} in the script`);
    return structuredClone(e);
  };

  async function aircallCall(callId: number) {
    const r = await raw(`${w.sandbox.aircall.url}/v1/calls/${callId}`, {
      method: 'GET',
      headers: { authorization: aircallAuth() },
    });
    expect(r.status).toBe(200);
    return r.json.call as {
      comments: { content: string }[];
      tags: { id: number; name: string }[];
    };
  }

  // ---- webhook intake ----

  it('webhook intake: a wrong or missing token is refused with 401 and nothing is stored', async () => {
    const before = await storedEvents();
    const created = event(callEvents({ callId: 5001 }), 'call.created');

    const wrong = await postWebhook({ ...created, token: 'not-the-token' });
    const err = expectErrorShape(wrong, 401, 'bad_webhook_token');
    expect(err.message).toContain('nothing was stored');

    const { token: _token, ...tokenless } = created;
    expectErrorShape(await postWebhook(tokenless), 401, 'bad_webhook_token');
    expect(await storedEvents()).toBe(before);
  });

  it('webhook intake: an invalid body is refused with 400 naming the field, and nothing is stored', async () => {
    const before = await storedEvents();
    const events = callEvents({ callId: 5002 });

    const ended = event(events, 'call.ended');
    delete (ended.data as Record<string, unknown>).ended_at;
    const noEnd = expectErrorShape(await postWebhook(ended), 400, 'invalid_webhook');
    expect(noEnd.fields?.map((f) => f.field)).toContain('data.ended_at');
    expect(noEnd.message).toContain('data.ended_at');

    const created = event(events, 'call.created');
    (created.data as Record<string, unknown>).id = 'five-thousand-two';
    const badId = expectErrorShape(await postWebhook(created), 400, 'invalid_webhook');
    expect(badId.fields?.map((f) => f.field)).toContain('data.id');

    expect(await storedEvents()).toBe(before);
  });

  it('webhook intake: a body over WEBHOOK_BODY_LIMIT (256 KB) gets 413 in the error shape', async () => {
    const before = await storedEvents();
    const created = event(callEvents({ callId: 5003 }), 'call.created');
    const big = { ...created, data: { ...created.data, padding: 'x'.repeat(300 * 1024) } };
    expectErrorShape(await postWebhook(big), 413, 'body_too_large');
    expect(await storedEvents()).toBe(before);
  });

  it('GEN-IDEM-1: a repeated delivery answers 200 {duplicate: true} and stores one event', async () => {
    const before = await storedEvents();
    const created = event(callEvents({ callId: 5004 }), 'call.created');
    const first = await postWebhook(created);
    expect(first).toEqual({ status: 200, json: { ok: true, duplicate: false } });
    const again = await postWebhook(created);
    expect(again).toEqual({ status: 200, json: { ok: true, duplicate: true } });
    expect(await storedEvents()).toBe(before + 1);
    const rows = await w.db.query<{ event: string; subject_id: string }>(
      'select event, subject_id from events where company_id = $1 and subject_id = $2',
      [company(), '5004'],
    );
    expect(rows).toEqual([{ event: 'call.created', subject_id: '5004' }]);
  });

  it('webhook intake: an unknown company gets 404 and bad JSON gets 400, both in the error shape', async () => {
    const created = event(callEvents({ callId: 5005 }), 'call.created');
    expectErrorShape(await postWebhook(created, 'no-such-company'), 404, 'unknown_company');

    const before = await storedEvents();
    const bad = await raw(webhookUrl(), {
      body: '{"event": "call.created", "token": ',
      headers: { 'content-type': 'application/json' },
    });
    expectErrorShape(bad, 400);
    expect(await storedEvents()).toBe(before);
  });

  // ---- admin API ----

  it('admin API: no or a wrong admin token gets 401 in the error shape', async () => {
    const none = await raw(`${w.backend.url}/admin/companies`, { method: 'GET' });
    expectErrorShape(none, 401, 'unauthorized');
    const wrong = await raw(`${w.backend.url}/admin/companies`, {
      method: 'GET',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}-not` },
    });
    expectErrorShape(wrong, 401, 'unauthorized');
    // An agent token is not an admin token.
    const agent = await raw(`${w.backend.url}/admin/companies`, {
      method: 'GET',
      headers: { authorization: `Bearer ${w.company.agentTokens.alice}` },
    });
    expectErrorShape(agent, 401, 'unauthorized');
    const ok = await w.admin('GET', '/admin/companies');
    expect(ok.status).toBe(200);
    expect((ok.json.companies as { id: string }[]).map((c) => c.id)).toContain(company());
  });

  it('HS-OUT-1: an outcome not allowed for a call type is refused with 400 naming the field and the allowed values; nothing is saved', async () => {
    const path = `/admin/companies/${company()}/integrations`;
    const before = await w.admin('GET', path);
    const put = await w.admin('PUT', `${path}/hubspot`, {
      name: 'HubSpot (sandbox)',
      connectedNumbers: [1],
      defaultCountry: 'FR',
      outcomes: { inbound_answered: 'Busy' },
    });
    const err = expectErrorShape(put, 400, 'invalid_settings');
    expect(err.fields).toEqual([
      {
        field: 'outcomes.inbound_answered',
        message: expect.stringContaining('"Busy" is not allowed for inbound answered calls'),
        allowed: ['Connected', 'None'],
      },
    ]);
    expect(err.fix).toContain('nothing was saved');
    const after = await w.admin('GET', path);
    expect(after.json).toEqual(before.json);
    const [hs] = after.json.integrations as { settings: { outcomes: Record<string, string> } }[];
    expect(hs?.settings.outcomes.inbound_answered).toBe('Connected');
  });

  it('admin API: an agent token is shown once, listed without its value, and refused once revoked', async () => {
    const base = `/admin/companies/${company()}/agent-tokens`;
    const issued = await w.admin('POST', base, { aircallUserId: 12, label: 'Bob (laptop)' });
    expect(issued.status).toBe(201);
    const token = issued.json.token as string;
    expect(token).toMatch(/.{20,}/);
    expect(issued.json).toMatchObject({ aircallUserId: 12, label: 'Bob (laptop)', revokedAt: null });

    const me = await raw(`${w.backend.url}/v1/me`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me).toEqual({
      status: 200,
      json: { companyId: company(), aircallUserId: 12, crms: ['hubspot'], timeZone: 'Europe/Paris' },
    });

    const list = await w.admin('GET', base);
    expect(list.status).toBe(200);
    const tokens = list.json.tokens as Record<string, unknown>[];
    expect(tokens.map((t) => t.id)).toContain(issued.json.id);
    for (const t of tokens)
      expect(Object.keys(t).sort()).toEqual(['aircallUserId', 'createdAt', 'id', 'label', 'revokedAt']);
    expect(JSON.stringify(list.json)).not.toContain(token);

    const revoke = await w.admin('DELETE', `${base}/${String(issued.json.id)}`);
    expect(revoke).toEqual({ status: 200, json: { ok: true } });
    const refused = await raw(`${w.backend.url}/v1/me`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
    });
    expectErrorShape(refused, 401, 'unauthorized');
    const listed = (await w.admin('GET', base)).json.tokens as { id: string; revokedAt: number | null }[];
    expect(listed.find((t) => t.id === issued.json.id)?.revokedAt).toEqual(expect.any(Number));
    // Revoking twice says there is no live token of that id.
    expectErrorShape(await w.admin('DELETE', `${base}/${String(issued.json.id)}`), 404, 'not_found');
  });

  it('admin API: the connections list shows health, never credentials', async () => {
    const r = await w.admin('GET', `/admin/companies/${company()}/connections`);
    expect(r.status).toBe(200);
    const conns = r.json.connections as Record<string, unknown>[];
    expect(conns.map((c) => c.provider).sort()).toEqual(['aircall', 'hubspot']);
    for (const c of conns) {
      expect(Object.keys(c).sort()).toEqual(['account', 'provider', 'status', 'statusReason', 'updatedAt']);
      expect(c.status).toBe('ok');
    }
    const text = JSON.stringify(r.json);
    expect(text).not.toContain(w.company.ids.apiToken);
    expect(text).not.toMatch(/token|secret|refresh/i);
  });

  it('admin API: GET /openapi.json lists every route of the contract', async () => {
    const r = await raw(`${w.backend.url}/openapi.json`, { method: 'GET' });
    expect(r.status).toBe(200);
    expect(r.json.openapi).toBe('3.1.0');
    const paths = r.json.paths as Record<string, Record<string, { operationId: string }>>;
    const routes = Object.entries(API);
    expect(routes.length).toBeGreaterThan(30);
    for (const [name, def] of routes) {
      const path = def.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(paths[path]?.[def.method.toLowerCase()]?.operationId, `${def.method} ${def.path}`).toBe(name);
    }
    const documented = Object.values(paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(documented).toBe(routes.length);
  });

  it('admin API: /health and /ready answer without auth', async () => {
    const health = await raw(`${w.backend.url}/health`, { method: 'GET' });
    expect(health).toEqual({ status: 200, json: { status: 'ok' } });
    const ready = await raw(`${w.backend.url}/ready`, { method: 'GET' });
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready', store });
    expect(typeof ready.json.work).toBe('object');
  });

  // ---- agent API ----

  /** A logged inbound call and the id of its HubSpot call engagement. */
  async function loggedCall(callId: number, external: string): Promise<string> {
    await w.play({ scenario: 'inbound-answered', callId, external });
    await w.settle();
    const trace = await w.admin('GET', `/admin/companies/${company()}/calls/${callId}`);
    expect(trace.status).toBe(200);
    const [logging] = trace.json.logging as { outcome: string; written: Record<string, { id: string }> }[];
    expect(logging?.outcome).toBe('write');
    const id = logging?.written.activity?.id;
    if (!id) throw new Error(`call ${callId} was not logged: ${JSON.stringify(trace.json)}`);
    return id;
  }

  it('EXT-NOTE-1: a note reaches Aircall as a comment, then the HubSpot call body', async () => {
    const hsId = await loggedCall(5101, '+33 6 51 01 00 01');
    const note = 'Rappeler lundi pour le devis 42';
    const added = await w.agent('POST', '/v1/calls/5101/notes', { content: note });
    expect(added).toEqual({ status: 200, json: { ok: true } });
    await w.settle();

    const call = await aircallCall(5101);
    expect(call.comments.map((c) => c.content)).toContain(note);
    const hs = await w.hubspot('GET', `/crm/v3/objects/calls/${hsId}?properties=hs_call_body`);
    expect(hs.status).toBe(200);
    expect((hs.json.properties as Record<string, string>).hs_call_body).toContain(note);

    // An empty note is refused before Aircall is called.
    const empty = expectErrorShape(await w.agent('POST', '/v1/calls/5101/notes', { content: '  ' }), 400);
    expect(empty.fields?.map((f) => f.field)).toEqual(['content']);
    expect((await aircallCall(5101)).comments).toHaveLength(1);
  });

  it('EXT-TAG-1: an agent adds then removes a company tag on a call, in Aircall', async () => {
    const tags = await w.agent('GET', '/v1/tags');
    expect(tags.status).toBe(200);
    expect((tags.json.tags as { id: number; name: string }[]).map((t) => t.name)).toEqual([
      'General_Inquiries',
      'Refund',
      'VIP',
    ]);

    const add = await w.agent('POST', '/v1/calls/5101/tags', { tagId: 32 });
    expect(add).toEqual({ status: 200, json: { ok: true } });
    await w.settle();
    expect((await aircallCall(5101)).tags).toEqual([expect.objectContaining({ id: 32, name: 'Refund' })]);

    const remove = await w.agent('DELETE', '/v1/calls/5101/tags/32');
    expect(remove).toEqual({ status: 200, json: { ok: true } });
    await w.settle();
    expect((await aircallCall(5101)).tags).toEqual([]);
  });

  it('EXT-FIX-1: phone-fix previews with {apply:false}, then rewrites "06 12 34 56 78" to E.164 in HubSpot', async () => {
    const path = '/v1/records/hubspot/contacts/501/phone-fix';
    const phone = async () =>
      (
        (await w.hubspot('GET', '/crm/v3/objects/contacts/501?properties=phone')).json.properties as {
          phone: string;
        }
      ).phone;

    const preview = await w.agent('POST', path, { apply: false });
    expect(preview).toEqual({
      status: 200,
      json: {
        fixes: [{ field: 'phone', from: '06 12 34 56 78', to: '+33612345678' }],
        applied: false,
        manual: null,
      },
    });
    expect(await phone()).toBe('06 12 34 56 78');

    const applied = await w.agent('POST', path, { apply: true });
    expect(applied).toEqual({
      status: 200,
      json: {
        fixes: [{ field: 'phone', from: '06 12 34 56 78', to: '+33612345678' }],
        applied: true,
        manual: null,
      },
    });
    expect(await phone()).toBe('+33612345678');

    // Already in E.164: nothing left to fix.
    expect(await w.agent('POST', path, { apply: true })).toEqual({
      status: 200,
      json: { fixes: [], applied: false, manual: null },
    });
  });

  it("agent API: an agent of another company cannot see or change this company's calls", async () => {
    const other = await w.admin('POST', '/admin/companies', {
      id: 'other-5',
      name: 'Other',
      defaultCountry: 'FR',
    });
    expect(other.status).toBe(201);
    const issued = await w.admin('POST', '/admin/companies/other-5/agent-tokens', { aircallUserId: 11 });
    expect(issued.status).toBe(201);
    const auth = { authorization: `Bearer ${String(issued.json.token)}` };

    const mine = await w.agent('GET', '/v1/calls/5101');
    expect(mine.status).toBe(200);
    expect(mine.json.id).toBe('5101');

    const seen = await raw(`${w.backend.url}/v1/calls/5101`, { method: 'GET', headers: auth });
    expectErrorShape(seen, 404, 'not_found');
    const note = await raw(`${w.backend.url}/v1/calls/5101/notes`, {
      body: JSON.stringify({ content: 'not mine' }),
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expectErrorShape(note, 404, 'not_found');
    expect((await aircallCall(5101)).comments.map((c) => c.content)).not.toContain('not mine');
  });
  // ---- agent API: what the panel shows (EXT-LIST-1) and links (EXT-LINK-1) ----

  it("EXT-LIST-1: /v1/me gives the agent's Aircall time zone, and null when Aircall's is not a time zone", async () => {
    const me = await w.agent('GET', '/v1/me');
    expect(me).toEqual({
      status: 200,
      json: { companyId: company(), aircallUserId: 11, crms: ['hubspot'], timeZone: 'Europe/Paris' },
    });
    // Another agent's Aircall user carries a value no browser can show times in: the panel falls back to its own.
    const seeded = await w.seedAircall({
      users: [
        { id: 13, name: 'Chloé Petit', email: 'chloe@example.com', available: true, time_zone: 'Paris' },
      ],
    });
    expect(seeded.status).toBe(200);
    const issued = await w.admin('POST', `/admin/companies/${company()}/agent-tokens`, { aircallUserId: 13 });
    const chloe = await raw(`${w.backend.url}/v1/me`, {
      method: 'GET',
      headers: { authorization: `Bearer ${String(issued.json.token)}` },
    });
    expect(chloe.status).toBe(200);
    expect(chloe.json.timeZone).toBeNull();
  });

  it('EXT-LIST-1 / HS-OUT-4: every activity carries the outcome label HubSpot holds, and follows a change', async () => {
    await loggedCall(5102, '+33 6 51 02 00 01');
    const call = await w.agent('GET', '/v1/calls/5102');
    expect(call.status).toBe(200);
    expect(call.json.outcome).toBe('Connected');
    const recordId = (call.json.logging as { recordId: string }[])[0]?.recordId;
    const listed = await w.agent('GET', `/v1/records/hubspot/contacts/${recordId}/activity`);
    expect(
      (listed.json.activity as { id: string; outcome: string | null }[]).map((a) => [a.id, a.outcome]),
    ).toEqual([['5102', 'Connected']]);

    const outcomes = (await w.agent('GET', '/v1/outcomes/hubspot')).json.outcomes as {
      id: string;
      label: string;
    }[];
    const busy = outcomes.find((o) => o.label === 'Busy');
    expect((await w.agent('PUT', '/v1/calls/5102/outcome', { outcomeId: busy?.id })).status).toBe(200);
    await w.settle();
    expect((await w.agent('GET', '/v1/calls/5102')).json.outcome).toBe('Busy');
  });

  it("EXT-LINK-1: linking with addNumber writes the call's number (E.164) into the record's first empty phone field in HubSpot", async () => {
    const put = await w.admin('PUT', `/admin/companies/${company()}/integrations/hubspot`, {
      name: 'HubSpot contract',
      connectedNumbers: [1],
      defaultCountry: 'FR',
      createContacts: false,
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    await w.play({ scenario: 'inbound-answered', callId: 5103, external: '+33 6 51 03 00 01' });
    await w.play({ scenario: 'inbound-answered', callId: 5104, external: '+33 6 51 04 00 01' });
    await w.settle();
    const inbox = await w.agent('GET', '/v1/inbox');
    expect((inbox.json.activity as { id: string }[]).map((a) => a.id)).toEqual(
      expect.arrayContaining(['5103', '5104']),
    );
    const seeded = await w.seedHubspot({
      objects: {
        contacts: [
          { properties: { firstname: 'Noé', lastname: 'Fixe', phone: '01 23 45 67 89' } },
          {
            properties: {
              firstname: 'Plein',
              lastname: 'Partout',
              phone: '+33123456780',
              mobilephone: '+33611111111',
            },
          },
        ],
      },
    });
    const [fixe, full] =
      (seeded.json as { portals: { ids: { contacts: string[] } }[] }).portals[0]?.ids.contacts ?? [];
    const phones = async (id: string | undefined) =>
      (await w.hubspot('GET', `/crm/v3/objects/contacts/${id}?properties=phone,mobilephone`)).json
        .properties as Record<string, string | null>;
    const link = (callId: number, recordId: string | undefined) =>
      w.agent('POST', `/v1/calls/${callId}/link`, {
        crm: 'hubspot',
        objectType: 'contacts',
        recordId,
        addNumber: true,
      });

    const linked = await link(5103, fixe);
    expect(linked).toEqual({
      status: 200,
      json: { ok: true, number: { field: 'mobilephone', value: '+33651030001', added: true } },
    });
    expect(await phones(fixe)).toMatchObject({ phone: '01 23 45 67 89', mobilephone: '+33651030001' });
    await w.settle();
    const logging = (await w.admin('GET', `/admin/companies/${company()}/calls/5103`)).json.logging as {
      recordId: string;
      unmatched: boolean;
    }[];
    expect(logging[0]).toMatchObject({ recordId: fixe, unmatched: false });
    // Asked again: the record holds the number already; nothing is written twice.
    expect((await link(5103, fixe)).json).toEqual({
      ok: true,
      number: { field: 'mobilephone', value: '+33651030001', added: false },
    });

    // Both phone fields hold other numbers: refused, said plainly, and the call is not linked.
    const refused = expectErrorShape(await link(5104, full), 409, 'no_empty_phone_field');
    expect(refused.message).toContain('phone, mobilephone hold other numbers');
    expect(refused.fix).toContain('Link the call without adding the number.');
    expect(await phones(full)).toMatchObject({ phone: '+33123456780', mobilephone: '+33611111111' });
    await w.settle();
    const still = (await w.admin('GET', `/admin/companies/${company()}/calls/5104`)).json.logging as {
      unmatched: boolean;
    }[];
    expect(still[0]?.unmatched).toBe(true);
    // Without the number, the same link goes through.
    const plain = await w.agent('POST', '/v1/calls/5104/link', {
      crm: 'hubspot',
      objectType: 'contacts',
      recordId: full,
    });
    expect(plain).toEqual({ status: 200, json: { ok: true, number: null } });
  });
});
