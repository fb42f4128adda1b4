/**
 * GEN-DOC-6 end to end: for any call id, the doctor gives the decision trace
 * per integration (the same as the calls route, GEN-TRACE-1) and what it
 * means; for a call the backend never processed, what Aircall says about it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORES, startWorld, type World } from './support/world.ts';
import type { FindingJson } from './support/doctor.ts';
import { ALICE, SUPPORT_LINE } from '../lib/aircall/scenarios.ts';
import { CLAIRE } from '../sandbox/demo.ts';

const SALES_US = {
  id: 2,
  name: 'Sales US',
  digits: '+1 415-555-0100',
  country: 'US',
  time_zone: 'America/Los_Angeles',
};

interface CallDoctor {
  callId: string;
  activity: {
    id: string;
    logging: { crm: string; outcome: string; trace: { rule: string; outcome: string; detail: string }[] }[];
  } | null;
  findings: FindingJson[];
}

describe.each(STORES)('doctor: one call (%s store)', (store) => {
  let w: World;
  const doctorCall = async (callId: string | number) => {
    const r = await w.admin('GET', `/admin/companies/${w.company.ids.companyId}/doctor/calls/${callId}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json as unknown as CallDoctor;
  };

  beforeAll(async () => {
    w = await startWorld({ store, n: 72 });
  }, 90_000);
  afterAll(async () => w?.close());

  it('GEN-DOC-6: a logged call shows its decision trace per integration, as the calls route does, and where it was written', async () => {
    await w.play({ scenario: 'inbound-answered', callId: 7201, external: CLAIRE.e164 });
    await w.settle();
    const d = await doctorCall(7201);
    const traces = await w.admin('GET', `/admin/companies/${w.company.ids.companyId}/calls/7201`);
    expect(d.activity).toMatchObject(traces.json);
    expect(d.activity).toMatchObject({ work: [expect.objectContaining({ state: 'done' })] });
    const [hubspot] = d.activity?.logging ?? [];
    expect(hubspot).toMatchObject({ crm: 'hubspot', outcome: 'write' });
    expect(hubspot?.trace.length).toBeGreaterThan(3);
    expect(d.findings).toEqual([
      expect.objectContaining({
        check: 'GEN-DOC-6',
        severity: 'ok',
        title: 'Logged in HubSpot',
        examples: [expect.stringMatching(/^hubspot\.calls \d+$/)],
      }),
    ]);
  });

  it('GEN-DOC-6 / GEN-NUM-1: a call on a number the integration does not connect shows the rule that stopped it', async () => {
    await w.play({
      call: {
        callId: 7202,
        direction: 'inbound',
        external: CLAIRE.e164,
        number: SALES_US,
        answerAfter: 5,
        talk: 30,
        user: ALICE,
      },
    });
    await w.settle();
    const d = await doctorCall(7202);
    expect(d.activity?.logging[0]?.outcome).toBe('nothing');
    const [notLogged] = d.findings;
    expect(notLogged).toMatchObject({ severity: 'warning', title: 'Not logged in HubSpot' });
    expect(notLogged?.detail).toMatch(/^GEN-NUM-1: /);
    expect(notLogged?.fix).toMatch(/connect the number/);
  });

  it('GEN-DOC-6: a call the backend never received is looked up in Aircall: on a number no integration logs, or a lost webhook', async () => {
    const startedAt = Math.floor(w.clock.now() / 1000) - 600;
    const seeded = await w.seedAircall({
      calls: [
        { id: 7203, direction: 'inbound', started_at: startedAt, number: SALES_US },
        { id: 7204, direction: 'inbound', started_at: startedAt, number: SUPPORT_LINE },
      ],
    });
    expect(seeded.status, JSON.stringify(seeded.json)).toBe(200);

    const other = await doctorCall(7203);
    expect(other.activity).toBeNull();
    expect(other.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        title: 'The call was on a number no integration logs',
        fix: expect.stringContaining('Connect Sales US'),
      }),
    ]);
    const lost = await doctorCall(7204);
    expect(lost.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        title: 'Aircall has the call, but this backend received none of its events',
        detail: expect.stringContaining('connected to HubSpot'),
      }),
    ]);
  });

  it('GEN-DOC-6: an id Aircall does not know, or that is no call id, says so and what to check', async () => {
    expect((await doctorCall(7299)).findings).toEqual([
      expect.objectContaining({ severity: 'error', title: 'Aircall has no call 7299' }),
    ]);
    expect((await doctorCall('abc')).findings).toEqual([
      expect.objectContaining({
        title: '"abc" is not an Aircall call id',
        fix: expect.stringMatching(/Copy/),
      }),
    ]);
  });
});
