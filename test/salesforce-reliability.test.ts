/**
 * End to end: Salesforce's failures and costs (issue 4; API-CONTRACTS 3.5).
 * An expired session is refreshed once and logging goes on; a refresh token
 * Salesforce no longer accepts pauses the work and marks the connection for
 * the admin, and reconnecting through OAuth logs the backlog once; 403
 * REQUEST_LIMIT_EXCEEDED and 5xx answers are retried later, still one Task per
 * call (GEN-IDEM-1). And the Salesforce requests one logged call costs, read
 * from the simulator's request log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import type { SalesforceCredentials } from '../server/connectors/salesforce.ts';
import { getConnection } from '../server/store/companies.ts';
import { Secrets } from '../server/store/secrets.ts';
import { waitFor } from './support/wait.ts';
import { SECRET_KEY, STORES } from './support/world.ts';
import { type SalesforceWorld, salesforceWorld } from './support/salesforce.ts';

describe.each(STORES)('Salesforce reliability and cost (%s store)', { timeout: 60_000 }, (store) => {
  let s: SalesforceWorld;
  const sim = (path: string, body: unknown) =>
    fetch(`${s.w.sandbox.salesforce.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));

  beforeAll(async () => {
    s = await salesforceWorld({ store, n: 32, env: { MAX_ATTEMPTS: '4' } });
  }, 120_000);
  afterAll(async () => s?.w.close());

  const answered = (callId: number, external: string) => ({
    callId,
    direction: 'inbound',
    external,
    answerAfter: 5,
    talk: 60,
    user: ALICE,
  });

  async function workOf(callId: number, states: string[], withError = false, timeoutMs = 20_000) {
    return waitFor(
      `call ${callId} in ${states.join('/')}`,
      async () => {
        const r = await s.w.admin('GET', `/admin/companies/${s.companyId}/work`);
        const item = (
          r.json.work as { id: string; state: string; lastError: string | null; attempts: number }[]
        ).find((x) => x.id === String(callId));
        return item && states.includes(item.state) && (!withError || item.lastError) ? item : null;
      },
      timeoutMs,
    );
  }

  async function credentials(): Promise<SalesforceCredentials> {
    const conn = await getConnection<SalesforceCredentials>(
      s.w.db,
      Secrets.fromEnv(SECRET_KEY),
      s.companyId,
      'salesforce',
    );
    if (!conn) throw new Error('Salesforce is not connected');
    return conn.credentials;
  }

  /** The requests of the demo org made while `run` runs (run must not read Salesforce itself). */
  async function spentOn(run: () => Promise<void>): Promise<string[]> {
    const before = (await s.requests()).length;
    await run();
    return (await s.requests())
      .slice(before)
      .map((r) => `${r.method} ${r.path.replace('/services/data/v60.0', '')} ${r.status}`);
  }

  // ---- requests per logged call ----

  it('GEN-IDEM-1: requests per logged call in the common cases (known contact; unknown number with creation; later events)', async () => {
    await s.settings({ newRecord: 'contact' });
    // Owned by Bob: a record the installer owns would pass to the agent (SF-OWN-4), one more request.
    const hugo = await s.record('Contact', {
      FirstName: 'Hugo',
      LastName: 'Budget',
      Phone: '+33640000201',
      OwnerId: s.sf.bob,
    });
    // Warm-up: the org's facts (users, describes, installer) are one composite per 5 minutes.
    const warmup = await spentOn(() => s.playCall(answered(3201, '+33 6 12 34 56 78')).then(() => undefined));
    expect(warmup.filter((r) => r === 'POST /composite 200')).toHaveLength(1);

    const known = await spentOn(() => s.playCall(answered(3202, '+33 6 40 00 02 01')).then(() => undefined));
    const created = await spentOn(() =>
      s.playCall(answered(3203, '+33 6 40 00 02 02')).then(() => undefined),
    );
    const later = await spentOn(async () => {
      const tagged = await s.w.agent('POST', '/v1/calls/3202/tags', { tagId: 33 });
      expect(tagged.status, JSON.stringify(tagged.json)).toBe(200);
      await s.settled();
    });
    console.log(`[${store}] Salesforce requests per logged call:`, {
      'known contact (warm org facts)': known,
      'unknown number, Contact created': created,
      'a later event (tag added)': later,
    });

    // Known contact: the phone lookup, its open Cases (relateTo case), the Task upsert, then PATCHes as events come.
    expect(known.filter((r) => r.startsWith('GET /search'))).toHaveLength(1);
    expect(known.filter((r) => r.startsWith('GET /query'))).toHaveLength(1);
    expect(
      known.filter((r) => /^PATCH \/sobjects\/Task\/Aircall_Bridge_Key__c\/\w+ 201$/.test(r)),
    ).toHaveLength(1);
    expect(known.filter((r) => r.startsWith('POST /composite'))).toEqual([]);
    expect(known.every((r) => /^(GET \/search|GET \/query|PATCH \/sobjects\/Task\/)/.test(r))).toBe(true);
    expect(known.length).toBeLessThanOrEqual(8);
    // Unknown number: the lookup, the Contact upsert, the Task upsert; the new Contact is in the cached
    // lookup, so later events neither search again nor look for its (new, so absent) Cases.
    expect(created.filter((r) => r.startsWith('GET /search'))).toHaveLength(1);
    expect(created.filter((r) => r.startsWith('GET /query'))).toEqual([]);
    expect(
      created.filter((r) => /^PATCH \/sobjects\/Contact\/Aircall_Bridge_Key__c\/\w+ 201$/.test(r)),
    ).toHaveLength(1);
    expect(
      created.filter((r) => /^PATCH \/sobjects\/Task\/Aircall_Bridge_Key__c\/\w+ 201$/.test(r)),
    ).toHaveLength(1);
    expect(created.length).toBeLessThanOrEqual(9);
    // A later event within a minute: the lookup is cached, one PATCH of the Task.
    expect(later).toEqual([`PATCH /sobjects/Task/${(await s.logging(3202)).written.activity?.id} 204`]);
    expect((await s.task(3202)).WhoId).toBe(hugo);
  });

  // ---- 5xx ----

  it('GEN-IDEM-1: 5xx answers on the Task upsert are retried with backoff, and the call is logged once', async () => {
    await s.settings();
    await sim('/_sandbox/faults', {
      method: 'PATCH',
      pathPrefix: '/services/data/v60.0/sobjects/Task/Aircall_Bridge_Key__c/',
      status: 503,
      count: 2,
    });
    await s.w.play({ call: answered(3210, '+33 6 12 34 56 78') });
    const retried = await workOf(3210, ['pending', 'done'], true);
    expect(retried.lastError).toMatch(/salesforce unavailable \(503\)/);
    await workOf(3210, ['done']);
    await s.settled();
    expect(await s.tasksOf('3210')).toHaveLength(1);
  });

  // ---- 403 REQUEST_LIMIT_EXCEEDED ----

  it("403 REQUEST_LIMIT_EXCEEDED (the org's daily allocation is used up) is retried later; the call is logged once", async () => {
    await s.settings();
    const limited = await sim('/_sandbox/limits', { orgId: s.sf.orgId, dailyApiRequests: 1, used: 1 });
    expect(limited.status, JSON.stringify(limited.json)).toBe(200);
    await s.w.play({ call: answered(3220, '+33 6 12 34 56 78') });
    await s.w.sandbox.aircall.sim.flush();
    const waiting = await workOf(3220, ['pending'], true);
    expect(waiting.lastError).toMatch(/salesforce rate limit \(403\).*REQUEST_LIMIT_EXCEEDED/);
    const refused = (await s.requests()).filter((r) => r.status === 403);
    expect(refused.length).toBeGreaterThan(0);

    // The allocation frees up (a new day, or a larger one); the retry time comes
    // (lib/http/vendor.ts: 15 min x attempt on REQUEST_LIMIT_EXCEEDED).
    await sim('/_sandbox/limits', { orgId: s.sf.orgId, dailyApiRequests: 100_000 });
    await s.w.advance(16 * 60_000);
    await workOf(3220, ['done']);
    await s.settled();
    expect(await s.tasksOf('3220')).toHaveLength(1);
  });

  // ---- token refresh ----

  it('an expired session (401 INVALID_SESSION_ID) is refreshed once with the refresh token, and logging goes on', async () => {
    await s.settings();
    const before = await credentials();
    const expired = await sim('/_sandbox/expire-sessions', { orgId: s.sf.orgId });
    expect(expired.json.expired).toBeGreaterThan(0);
    const all = async () =>
      (
        (await (await fetch(`${s.w.sandbox.salesforce.url}/_sandbox/requests`)).json()) as {
          requests: { method: string; path: string; status: number }[];
        }
      ).requests;
    const from = (await all()).length;
    await s.playCall(answered(3230, '+33 6 12 34 56 78'));
    const log = (await all()).slice(from).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(log.filter((r) => r.endsWith(' 401'))).toHaveLength(1);
    expect(log.filter((r) => r === 'POST /services/oauth2/token 200')).toHaveLength(1);
    expect(await s.tasksOf('3230')).toHaveLength(1);
    const after = await credentials();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.instanceUrl).toBe(s.w.sandbox.salesforce.url);
    expect(after.expiresAt).toBeNull();
  });

  // ---- GEN-ADM-1 ----

  it('GEN-ADM-1: the installer losing admin rights in Salesforce makes the integration inactive, with the reason', async () => {
    await s.settings();
    const integration = async () =>
      (
        (await s.w.admin('GET', `/admin/companies/${s.companyId}/integrations`)).json.integrations as {
          crm: string;
          settings: { active: boolean; inactiveReason: string | null };
          warnings: { rule: string }[];
        }[]
      ).find((i) => i.crm === 'salesforce');
    await s.seed({ users: [{ Id: s.sf.installer, admin: false }] });
    // The adapter reads the installer's profile with the org's facts, every 5 minutes.
    await s.w.advance(6 * 60_000);
    await s.playCall(answered(3250, '+33 6 12 34 56 78'));
    const after = await integration();
    expect(after?.settings.active).toBe(false);
    expect(after?.settings.inactiveReason).toMatch(/installer Ada Admin is no longer an admin in the CRM/);
    expect(after?.warnings.some((x) => x.rule === 'GEN-ADM-1')).toBe(true);
    expect(await s.tasksOf('3250')).toEqual([]);

    // Rights restored and the integration reactivated: logging resumes.
    await s.seed({ users: [{ Id: s.sf.installer, admin: true }] });
    await s.w.advance(6 * 60_000);
    const activated = await s.w.admin(
      'POST',
      `/admin/companies/${s.companyId}/integrations/salesforce/activate`,
    );
    expect(activated.status, JSON.stringify(activated.json)).toBe(200);
    await s.w.advance(2 * 60_000); // the next call starts after the reactivation (GEN-ACT-2)
    await s.playCall(answered(3251, '+33 6 12 34 56 78'));
    expect(await s.tasksOf('3251')).toHaveLength(1);
  });

  // ---- refresh token refused (last: it reconnects) ----

  it('a refresh token Salesforce refuses pauses the work and marks the connection; reconnecting logs the backlog once', async () => {
    await s.settings();
    expect((await credentials()).refreshToken).toBeTruthy();
    const revoked = await sim('/_sandbox/revoke', { orgId: s.sf.orgId });
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
    await s.w.play({ call: answered(3240, '+33 6 12 34 56 78') });
    await s.w.play({ call: answered(3241, '+33 6 40 00 02 41') });
    const paused = await workOf(3240, ['paused'], true);
    expect(paused.lastError).toMatch(/Salesforce refused the refresh token.*reconnect Salesforce/);
    await workOf(3241, ['paused']);
    const conns = await s.w.admin('GET', `/admin/companies/${s.companyId}/connections`);
    const salesforce = (
      conns.json.connections as { provider: string; status: string; statusReason: string }[]
    ).find((c) => c.provider === 'salesforce');
    expect(salesforce?.status).toBe('needs_reconnection');
    expect(salesforce?.statusReason).toMatch(/refresh token/);
    expect(await s.tasksOf('3240')).toEqual([]);

    // The admin reconnects through Salesforce's consent page.
    const { json } = await s.w.admin(
      'GET',
      `/admin/companies/${s.companyId}/connections/salesforce/authorize`,
    );
    const consent = new URL(String(json.url));
    expect(consent.pathname).toBe('/services/oauth2/authorize');
    expect(consent.searchParams.get('scope')).toBe('api refresh_token');
    consent.searchParams.set('org_id', s.w.company.ids.salesforceOrgId);
    const location = (await fetch(consent, { redirect: 'manual' })).headers.get('location');
    const back = await fetch(String(location));
    expect(back.status, await back.clone().text()).toBe(200);
    expect(((await back.json()) as { resumed: number }).resumed).toBeGreaterThanOrEqual(2);

    await workOf(3240, ['done']);
    await workOf(3241, ['done']);
    await s.settled();
    expect(await s.tasksOf('3240')).toHaveLength(1);
    expect(await s.tasksOf('3241')).toHaveLength(1);
    const again = await s.w.admin('GET', `/admin/companies/${s.companyId}/connections`);
    expect(
      (again.json.connections as { provider: string; status: string }[]).find(
        (c) => c.provider === 'salesforce',
      )?.status,
    ).not.toBe('needs_reconnection');
  });
});
