/**
 * The Aircall REST client against the Aircall simulator over real HTTP
 * (API-CONTRACTS 1): every method, pagination through next_page_link, and
 * errors as VendorError with what decideRetry needs (X-AircallApi-Reset on 429).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_API_KEY, DEMO_COMPANY_ID, demoSeed } from '../../sandbox/aircall/demo-seed.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../sandbox/aircall/receiver.ts';
import { type AircallSimulator, startAircallSimulator } from '../../sandbox/aircall/server.ts';
import { decideRetry, VendorError } from '../http/vendor.ts';
import { AircallClient } from './client.ts';
import { ALICE, inboundAnsweredScript } from './scenarios.ts';

let url: string;
let sim: AircallSimulator;
let close: () => Promise<void>;
let receiver: WebhookReceiver;
let client: AircallClient;

const T0 = 1_790_000_000;

async function failure(p: Promise<unknown>): Promise<VendorError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorError);
  return err as VendorError;
}

beforeAll(async () => {
  ({ url, sim, close } = await startAircallSimulator());
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await close();
  await receiver.close();
});
beforeEach(async () => {
  receiver.received.length = 0;
  await fetch(`${url}/_sandbox/reset`, { method: 'POST' });
  sim.clock.set(T0 * 1000, true);
  sim.seed(demoSeed());
  client = new AircallClient({ baseUrl: url, ...DEMO_API_KEY });
});

describe('AircallClient reads', () => {
  it('reads a call in webhook naming, and lists calls across pages with from/to', async () => {
    sim.seed({
      companies: [
        {
          id: DEMO_COMPANY_ID,
          calls: Array.from({ length: 120 }, (_, i) => ({
            id: 10_000 + i,
            direction: i % 2 ? ('outbound' as const) : ('inbound' as const),
            started_at: T0 - 10_000 + i * 60,
            sid: `CA${i}`,
            conference_participants: [{ type: 'external', phone_number: '+33 6 12 34 56 78' }],
          })),
        },
      ],
    });
    const call = await client.getCall(10_005);
    expect(call).toMatchObject({ id: 10_005, direction: 'outbound', call_uuid: 'CA5', sid: 'CA5' });
    expect(call.participants).toEqual([{ type: 'external', phone_number: '+33 6 12 34 56 78' }]);

    const all = await client.listCalls();
    expect(all.map((c) => c.id)).toEqual(Array.from({ length: 120 }, (_, i) => 10_000 + i));
    const pages = sim.requests.filter((r) => r.path === '/v1/calls');
    expect(pages.map((r) => new URLSearchParams(r.query).get('page') ?? '1')).toEqual(['1', '2', '3']);

    const window = await client.listCalls({ from: T0 - 10_000 + 60 * 100, to: T0 - 10_000 + 60 * 109 });
    expect(window.map((c) => c.id)).toEqual(Array.from({ length: 10 }, (_, i) => 10_100 + i));
  });

  it('reads numbers (with the sandbox business hours kept), users, tags and summaries', async () => {
    const numbers = await client.listNumbers();
    expect(numbers).toEqual([
      expect.objectContaining({ id: 1, name: 'Support FR', country: 'FR', open: true }),
    ]);
    const number = (await client.getNumber(1)) as Record<string, unknown>;
    expect(number.sandbox_business_hours).toMatchObject({ timeZone: 'Europe/Paris' });

    expect((await client.listUsers()).map((u) => u.email)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(await client.getUser(ALICE.id)).toMatchObject({
      id: ALICE.id,
      name: ALICE.name,
      time_zone: 'Europe/Paris',
    });
    expect(await client.listTags()).toEqual([
      expect.objectContaining({ id: 7, name: 'Hot lead', color: '#e53935', description: 'Wants to buy' }),
      expect.objectContaining({ id: 8, name: 'Support' }),
    ]);

    const { token: _t, ...call } = inboundAnsweredScript({ callId: 7001, summary: 'Wants 12 seats.' });
    await sim.play({ company: DEMO_COMPANY_ID, call: { ...call, startedAt: T0 - 600 } });
    expect(await client.getSummary(7001)).toMatchObject({ call_id: 7001, content: 'Wants 12 seats.' });
    const { token: _u, ...bare } = inboundAnsweredScript({ callId: 7002 });
    await sim.play({ company: DEMO_COMPANY_ID, call: bare });
    expect(await client.getSummary(7002)).toBeNull();
  });
});

describe('AircallClient writes', () => {
  it('adds comments and tags (Aircall then sends call.commented / call.tagged / call.untagged)', async () => {
    const hook = await client.createWebhook({
      url: `${receiver.url}/hook`,
      events: ['call.commented', 'call.tagged', 'call.untagged'],
      customName: 'CRM bridge',
    });
    expect(hook).toMatchObject({ url: `${receiver.url}/hook`, active: true, custom_name: 'CRM bridge' });
    expect(hook.token.length).toBeGreaterThan(10);
    const { token: _t, ...call } = inboundAnsweredScript({ callId: 7003 });
    await sim.play({ company: DEMO_COMPANY_ID, call });

    await client.addComment(7003, 'Sent the quote');
    await client.addTags(7003, [7, 8]);
    await client.removeTag(7003, 8);
    await client.removeTag(7003, 8); // a retried removal succeeds
    await sim.flush();

    const read = await client.getCall(7003);
    expect(read.comments?.map((c) => [c.content, c.posted_by])).toEqual([['Sent the quote', null]]);
    expect(read.tags?.map((t) => t.id)).toEqual([7]);
    expect(receiver.received.map((r) => r.body.event)).toEqual([
      'call.commented',
      'call.tagged',
      'call.untagged',
    ]);
    expect(receiver.received.every((r) => r.body.token === hook.token)).toBe(true);

    expect((await client.listWebhooks()).map((w) => w.webhook_id)).toEqual([hook.webhook_id]);
    await client.deleteWebhook(hook.webhook_id);
    expect(await client.listWebhooks()).toEqual([]);
  });

  it('finds contacts by E.164, creates and updates them', async () => {
    expect((await client.searchContactsByPhone('+33612345678')).map((c) => c.id)).toEqual([5001]);
    expect(await client.searchContactsByPhone('+33711223344')).toEqual([]);
    const created = await client.createContact({
      first_name: 'Léa',
      last_name: 'Roux',
      phone_numbers: [{ label: 'Mobile', value: '+33 7 11 22 33 44' }],
    });
    expect(created).toMatchObject({
      first_name: 'Léa',
      phone_numbers: [expect.objectContaining({ value: '+33 7 11 22 33 44' })],
    });
    expect((await client.searchContactsByPhone('+33711223344')).map((c) => c.id)).toEqual([created.id]);
    const updated = await client.updateContact(created.id, { company_name: 'Roux & Co' });
    expect(updated).toMatchObject({ id: created.id, last_name: 'Roux', company_name: 'Roux & Co' });
  });
});

describe('AircallClient errors', () => {
  it('maps a wrong key to VendorError 401 Unauthorized, not retried, saying what to do', async () => {
    const bad = new AircallClient({ baseUrl: url, apiId: DEMO_API_KEY.apiId, apiToken: 'wrong' });
    const err = await failure(bad.listNumbers());
    expect(err).toMatchObject({ vendor: 'aircall', status: 401, code: 'Unauthorized' });
    expect(err.message).toContain('API keys');
    expect(decideRetry(err, 1, T0 * 1000)).toMatchObject({ retry: false });
  });

  it('maps 422 with the field Aircall names, and 404 for an unknown call', async () => {
    const { token: _t, ...call } = inboundAnsweredScript({ callId: 7004 });
    await sim.play({ company: DEMO_COMPANY_ID, call });
    const tag = await failure(client.addTags(7004, [99]));
    expect(tag).toMatchObject({ status: 422, code: 'Unprocessable Entity', field: 'tags' });
    expect(tag.message).toContain('Tag 99 does not exist');
    const contact = await failure(client.createContact({ first_name: 'x', phone_numbers: [] }));
    expect(contact).toMatchObject({ status: 422, field: 'phone_numbers' });
    const missing = await failure(client.getCall(123_456));
    expect(missing).toMatchObject({ status: 404, code: 'Not Found' });
    expect(missing.message).toContain('Call not found');
  });

  it('on 429 keeps X-AircallApi-Reset, and decideRetry waits until then', async () => {
    sim.setLimits({ perMinute: 2 });
    await client.listTags();
    sim.clock.advance(15_000);
    await client.listTags();
    const err = await failure(client.listTags());
    expect(err).toMatchObject({ status: 429, code: 'Too Many Requests' });
    expect(err.headers['x-aircallapi-reset']).toBe(String(T0 + 60));
    expect(err.message).toContain(new Date((T0 + 60) * 1000).toISOString());
    const decision = decideRetry(err, 1, sim.clock.now());
    expect(decision).toMatchObject({ retry: true, waitMs: 45_000 });
  });

  it('maps a 5xx and an unreachable host to retried VendorErrors', async () => {
    await fetch(`${url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: '/v1/numbers', status: 503 }),
    });
    const outage = await failure(client.listNumbers());
    expect(outage).toMatchObject({ status: 503, code: 'Service Unavailable' });
    expect(decideRetry(outage, 2, Date.now())).toMatchObject({ retry: true, waitMs: 2_000 });

    const down = new AircallClient({ baseUrl: 'http://127.0.0.1:9', ...DEMO_API_KEY });
    const net = await failure(down.listNumbers());
    expect(net).toMatchObject({ status: 0, code: 'network' });
    expect(decideRetry(net, 1, Date.now()).retry).toBe(true);
  });

  it('refuses a 2xx body it cannot read instead of returning garbage', async () => {
    const fake: typeof fetch = async () =>
      new Response(JSON.stringify({ call: { id: 'nope' } }), { status: 200 });
    const odd = new AircallClient({ baseUrl: 'https://api.aircall.io', ...DEMO_API_KEY, fetch: fake });
    const err = await failure(odd.getCall(1));
    expect(err).toMatchObject({ status: 200, code: 'unexpected_response' });
    expect(decideRetry(err, 1, Date.now()).retry).toBe(false);
  });
});
