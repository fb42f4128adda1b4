/**
 * Issue 8 "Faults", OAuth: 50 workers logging a burst of calls for one
 * company while its access token expires make exactly one refresh call
 * (counted in the simulator's request log of the token endpoint), on HubSpot
 * (tokens live 30 minutes: its clock moves past them) and Salesforce (the
 * org's sessions end: 401 INVALID_SESSION_ID). And only a refused refresh
 * token (`invalid_grant`; HubSpot's BAD_REFRESH_TOKEN) marks a connection as
 * needing reconnection: a 5xx, a refused connection or a refused client id
 * on the token endpoint are retried, and the calls are logged once after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import { CLAIRE, connectDemoCrm } from '../../sandbox/demo.ts';
import { ADMIN_TOKEN, sandboxUrls, STORES, startWorld, type World } from '../support/world.ts';
import { waitFor } from '../support/wait.ts';
import { clearFaults, crmReader, fault, http, refuseConnections, requestLog } from './support.ts';

const BURST = 50;
const HUBSPOT_TOKEN = '/oauth/v1/token';
const SALESFORCE_TOKEN = '/services/oauth2/token';

interface WorkView {
  integrationId: string;
  id: string;
  state: string;
  lastError: string | null;
}

describe.each(STORES)('OAuth under load and faults (%s store)', { timeout: 120_000 }, (store) => {
  let w: World;
  const company = () => w.company.ids.companyId;
  const read = () => crmReader(sandboxUrls(w.sandbox), w.company.ids);

  beforeAll(async () => {
    w = await startWorld({ store, n: 88, env: { WORKERS: String(BURST) } });
    await connectDemoCrm({
      backendUrl: w.backend.url,
      adminToken: ADMIN_TOKEN,
      urls: sandboxUrls(w.sandbox),
      ids: w.company.ids,
      crm: 'salesforce',
      settings: {},
    });
  }, 90_000);
  afterAll(async () => w?.close());

  async function play(callId: number) {
    await w.play({
      call: { callId, direction: 'inbound', external: CLAIRE.e164, answerAfter: 2, talk: 30, user: ALICE },
    });
  }
  async function work(crm: 'hubspot' | 'salesforce'): Promise<WorkView[]> {
    const r = await w.admin('GET', `/admin/companies/${company()}/work`);
    return (r.json.work as WorkView[]).filter((x) => x.integrationId === `${company()}:${crm}`);
  }
  async function item(crm: 'hubspot' | 'salesforce', callId: number): Promise<WorkView | undefined> {
    return (await work(crm)).find((x) => x.id === String(callId));
  }
  async function connection(crm: 'hubspot' | 'salesforce') {
    const r = await w.admin('GET', `/admin/companies/${company()}/connections`);
    return (r.json.connections as { provider: string; status: string; statusReason: string | null }[]).find(
      (c) => c.provider === crm,
    );
  }
  /** Token endpoint calls from here on. */
  async function tokenCalls(simUrl: string, path: string) {
    const start = (await requestLog(simUrl)).length;
    return async () =>
      (await requestLog(simUrl)).slice(start).filter((r) => r.method === 'POST' && r.path === path);
  }
  /** Every work item of these calls for `crm` is done. */
  async function allDone(crm: 'hubspot' | 'salesforce', ids: number[]) {
    await w.sandbox.aircall.sim.flush();
    await waitFor(
      `${crm} work of ${ids.length} calls done`,
      async () => {
        const items = (await work(crm)).filter((x) => ids.includes(Number(x.id)));
        return items.length === ids.length && items.every((x) => x.state === 'done');
      },
      90_000,
    );
  }

  /**
   * Play a burst; once a few calls are logged, `expire()`; wait for all. The CRM answers in
   * 50-250 ms meanwhile, so many requests are in flight with the old token when it expires.
   */
  async function burst(crm: 'hubspot' | 'salesforce', first: number, expire: () => Promise<void>) {
    const ids = Array.from({ length: BURST }, (_, i) => first + i);
    const api = crm === 'hubspot' ? '/crm/' : '/services/data/';
    await fault(w.sandbox[crm].url, { pathPrefix: api, latencyMs: 150, jitterMs: 100 });
    // Half the burst before the token ends and half after: batched writes (lib/http/micro-batch.ts)
    // may finish the first half at once, so the second half is what meets the ended token.
    const half = ids.length / 2;
    const before = Promise.all(ids.slice(0, half).map((id) => play(id)));
    await waitFor(
      `some ${crm} calls logged before the token expires`,
      async () =>
        (await work(crm)).filter((x) => ids.includes(Number(x.id)) && x.state === 'done').length >= 5,
      60_000,
    );
    await expire();
    await Promise.all([before, ...ids.slice(half).map((id) => play(id))]);
    await allDone(crm, ids);
    await clearFaults(w.sandbox[crm].url);
    return ids;
  }

  it('HubSpot: 50 workers and a token expiring mid-burst make exactly one refresh call', async () => {
    const refreshes = await tokenCalls(w.sandbox.hubspot.url, HUBSPOT_TOKEN);
    const apiStart = (await requestLog(w.sandbox.hubspot.url)).length;
    // HubSpot's clock alone moves past the 30-minute token: the backend learns it from
    // HubSpot's 401 EXPIRED_AUTHENTICATION answers, on requests already in flight.
    const ids = await burst('hubspot', 8800, async () => {
      const r = await http(`${w.sandbox.hubspot.url}/_sandbox/clock`, { body: { advanceMs: 31 * 60_000 } });
      expect(r.status).toBe(200);
    });
    const expired = (await requestLog(w.sandbox.hubspot.url))
      .slice(apiStart)
      .filter((r) => r.status === 401 && r.path.startsWith('/crm/'));
    console.log(`[${store}] HubSpot: ${expired.length} requests answered 401 after the expiry`);
    expect(expired.length).toBeGreaterThan(0);
    expect((await refreshes()).map((r) => r.status)).toEqual([200]);
    for (const id of ids) expect(await read().hubspot(id), `call ${id}`).toHaveLength(1);
    expect((await connection('hubspot'))?.status).toBe('ok');
  });

  it('Salesforce: 50 workers and the sessions ending mid-burst make exactly one refresh call', async () => {
    const refreshes = await tokenCalls(w.sandbox.salesforce.url, SALESFORCE_TOKEN);
    const apiStart = (await requestLog(w.sandbox.salesforce.url)).length;
    const ids = await burst('salesforce', 8900, async () => {
      const r = await http(`${w.sandbox.salesforce.url}/_sandbox/expire-sessions`, {
        body: { orgId: w.company.ids.salesforceOrgId },
      });
      expect(r.json.expired).toBeGreaterThan(0);
    });
    const expired = (await requestLog(w.sandbox.salesforce.url))
      .slice(apiStart)
      .filter((r) => r.status === 401 && r.path.startsWith('/services/data/'));
    console.log(`[${store}] Salesforce: ${expired.length} requests answered 401 after the sessions ended`);
    expect(expired.length).toBeGreaterThan(0);
    expect((await refreshes()).map((r) => r.status)).toEqual([200]);
    const tasks = await Promise.all(ids.map((id) => read().salesforce(id)));
    expect(tasks.map((t) => t.length)).toEqual(ids.map(() => 1));
  });

  it('a 503 from the token endpoint does not mark the connection; the refresh is retried and the call logged once', async () => {
    await fault(w.sandbox.salesforce.url, {
      method: 'POST',
      pathPrefix: SALESFORCE_TOKEN,
      status: 503,
      count: 2,
    });
    await http(`${w.sandbox.salesforce.url}/_sandbox/expire-sessions`, {
      body: { orgId: w.company.ids.salesforceOrgId },
    });
    await play(8960);
    const waiting = await waitFor('the refresh answered 503', async () => {
      const x = await item('salesforce', 8960);
      return x?.lastError?.includes('503') ? x : null;
    });
    expect(waiting.state).not.toBe('paused');
    expect(waiting.lastError).toMatch(/salesforce unavailable \(503\)/);
    expect((await connection('salesforce'))?.status).toBe('ok');
    await allDone('salesforce', [8960]);
    expect(await read().salesforce(8960)).toHaveLength(1);
    expect((await connection('salesforce'))?.status).toBe('ok');
  });

  it('a token endpoint that cannot be reached does not mark the connection; the backlog is logged once it answers', async () => {
    // Everyone's clock passes the HubSpot token's 30 minutes: the backend refreshes before its next
    // request, and HubSpot (token endpoint and API) refuses connections.
    await w.settle();
    await w.advance(31 * 60_000);
    const down = refuseConnections(w.sandbox.hubspot.sim.app.server, w.sandbox.hubspot.url);
    try {
      await play(8961);
      await play(8962);
      const waiting = await waitFor('the refresh failed to connect', async () => {
        const x = await item('hubspot', 8962);
        return x?.lastError ? x : null;
      });
      expect(waiting.state).toBe('pending');
      expect(waiting.lastError).toMatch(/hubspot unavailable \(no answer\).*could not be reached/);
      expect((await connection('hubspot'))?.status).toBe('ok');
    } finally {
      await down.restore();
    }
    await w.advance(60 * 60_000);
    await allDone('hubspot', [8961, 8962]);
    expect(await read().hubspot(8961)).toHaveLength(1);
    expect(await read().hubspot(8962)).toHaveLength(1);
    expect((await connection('hubspot'))?.status).toBe('ok');
  });

  it("400 invalid_client on the refresh (this backend's app credentials) does not mark the connection; it is retried, saying what to fix", async () => {
    // API-CONTRACTS 3.1 / RFC 6749 5.2: the connected app's secret refused, not the refresh token.
    await fault(w.sandbox.salesforce.url, {
      method: 'POST',
      pathPrefix: SALESFORCE_TOKEN,
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
      count: 3,
    });
    await http(`${w.sandbox.salesforce.url}/_sandbox/expire-sessions`, {
      body: { orgId: w.company.ids.salesforceOrgId },
    });
    await play(8963);
    const waiting = await waitFor('the refresh refused the client', async () => {
      const x = await item('salesforce', 8963);
      return x?.lastError?.includes('invalid_client') ? x : null;
    });
    expect(waiting.state).not.toBe('paused');
    expect(waiting.state).not.toBe('failed');
    expect(waiting.lastError).toMatch(/refused this backend's app credentials .*connected app/);
    expect((await connection('salesforce'))?.status).toBe('ok');
    await allDone('salesforce', [8963]);
    expect(await read().salesforce(8963)).toHaveLength(1);
  });

  it('only invalid_grant marks the connection: a revoked refresh token pauses the work for a reconnection', async () => {
    await clearFaults(w.sandbox.salesforce.url);
    const revoked = await http(`${w.sandbox.salesforce.url}/_sandbox/revoke`, {
      body: { orgId: w.company.ids.salesforceOrgId },
    });
    expect(revoked.status).toBe(200);
    await play(8964);
    const paused = await waitFor('the work paused', async () => {
      const x = await item('salesforce', 8964);
      return x?.state === 'paused' ? x : null;
    });
    expect(paused.lastError).toMatch(/Salesforce refused the refresh token.*invalid_grant/);
    const conn = await connection('salesforce');
    expect(conn?.status).toBe('needs_reconnection');
  });
});
