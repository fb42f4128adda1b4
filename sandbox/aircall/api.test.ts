/**
 * The Aircall simulator's REST API over real HTTP (API-CONTRACTS 1.1-1.9):
 * auth, rate-limit headers and 429, calls, contacts, numbers, users, tags,
 * webhooks, and Aircall's error shapes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEY, DEMO_COMPANY_ID, demoSeed } from './demo-seed.ts';
import { type AircallSimulator, startAircallSimulator } from './server.ts';

let url: string;
let sim: AircallSimulator;
let close: () => Promise<void>;

const basic = (k: { apiId: string; apiToken: string }) =>
  `Basic ${Buffer.from(`${k.apiId}:${k.apiToken}`).toString('base64')}`;

async function api(
  path: string,
  init: { method?: string; body?: unknown; auth?: string | null } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const auth = init.auth === undefined ? basic(DEMO_API_KEY) : init.auth;
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(auth ? { authorization: auth } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : {} };
}

const T0 = 1_790_000_000; // Monday 2026-09-21 14:13:20Z, 16:13 in Paris

beforeAll(async () => {
  ({ url, sim, close } = await startAircallSimulator());
});
afterAll(() => close());
beforeEach(async () => {
  await fetch(`${url}/_sandbox/reset`, { method: 'POST' });
  sim.clock.set(T0 * 1000, true);
  sim.seed(demoSeed());
});

describe('authentication (API-CONTRACTS 1.1)', () => {
  it('refuses a missing or wrong key with 401 {error, troubleshoot}', async () => {
    const none = await api('/v1/numbers', { auth: null });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: 'Unauthorized', troubleshoot: expect.stringContaining('Basic') });
    const wrong = await api('/v1/numbers', { auth: basic({ apiId: DEMO_API_KEY.apiId, apiToken: 'nope' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('Unauthorized');
    expect(wrong.headers.get('x-aircallapi-limit')).toBeNull();
  });

  it('maps a key to its company: another company sees none of its calls, and the log names the company', async () => {
    sim.seed({
      companies: [
        { id: 43, apiKeys: [{ apiId: 'other', apiToken: 'secret' }] },
        { id: DEMO_COMPANY_ID, calls: [{ id: 777, direction: 'inbound', started_at: T0 }] },
      ],
    });
    expect((await api('/v1/calls/777')).status).toBe(200);
    const other = await api('/v1/calls/777', { auth: basic({ apiId: 'other', apiToken: 'secret' }) });
    expect(other.status).toBe(404);
    expect(other.json).toEqual({ error: 'Not Found', troubleshoot: 'Call not found' });
    const log = (await (await fetch(`${url}/_sandbox/requests?account=43`)).json()) as {
      requests: { path: string; status: number }[];
    };
    expect(log.requests).toEqual([expect.objectContaining({ path: '/v1/calls/777', status: 404 })]);
  });
});

describe('rate limit (API-CONTRACTS 1.2)', () => {
  it('sends X-AircallApi-Limit/Remaining/Reset on every answer and 429 over a configured limit', async () => {
    const limits = await fetch(`${url}/_sandbox/limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ perMinute: 3 }),
    });
    expect(((await limits.json()) as { perMinute: number }).perMinute).toBe(3);

    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await api(i === 1 ? '/v1/calls/999' : '/v1/tags');
      expect(r.headers.get('x-aircallapi-limit')).toBe('3');
      expect(Number(r.headers.get('x-aircallapi-reset'))).toBe(T0 + 60);
      remaining.push(r.headers.get('x-aircallapi-remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);

    sim.clock.advance(20_000);
    const over = await api('/v1/tags');
    expect(over.status).toBe(429);
    expect(over.json).toEqual({
      error: 'Too Many Requests',
      troubleshoot: expect.stringContaining('3 requests'),
    });
    expect(over.headers.get('x-aircallapi-remaining')).toBe('0');
    // The first request leaves the one-minute window at T0 + 60: that is when to retry.
    expect(Number(over.headers.get('x-aircallapi-reset'))).toBe(T0 + 60);

    sim.clock.advance(40_001);
    expect((await api('/v1/tags')).status).toBe(200);
  });

  it('counts each company on its own', async () => {
    sim.setLimits({ perMinute: 1 });
    sim.seed({ companies: [{ id: 43, apiKeys: [{ apiId: 'other', apiToken: 'secret' }] }] });
    expect((await api('/v1/tags')).status).toBe(200);
    expect((await api('/v1/tags')).status).toBe(429);
    expect((await api('/v1/tags', { auth: basic({ apiId: 'other', apiToken: 'secret' }) })).status).toBe(200);
  });
});

describe('calls (API-CONTRACTS 1.4, 1.5, 1.8)', () => {
  it('shows a call in the Call API naming (sid, conference_participants) and pages the list', async () => {
    sim.seed({
      companies: [
        {
          id: DEMO_COMPANY_ID,
          calls: Array.from({ length: 25 }, (_, i) => ({
            id: 2000 + i,
            direction: 'inbound' as const,
            started_at: T0 - 1000 + i * 10,
            call_uuid: `CA${i}`,
            participants: [{ type: 'external', phone_number: '+33 6 12 34 56 78' }],
          })),
          summaries: [{ callId: 2003, content: 'Wants a quote.' }],
        },
      ],
    });
    const one = await api('/v1/calls/2003');
    const call = one.json.call as Record<string, unknown>;
    expect(call).toMatchObject({ id: 2003, sid: 'CA3', direction: 'inbound', started_at: T0 - 970 });
    expect(call.conference_participants).toEqual([{ type: 'external', phone_number: '+33 6 12 34 56 78' }]);
    expect(call).not.toHaveProperty('call_uuid');

    const page1 = await api(`/v1/calls?from=${T0 - 1000}&to=${T0}&per_page=10`);
    const meta = page1.json.meta as Record<string, unknown>;
    expect((page1.json.calls as unknown[]).length).toBe(10);
    expect(meta).toMatchObject({ total: 25, current_page: 1, per_page: 10, previous_page_link: null });
    const next = new URL(String(meta.next_page_link));
    expect(next.searchParams.get('page')).toBe('2');
    expect(next.searchParams.get('from')).toBe(String(T0 - 1000));
    const page3 = await api(`/v1/calls?from=${T0 - 1000}&to=${T0}&per_page=10&page=3`);
    expect((page3.json.calls as { id: number }[]).map((c) => c.id)).toEqual([2020, 2021, 2022, 2023, 2024]);
    expect((page3.json.meta as Record<string, unknown>).next_page_link).toBeNull();
    const filtered = await api(`/v1/calls?from=${T0 - 800}`);
    expect((filtered.json.meta as Record<string, unknown>).total).toBe(5);

    expect((await api('/v1/calls/2003/summary')).json).toEqual({
      summary: { call_id: 2003, content: 'Wants a quote.' },
    });
    expect((await api('/v1/calls/2004/summary')).status).toBe(404);
  });

  it('adds a comment posted by nobody (API) and refuses unknown tags with 422 errors.tags', async () => {
    sim.seed({
      companies: [{ id: DEMO_COMPANY_ID, calls: [{ id: 3001, direction: 'outbound', started_at: T0 }] }],
    });
    expect(
      (await api('/v1/calls/3001/comments', { method: 'POST', body: { content: 'Call back Monday' } }))
        .status,
    ).toBe(201);
    const blank = await api('/v1/calls/3001/comments', { method: 'POST', body: { content: ' ' } });
    expect(blank.status).toBe(422);
    expect(blank.json).toMatchObject({
      error: 'Unprocessable Entity',
      success: false,
      errors: { content: [expect.any(String)] },
    });

    const bad = await api('/v1/calls/3001/tags', { method: 'POST', body: { tags: [7, 99] } });
    expect(bad.status).toBe(422);
    expect(bad.json).toEqual({
      error: 'Unprocessable Entity',
      success: false,
      errors: { tags: ['Tag 99 does not exist in this company'] },
    });
    expect((await api('/v1/calls/3001/tags', { method: 'POST', body: { tags: [7, 8, 7] } })).status).toBe(
      201,
    );
    expect((await api('/v1/calls/3001/tags/8', { method: 'DELETE' })).status).toBe(204);

    const call = (await api('/v1/calls/3001')).json.call as Record<string, unknown>;
    expect(call.comments).toEqual([
      { id: expect.any(Number), content: 'Call back Monday', posted_at: T0, posted_by: null },
    ]);
    expect(call.tags).toEqual([expect.objectContaining({ id: 7, name: 'Hot lead', color: '#e53935' })]);
    expect((await api('/v1/calls/404404/comments', { method: 'POST', body: { content: 'x' } })).status).toBe(
      404,
    );
  });
});

describe('contacts (API-CONTRACTS 1.6)', () => {
  it('finds contacts by phone number in E.164, whatever format they are stored in', async () => {
    sim.seed({
      companies: [
        {
          id: DEMO_COMPANY_ID,
          contacts: [
            { id: 5002, first_name: 'Paul', phone_numbers: [{ label: 'Work', value: '06 12 34 56 78' }] },
            { id: 5003, first_name: 'Zoe', phone_numbers: [{ label: 'Work', value: '+44 20 7946 0958' }] },
          ],
        },
      ],
    });
    const found = await api(`/v1/contacts/search?phone_number=${encodeURIComponent('+33612345678')}`);
    expect((found.json.contacts as { id: number }[]).map((c) => c.id).sort()).toEqual([5001, 5002]);
    expect(found.json.meta).toMatchObject({ total: 2 });
    const none = await api(`/v1/contacts/search?phone_number=${encodeURIComponent('+33699999999')}`);
    expect(none.json.contacts).toEqual([]);
    expect((await api('/v1/contacts/search?phone_number=hello')).status).toBe(400);
    const byEmail = await api('/v1/contacts/search?email=CLAIRE@dupont.example');
    expect((byEmail.json.contacts as { id: number }[]).map((c) => c.id)).toEqual([5001]);
  });

  it('creates (422 without a phone number), updates with POST, and deletes', async () => {
    const refused = await api('/v1/contacts', { method: 'POST', body: { first_name: 'Nobody' } });
    expect(refused.status).toBe(422);
    expect(refused.json).toEqual({
      error: 'Unprocessable Entity',
      success: false,
      errors: { phone_numbers: ["can't be blank"] },
    });
    const created = await api('/v1/contacts', {
      method: 'POST',
      body: {
        first_name: 'Léa',
        last_name: 'Roux',
        phone_numbers: [{ label: 'Mobile', value: '+33 7 11 22 33 44' }],
      },
    });
    expect(created.status).toBe(201);
    const contact = created.json.contact as { id: number; phone_numbers: unknown[]; created_at: string };
    expect(contact).toMatchObject({
      first_name: 'Léa',
      phone_numbers: [{ id: expect.any(Number), label: 'Mobile', value: '+33 7 11 22 33 44' }],
      created_at: new Date(T0 * 1000).toISOString(),
    });
    const updated = await api(`/v1/contacts/${contact.id}`, {
      method: 'POST',
      body: { company_name: 'Roux & Co' },
    });
    expect(updated.json.contact).toMatchObject({ first_name: 'Léa', company_name: 'Roux & Co' });
    expect((await api(`/v1/contacts/${contact.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/v1/contacts/${contact.id}`)).status).toBe(404);
  });
});

describe('numbers, users, tags, webhooks', () => {
  it('shows numbers with the SANDBOX business hours and open on the simulator clock', async () => {
    const n = (await api('/v1/numbers/1')).json.number as Record<string, unknown>;
    expect(n).toMatchObject({ id: 1, digits: '+33 1 76 36 06 95', open: true, availability_status: 'open' });
    expect(n.sandbox_business_hours).toMatchObject({ timeZone: 'Europe/Paris' });
    sim.clock.set((T0 + 5 * 86_400) * 1000, true); // Saturday
    const list = await api('/v1/numbers');
    expect((list.json.numbers as Record<string, unknown>[])[0]).toMatchObject({ id: 1, open: false });
    expect((await api('/v1/numbers/9')).status).toBe(404);
  });

  it('lists users in v2 (no numbers) and reads one in v1', async () => {
    const users = (await api('/v2/users')).json.users as Record<string, unknown>[];
    expect(users.map((u) => u.email)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(users[0]).not.toHaveProperty('numbers');
    expect((await api('/v1/users/12')).json.user).toMatchObject({ id: 12, name: 'Bob Durand', numbers: [] });
    expect((await api('/v1/tags')).json.tags).toEqual([
      expect.objectContaining({ id: 7, name: 'Hot lead' }),
      expect.objectContaining({ id: 8, name: 'Support', description: null }),
    ]);
  });

  it('creates webhooks with a uuid and a token, refuses unknown events, and caps them at 100', async () => {
    const created = await api('/v1/webhooks', {
      method: 'POST',
      body: { custom_name: 'CRM', url: 'http://127.0.0.1:9/hook', events: ['call.ended'] },
    });
    expect(created.status).toBe(201);
    const w = created.json.webhook as Record<string, unknown>;
    expect(w).toMatchObject({
      custom_name: 'CRM',
      url: 'http://127.0.0.1:9/hook',
      events: ['call.ended'],
      active: true,
    });
    expect(w.webhook_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(w.token).toMatch(/^[0-9a-f]{32}$/);
    const all = await api('/v1/webhooks', { method: 'POST', body: { url: 'https://example.com/h' } });
    expect(((all.json.webhook as Record<string, unknown>).events as string[]).length).toBe(67);

    const typo = await api('/v1/webhooks', {
      method: 'POST',
      body: { url: 'https://x.example', events: ['call.endd'] },
    });
    expect(typo.status).toBe(422);
    expect(typo.json.errors).toEqual({ events: ['"call.endd" is not an Aircall webhook event'] });

    sim.setLimits({ perMinute: 1000 });
    for (let i = 2; i < 100; i++) {
      expect(
        (await api('/v1/webhooks', { method: 'POST', body: { url: `https://example.com/${i}` } })).status,
      ).toBe(201);
    }
    const over = await api('/v1/webhooks', { method: 'POST', body: { url: 'https://example.com/101' } });
    expect(over.status).toBe(422);
    expect((await api('/v1/webhooks?per_page=50')).json.meta).toMatchObject({ total: 100 });

    expect((await api(`/v1/webhooks/${String(w.webhook_id)}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/v1/webhooks/${String(w.webhook_id)}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses an invalid seed with 400 and answers unknown routes in the Aircall shape', async () => {
    const res = await fetch(`${url}/_sandbox/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ companies: [{ id: 'x' }] }),
    });
    expect(res.status).toBe(400);
    expect(await api('/v1/nothing')).toMatchObject({ status: 404, json: { error: 'Not Found' } });
  });
});
