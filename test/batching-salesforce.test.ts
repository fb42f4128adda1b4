/**
 * Issue 8 "CRM requests per logged call" on Salesforce: the work items of one
 * integration that run at once share its adapter, which sends their phone
 * lookups as one SOSL (`FIND {n1 OR n2 ...}`, each number given its own
 * records), their keyed creates as one sObject Collections upsert per object
 * (`PATCH /composite/sobjects/{T}/Aircall_Bridge_Key__c`, allOrNone false)
 * and their updates as one `PATCH /composite/sobjects` (lib/http/micro-batch.ts).
 * Counted by the Salesforce simulator's request log; every call still ends up
 * with one Task, on its own record (GEN-IDEM-1), and a record Salesforce
 * refuses in a collection fails alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB } from '../lib/aircall/scenarios.ts';
import { STORES } from './support/world.ts';
import { type SalesforceWorld, salesforceWorld } from './support/salesforce.ts';

interface Logged {
  method: string;
  path: string;
  status: number;
}

const V = '/services/data/v60.0';

describe.each(STORES)('Salesforce batching (%s store)', { timeout: 120_000 }, (store) => {
  let s: SalesforceWorld;

  beforeAll(async () => {
    s = await salesforceWorld({ store, n: 91 });
    await s.settings({ newRecord: 'contact' });
  }, 90_000);
  afterAll(async () => s?.w.close());

  /** Plays the calls at once (each with a re-delivered event, shuffled) and waits until all are processed. */
  async function burst(
    calls: { callId: number; external: string; user?: typeof ALICE }[],
  ): Promise<Logged[]> {
    const from = (await s.requests()).length;
    await Promise.all(
      calls.map((c) =>
        s.w.play({
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
    await s.settled(60_000);
    return (await s.requests()).slice(from);
  }

  it('issue 8: a burst of 30 calls from new callers costs a fraction of a request per call, and each call has one Task on its own new Contact', async () => {
    // One call first: the integration's adapter exists (built once) and has read the org's facts.
    await burst([{ callId: 9199, external: '+33619109999' }]);
    const calls = Array.from({ length: 30 }, (_, i) => ({
      callId: 9200 + i,
      external: `+3361910${String(i).padStart(4, '0')}`,
    }));
    const spent = await burst(calls);
    const shape = (r: Logged) => `${r.method} ${r.path.replace(V, '').replace(/\/[0-9a-f]{32}$/, '/{key}')}`;
    console.log(`[${store}] Salesforce requests per call over a burst of ${calls.length}:`, {
      total: spent.length / calls.length,
      byPath: Object.fromEntries(
        [...new Set(spent.map(shape))].map((k) => [k, spent.filter((r) => shape(r) === k).length]),
      ),
    });
    // Unbatched, each call is a SOSL, a Contact upsert and a Task upsert (3 requests, more with updates).
    expect(spent.length / calls.length).toBeLessThan(1);
    expect(spent.some((r) => r.path === `${V}/composite/sobjects/Task/Aircall_Bridge_Key__c`)).toBe(true);
    expect(spent.some((r) => r.path === `${V}/composite/sobjects/Contact/Aircall_Bridge_Key__c`)).toBe(true);
    expect(spent.filter((r) => r.status >= 400)).toEqual([]);

    // GEN-IDEM-1: one Task per call, on the Contact made for its number; one Contact per number.
    const contacts = await s.soql(
      `SELECT Id, Phone FROM Contact WHERE Phone IN (${calls.map((c) => `'${c.external}'`).join(', ')})`,
    );
    expect(contacts).toHaveLength(calls.length);
    const byPhone = new Map(contacts.map((c) => [c.Phone, String(c.Id)]));
    const tasks = await s.soql(
      `SELECT Id, CallObject, WhoId FROM Task WHERE CallObject IN (${calls.map((c) => `'${c.callId}'`).join(', ')})`,
    );
    expect(tasks).toHaveLength(calls.length);
    for (const c of calls) {
      const task = tasks.find((t) => t.CallObject === String(c.callId));
      expect(task?.WhoId, `call ${c.callId}`).toBe(byPhone.get(c.external));
    }
  });

  it('issue 8: known callers share one SOSL; each call is on the record holding its own number', async () => {
    // Five known numbers, two stored in national format (GEN-PHONE-1), one on a Lead (SF-MATCH-1).
    const numbers = ['+33640009101', '+33640009102', '+33640009103', '+33640009104', '+33640009105'];
    const ids = await s.seed({
      records: {
        Contact: [
          { LastName: 'One', Phone: numbers[0], OwnerId: s.sf.alice },
          { LastName: 'Two', MobilePhone: '06 40 00 91 02', OwnerId: s.sf.alice },
          { LastName: 'Three', Phone: '06 40 00 91 03', OwnerId: s.sf.alice },
          { LastName: 'Four', HomePhone: numbers[3], OwnerId: s.sf.alice },
        ],
        Lead: [{ LastName: 'Five', Company: 'Acme', Phone: numbers[4], OwnerId: s.sf.alice }],
      },
    });
    const expected = [...(ids.Contact ?? []), ...(ids.Lead ?? [])];
    // The first lookup is slow: every call of the burst waits for the batch and they go together.
    const fault = await fetch(`${s.w.sandbox.salesforce.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: `${V}/search`, latencyMs: 1_000, count: 1 }),
    });
    expect(fault.status).toBe(200);
    const calls = numbers.flatMap((external, i) => [
      { callId: 9300 + 2 * i, external },
      { callId: 9301 + 2 * i, external },
    ]);
    const spent = await burst(calls);
    expect(spent.filter((r) => r.path === `${V}/search`).length).toBeLessThan(numbers.length);
    const tasks = await s.soql(
      `SELECT CallObject, WhoId FROM Task WHERE CallObject IN (${calls.map((c) => `'${c.callId}'`).join(', ')})`,
    );
    expect(tasks).toHaveLength(calls.length);
    calls.forEach((c, i) => {
      const task = tasks.find((t) => t.CallObject === String(c.callId));
      expect(task?.WhoId, `call ${c.callId} from ${c.external}`).toBe(expected[Math.floor(i / 2)]);
    });
  });

  it('issue 8: one Task Salesforce refuses in a collection fails alone, with its own error; the others are logged', async () => {
    const known = await s.record('Contact', { LastName: 'Lena', Phone: '+33640009201', OwnerId: s.sf.alice });
    // Warm the adapter's org facts (users, cached 5 minutes): Bob is active then.
    await burst([{ callId: 9400, external: '+33640009201' }]);
    // Bob is deactivated; the cached users still have him, so the Task of his call names an inactive owner.
    await s.seed({ users: [{ Id: s.sf.bob, IsActive: false }] });
    // The number's cached lookup expires; the next one is slow, so the burst's Task upserts leave together.
    await s.w.advance(61_000);
    const fault = await fetch(`${s.w.sandbox.salesforce.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pathPrefix: `${V}/search`, latencyMs: 1_500, count: 1 }),
    });
    expect(fault.status).toBe(200);
    const calls = Array.from({ length: 8 }, (_, i) => ({
      callId: 9401 + i,
      external: '+33640009201',
      user: i === 3 ? BOB : ALICE,
    }));
    const spent = await burst(calls);

    expect(spent.some((r) => r.path === `${V}/composite/sobjects/Task/Aircall_Bridge_Key__c`)).toBe(true);
    const work = await s.w.admin('GET', `/admin/companies/${s.companyId}/work`);
    const items = (work.json.work as { id: string; state: string; lastError: string | null }[]).filter((x) =>
      calls.some((c) => String(c.callId) === x.id),
    );
    const failed = items.filter((x) => x.state === 'failed');
    expect(failed.map((x) => x.id)).toEqual(['9404']);
    expect(failed[0]?.lastError).toMatch(/sObject Collections.*INACTIVE_OWNER_OR_USER/);
    const tasks = await s.soql(
      `SELECT CallObject, WhoId FROM Task WHERE CallObject IN (${calls.map((c) => `'${c.callId}'`).join(', ')})`,
    );
    expect(tasks.map((t) => t.CallObject).sort()).toEqual(
      calls.filter((c) => c.callId !== 9404).map((c) => String(c.callId)),
    );
    expect(tasks.every((t) => t.WhoId === known)).toBe(true);
  });
});
