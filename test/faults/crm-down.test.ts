/**
 * Issue 8 "Faults": every CRM down for the length of a burst. The company
 * logs to HubSpot, Salesforce and JobAdder; during a burst of calls (with
 * Aircall's re-deliveries, out of order) nothing listens on any CRM's port
 * (connections refused, token endpoints included), then every CRM answers
 * 503. The webhook route still answers 2xx to every valid event (it only
 * stores and queues), nothing is written or lost meanwhile, and once the CRMs
 * are back the backlog drains: each call logged once in each CRM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB } from '../../lib/aircall/scenarios.ts';
import { faultSchema } from '../../sandbox/common/sim.ts';
import { CLAIRE, connectDemoCrm } from '../../sandbox/demo.ts';
import { ADMIN_TOKEN, sandboxUrls, STORES, startWorld, type World } from '../support/world.ts';
import { clearFaults, crmReader, refuseConnections } from './support.ts';

const HOUR = 3_600_000;
const CRMS = ['hubspot', 'salesforce', 'jobadder'] as const;

interface WorkView {
  integrationId: string;
  id: string;
  state: string;
  lastError: string | null;
}

describe.each(STORES)('every CRM down during a burst (%s store)', { timeout: 120_000 }, (store) => {
  let w: World;
  const company = () => w.company.ids.companyId;
  const read = () => crmReader(sandboxUrls(w.sandbox), w.company.ids);
  const simUrl = (crm: (typeof CRMS)[number]) => w.sandbox[crm].url;

  beforeAll(async () => {
    w = await startWorld({ store, n: 86 });
    for (const crm of ['salesforce', 'jobadder'] as const) {
      await connectDemoCrm({
        backendUrl: w.backend.url,
        adminToken: ADMIN_TOKEN,
        urls: sandboxUrls(w.sandbox),
        ids: w.company.ids,
        crm,
        settings: {},
      });
    }
  }, 90_000);
  afterAll(async () => w?.close());

  async function work(): Promise<WorkView[]> {
    const r = await w.admin('GET', `/admin/companies/${company()}/work`);
    return r.json.work as WorkView[];
  }

  /** Calls with Claire, answered by Alice or Bob, in and out: each is logged in all three CRMs. */
  const playCall = (callId: number, i: number) =>
    w.play({
      call: {
        callId,
        direction: i % 2 === 0 ? 'inbound' : 'outbound',
        external: CLAIRE.e164,
        answerAfter: 2 + (i % 4),
        talk: 20 + i,
        user: i % 3 === 0 ? BOB : ALICE,
      },
      duplicates: 2,
      shuffle: i + 1,
    });

  it('GEN-IDEM-1: the webhook route answers 2xx to every event while the CRMs refuse connections, then answer 503; the backlog drains once, after', async () => {
    const deliveredBefore = w.sandbox.aircall.sim.deliveries.length;
    const calls = Array.from({ length: 10 }, (_, i) => 8601 + i);

    // Nothing listens on any CRM's port for the length of the burst.
    const down = CRMS.map((crm) => refuseConnections(w.sandbox[crm].sim.app.server, simUrl(crm)));
    try {
      await Promise.all(calls.slice(0, 8).map((id, i) => playCall(id, i)));
      await w.sandbox.aircall.sim.flush();
      await w.settle();
      const items = await work();
      // One work item per call and CRM, none done, each waiting with the reason.
      expect(items).toHaveLength(8 * CRMS.length);
      for (const x of items) {
        expect(x.state, JSON.stringify(x)).toBe('pending');
        expect(x.lastError).toMatch(/unavailable \(no answer\).*could not be reached/);
      }
    } finally {
      // The CRMs come back on the network answering 503 to everything, token endpoints
      // included (the fault is in place before they listen: no request slips through).
      for (const crm of CRMS) w.sandbox[crm].sim.faults.push(faultSchema.parse({ status: 503, count: 1e6 }));
      for (const d of down) await d.restore();
    }

    await Promise.all(calls.slice(8).map((id, i) => playCall(id, 8 + i)));
    await w.sandbox.aircall.sim.flush();
    await w.advance(HOUR);
    await w.settle();
    for (const x of await work()) {
      expect(x.state, JSON.stringify(x)).toBe('pending');
      expect(x.lastError).toMatch(/\(503\)/);
    }
    const connections = await w.admin('GET', `/admin/companies/${company()}/connections`);
    for (const c of connections.json.connections as { status: string }[]) expect(c.status).toBe('ok');

    // Every event of the burst, re-deliveries included, was acknowledged at the first attempt.
    const deliveries = w.sandbox.aircall.sim.deliveries
      .slice(deliveredBefore)
      .filter((d) => d.company === w.company.ids.aircallCompanyId);
    expect(deliveries.length).toBeGreaterThan(calls.length * 4);
    expect(deliveries.filter((d) => !d.ok || d.status < 200 || d.status >= 300)).toEqual([]);
    expect(new Set(deliveries.map((d) => d.callId))).toEqual(new Set(calls));

    // The CRMs recover: within two hours of backoff (at most an hour a step) the backlog drains.
    for (const crm of CRMS) await clearFaults(simUrl(crm));
    for (let h = 0; h < 3; h++) {
      await w.advance(HOUR);
      await w.settle(30_000);
      if ((await work()).every((x) => x.state === 'done')) break;
    }
    expect((await work()).filter((x) => x.state !== 'done')).toEqual([]);
    for (const id of calls) {
      expect(await read().hubspot(id), `HubSpot, call ${id}`).toHaveLength(1);
      expect(await read().salesforce(id), `Salesforce, call ${id}`).toHaveLength(1);
      expect(await read().jobadder(id), `JobAdder, call ${id}`).toHaveLength(1);
    }
  });
});
