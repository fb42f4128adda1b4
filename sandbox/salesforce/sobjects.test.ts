import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_PREFIXES, makeId } from './ids.ts';
import { ADMIN_ID, AGENT_ID, ORG_ID, TOKEN, V, caller, startTestSalesforce } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestSalesforce>>;
let api: ReturnType<typeof caller>;
let admin: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestSalesforce();
  api = caller(t.url, TOKEN);
  admin = caller(t.url, null);
});
afterAll(() => t.close());

const SF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

async function create(type: string, body: Record<string, unknown>): Promise<string> {
  const res = await api.post(`${V}/sobjects/${type}`, body);
  if (res.status !== 201) throw new Error(`create ${type} refused: ${res.text}`);
  return String(res.body.id);
}

describe('Salesforce simulator: sObject rows (API-CONTRACTS 3.1, 3.3)', () => {
  it('SF-MISC-1: a Task is created with defaults (Status Not Started, Priority Normal), system fields and the API user as owner', async () => {
    await t.reset();
    await admin.post('/_sandbox/clock', { now: '2026-11-22T04:33:58Z', frozen: true });
    const res = await api.post(`${V}/sobjects/Task`, { Subject: 'Call', TaskSubtype: 'Call', Type: 'Call' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^00T[0-9A-Za-z]{15}$/),
      success: true,
      errors: [],
    });
    const read = await api.get(`${V}/sobjects/Task/${String(res.body.id)}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      attributes: { type: 'Task', url: `${V}/sobjects/Task/${String(res.body.id)}` },
      Id: res.body.id,
      Subject: 'Call',
      Status: 'Not Started',
      Priority: 'Normal',
      TaskSubtype: 'Call',
      IsClosed: false,
      OwnerId: ADMIN_ID,
      CreatedById: ADMIN_ID,
      LastModifiedById: ADMIN_ID,
      CreatedDate: '2026-11-22T04:33:58.000+0000',
      aircall__Was_Connected__c: false,
    });
    expect(read.body.SystemModstamp).toMatch(SF_DATETIME);
  });

  it('reads only the requested fields (plus Id), updates with 204, refuses TaskSubtype on update, deletes with 204', async () => {
    await t.reset();
    const id = await create('Task', { Subject: 'Call', Status: 'In Progress' });
    const some = await api.get(`${V}/sobjects/Task/${id}?fields=Subject,status`);
    expect(some.body).toEqual({
      attributes: { type: 'Task', url: `${V}/sobjects/Task/${id}` },
      Subject: 'Call',
      Status: 'In Progress',
      Id: id,
    });
    await admin.post('/_sandbox/clock', { advanceMs: 60_000 });
    const upd = await api.patch(`${V}/sobjects/Task/${id}`, {
      Status: 'Completed',
      CallDurationInSeconds: 95,
    });
    expect(upd.status).toBe(204);
    expect(upd.text).toBe('');
    const stored = t.sim.record(ORG_ID, id);
    expect(stored?.fields).toMatchObject({ Status: 'Completed', IsClosed: true, CallDurationInSeconds: 95 });
    expect(stored?.fields.LastModifiedDate).not.toBe(stored?.fields.CreatedDate);

    const subtype = await api.patch(`${V}/sobjects/Task/${id}`, { TaskSubtype: 'Call' });
    expect(subtype.status).toBe(400);
    expect(subtype.body).toEqual([
      expect.objectContaining({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['TaskSubtype'] }),
    ]);

    expect((await api.del(`${V}/sobjects/Task/${id}`)).status).toBe(204);
    const gone = await api.get(`${V}/sobjects/Task/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }]);
    expect(t.sim.records(ORG_ID, 'Task')).toHaveLength(0);
  });

  it('derives Name for Contacts and Leads, IsClosed and CaseNumber for Cases, and accepts 15-character ids', async () => {
    await t.reset();
    const contact = await create('Contact', {
      FirstName: 'Claire',
      LastName: 'Dupont',
      Phone: '+33612345678',
    });
    expect(t.sim.record(ORG_ID, contact)?.fields.Name).toBe('Claire Dupont');
    const caseId = await create('Case', {
      Subject: 'Help',
      ContactId: contact.slice(0, 15),
      Origin: 'Phone',
    });
    const kase = t.sim.record(ORG_ID, caseId)?.fields;
    expect(kase).toMatchObject({ Status: 'New', IsClosed: false, ContactId: contact, Priority: 'Medium' });
    expect(kase?.CaseNumber).toMatch(/^\d{8}$/);
    await api.patch(`${V}/sobjects/Case/${caseId.slice(0, 15)}`, { Status: 'Closed' });
    expect(t.sim.record(ORG_ID, caseId)?.fields).toMatchObject({
      IsClosed: true,
      ClosedDate: expect.any(String),
    });
  });

  it('answers 404 NOT_FOUND for unknown objects and records', async () => {
    await t.reset();
    const unknownType = await api.post(`${V}/sobjects/Foo`, {});
    expect(unknownType.status).toBe(404);
    expect(unknownType.body).toEqual([
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
    ]);
    expect((await api.get(`${V}/sobjects/Contact/${makeId(KEY_PREFIXES.Contact, 999_999)}`)).status).toBe(
      404,
    );
    expect((await api.get(`${V}/sobjects/Contact/not-an-id`)).status).toBe(404);
  });
});

