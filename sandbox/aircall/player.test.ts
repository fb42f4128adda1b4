/**
 * The scenario player (API-CONTRACTS 5.4; GEN-IDEM-1 needs these inputs):
 * scripted calls and messages become Aircall webhooks at a real receiver,
 * with re-deliveries and a seeded shuffle on request, and the played call is
 * readable and writable through the REST API afterwards.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, callWebhooks, inboundAnsweredScript } from '../../lib/aircall/scenarios.ts';
import { parseWebhook } from '../../lib/aircall/webhook.ts';
import { DEMO_API_KEY, DEMO_COMPANY_ID, demoSeed } from './demo-seed.ts';
import { SCENARIO_NAMES } from './named-scenarios.ts';
import { arrange, seededRandom } from './player.ts';
import { startWebhookReceiver, type WebhookReceiver } from './receiver.ts';
import { type AircallSimulator, startAircallSimulator } from './server.ts';

let url: string;
let sim: AircallSimulator;
let close: () => Promise<void>;
let receiver: WebhookReceiver;
let token: string;

const auth = `Basic ${Buffer.from(`${DEMO_API_KEY.apiId}:${DEMO_API_KEY.apiToken}`).toString('base64')}`;
const NOW = 1_790_000_000_000;

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
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
  sim.clock.set(NOW, true);
  sim.seed(demoSeed());
  const created = await post('/v1/webhooks', { url: `${receiver.url}/hook`, custom_name: 'backend' });
  token = (created.json.webhook as { token: string }).token;
});

describe('playing a scripted call', () => {
  it('delivers every event in order, each with the webhook token, and stores the call for the API', async () => {
    const script = inboundAnsweredScript({
      callId: 8001,
      startedAt: NOW / 1000 - 600,
      tags: [{ id: 7, name: 'Hot lead' }],
      comments: [{ id: 1, content: 'Wants a quote', by: ALICE }],
      summary: 'The caller wants a quote for 12 seats.',
    });
    const { token: _scriptToken, ...call } = script;
    const res = await post('/_sandbox/scenarios/play', { company: DEMO_COMPANY_ID, call });
    expect(res.status).toBe(200);
    const expected = callWebhooks(script).map((e) => e.event);
    expect(res.json).toMatchObject({ callId: 8001, events: expected.length, sent: expected });

    expect(receiver.received.map((r) => r.body.event)).toEqual(expected);
    for (const r of receiver.received) {
      expect(r.body.token).toBe(token);
      expect(parseWebhook(r.body).ok).toBe(true);
    }
    // Claire Dupont is a seeded Aircall contact with the caller's number: Aircall attaches her.
    const callEvents = receiver.received.filter((r) => r.body.resource === 'call');
    expect(callEvents.length).toBe(expected.length - 1);
    for (const r of callEvents)
      expect((r.body.data as Record<string, unknown>).contact).toMatchObject({ id: 5001 });

    const got = (await (
      await fetch(`${url}/v1/calls/8001`, { headers: { authorization: auth } })
    ).json()) as {
      call: Record<string, unknown>;
    };
    expect(got.call).toMatchObject({
      id: 8001,
      status: 'done',
      direction: 'inbound',
      user: { id: ALICE.id },
    });
    expect(got.call.tags).toEqual([{ id: 7, name: 'Hot lead' }]);
    const summary = await fetch(`${url}/v1/calls/8001/summary`, { headers: { authorization: auth } });
    expect(await summary.json()).toEqual({
      summary: { call_id: 8001, content: 'The caller wants a quote for 12 seats.' },
    });

    receiver.received.length = 0;
    expect((await post('/v1/calls/8001/comments', { content: 'Called back' })).status).toBe(201);
    await sim.flush();
    const commented = receiver.received[0]?.body.data as { comments: { content: string }[] };
    expect(commented.comments.map((c) => c.content)).toEqual(['Wants a quote', 'Called back']);
  });

  it('with duplicates and a seeded shuffle, still delivers every distinct event, in a replayable order', async () => {
    const { token: _t, ...call } = inboundAnsweredScript({ callId: 8002, startedAt: NOW / 1000 - 600 });
    const distinct = callWebhooks({ ...call, token: 'x' }).map((e) => e.event);
    const first = await sim.play({ company: DEMO_COMPANY_ID, call, duplicates: 5, shuffle: 1234 });
    expect(first.events).toBe(distinct.length);
    expect(first.sent).toHaveLength(distinct.length + 5);
    expect(first.seed).toBe(1234);
    expect(first.sent).not.toEqual([...distinct, ...Array(5)].slice(0, first.sent.length));
    const received = receiver.received.map((r) => `${String(r.body.event)}@${String(r.body.timestamp)}`);
    expect(received).toHaveLength(distinct.length + 5);
    expect(new Set(receiver.received.map((r) => r.body.event))).toEqual(new Set(distinct));
    expect(new Set(received).size).toBe(distinct.length);
    expect(first.deliveries.every((d) => d.ok)).toBe(true);

    const again = await sim.play({ company: DEMO_COMPANY_ID, call, duplicates: 5, shuffle: 1234 });
    expect(again.sent).toEqual(first.sent);
  });

  it('keeps originals before their re-deliveries when not shuffled', () => {
    const items = ['a', 'b', 'c', 'd'];
    for (let seed = 0; seed < 50; seed++) {
      const out = arrange(items, 3, false, seededRandom(seed));
      expect(out).toHaveLength(7);
      expect(out.filter((x, i) => out.indexOf(x) === i)).toEqual(items);
    }
  });

  it('spaces events when asked', async () => {
    const started = Date.now();
    await sim.play({ company: DEMO_COMPANY_ID, scenario: 'outbound-unanswered', spacingMs: 25 });
    expect(receiver.received.length).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25 * (receiver.received.length - 1));
  });
});

describe('named scenarios', () => {
  it('lists the eight scenarios', async () => {
    const body = (await (await fetch(`${url}/_sandbox/scenarios`)).json()) as {
      scenarios: { name: string }[];
    };
    expect(body.scenarios.map((s) => s.name)).toEqual([...SCENARIO_NAMES]);
  });

  it.each(SCENARIO_NAMES)(
    '%s plays with the company’s own number and users, and every event parses',
    async (name) => {
      const res = await post('/_sandbox/scenarios/play', {
        company: DEMO_COMPANY_ID,
        scenario: name,
        external: '+33 6 12 34 56 78',
        callId: 9100,
      });
      expect(res.status).toBe(200);
      expect(receiver.received.length).toBe(res.json.events);
      for (const r of receiver.received) {
        const parsed = parseWebhook(r.body);
        expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
        const data = r.body.data as { number?: { id: number; open?: boolean }; timestamp?: number };
        expect(data.number?.id).toBe(1);
        expect(Number(r.body.timestamp)).toBeLessThanOrEqual(NOW / 1000);
      }
      if (name.startsWith('sms')) {
        expect(res.json.messageId).toEqual(expect.any(String));
        expect(sim.company(DEMO_COMPANY_ID)?.messages.size).toBe(1);
      } else {
        expect(res.json.callId).toBe(9100);
        expect(sim.company(DEMO_COMPANY_ID)?.calls.get(9100)).toMatchObject({ id: 9100, status: 'done' });
      }
      if (name === 'transfer') {
        const last = receiver.received.at(-1)?.body.data as Record<string, { id: number }>;
        expect(last.transferred_to?.id).toBe(12);
      }
    },
  );

  it('refuses a transfer without two users, and an unknown company', async () => {
    sim.seed({
      companies: [
        {
          id: 50,
          numbers: [
            { id: 3, name: 'US', digits: '+1 415 555 0100', country: 'US', time_zone: 'America/Los_Angeles' },
          ],
          users: [{ id: 1, name: 'Solo', email: 'solo@example.com' }],
        },
      ],
    });
    const transfer = await post('/_sandbox/scenarios/play', { company: 50, scenario: 'transfer' });
    expect(transfer.status).toBe(400);
    expect(transfer.json.troubleshoot).toContain('needs 2 seeded user(s)');
    expect((await post('/_sandbox/scenarios/play', { company: 999, scenario: 'transfer' })).status).toBe(404);
    expect((await post('/_sandbox/scenarios/play', { company: 50 })).status).toBe(400);
  });

  it('plays from the command line (node sandbox/aircall/play.ts)', async () => {
    const cli = fileURLToPath(new URL('./play.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [
      cli,
      url,
      String(DEMO_COMPANY_ID),
      'missed-voicemail',
      '+33 6 12 34 56 78',
    ]);
    const out = JSON.parse(stdout) as { scenario: string; events: number };
    expect(out.scenario).toBe('missed-voicemail');
    expect(receiver.received.map((r) => r.body.event)).toContain('call.voicemail_left');
    expect(receiver.received).toHaveLength(out.events);
  });
});
