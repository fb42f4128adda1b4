/**
 * GEN-ADM-1 end to end: the installer (the HubSpot user who connected the
 * integration, Alice in the demo) is deleted or loses admin rights in either
 * system: the integration becomes inactive, and the admin API says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { HUBSPOT_OWNERS } from '../sandbox/demo.ts';
import { STORES, startWorld, type World } from './support/world.ts';

interface IntegrationView {
  settings: { active: boolean; inactiveReason: string | null };
  warnings: { rule: string; message: string }[];
}

describe.each(STORES)('GEN-ADM-1 (%s store)', (store) => {
  let w: World;
  const company = () => w.company.ids.companyId;
  const integration = async () =>
    (
      (await w.admin('GET', `/admin/companies/${company()}/integrations`)).json
        .integrations as IntegrationView[]
    )[0];
  const seedOwner = (superAdmin: boolean) =>
    w.seedHubspot({ owners: [{ ...HUBSPOT_OWNERS[0], superAdmin }] });
  const advance = (ms: number) => w.advance(ms);
  /** A call that started a minute ago on the backend's clock (which these tests move forward). */
  const call = async (callId: number) => {
    await w.play({
      call: {
        callId,
        direction: 'inbound',
        external: '+33612345678',
        answerAfter: 3,
        talk: 30,
        user: ALICE,
        startedAt: Math.floor(w.clock.now() / 1000) - 60,
      },
    });
    await w.settle();
  };
  const traceOf = async (callId: number) =>
    (
      (await w.admin('GET', `/admin/companies/${company()}/calls/${callId}`)).json.logging as {
        outcome: string;
        trace: { rule: string; outcome: string; detail: string }[];
      }[]
    )[0];

  beforeAll(async () => {
    w = await startWorld({ store, n: 7 });
  }, 90_000);
  afterAll(async () => w?.close());

  it('GEN-ADM-1: the installer losing admin rights in HubSpot makes the integration inactive, with the reason', async () => {
    await call(8701);
    expect((await traceOf(8701))?.outcome).toBe('write');

    expect((await seedOwner(false)).status).toBe(200);
    // The adapter reads the installer's rights with the portal's users, every 5 minutes.
    await advance(6 * 60_000);
    await call(8702);
    const after = await integration();
    expect(after?.settings.active).toBe(false);
    expect(after?.settings.inactiveReason).toMatch(/installer Alice Martin is no longer an admin in the CRM/);
    expect(after?.warnings.some((x) => x.rule === 'GEN-ADM-1')).toBe(true);
    const trace = await traceOf(8702);
    expect(trace?.outcome).toBe('nothing');
    expect(trace?.trace.find((s) => s.outcome === 'stopped')).toMatchObject({ rule: 'GEN-ACT-1' });
    expect(trace?.trace.find((s) => s.rule === 'GEN-ACT-1')?.detail).toMatch(
      /GEN-ADM-1: the installer Alice Martin/,
    );
    const calls = await w.hubspot('POST', '/crm/v3/objects/calls/search', { properties: ['hs_call_title'] });
    expect(calls.json.total).toBe(1);

    // Rights restored and the integration reactivated: logging resumes.
    await seedOwner(true);
    await advance(6 * 60_000);
    expect(
      (await w.admin('POST', `/admin/companies/${company()}/integrations/hubspot/activate`)).status,
    ).toBe(200);
    await advance(2 * 60_000); // the next call starts after the reactivation (GEN-ACT-2)
    await call(8703);
    expect((await traceOf(8703))?.outcome).toBe('write');
  }, 40_000);

  it('GEN-ADM-1: the installer deleted in Aircall makes the integration inactive, with the reason', async () => {
    const auth = `Basic ${Buffer.from(`${w.company.ids.apiId}:${w.company.ids.apiToken}`).toString('base64')}`;
    const deleted = await fetch(`${w.sandbox.aircall.url}/v1/users/${ALICE.id}`, {
      method: 'DELETE',
      headers: { authorization: auth },
    });
    expect(deleted.status).toBe(204);
    await w.sandbox.aircall.sim.flush();
    const after = await integration();
    expect(after?.settings.active).toBe(false);
    expect(after?.settings.inactiveReason).toMatch(/no longer an admin in Aircall/);
  }, 30_000);
});