describe('Salesforce simulator: write rules (API-CONTRACTS 3.4, 3.5)', () => {
  it('SF-LEAD-1: a Lead needs LastName and Company (REQUIRED_FIELD_MISSING naming both), not Company with Person Accounts', async () => {
    await t.reset();
    const res = await api.post(`${V}/sobjects/Lead`, { FirstName: 'X' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: 'Required fields are missing: [LastName, Company]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['LastName', 'Company'],
      },
    ]);
    expect((await api.post(`${V}/sobjects/Lead`, { LastName: 'X', Company: 'Unknown Company' })).status).toBe(
      201,
    );
    expect((await api.post(`${V}/sobjects/Contact`, {})).body).toMatchObject([{ fields: ['LastName'] }]);
    expect((await api.post(`${V}/sobjects/Account`, {})).body).toMatchObject([{ fields: ['Name'] }]);

    await t.reset({ personAccounts: true });
    expect((await api.post(`${V}/sobjects/Lead`, { LastName: 'X' })).status).toBe(201);
  });

  it('GEN-REQ-1: an org-required custom field refuses creation without it, and updates of records that lack it', async () => {
    const seeded = await t.reset({
      fields: {
        Contact: { custom: [{ name: 'Region__c', label: 'Region', type: 'string', required: true }] },
      },
      records: { Contact: [{ LastName: 'Legacy' }] },
    });
    const res = await api.post(`${V}/sobjects/Contact`, { LastName: 'New' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      {
        message: 'Required fields are missing: [Region__c]',
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: ['Region__c'],
      },
    ]);
    expect((await api.post(`${V}/sobjects/Contact`, { LastName: 'New', Region__c: 'EMEA' })).status).toBe(
      201,
    );
    const legacy = seeded.ids.Contact?.[0] ?? '';
    const upd = await api.patch(`${V}/sobjects/Contact/${legacy}`, { Phone: '+33612345678' });
    expect(upd.status).toBe(400);
    expect(upd.body).toMatchObject([{ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Region__c'] }]);
  });

  it('SF-TYPE-1: a field hidden by field-level security is INVALID_FIELD on write, read and query, and absent from describe', async () => {
    await t.reset({ fields: { Task: { hidden: ['Type'] } } });
    const res = await api.post(`${V}/sobjects/Task`, { Subject: 'Call', Type: 'Call' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual([
      { message: "No such column 'Type' on sobject of type Task", errorCode: 'INVALID_FIELD' },
    ]);
    const id = await create('Task', { Subject: 'Call' });
    expect((await api.get(`${V}/sobjects/Task/${id}?fields=Type`)).body).toMatchObject([
      { errorCode: 'INVALID_FIELD' },
    ]);
    expect((await api.get(`${V}/sobjects/Task/${id}`)).body).not.toHaveProperty('Type');
    const query = await api.get(`${V}/query?q=${encodeURIComponent('SELECT Id, Type FROM Task')}`);
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject([
      { errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Type'") },
    ]);
    const describe = await api.get(`${V}/sobjects/Task/describe`);
    const names = (describe.body.fields as { name: string }[]).map((f) => f.name);
    expect(names).not.toContain('Type');
    expect(names).toContain('Subject');
  });

  it('refuses unknown fields, read-only fields, bad types and over-long strings with their error codes', async () => {
    await t.reset();
    expect((await api.post(`${V}/sobjects/Task`, { Nope__c: 1 })).body).toEqual([
      { message: "No such column 'Nope__c' on sobject of type Task", errorCode: 'INVALID_FIELD' },
    ]);
    expect((await api.post(`${V}/sobjects/Task`, { IsClosed: true })).body).toMatchObject([
      { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsClosed'] },
    ]);
    expect((await api.post(`${V}/sobjects/Task`, { CallDurationInSeconds: 'long' })).body).toMatchObject([
      { errorCode: 'JSON_PARSER_ERROR' },
    ]);
    expect((await api.post(`${V}/sobjects/Task`, { CallType: 'Sideways' })).body).toMatchObject([
      { errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['CallType'] },
    ]);
    expect((await api.post(`${V}/sobjects/Contact`, { LastName: 'X', Email: 'nope' })).body).toMatchObject([
      { errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] },
    ]);
    for (const [field, max] of [
      ['Subject', 255],
      ['CallDisposition', 255],
      ['Description', 32000],
    ] as const) {
      const res = await api.post(`${V}/sobjects/Task`, { [field]: 'x'.repeat(max + 1) });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject([
        {
          errorCode: 'STRING_TOO_LONG',
          fields: [field],
          message: expect.stringContaining(`(max length=${max})`),
        },
      ]);
      expect((await api.post(`${V}/sobjects/Task`, { [field]: 'x'.repeat(max) })).status).toBe(201);
    }
  });

  it('SF-WHO-1: references are checked: MALFORMED_ID, wrong object, unknown record, converted Lead, inactive owner', async () => {
    const seeded = await t.reset({
      users: [{ FirstName: 'Gone', LastName: 'User', Email: 'gone@acme.test', IsActive: false }],
      records: {
        Account: [{ Name: 'Acme' }],
        Lead: [{ LastName: 'Converted', Company: 'C', IsConverted: true }],
      },
    });
    const accountId = seeded.ids.Account?.[0] ?? '';
    const convertedLead = seeded.ids.Lead?.[0] ?? '';
    const inactive = seeded.userIds[2] ?? '';
    const cases: [Record<string, unknown>, string][] = [
      [{ WhoId: 'abc' }, 'MALFORMED_ID'],
      [{ WhoId: accountId }, 'FIELD_INTEGRITY_EXCEPTION'],
      [{ WhoId: makeId(KEY_PREFIXES.Contact, 999_999) }, 'INVALID_CROSS_REFERENCE_KEY'],
      [{ WhoId: convertedLead }, 'CANNOT_UPDATE_CONVERTED_LEAD'],
      [{ OwnerId: inactive }, 'INACTIVE_OWNER_OR_USER'],
    ];
    for (const [body, code] of cases) {
      const res = await api.post(`${V}/sobjects/Task`, { Subject: 'Call', ...body });
      expect(res.status, code).toBe(400);
      expect(res.body, code).toMatchObject([{ errorCode: code }]);
    }
    const contact = await create('Contact', { LastName: 'Dupont', AccountId: accountId });
    const task = await create('Task', { Subject: 'Call', WhoId: contact, OwnerId: AGENT_ID });
    // Task.AccountId follows the Contact's Account.
    expect(t.sim.record(ORG_ID, task)?.fields).toMatchObject({ OwnerId: AGENT_ID, AccountId: accountId });
  });
});

describe('Salesforce simulator: upsert by external id (API-CONTRACTS 3.1)', () => {
  it('GEN-IDEM-1: PATCH on Aircall_Bridge_Key__c creates (201 created:true) then updates (200 created:false) the same Task', async () => {
    await t.reset();
    const path = `${V}/sobjects/Task/Aircall_Bridge_Key__c/aircall-call-123`;
    const first = await api.patch(path, { Subject: 'Inbound call', TaskSubtype: 'Call' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.stringMatching(/^00T/),
      success: true,
      errors: [],
      created: true,
    });
    const again = await api.patch(path, { Subject: 'Inbound call from Claire' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, success: true, errors: [], created: false });
    expect(t.sim.records(ORG_ID, 'Task').map((r) => r.fields.Subject)).toEqual(['Inbound call from Claire']);
    expect(t.sim.records(ORG_ID, 'Task')[0]?.fields.Aircall_Bridge_Key__c).toBe('aircall-call-123');
    // Before v46.0 an update answered 204 without a body.
    const old = await api.patch(path.replace('v60.0', 'v45.0'), { Subject: 'x' });
    expect(old.status).toBe(204);
    // The key is unique: creating another Task with it is DUPLICATE_VALUE.
    const dup = await api.post(`${V}/sobjects/Task`, { Aircall_Bridge_Key__c: 'aircall-call-123' });
    expect(dup.body).toMatchObject([{ errorCode: 'DUPLICATE_VALUE' }]);
  });

  it('answers 300 with the matching records when a non-unique external id matches several, 404 for a non-external-id field', async () => {
    const seeded = await t.reset({
      fields: {
        Contact: { custom: [{ name: 'Legacy_Id__c', label: 'Legacy Id', type: 'string', externalId: true }] },
      },
      records: {
        Contact: [
          { LastName: 'A', Legacy_Id__c: 'L1' },
          { LastName: 'B', Legacy_Id__c: 'l1' },
        ],
      },
    });
    const res = await api.patch(`${V}/sobjects/Contact/Legacy_Id__c/L1`, { Title: 'x' });
    expect(res.status).toBe(300);
    expect(res.body).toEqual((seeded.ids.Contact ?? []).map((id) => `${V}/sobjects/Contact/${id}`));
    const notExternal = await api.patch(`${V}/sobjects/Contact/LastName/A`, { Title: 'x' });
    expect(notExternal.status).toBe(404);
    expect(notExternal.body).toEqual([
      {
        message: 'Provided external ID field does not exist or is not accessible: LastName',
        errorCode: 'NOT_FOUND',
      },
    ]);
    const read = await api.get(`${V}/sobjects/Contact/Legacy_Id__c/nope`);
    expect(read.status).toBe(404);
  });
});

describe('Salesforce simulator: describe (API-CONTRACTS 3.3)', () => {
  it('SF-FLD-1: Task describe lists the call fields and the aircall__ custom fields with their labels', async () => {
    await t.reset();
    const res = await api.get(`${V}/sobjects/Task/describe`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Task', keyPrefix: '00T' });
    const fields = res.body.fields as { name: string; label: string }[];
    const byName = new Map(fields.map((f) => [f.name, f]));
    for (const name of [
      'Subject',
      'Type',
      'TaskSubtype',
      'CallDisposition',
      'CallType',
      'CallDurationInSeconds',
      'CallObject',
      'ActivityDate',
      'Description',
      'WhoId',
      'WhatId',
      'OwnerId',
      'Status',
      'Priority',
      'Aircall_Bridge_Key__c',
    ])
      expect(byName.has(name), name).toBe(true);
    expect(byName.get('aircall__Time_Zone__c')).toMatchObject({ label: 'Time Zone', custom: true });
    expect(byName.get('aircall__Time_of_Day__c')).toMatchObject({ label: 'Time of Day' });
    expect(byName.get('aircall__Connection_Status__c')).toMatchObject({
      label: 'Connection Status',
      type: 'picklist',
    });
    expect(byName.get('aircall__Was_Connected__c')).toMatchObject({
      label: 'Was Connected',
      type: 'boolean',
    });
    for (const name of [
      'aircall__Waiting_Time__c',
      'aircall__Answered_by__c',
      'aircall__Phone_number__c',
      'aircall__Country__c',
      'aircall__Call_Recording__c',
      'aircall__Transferred_to__c',
    ])
      expect(byName.has(name), name).toBe(true);
    expect(byName.get('TaskSubtype')).toMatchObject({ createable: true, updateable: false });
    expect(byName.get('Status')).toMatchObject({
      defaultedOnCreate: true,
      picklistValues: expect.arrayContaining([
        expect.objectContaining({ value: 'Not Started', defaultValue: true }),
      ]),
    });
    expect(byName.get('Aircall_Bridge_Key__c')).toMatchObject({
      externalId: true,
      unique: true,
      length: 255,
    });
  });

  it('GEN-REQ-1: required fields read as createable, not nillable, not defaulted; IsPersonAccount only with Person Accounts', async () => {
    await t.reset({
      fields: {
        Task: {
          custom: [
            { name: 'Team__c', label: 'Team', type: 'picklist', required: true, picklistValues: ['A'] },
          ],
        },
      },
    });
    const task = await api.get(`${V}/sobjects/Task/describe`);
    expect((task.body.fields as { name: string }[]).find((f) => f.name === 'Team__c')).toMatchObject({
      createable: true,
      nillable: false,
      defaultedOnCreate: false,
      picklistValues: [expect.objectContaining({ value: 'A' })],
    });
    const lead = await api.get(`${V}/sobjects/Lead/describe`);
    expect((lead.body.fields as { name: string }[]).find((f) => f.name === 'Company')).toMatchObject({
      nillable: false,
    });
    const plain = await api.get(`${V}/sobjects/Account/describe`);
    expect((plain.body.fields as { name: string }[]).map((f) => f.name)).not.toContain('IsPersonAccount');

    await t.reset({ personAccounts: true });
    const person = await api.get(`${V}/sobjects/Account/describe`);
    expect((person.body.fields as { name: string }[]).map((f) => f.name)).toEqual(
      expect.arrayContaining(['IsPersonAccount', 'PersonMobilePhone']),
    );
    const id = await create('Account', {
      FirstName: 'Paul',
      LastName: 'Person',
      PersonMobilePhone: '+33611111111',
    });
    expect(t.sim.record(ORG_ID, id)?.fields).toMatchObject({ IsPersonAccount: true, Name: 'Paul Person' });
  });

  it('lists the objects (GET /sobjects) and the versions (GET /services/data/, v42.0 and later)', async () => {
    await t.reset();
    const list = await api.get(`${V}/sobjects`);
    expect((list.body.sobjects as { name: string }[]).map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'Task',
        'Contact',
        'Lead',
        'Account',
        'Case',
        'Opportunity',
        'OpportunityContactRole',
        'User',
      ]),
    );
    const versions = await admin.get('/services/data/');
    expect(versions.status).toBe(200);
    expect(versions.body[0]).toEqual({ label: 'v42.0', url: '/services/data/v42.0', version: '42.0' });
    expect((await api.get('/services/data/v41.0/sobjects')).status).toBe(404);
    expect((await api.get('/services/data/v42.0/sobjects')).status).toBe(200);
  });
});
