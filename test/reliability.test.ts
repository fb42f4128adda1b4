/**
 * A CRM that answers 429 or 500, a request HubSpot refuses, an expired
 * access token and a refresh token HubSpot no longer accepts (issue 3,
 * section 2): each call is still logged exactly once, or waits visibly for
 * an admin, and nothing received is lost. Faults are injected in the HubSpot
 * simulator (POST /_sandbox/faults), which answers with HubSpot's own bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { getConnection } from '../server/store/companies.ts';
import { Secrets } from '../server/store/secrets.ts';
import type { HubspotCredentials } from '../server/connectors/hubspot.ts';
import { KEY_PROPERTY } from '../lib/crm/hubspot/adapter.ts';
import { SECRET_KEY, STORES, startWorld, type World } from './support/world.ts';
import { waitFor } from './support/wait.ts';

describe.each(STORES)('reliability (%s store)', (store) => {
  let w: World;
  const company = () => w.company.ids.companyId;
  const sim = (path: string, body: unknown) =>
    fetch(`${w.sandbox.hubspot.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    w = await startWorld({ store, n: 6, env: { MAX_ATTEMPTS: '3' } });
    await sim('/_sandbox/limits', { searchPerSecond: 1000 });
  }, 90_000);
  afterAll(async () => w?.close());

  async function call(callId: number) {
    await w.play({
      call: { callId, direction: 'inbound', external: '+33612345678', answerAfter: 3, talk: 40, user: ALICE },
    });
  }

  /** The work item of a call, once it reaches one of `states`. */
  async function workOf(callId: number, states: string[], timeoutMs = 20_000, withError = false) {
    return waitFor(
      `call ${callId} in ${states.join('/')}`,
      async () => {
        const r = await w.admin('GET', `/admin/companies/${company()}/work`);
        const item = (
          r.json.work as { id: string; state: string; lastError: string | null; attempts: number }[]
        ).find((x) => x.id === String(callId));
        return item && states.includes(item.state) && (!withError || item.lastError) ? item : null;
      },
      timeoutMs,
    );
  }

  async function hubspotCallsFor(callId: number): Promise<number> {
    const r = await w.hubspot('POST', '/crm/v3/objects/calls/search', {
      filterGroups: [
        {
          filters: [
            {
              propertyName: KEY_PROPERTY,
              operator: 'EQ',
              value: `${company()}:hubspot/call/${callId}/activity`,
            },
          ],
        },
      ],
      properties: [KEY_PROPERTY],
    });
    return Number(r.json.total);
  }

  /** The simulator's request log for a path (token requests carry no portal, so `anyAccount`). */
  async function requests(path: string, anyAccount = false) {
    const query = anyAccount ? '' : `?account=${w.company.ids.portalId}`;
    const r = await fetch(`${w.sandbox.hubspot.url}/_sandbox/requests${query}`);
    return (
      (await r.json()) as { requests: { method: string; path: string; status: number }[] }
    ).requests.filter((x) => x.path === path);
  }

  it('GEN-IDEM-1: a 429 with Retry-After is waited out and the call is logged once', async () => {
    await sim('/_sandbox/faults', {
      method: 'POST',
      pathPrefix: '/crm/v3/objects/calls',
      status: 429,
      headers: { 'retry-after': '1' },
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: '00000000-0000-4000-8000-000000000001',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
      count: 1,
    });
    await call(8101);
    const retried = await workOf(8101, ['pending'], 20_000, true);
    expect(retried.lastError).toMatch(/rate limit \(429\)/);
    await workOf(8101, ['done'], 15_000);
    expect(await hubspotCallsFor(8101)).toBe(1);
    const creates = (await requests('/crm/v3/objects/calls'))
      .filter((r) => r.method === 'POST')
      .map((r) => r.status);
    expect(creates).toContain(429);
  }, 30_000);

  it('GEN-IDEM-1: 5xx answers are retried with backoff and the call is logged once', async () => {
    await sim('/_sandbox/faults', {
      method: 'POST',
      pathPrefix: '/crm/v3/objects/calls',
      status: 503,
      count: 2,
    });
    await call(8102);
    await workOf(8102, ['done'], 15_000);
    expect(await hubspotCallsFor(8102)).toBe(1);
  }, 30_000);

  it('a request HubSpot refuses fails at once, is visible with its reason, and an admin retry logs it once', async () => {
    await sim('/_sandbox/faults', {
      method: 'POST',
      pathPrefix: '/crm/v3/objects/calls',
      status: 400,
      body: {
        status: 'error',
        message: 'Property values were not valid',
        category: 'VALIDATION_ERROR',
        correlationId: '00000000-0000-4000-8000-000000000002',
      },
      // Each later event of the call runs the work again (a new event may fix it): it is refused each time.
      count: 100,
    });
    await call(8103);
    await w.sandbox.aircall.sim.flush();
    const failed = await workOf(8103, ['failed']);
    await fetch(`${w.sandbox.hubspot.url}/_sandbox/faults`, { method: 'DELETE' });
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/hubspot refused the request \(400\): .*Property values were not valid/);
    const listed = await w.admin('GET', `/admin/companies/${company()}/work?state=failed`);
    expect((listed.json.work as { id: string }[]).map((x) => x.id)).toContain('8103');
    expect(await hubspotCallsFor(8103)).toBe(0);

    const retry = await w.admin('POST', `/admin/companies/${company()}/work/retry`, {
      integrationId: `${company()}:hubspot`,
      kind: 'call',
      id: '8103',
    });
    expect(retry.json.retried).toBe(1);
    await workOf(8103, ['done']);
    expect(await hubspotCallsFor(8103)).toBe(1);
  }, 30_000);

  it('after MAX_ATTEMPTS retryable failures the work is marked failed, not lost', async () => {
    await sim('/_sandbox/faults', {
      method: 'POST',
      pathPrefix: '/crm/v3/objects/calls',
      status: 500,
      count: 100,
    });
    await call(8104);
    await w.sandbox.aircall.sim.flush();
    const failed = await workOf(8104, ['failed'], 15_000);
    expect(failed.attempts).toBe(3);
    expect(failed.lastError).toMatch(/hubspot unavailable \(500\)/);
    await fetch(`${w.sandbox.hubspot.url}/_sandbox/faults`, { method: 'DELETE' });
    await w.admin('POST', `/admin/companies/${company()}/work/retry`, {});
    await workOf(8104, ['done']);
    expect(await hubspotCallsFor(8104)).toBe(1);
  }, 30_000);

  it('an expired access token is refreshed with the refresh token, and logging goes on', async () => {
    // HubSpot access tokens live 30 minutes (sandbox/hubspot/oauth.ts); HubSpot's clock moves on.
    await sim('/_sandbox/clock', { advanceMs: 31 * 60_000 });
    await call(8105);
    await workOf(8105, ['done']);
    expect(await hubspotCallsFor(8105)).toBe(1);
    const tokens = (await requests('/oauth/v1/token', true)).filter((r) => r.method === 'POST');
    expect(tokens.some((r) => r.status === 200)).toBe(true);
  }, 30_000);

  it('a refused refresh token pauses logging and marks the connection; reconnecting logs the backlog once', async () => {
    const conn = await getConnection<HubspotCredentials>(
      w.db,
      Secrets.fromEnv(SECRET_KEY),
      company(),
      'hubspot',
    );
    expect(conn?.credentials.refreshToken).toBeTruthy();
    await sim('/_sandbox/oauth/revoke', { refreshToken: conn?.credentials.refreshToken });
    await sim('/_sandbox/clock', { advanceMs: 31 * 60_000 });
    await call(8106);
    await call(8107);
    const paused = await workOf(8106, ['paused']);
    expect(paused.lastError).toMatch(/reconnect HubSpot/);
    await workOf(8107, ['paused']);
    const conns = await w.admin('GET', `/admin/companies/${company()}/connections`);
    const hubspot = (
      conns.json.connections as { provider: string; status: string; statusReason: string }[]
    ).find((c) => c.provider === 'hubspot');
    expect(hubspot?.status).toBe('needs_reconnection');
    expect(hubspot?.statusReason).toMatch(/refresh token/);

    // The admin reconnects through HubSpot's consent screen.
    const { json } = await w.admin('GET', `/admin/companies/${company()}/connections/hubspot/authorize`);
    const consent = new URL(String(json.url));
    consent.searchParams.set('portal_id', String(w.company.ids.portalId));
    const location = (await fetch(consent, { redirect: 'manual' })).headers.get('location');
    expect((await fetch(String(location))).status).toBe(200);

    await workOf(8106, ['done']);
    await workOf(8107, ['done']);
    expect(await hubspotCallsFor(8106)).toBe(1);
    expect(await hubspotCallsFor(8107)).toBe(1);
  }, 40_000);
});
