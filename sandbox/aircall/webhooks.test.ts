/**
 * Webhook delivery (API-CONTRACTS 1.3): events triggered through the API
 * reach a real local receiver with the webhook's token and the whole call;
 * failures (non-2xx, timeouts) are retried with backoff; consecutive
 * failures deactivate the webhook, and a later success re-enables it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseWebhook } from '../../lib/aircall/webhook.ts';
import { DEMO_API_KEY, DEMO_COMPANY_ID, demoSeed } from './demo-seed.ts';
import { startWebhookReceiver, type WebhookReceiver } from './receiver.ts';
import { type AircallSimulator, startAircallSimulator } from './server.ts';

let url: string;
let sim: AircallSimulator;
let close: () => Promise<void>;
let receiver: WebhookReceiver;

const auth = `Basic ${Buffer.from(`${DEMO_API_KEY.apiId}:${DEMO_API_KEY.apiToken}`).toString('base64')}`;

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function subscribe(
  events?: string[],
  path = '/aircall',
): Promise<{ webhook_id: string; token: string }> {
  const res = await call('POST', '/v1/webhooks', {
    url: `${receiver.url}${path}`,
    custom_name: 'test',
    events,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { webhook: { webhook_id: string; token: string } }).webhook;
}

const T0 = 1_790_000_000;

beforeAll(async () => {
  ({ url, sim, close } = await startAircallSimulator({ delivery: { baseDelayMs: 20, timeoutMs: 300 } }));
});
afterAll(async () => {
  await close();
  await receiver.close();
});
beforeEach(async () => {
  await receiver?.close();
  receiver = await startWebhookReceiver();
  await fetch(`${url}/_sandbox/reset`, { method: 'POST' });
  sim.setLimits({ webhookRetryBaseMs: 20, webhookTimeoutMs: 300 });
  sim.clock.set(T0 * 1000, true);
  sim.seed(demoSeed());
  sim.seed({
    companies: [{ id: DEMO_COMPANY_ID, calls: [{ id: 4001, direction: 'inbound', started_at: T0 - 300 }] }],
  });
});

describe('events from API writes', () => {
  it('sends call.commented, call.tagged and call.untagged with the whole call and the webhook token', async () => {
    const hook = await subscribe(['call.commented', 'call.tagged', 'call.untagged']);
    const other = await subscribe(['call.ended'], '/ended-only');

    expect((await call('POST', '/v1/calls/4001/comments', { content: 'Needs a quote' })).status).toBe(201);
    expect((await call('POST', '/v1/calls/4001/tags', { tags: [7] })).status).toBe(201);
    expect((await call('DELETE', '/v1/calls/4001/tags/7')).status).toBe(204);
    await sim.flush();

    const got = receiver.received.map((r) => r.body);
    expect(got.map((b) => b.event).sort()).toEqual(['call.commented', 'call.tagged', 'call.untagged']);
    expect(receiver.received.every((r) => r.path === '/aircall')).toBe(true);
    for (const body of got) {
      expect(body).toMatchObject({ resource: 'call', timestamp: T0, token: hook.token });
      const parsed = parseWebhook(body);
      expect(parsed.ok).toBe(true);
    }
    const commented = got.find((b) => b.event === 'call.commented')?.data as Record<string, unknown>;
    expect(commented).toMatchObject({ id: 4001, comments: [{ content: 'Needs a quote', posted_by: null }] });
    const tagged = got.find((b) => b.event === 'call.tagged')?.data as Record<string, unknown>;
    expect(tagged.tags).toEqual([expect.objectContaining({ id: 7, name: 'Hot lead' })]);
    const untagged = got.find((b) => b.event === 'call.untagged')?.data as Record<string, unknown>;
    expect(untagged.tags).toEqual([]);

    const deliveries = (await (
      await fetch(`${url}/_sandbox/deliveries?company=${DEMO_COMPANY_ID}`)
    ).json()) as {
      deliveries: { webhookId: string; event: string; callId: number; status: number; attempt: number }[];
    };
    expect(deliveries.deliveries).toHaveLength(3);
    expect(deliveries.deliveries.every((d) => d.webhookId === hook.webhook_id && d.callId === 4001)).toBe(
      true,
    );
    expect(deliveries.deliveries.some((d) => d.webhookId === other.webhook_id)).toBe(false);
  });

  it('sends contact.created to a webhook subscribed to every event', async () => {
    await subscribe();
    await call('POST', '/v1/contacts', {
      first_name: 'Léa',
      phone_numbers: [{ label: 'Mobile', value: '+33711223344' }],
    });
    await sim.flush();
    expect(receiver.received.map((r) => r.body.event)).toEqual(['contact.created']);
    expect((receiver.received[0]?.body.data as Record<string, unknown>).first_name).toBe('Léa');
  });
});

describe('retries and deactivation', () => {
  it('retries a 500 with backoff until the receiver accepts', async () => {
    const hook = await subscribe(['call.commented']);
    receiver.respondWith(500, 503);
    const started = Date.now();
    await call('POST', '/v1/calls/4001/comments', { content: 'retry me' });
    await sim.flush();
    const attempts = sim.deliveries.map((d) => ({ attempt: d.attempt, status: d.status, ok: d.ok }));
    expect(attempts).toEqual([
      { attempt: 1, status: 500, ok: false },
      { attempt: 2, status: 503, ok: false },
      { attempt: 3, status: 200, ok: true },
    ]);
    // 20 ms then 40 ms of backoff before the third attempt.
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(receiver.received.every((r) => r.body.token === hook.token)).toBe(true);
    expect(sim.company(DEMO_COMPANY_ID)?.webhooks.get(hook.webhook_id)?.active).toBe(true);
  });

  it('counts a receiver that does not answer within the timeout as a failure', async () => {
    await subscribe(['call.commented']);
    receiver.hang(600);
    await call('POST', '/v1/calls/4001/comments', { content: 'slow' });
    await sim.flush();
    expect(sim.deliveries[0]).toMatchObject({
      attempt: 1,
      status: 0,
      ok: false,
      error: 'no answer within 300 ms',
    });
    expect(sim.deliveries.at(-1)).toMatchObject({ attempt: 2, status: 200, ok: true });
  });

  it('deactivates a webhook after the configured consecutive failures; new events then skip it', async () => {
    sim.setLimits({ webhookMaxAttempts: 3, webhookDeactivateAfter: 3 });
    const hook = await subscribe(['call.commented', 'call.tagged']);
    receiver.respondWith(500, 500, 500);
    await call('POST', '/v1/calls/4001/comments', { content: 'lost' });
    await sim.flush();
    expect(sim.deliveries.map((d) => d.status)).toEqual([500, 500, 500]);
    const listed = (await (await call('GET', '/v1/webhooks')).json()) as { webhooks: { active: boolean }[] };
    expect(listed.webhooks[0]?.active).toBe(false);

    await call('POST', '/v1/calls/4001/tags', { tags: [8] });
    await sim.flush();
    expect(sim.deliveries).toHaveLength(3);
    expect(receiver.received).toHaveLength(3);
    expect(sim.company(DEMO_COMPANY_ID)?.webhooks.get(hook.webhook_id)?.consecutiveFailures).toBe(3);
  });

  it('re-enables a deactivated webhook when a retry under way succeeds', async () => {
    sim.setLimits({ webhookMaxAttempts: 5, webhookDeactivateAfter: 2 });
    const hook = await subscribe(['call.commented']);
    receiver.respondWith(500, 500);
    await call('POST', '/v1/calls/4001/comments', { content: 'late' });
    await sim.flush();
    expect(sim.deliveries.map((d) => d.ok)).toEqual([false, false, true]);
    const webhook = sim.company(DEMO_COMPANY_ID)?.webhooks.get(hook.webhook_id);
    expect(webhook).toMatchObject({ active: true, consecutiveFailures: 0 });
  });

  it('stops retrying for a webhook deleted meanwhile', async () => {
    sim.setLimits({ webhookRetryBaseMs: 50 });
    const hook = await subscribe(['call.commented']);
    receiver.respondWith(500, 500, 500);
    await call('POST', '/v1/calls/4001/comments', { content: 'gone' });
    await new Promise((r) => setTimeout(r, 10));
    expect((await call('DELETE', `/v1/webhooks/${hook.webhook_id}`)).status).toBe(204);
    await sim.flush();
    expect(sim.deliveries.length).toBeLessThanOrEqual(2);
  });
});
