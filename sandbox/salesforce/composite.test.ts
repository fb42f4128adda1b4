import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_ID, TOKEN, V, caller, startTestSalesforce } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestSalesforce>>;
let api: ReturnType<typeof caller>;
beforeAll(async () => {
  t = await startTestSalesforce();
  api = caller(t.url, TOKEN);
});
afterAll(() => t.close());

type Sub = {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
};
const subs = (res: { body: Record<string, unknown> }) => res.body.compositeResponse as Sub[];

describe('Salesforce simulator: composite (API-CONTRACTS 3.1)', () => {
  it('runs subrequests in order with @{ref.id} and @{ref.records[0].Id} references', async () => {
    await t.reset({ records: { Contact: [{ LastName: 'Dupont', Phone: '+33612345678' }] } });
    const res = await api.post(`${V}/composite`, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'GET',
          url: `${V}/query?q=${encodeURIComponent("SELECT Id FROM Contact WHERE LastName = 'Dupont'")}`,
          referenceId: 'refContact',
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Case`,
          referenceId: 'refCase',
          body: { Subject: 'Call', ContactId: '@{refContact.records[0].Id}' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Task`,
          referenceId: 'refTask',
          body: { Subject: 'Inbound call', WhoId: '@{refContact.records[0].Id}', WhatId: '@{refCase.id}' },
        },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Task/@{refTask.id}`,
          referenceId: 'refUpdate',
          body: { Status: 'Completed' },
        },
        {
          method: 'GET',
          url: `${V}/sobjects/Task/@{refTask.id}?fields=Status,WhatId`,
          referenceId: 'refRead',
        },
      ],
    });
    expect(res.status).toBe(200);
    const out = subs(res);
    expect(out.map((s) => [s.referenceId, s.httpStatusCode])).toEqual([
      ['refContact', 200],
      ['refCase', 201],
      ['refTask', 201],
      ['refUpdate', 204],
      ['refRead', 200],
    ]);
    const caseId = (out[1]?.body as { id: string }).id;
    expect(out[1]?.httpHeaders).toEqual({ Location: `${V}/sobjects/Case/${caseId}` });
    expect(out[3]?.body).toBeNull();
    expect(out[4]?.body).toMatchObject({ Status: 'Completed', WhatId: caseId });
    const contactId = t.sim.records(ORG_ID, 'Contact')[0]?.Id;
    expect(t.sim.records(ORG_ID, 'Task')[0]?.fields).toMatchObject({ WhoId: contactId, WhatId: caseId });
  });

  it('allOrNone: a failing subrequest rolls everything back and the others answer PROCESSING_HALTED', async () => {
    await t.reset();
    const res = await api.post(`${V}/composite`, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Contact`,
          referenceId: 'refContact',
          body: { LastName: 'Dupont' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Lead`,
          referenceId: 'refLead',
          body: { LastName: 'NoCompany' },
        },
        { method: 'POST', url: `${V}/sobjects/Task`, referenceId: 'refTask', body: { Subject: 'Call' } },
      ],
    });
    expect(res.status).toBe(200);
    const halted = {
      body: [
        {
          errorCode: 'PROCESSING_HALTED',
          message: 'The transaction was rolled back since another operation in the same transaction failed.',
        },
      ],
      httpHeaders: {},
      httpStatusCode: 400,
    };
    expect(subs(res)).toEqual([
      { ...halted, referenceId: 'refContact' },
      {
        body: [
          {
            message: 'Required fields are missing: [Company]',
            errorCode: 'REQUIRED_FIELD_MISSING',
            fields: ['Company'],
          },
        ],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: 'refLead',
      },
      { ...halted, referenceId: 'refTask' },
    ]);
    expect(t.sim.records(ORG_ID, 'Contact')).toHaveLength(0);
    expect(t.sim.records(ORG_ID, 'Task')).toHaveLength(0);
  });

  it('without allOrNone, later subrequests still run; those referencing a failed one are halted', async () => {
    await t.reset();
    const res = await api.post(`${V}/composite`, {
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Lead`,
          referenceId: 'refLead',
          body: { LastName: 'NoCompany' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Task`,
          referenceId: 'refTask',
          body: { Subject: 'Call', WhoId: '@{refLead.id}' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Contact`,
          referenceId: 'refContact',
          body: { LastName: 'Dupont' },
        },
      ],
    });
    const out = subs(res);
    expect(out.map((s) => s.httpStatusCode)).toEqual([400, 400, 201]);
    expect(out[1]?.body).toEqual([
      { errorCode: 'PROCESSING_HALTED', message: expect.stringContaining('refLead.id') },
    ]);
    expect(t.sim.records(ORG_ID, 'Contact')).toHaveLength(1);
  });

  it('refuses more than 25 subrequests and a subrequest without referenceId, running none', async () => {
    await t.reset();
    const one = { method: 'POST', url: `${V}/sobjects/Contact`, body: { LastName: 'X' } };
    const tooMany = await api.post(`${V}/composite`, {
      compositeRequest: Array.from({ length: 26 }, (_, i) => ({ ...one, referenceId: `r${i}` })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject([{ errorCode: 'LIMIT_EXCEEDED' }]);
    const missing = await api.post(`${V}/composite`, {
      compositeRequest: [{ ...one, referenceId: 'a' }, one],
    });
    expect(missing.body).toEqual([
      { message: "'referenceId' is a required field.", errorCode: 'JSON_PARSER_ERROR' },
    ]);
    expect(t.sim.records(ORG_ID, 'Contact')).toHaveLength(0);
  });
});

describe('Salesforce simulator: sObject Collections (API-CONTRACTS 3.1)', () => {
  it('creates records of several types, one result each in order; allOrNone rolls back on a failure', async () => {
    await t.reset();
    const ok = await api.post(`${V}/composite/sobjects`, {
      allOrNone: false,
      records: [
        { attributes: { type: 'Contact' }, LastName: 'Dupont' },
        { attributes: { type: 'Lead' }, LastName: 'NoCompany' },
        { attributes: { type: 'Task' }, Subject: 'Call' },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual([
      { id: expect.stringMatching(/^003/), success: true, errors: [] },
      {
        success: false,
        errors: [
          {
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [Company]',
            fields: ['Company'],
          },
        ],
      },
      { id: expect.stringMatching(/^00T/), success: true, errors: [] },
    ]);

    const atomic = await api.post(`${V}/composite/sobjects`, {
      allOrNone: true,
      records: [
        { attributes: { type: 'Contact' }, LastName: 'Second' },
        { attributes: { type: 'Lead' }, LastName: 'NoCompany' },
      ],
    });
    expect(atomic.body).toEqual([
      {
        success: false,
        errors: [expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' })],
      },
      { success: false, errors: [expect.objectContaining({ statusCode: 'REQUIRED_FIELD_MISSING' })] },
    ]);
    expect(t.sim.records(ORG_ID, 'Contact').map((c) => c.fields.LastName)).toEqual(['Dupont']);
    const tooMany = await api.post(`${V}/composite/sobjects`, {
      records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Contact' }, LastName: 'X' })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject([{ errorCode: 'EXCEEDED_ID_LIMIT' }]);
  });

  it('updates records carrying id (PATCH /composite/sobjects), upserts by external id, reads and deletes', async () => {
    const seeded = await t.reset({ records: { Task: [{ Subject: 'A' }, { Subject: 'B' }] } });
    const [a, b] = seeded.ids.Task ?? [];
    const upd = await api.patch(`${V}/composite/sobjects`, {
      records: [
        { attributes: { type: 'Task' }, id: a, Status: 'Completed' },
        { attributes: { type: 'Task' }, id: b, TaskSubtype: 'Call' },
      ],
    });
    expect(upd.body).toEqual([
      { id: a, success: true, errors: [] },
      {
        success: false,
        errors: [
          expect.objectContaining({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['TaskSubtype'] }),
        ],
      },
    ]);
    const upsert = await api.patch(`${V}/composite/sobjects/Task/Aircall_Bridge_Key__c`, {
      records: [
        { attributes: { type: 'Task' }, Aircall_Bridge_Key__c: 'call-1', Subject: 'One' },
        { attributes: { type: 'Task' }, Aircall_Bridge_Key__c: 'call-1', Subject: 'One again' },
      ],
    });
    expect(upsert.body).toEqual([
      { id: expect.any(String), success: true, errors: [], created: true },
      { id: expect.any(String), success: true, errors: [], created: false },
    ]);
    const read = await api.get(`${V}/composite/sobjects/Task?ids=${a},${b}&fields=Subject,Status`);
    expect(read.body).toEqual([
      expect.objectContaining({ Id: a, Subject: 'A', Status: 'Completed' }),
      expect.objectContaining({ Id: b, Subject: 'B', Status: 'Not Started' }),
    ]);
    const del = await api.del(`${V}/composite/sobjects?ids=${a},${b}`);
    expect(del.body).toEqual([
      { id: a, success: true, errors: [] },
      { id: b, success: true, errors: [] },
    ]);
    expect(t.sim.records(ORG_ID, 'Task').map((r) => r.fields.Subject)).toEqual(['One again']);
  });
});
