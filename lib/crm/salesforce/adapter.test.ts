/**
 * The Salesforce adapter against the simulator over real HTTP: the facts it
 * gathers for the planner (facts.ts), the requests that costs and what it
 * caches, and how writes stay idempotent (GEN-IDEM-1).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlannedWrite } from '../../logging/plan-types.ts';
import { salesforceSettingsSchema } from './settings.ts';
import {
  ADMIN_ID,
  AGENT_ID,
  TOKEN,
  caller,
  startTestSalesforce,
} from '../../../sandbox/salesforce/testing.ts';
import { KEY_FIELD, keyHash, phoneTerms, SalesforceAdapter } from './adapter.ts';
import { SalesforceClient } from './client.ts';

const DAY = 86_400_000;
let t: Awaited<ReturnType<typeof startTestSalesforce>>;
let ids: Record<string, string[]>;
let orgId: string;
let now: number;
let adapter: SalesforceAdapter;

function newAdapter(): SalesforceAdapter {
  const client = new SalesforceClient({
    instanceUrl: t.url,
    apiVersion: '60.0',
    auth: { token: async () => TOKEN },
  });
  return new SalesforceAdapter({
    client,
    clock: { now: () => now },
    installer: { userId: ADMIN_ID, email: 'ann@acme.test' },
  });
}

const settings = (extra: Record<string, unknown> = {}) =>
  salesforceSettingsSchema.parse({ crm: 'salesforce', defaultCountry: 'FR', ...extra });

const gatherFor = (e164: string | null, extra: Record<string, unknown> = {}) =>
  adapter.gather({
    settings: settings(extra),
    kind: 'call',
    externalE164: e164,
    existing: {},
    linkedRecord: null,
    activityType: 'inbound_answered',
  });

async function requests(): Promise<{ method: string; path: string; query: string }[]> {
  const r = await caller(t.url, null).get(`/_sandbox/requests?account=${orgId}`);
  return r.body.requests as { method: string; path: string; query: string }[];
}

function taskWrite(fields: Record<string, unknown>, op: 'create' | 'update' = 'create'): PlannedWrite {
  return { ref: 'activity', op, target: 'salesforce.Task', fields, links: [], rules: ['SF-WHEN-1'] };
}

beforeAll(async () => {
  t = await startTestSalesforce();
});
afterAll(() => t.close());
beforeEach(async () => {
  now = Date.now();
  const seeded = await t.reset({
    records: {
      Contact: [
        { FirstName: 'Claire', LastName: 'Dupont', Phone: '06 12 34 56 78', AccountId: null },
        { FirstName: 'Other', LastName: 'Person', Phone: '+33699999999' },
      ],
      Lead: [{ LastName: 'Lead', Company: 'Acme', MobilePhone: '+33 6 12 34 56 78', OwnerId: AGENT_ID }],
    },
  });
  orgId = seeded.orgId;
  ids = seeded.ids as Record<string, string[]>;
  const claire = ids.Contact?.[0];
  const cases = await caller(t.url, null).post('/_sandbox/seed', {
    orgs: [
      {
        orgId,
        records: {
          Case: [
            { Subject: 'Closed one', Status: 'Closed', ContactId: claire },
            { Subject: 'Older', ContactId: claire, LastModifiedDate: now - 2 * DAY },
            { Subject: 'Newer', ContactId: claire, LastModifiedDate: now - DAY },
          ],
        },
      },
    ],
  });
  ids.Case = ((cases.body.orgs as { ids: Record<string, string[]> }[])[0]?.ids.Case ?? []) as string[];
  adapter = newAdapter();
});

describe('SalesforceAdapter.gather (facts.ts)', () => {
  it('SF-MATCH-1 / SF-CASE-2: SOSL finds Contact and Lead; the Contact carries its open Cases, newest first', async () => {
    const g = await gatherFor('+33612345678');
    expect(g.records.map((r) => [r.kind, r.name])).toEqual([
      ['Contact', 'Claire Dupont'],
      ['Lead', 'Lead'],
    ]);
    const [contact, lead] = g.records;
    expect(contact?.phones).toEqual([{ field: 'Phone', value: '06 12 34 56 78' }]);
    expect(contact?.ownerId).toBe(ADMIN_ID);
    expect(contact?.updatedAt).toMatch(/Z$/);
    const cases = (contact?.extra?.openCases as { Id: string; Name: string }[]).map((c) => c.Id);
    expect(cases).toEqual([ids.Case?.[2], ids.Case?.[1]]);
    expect(lead).toMatchObject({
      ownerId: AGENT_ID,
      phones: [{ field: 'MobilePhone', value: '+33 6 12 34 56 78' }],
    });
    expect(lead?.extra).toMatchObject({ IsConverted: false });
    expect(lead?.extra?.openCases).toBeUndefined();
  });

  it('org facts: users with ISO CreatedDate, Task fields, Person Accounts, installer rights, installer id', async () => {
    const g = await gatherFor(null);
    expect(g.users.map((u) => [u.id, u.email, u.active])).toEqual([
      [ADMIN_ID, 'ann@acme.test', true],
      [AGENT_ID, 'bob@acme.test', true],
    ]);
    expect(Number.isNaN(Date.parse(g.users[0]?.createdAt ?? ''))).toBe(false);
    expect(g.installerUserId).toBe(ADMIN_ID);
    expect(g.installerStatus).toEqual({ name: 'Ann Admin', crmAdmin: true });
    expect(g.crmFacts.personAccountsEnabled).toBe(false);
    expect(g.crmFacts.taskFields).toEqual(
      expect.arrayContaining(['Subject', 'Type', 'TaskSubtype', 'WhoId', 'aircall__Was_Connected__c']),
    );
    expect(g.blockedCreates).toEqual([]);
  });

  it('SF-TYPE-1 / GEN-REQ-1: a hidden Type and a required custom Lead field show in the facts', async () => {
    await caller(t.url, null).post('/_sandbox/seed', {
      orgs: [
        {
          orgId,
          personAccounts: true,
          fields: {
            Task: { hidden: ['Type'] },
            Lead: { custom: [{ name: 'Region__c', label: 'Region', type: 'string', required: true }] },
          },
        },
      ],
    });
    const g = await gatherFor(null);
    expect(g.crmFacts.taskFields).not.toContain('Type');
    expect(g.crmFacts.personAccountsEnabled).toBe(true);
    expect(g.blockedCreates).toEqual([{ target: 'salesforce.Lead', field: 'Region__c' }]);
  });

  it('costs one composite for the org and one SOSL plus one SOQL per number, cached 5 min and 60 s', async () => {
    const before = (await requests()).length;
    await gatherFor('+33612345678');
    const first = (await requests())
      .slice(before)
      .map((r) => `${r.method} ${r.path.replace(/.*v60\.0/, '')}`);
    expect(first).toEqual(['POST /composite', 'GET /search', 'GET /query']);
    await gatherFor('+33612345678');
    expect((await requests()).length - before).toBe(3);
    now += 61_000;
    await gatherFor('+33612345678');
    expect((await requests()).length - before).toBe(5);
    now += 5 * 60_000;
    await gatherFor('+33612345678', { relateTo: 'none' });
    const last = (await requests())
      .slice(before + 5)
      .map((r) => `${r.method} ${r.path.replace(/.*v60\.0/, '')}`);
    // relateTo none: no Case query.
    expect(last).toEqual(['POST /composite', 'GET /search']);
  });

  it('phone terms: E.164 digits, national number and national format', () => {
    expect(phoneTerms('+33612345678')).toEqual(['33612345678', '612345678', '0612345678']);
    expect(phoneTerms('+14155550100')).toEqual(['14155550100', '4155550100']);
  });
});

describe('SalesforceAdapter writes (GEN-IDEM-1)', () => {
  it('a create retried with the same key updates the first Task; recover finds it by the key', async () => {
    const fields = {
      Subject: 'Inbound call',
      TaskSubtype: 'Call',
      Type: 'Call',
      Status: 'Completed',
      CallObject: '1',
    };
    const key = 'demo:salesforce/call/1/activity';
    const id = await adapter.create(
      taskWrite(fields),
      [{ id: ADMIN_ID, object: 'User', as: 'OwnerId' }],
      key,
    );
    // The same create again (a worker that died before recording the id): Salesforce has TaskSubtype already.
    const again = await adapter.create(taskWrite({ ...fields, Subject: 'Inbound call (2)' }), [], key);
    expect(again).toBe(id);
    expect(await adapter.recover(taskWrite(fields), key)).toBe(id);
    expect(await adapter.recover(taskWrite(fields), 'demo:salesforce/call/2/activity')).toBeNull();
    const task = t.sim.record(orgId, id);
    expect(task?.fields).toMatchObject({
      Subject: 'Inbound call (2)',
      TaskSubtype: 'Call',
      OwnerId: ADMIN_ID,
      [KEY_FIELD]: keyHash(key),
    });
    expect(t.sim.records(orgId, 'Task')).toHaveLength(1);
  });

  it('an update leaves TaskSubtype out (create-only) and clears nulls; links become reference fields', async () => {
    const id = await adapter.create(
      taskWrite({ Subject: 's', TaskSubtype: 'Call', Description: 'first', Status: 'Completed' }),
      [],
      'k/1',
    );
    const claire = ids.Contact?.[0] ?? '';
    await adapter.update(taskWrite({ Subject: 's2', TaskSubtype: 'Call', Description: null }, 'update'), id, [
      { id: claire, object: 'Contact', as: 'WhoId' },
    ]);
    expect(t.sim.record(orgId, id)?.fields).toMatchObject({
      Subject: 's2',
      Description: null,
      WhoId: claire,
    });
  });

  it('an update that changes nothing the Task shows costs no request', async () => {
    const id = await adapter.create(
      taskWrite({ Subject: 's', TaskSubtype: 'Call', Description: null }),
      [],
      'k/3',
    );
    const before = (await requests()).length;
    await adapter.update(
      taskWrite({ Subject: 's', TaskSubtype: 'Call', Description: null }, 'update'),
      id,
      [],
    );
    expect((await requests()).length).toBe(before);
    await adapter.update(taskWrite({ Subject: 's2', Description: null }, 'update'), id, []);
    expect((await requests()).length).toBe(before + 1);
  });

  it('an org without the key field: a plain create, recovered by CallObject', async () => {
    await caller(t.url, null).post('/_sandbox/seed', {
      orgs: [{ orgId, fields: { Task: { hidden: [KEY_FIELD] } } }],
    });
    const fields = { Subject: 'x', Status: 'Completed', CallObject: '4242' };
    const id = await adapter.create(taskWrite(fields), [], 'k/2');
    expect(await adapter.recover(taskWrite(fields), 'k/2')).toBe(id);
  });

  it('SF-OWN-4: a record owner update is a PATCH of OwnerId, and the next lookup sees it', async () => {
    const claire = ids.Contact?.[0] ?? '';
    expect((await gatherFor('+33612345678')).records[0]?.ownerId).toBe(ADMIN_ID);
    await adapter.update(
      {
        ref: 'record_owner',
        op: 'update',
        target: 'salesforce.Contact',
        id: claire,
        fields: { OwnerId: AGENT_ID },
        links: [],
        rules: [],
      },
      claire,
      [],
    );
    expect((await gatherFor('+33612345678')).records[0]?.ownerId).toBe(AGENT_ID);
  });
});

describe('SalesforceAdapter records (EXT-LINK-1, EXT-FIX-1)', () => {
  it('reads a Contact with its phones; unknown or malformed ids are null; updates a phone', async () => {
    const claire = ids.Contact?.[0] ?? '';
    const r = await adapter.readRecord('Contact', claire);
    expect(r).toMatchObject({ id: claire, kind: 'Contact', name: 'Claire Dupont' });
    expect(await adapter.readRecord('Contact', '003000000000000AAA')).toBeNull();
    expect(await adapter.readRecord('Contact', 'not-an-id')).toBeNull();
    expect(await adapter.readRecord('Opportunity', claire)).toBeNull();
    await adapter.updateRecord('Contact', claire, { Phone: '+33612345678' });
    expect((await adapter.readRecord('Contact', claire))?.phones).toEqual([
      { field: 'Phone', value: '+33612345678' },
    ]);
    expect(adapter.objectOf('salesforce.Task')).toBe('Task');
    expect(await adapter.outcomes()).toEqual([]);
    expect(await adapter.checkSettings()).toBeNull();
  });
});
