/**
 * The doctor's checks of users, installers, numbers and permissions, end to
 * end on HubSpot, Salesforce and JobAdder at once: each broken situation is
 * set up in the simulators, and the finding is read from the running
 * backend's `GET /admin/companies/:id/doctor` (GEN-DOC-1, GEN-DOC-2,
 * GEN-EMAIL-1, GEN-ADM-1, GEN-DOC-4, GEN-NUM-2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// world.ts first: it loads sandbox/demo.ts before the Salesforce demo that demo.ts lists (an import cycle).
import { STORES, type World } from './support/world.ts';
import { expectFixes, finding, findingsOf, runDoctor, seedOk, startDoctorWorld } from './support/doctor.ts';
import { SUPPORT_LINE } from '../lib/aircall/scenarios.ts';
import { CRMS } from '../lib/logging/plan-types.ts';
import { salesforceDemoIds } from '../sandbox/salesforce/demo.ts';

const IVR = { id: 3, name: 'Main IVR' };
const NIGHT_IVR = { id: 4, name: 'Night IVR' };

describe.each(STORES)('doctor: users, installers, numbers, permissions (%s store)', (store) => {
  let w: World;
  const company = () => w.company.ids.companyId;

  beforeAll(async () => {
    w = await startDoctorWorld(store, 70);
    const ids = w.company.ids;
    await seedOk(
      w.seedAircall({
        users: [
          { id: 21, name: 'Carl Petit', email: 'carl@example.com' },
          { id: 22, name: 'Dina Roux', email: 'Dina.Roux@example.com' },
        ],
        numbers: [
          // Routes to the support line (connected) and to Sales US (not connected).
          {
            ...IVR,
            digits: '+33 1 76 36 06 00',
            country: 'FR',
            time_zone: 'Europe/Paris',
            is_ivr: true,
            ivrDestinations: [SUPPORT_LINE.id, 2],
          },
          // Not connected, and routes to the support line (connected).
          {
            ...NIGHT_IVR,
            digits: '+33 1 76 36 06 01',
            country: 'FR',
            time_zone: 'Europe/Paris',
            is_ivr: true,
            ivrDestinations: [SUPPORT_LINE.id],
          },
        ],
      }),
    );
    // Dina's email differs only by case in every CRM; Carl has no CRM user.
    await seedOk(
      w.seedHubspot({
        owners: [
          { id: '9003', email: 'dina.roux@example.com', firstName: 'Dina', lastName: 'Roux', userId: 7003 },
        ],
      }),
    );
    await seedOk(
      w.seedSalesforce({
        users: [{ FirstName: 'Dina', LastName: 'Roux', Email: 'dina.roux@example.com', admin: false }],
      }),
    );
    await seedOk(
      w.seedJobadder({
        users: [{ userId: 8003, firstName: 'Dina', lastName: 'Roux', email: 'dina.roux@example.com' }],
      }),
    );
    for (const crm of CRMS) {
      const r = await w.admin('PUT', `/admin/companies/${company()}/integrations/${crm}/numbers`, {
        connectedNumbers: [SUPPORT_LINE.id, IVR.id],
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
    void ids;
  }, 120_000);
  afterAll(async () => w?.close());

  it('GEN-DOC-2 / GEN-EMAIL-1: on every CRM, users whose email matches only ignoring case, and users with no CRM user', async () => {
    const d = await runDoctor(w);
    expect(d.integrations.map((i) => i.crm).sort()).toEqual([...CRMS].sort());
    for (const crm of CRMS) {
      const caseOnly = finding(d, crm, 'GEN-DOC-2', 'Emails that match only when case is ignored');
      expect(caseOnly).toMatchObject({
        severity: 'warning',
        count: 1,
        examples: ['Dina Roux <Dina.Roux@example.com>'],
      });
      const none = finding(d, crm, 'GEN-DOC-2', 'Aircall users with no CRM user of the same email');
      expect(none).toMatchObject({
        severity: 'error',
        count: 1,
        examples: ['Carl Petit <carl@example.com>'],
      });
      expect(none.fix).toMatch(/same email/);
    }
    expectFixes(d);
  });

  it('GEN-DOC-4 / GEN-NUM-2: on every CRM, numbers not connected, an IVR whose destination is not, and an IVR that is not', async () => {
    const d = await runDoctor(w);
    for (const crm of CRMS) {
      const notConnected = finding(d, crm, 'GEN-DOC-4', 'Aircall numbers not connected');
      expect(notConnected).toMatchObject({
        severity: 'info',
        count: 2,
        examples: ['Sales US', NIGHT_IVR.name],
      });
      const destinations = finding(d, crm, 'GEN-DOC-4', `IVR ${IVR.name}: destinations not connected`);
      expect(destinations.severity).toBe('error');
      expect(destinations.detail).toContain('Sales US');
      expect(destinations.fix).toBe('Connect Sales US.');
      const ivr = finding(d, crm, 'GEN-DOC-4', `IVR ${NIGHT_IVR.name} not connected`);
      expect(ivr.detail).toContain(SUPPORT_LINE.name);
      expect(ivr.fix).toBe(`Connect ${NIGHT_IVR.name}.`);
    }
    // Connecting what the findings name clears them.
    const r = await w.admin('PUT', `/admin/companies/${company()}/integrations/hubspot/numbers`, {
      connectedNumbers: [SUPPORT_LINE.id, 2, IVR.id, NIGHT_IVR.id],
    });
    expect(r.status).toBe(200);
    const after = await runDoctor(w, 'hubspot');
    expect(findingsOf(after, 'hubspot', 'GEN-DOC-4')).toEqual([
      expect.objectContaining({ severity: 'ok', title: 'Every Aircall number is connected', fix: null }),
    ]);
  });

  it('GEN-DOC-1: Salesforce says when the org has almost no API requests left; HubSpot and JobAdder grant what is needed', async () => {
    const before = await runDoctor(w);
    expect(findingsOf(before, 'salesforce', 'GEN-DOC-1')).toEqual([
      expect.objectContaining({ severity: 'ok', title: 'Salesforce API access and allocation' }),
    ]);
    expect(findingsOf(before, 'hubspot', 'GEN-DOC-1')).toEqual([
      expect.objectContaining({ severity: 'ok', title: 'HubSpot grants every scope the integration needs' }),
    ]);
    expect(findingsOf(before, 'jobadder', 'GEN-DOC-1')).toEqual([
      expect.objectContaining({ severity: 'ok', title: 'JobAdder lets the connection read what it needs' }),
    ]);
    // The org's other users and integrations spent 14,500 of its 15,000 daily requests.
    const used = await fetch(`${w.sandbox.salesforce.url}/_sandbox/limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orgId: salesforceDemoIds(w.company.ids).orgId, used: 14_500 }),
    });
    expect(used.status, await used.text()).toBe(200);
    const d = await runDoctor(w, 'salesforce');
    const low = finding(d, 'salesforce', 'GEN-DOC-1', 'Salesforce API allocation nearly used up');
    expect(low.severity).toBe('warning');
    expect(low.detail).toMatch(/^\d+ of the org's 15000 API requests of the rolling 24 hours remain/);
    expect(low.fix).toMatch(/buy more API calls/);
  });

  it('GEN-DOC-2 / GEN-ADM-1: on every CRM, an installer who is no longer an admin there', async () => {
    const before = await runDoctor(w);
    expect(finding(before, 'hubspot', 'GEN-DOC-2', 'The installer is an admin in HubSpot').severity).toBe(
      'ok',
    );
    expect(finding(before, 'jobadder', 'GEN-DOC-2', 'The installer is an admin in JobAdder').severity).toBe(
      'ok',
    );
    // The Salesforce demo's installer is an admin who is not an Aircall agent: said, as a warning.
    expect(finding(before, 'salesforce', 'GEN-DOC-2', 'The installer is not an Aircall user')).toMatchObject({
      severity: 'warning',
      examples: ['Ada Admin <admin@example.com>'],
    });

    await seedOk(
      w.seedHubspot({
        owners: [
          {
            id: '9001',
            email: 'alice@example.com',
            firstName: 'Alice',
            lastName: 'Martin',
            userId: 7001,
            superAdmin: false,
          },
        ],
      }),
    );
    await seedOk(
      w.seedSalesforce({ users: [{ Id: salesforceDemoIds(w.company.ids).installer, admin: false }] }),
    );
    await seedOk(
      w.seedJobadder({
        users: [
          { userId: 8001, firstName: 'Alice', lastName: 'Martin', email: 'alice@example.com', admin: false },
        ],
      }),
    );
    const d = await runDoctor(w);
    const expected = {
      hubspot: ['Alice Martin <alice@example.com>', 'Super Admin'],
      salesforce: ['Ada Admin <admin@example.com>', 'Modify All Data'],
      jobadder: ['Alice Martin <alice@example.com>', 'Administrator'],
    } as const;
    for (const crm of CRMS) {
      const i = d.integrations.find((x) => x.crm === crm);
      const label = i?.label ?? crm;
      const f = finding(d, crm, 'GEN-DOC-2', `The installer is not an admin in ${label}`);
      expect(f.severity).toBe('error');
      expect(f.examples).toEqual([expected[crm][0]]);
      expect(f.detail).toContain(expected[crm][1]);
      expect(f.fix).toMatch(/reconnect/);
    }
    expectFixes(d);
  });

  it('GEN-DOC-1..5: a CRM that needs reconnection makes each of its checks a finding saying so, not a failed request', async () => {
    const revoked = await fetch(`${w.sandbox.jobadder.url}/_sandbox/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: w.company.ids.jobadderAccountId, accessTokens: true }),
    });
    expect(revoked.status).toBe(200);
    const d = await runDoctor(w, 'jobadder');
    const ja = d.integrations[0];
    const notRun = ja?.findings.filter((f) => f.title === 'Not checked: JobAdder needs to be reconnected');
    expect(new Set(notRun?.map((f) => f.check))).toEqual(
      new Set(['GEN-DOC-1', 'GEN-DOC-2', 'GEN-DOC-3', 'GEN-DOC-5']),
    );
    for (const f of notRun ?? []) {
      expect(f.severity).toBe('error');
      expect(f.detail).toMatch(/refused the refresh token/);
      expect(f.fix).toMatch(/Reconnect JobAdder/);
    }
    // The checks that need only Aircall still ran.
    expect(findingsOf(d, 'jobadder', 'GEN-DOC-4').length).toBeGreaterThan(0);
    expect(findingsOf(d, 'jobadder', 'GEN-DOC-4').some((f) => f.title.startsWith('Not checked'))).toBe(false);
  });
});
