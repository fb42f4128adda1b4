/**
 * Issue 8 "CRM requests per logged call" on HubSpot: the work items of one
 * integration that run at once share its adapter, which sends their contact
 * lookups as one search (`IN`), their creates as one `batch/create` per
 * object type (associations inline, a trace id per input) and their updates
 * as one `batch/update` (lib/http/micro-batch.ts). Counted by the HubSpot
 * simulator's request log; every call still ends up logged once, on its own
 * contact (GEN-IDEM-1), and an input HubSpot refuses fails alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB } from '../lib/aircall/scenarios.ts';
import { KEY_PROPERTY } from '../lib/crm/hubspot/adapter.ts';
import { HUBSPOT_OWNERS } from '../sandbox/demo.ts';
import { STORES, startWorld, type World } from './support/world.ts';

interface Logged {
  method: string;
  path: string;
  status: number;
}

describe.each(STORES)('HubSpot batching (%s store)', { timeout: 120_000 }, (store) => {
  let w: World;
  let companyId: string;
  let portalId: number;

  beforeAll(async () => {
    w = await startWorld({ store, n: 90, settings: { createContacts: true } });
    companyId = w.company.ids.companyId;
    portalId = w.company.ids.portalId;
  }, 90_000);
  afterAll(async () => w?.close());

  async function requests(): Promise<Logged[]> {
    const res = await fetch(`${w.sandbox.hubspot.url}/_sandbox/requests?account=${portalId}`);
    return ((await res.json()) as { requests: Logged[] }).requests;
  }

  /** Plays the calls at once (each with a re-delivered event, shuffled) and waits until all are processed. */
  async function burst(
    calls: { callId: number; external: string; user?: typeof ALICE }[],
  ): Promise<Logged[]> {
    const from = (await requests()).length;
    await Promise.all(
      calls.map((c) =>
        w.play({
          call: {
            callId: c.callId,
            direction: 'inbound',
            external: c.external,
            answerAfter: 5,
            talk: 60,
            user: c.user ?? ALICE,
          },
          duplicates: 1,
          shuffle: c.callId,
        }),
      ),
    );
    await w.settle(60_000);
    return (await requests()).slice(from);
  }

  const keyOf = (callId: number) => `${companyId}:hubspot/call/${callId}/activity`;

  /** The HubSpot calls carrying these calls' idempotency keys, read back through HubSpot's search. */
  async function loggedCalls(callIds: number[]): Promise<{ id: string; key: string }[]> {
    const r = await w.hubspot('POST', '/crm/v3/objects/calls/search', {
      filterGroups: [
        { filters: [{ propertyName: KEY_PROPERTY, operator: 'IN', values: callIds.map(keyOf) }] },
      ],
      properties: [KEY_PROPERTY],
      limit: 200,
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json.results as { id: string; properties: Record<string, string> }[]).map((x) => ({
      id: x.id,
      key: x.properties[KEY_PROPERTY] ?? '',
    }));
  }

  async function contactsOfCall(callId: string): Promise<string[]> {
    const r = await w.hubspot('GET', `/crm/v4/objects/calls/${callId}/associations/contacts`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return (r.json.results as { toObjectId: number | string }[]).map((a) => String(a.toObjectId));
  }

  it('issue 8: a burst of 30 calls from new callers costs a fraction of a request per call, and each is logged once on its own new contact', async () => {
    // One call first: the integration's adapter exists (built once) and has read the portal's owners.
    await burst([{ callId: 8999, external: '+33619009999' }]);
    const calls = Array.from({ length: 30 }, (_, i) => ({
      callId: 9000 + i,
      external: `+3361900${String(i).padStart(4, '0')}`,
    }));
    const spent = await burst(calls);
    const per = (test: (r: Logged) => boolean) => spent.filter(test).length / calls.length;
    const isSearch = (r: Logged) => r.path.endsWith('/search');
    const writes = per((r) => r.method !== 'GET' && !isSearch(r));
    const searches = per(isSearch);
    console.log(`[${store}] HubSpot requests per call over a burst of ${calls.length}:`, {
      writes,
      searches,
      total: spent.length / calls.length,
      byPath: Object.fromEntries(
        [...new Set(spent.map((r) => `${r.method} ${r.path.replace(/\d+/g, '{n}')}`))].map((k) => [
          k,
          spent.filter((r) => `${r.method} ${r.path.replace(/\d+/g, '{n}')}` === k).length,
        ]),
      ),
    });
    // Unbatched, each call is a search, a contact create and a call create (3 requests).
    expect(writes).toBeLessThanOrEqual(1.2);
    expect(searches).toBeLessThanOrEqual(1.0);
    expect(writes + searches).toBeLessThan(1.5);
    expect(spent.some((r) => r.path === '/crm/v3/objects/calls/batch/create' && r.status === 201)).toBe(true);
    expect(spent.some((r) => r.path === '/crm/v3/objects/contacts/batch/create')).toBe(true);
    expect(spent.filter((r) => r.status >= 400)).toEqual([]);

    // GEN-IDEM-1: one HubSpot call per Aircall call, on the contact created for its number, one contact per number.
    const logged = await loggedCalls(calls.map((c) => c.callId));
    expect(logged.map((l) => l.key).sort()).toEqual(calls.map((c) => keyOf(c.callId)).sort());
    const contacts = await w.hubspot('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [
        { filters: [{ propertyName: 'phone', operator: 'IN', values: calls.map((c) => c.external) }] },
      ],
      properties: ['phone'],
      limit: 200,
    });
    const byPhone = new Map(
      (contacts.json.results as { id: string; properties: { phone: string } }[]).map((c) => [
        c.properties.phone,
        c.id,
      ]),
    );
    expect((contacts.json.results as unknown[]).length).toBe(calls.length);
    for (const c of calls) {
      const call = logged.find((l) => l.key === keyOf(c.callId));
      expect(await contactsOfCall(call?.id ?? ''), `call ${c.callId}`).toEqual([byPhone.get(c.external)]);
    }
  });

  it('issue 8: one call HubSpot refuses in a batch create fails alone, with its own error; the others of the batch are logged', async () => {
    const known = await w.seedHubspot({
      objects: {
        contacts: [{ properties: { firstname: 'Lena', phone: '+33640009001', hubspot_owner_id: '9001' } }],
      },
    });
    expect(known.status).toBe(200);
    // Warm the adapter's owners (cached 5 minutes): Bob is an owner then.
    await burst([{ callId: 9100, external: '+33640009001' }]);
    // Bob's HubSpot user is removed; the cached owners still name him, so his call's create is refused.
    const bob = HUBSPOT_OWNERS.find((o) => o.email === BOB.email);
    expect((await w.seedHubspot({ owners: [{ ...bob, archived: true }] })).status).toBe(200);
    // The number's cached lookup expires; the next lookup is slow, so every call of the burst waits for
    // it and their creates leave together, in one batch.
    await w.advance(61_000);
    const fault = await fetch(`${w.sandbox.hubspot.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: '/crm/v3/objects/contacts/search', latencyMs: 1_500, count: 1 }),
    });
    expect(fault.status).toBe(200);
    const calls = Array.from({ length: 8 }, (_, i) => ({
      callId: 9101 + i,
      external: '+33640009001',
      user: i === 3 ? BOB : ALICE,
    }));
    const spent = await burst(calls);

    const batches = spent.filter((r) => r.path === '/crm/v3/objects/calls/batch/create');
    expect(batches.map((r) => r.status)).toContain(207);
    const work = await w.admin('GET', `/admin/companies/${companyId}/work`);
    const items = (work.json.work as { id: string; state: string; lastError: string | null }[]).filter((x) =>
      calls.some((c) => String(c.callId) === x.id),
    );
    const failed = items.filter((x) => x.state === 'failed');
    expect(failed.map((x) => x.id)).toEqual(['9104']);
    expect(failed[0]?.lastError).toMatch(/hubspot_owner_id|INVALID_OWNER_ID/);
    expect(
      items
        .filter((x) => x.state === 'done')
        .map((x) => x.id)
        .sort(),
    ).toEqual(calls.filter((c) => c.callId !== 9104).map((c) => String(c.callId)));
    const logged = await loggedCalls(calls.map((c) => c.callId));
    expect(logged.map((l) => l.key).sort()).toEqual(
      calls
        .filter((c) => c.callId !== 9104)
        .map((c) => keyOf(c.callId))
        .sort(),
    );
  });
});
