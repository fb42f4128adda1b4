/**
 * End to end: the JobAdder connection over time (JA-INST-1, API-CONTRACTS
 * 4.1): the 60-minute access token refreshed once on the injected clocks, a
 * refresh token JobAdder refuses (work waits, nothing is lost, the backlog is
 * logged once after the admin reconnects), and uninstalling in the dashboard,
 * which disconnects JobAdder and leaves the synced notes in JobAdder
 * (GEN-DEL-1). JobAdder is read back through its API with the account's read
 * token; token calls are counted in the simulator's request log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import type { JobadderCredentials } from '../server/connectors/jobadder.ts';
import { getConnection } from '../server/store/companies.ts';
import { Secrets } from '../server/store/secrets.ts';
import { jobadderHelpers } from './support/jobadder.ts';
import { waitFor } from './support/wait.ts';
import { SECRET_KEY, STORES, startWorld, type World } from './support/world.ts';

const MINUTE = 60_000;

describe.each(STORES)('JobAdder connection end to end (%s store)', { timeout: 60_000 }, (store) => {
  let w: World;
  let h: ReturnType<typeof jobadderHelpers>;
  let contactId: number;

  beforeAll(async () => {
    w = await startWorld({ store, n: 38, crm: 'jobadder' });
    h = jobadderHelpers(w);
    ({
      contactIds: [contactId = 0],
    } = await h.seed({ contacts: [{ firstName: 'Tok', lastName: 'En', phone: '+33 6 80 00 00 01' }] }));
  }, 90_000);
  afterAll(async () => w?.close());

  const credentials = async () =>
    (await getConnection<JobadderCredentials>(w.db, Secrets.fromEnv(SECRET_KEY), h.companyId, 'jobadder'))
      ?.credentials ?? null;

  async function call(callId: number) {
    await w.play({
      call: {
        callId,
        direction: 'inbound',
        external: '+33 6 80 00 00 01',
        answerAfter: 3,
        talk: 40,
        user: ALICE,
      },
    });
  }

  /** The work item of a call once it is in one of `states`. */
  async function workOf(callId: number, states: string[]) {
    return waitFor(
      `call ${callId} in ${states.join('/')}`,
      async () => {
        const r = await w.admin('GET', `/admin/companies/${h.companyId}/work`);
        const item = (r.json.work as { id: string; state: string; lastError: string | null }[]).find(
          (x) => x.id === String(callId),
        );
        return item && states.includes(item.state) ? item : null;
      },
      20_000,
    );
  }

  const references = async () => (await h.notesOf('contacts', contactId)).map((n) => n.reference);

  it('JA-INST-1: past its 60 minutes (every clock) the access token is refreshed once, the rotated refresh token kept', async () => {
    const before = await credentials();
    const tokensBefore = (await h.tokenCalls()).length;
    await w.advance(61 * MINUTE);
    await call(3801);
    await h.settled();
    expect(await references()).toEqual(['aircall:call:3801']);
    const refreshes = (await h.tokenCalls()).slice(tokensBefore);
    expect(refreshes).toEqual([expect.objectContaining({ status: 200 })]);
    const after = await credentials();
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after?.apiBase).toBe(before?.apiBase);
    expect((after?.expiresAt ?? 0) - w.clock.now()).toBeGreaterThan(55 * MINUTE);
  });

  it('JA-INST-1: a token JobAdder already expired (its clock ahead) is answered 401, refreshed once, and the call is logged', async () => {
    const tokensBefore = (await h.tokenCalls()).length;
    const apiBefore = (await h.requests()).length;
    // Only JobAdder's clock moves: the backend still believes its token valid.
    const moved = await fetch(`${w.sandbox.jobadder.url}/_sandbox/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 61 * MINUTE }),
    });
    expect(moved.status).toBe(200);
    await call(3802);
    await h.settled();
    expect(await references()).toEqual(['aircall:call:3801', 'aircall:call:3802']);
    expect((await h.tokenCalls()).slice(tokensBefore)).toEqual([expect.objectContaining({ status: 200 })]);
    const refused = (await h.requests()).slice(apiBefore).filter((r) => r.status === 401);
    expect(refused).toHaveLength(1);
  });

  it('JA-INST-1 / GEN-IDEM-1: a refused refresh token pauses logging and asks to reconnect; reconnecting logs the backlog once', async () => {
    const revoked = await fetch(`${w.sandbox.jobadder.url}/_sandbox/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: h.accountId }),
    });
    expect(((await revoked.json()) as { revoked: number }).revoked).toBeGreaterThan(0);
    await w.advance(61 * MINUTE);
    await call(3803);
    await call(3804);
    const paused = await workOf(3803, ['paused']);
    expect(paused.lastError).toMatch(/JobAdder refused the refresh token/);
    expect(paused.lastError).toMatch(/reconnect JobAdder/);
    await workOf(3804, ['paused']);
    const conns = await w.admin('GET', `/admin/companies/${h.companyId}/connections`);
    const ja = (conns.json.connections as { provider: string; status: string; statusReason: string }[]).find(
      (c) => c.provider === 'jobadder',
    );
    expect(ja?.status).toBe('needs_reconnection');
    expect(ja?.statusReason).toMatch(/invalid_grant/);
    expect(await references()).toEqual(['aircall:call:3801', 'aircall:call:3802']);

    // The admin reconnects through JobAdder's consent page.
    const { json } = await w.admin('GET', `/admin/companies/${h.companyId}/connections/jobadder/authorize`);
    const consent = new URL(String(json.url));
    consent.searchParams.set('account_id', h.accountId);
    const location = (await fetch(consent, { redirect: 'manual' })).headers.get('location');
    const back = await fetch(String(location));
    expect(back.status, await back.clone().text()).toBe(200);
    expect(((await back.json()) as { resumed: number }).resumed).toBe(2);

    await workOf(3803, ['done']);
    await workOf(3804, ['done']);
    await h.settled();
    // The backlog is worked in parallel: which of the two notes JobAdder got first does not matter.
    expect((await references()).sort()).toEqual([
      'aircall:call:3801',
      'aircall:call:3802',
      'aircall:call:3803',
      'aircall:call:3804',
    ]);
  });

  it('GEN-ADM-1: the installer losing admin rights in JobAdder makes the integration inactive, with the reason', async () => {
    const demoted = await h.seed({
      users: [{ userId: 8001, firstName: 'Alice', lastName: 'Martin', email: ALICE.email, admin: false }],
    });
    expect(demoted.userIds).toEqual([8001]);
    // The adapter reads the installer (GET /users/current) once per 5 minutes.
    await w.advance(6 * MINUTE);
    await call(3806);
    await h.settled();
    const list = await w.admin('GET', `/admin/companies/${h.companyId}/integrations`);
    const [integration] = list.json.integrations as {
      settings: { active: boolean; inactiveReason: string | null };
      warnings: { rule: string }[];
    }[];
    expect(integration?.settings.active).toBe(false);
    expect(integration?.settings.inactiveReason).toMatch(
      /installer Alice Martin is no longer an admin in the CRM/,
    );
    expect(integration?.warnings.some((x) => x.rule === 'GEN-ADM-1')).toBe(true);
    expect(await references()).not.toContain('aircall:call:3806');
  });

  it('JA-INST-1 / GEN-DEL-1: uninstalling disconnects JobAdder; the notes synced stay in JobAdder; later calls write nothing', async () => {
    const kept = await h.notesOf('contacts', contactId);
    expect(kept).toHaveLength(4);
    const deleted = await w.admin('DELETE', `/admin/companies/${h.companyId}/integrations/jobadder`);
    expect(deleted).toEqual({ status: 200, json: { ok: true } });

    // Disconnected: no JobAdder credentials left in the backend, no connection listed.
    expect(await credentials()).toBeNull();
    const conns = await w.admin('GET', `/admin/companies/${h.companyId}/connections`);
    expect((conns.json.connections as { provider: string }[]).map((c) => c.provider)).toEqual(['aircall']);
    const integrations = await w.admin('GET', `/admin/companies/${h.companyId}/integrations`);
    expect(integrations.json.integrations).toEqual([]);

    const apiBefore = (await h.requests()).length;
    await call(3805);
    await h.settled();
    // Nothing was asked of JobAdder after the uninstall, and the call has no JobAdder logging.
    expect((await h.requests()).slice(apiBefore)).toEqual([]);
    const logged = await w.admin('GET', `/admin/companies/${h.companyId}/calls/3805`);
    expect(((logged.json.logging ?? []) as unknown[]).length).toBe(0);

    // What was synced stays in JobAdder, unchanged.
    expect(await h.notesOf('contacts', contactId)).toEqual(kept);
  });
});
