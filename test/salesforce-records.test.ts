/**
 * End to end: which Salesforce record a call's Task goes on, what it is
 * related to, who owns it, and the records the integration creates (SPEC
 * section 5: SF-MATCH-1, SF-WHO-1, SF-CASE-1/2, SF-NEW-1, SF-LEAD-1,
 * SF-OWN-1..4; section 3: GEN-PHONE-1, GEN-REQ-1; section 7: EXT-LINK-1,
 * EXT-FIX-1). Calls are played through the Aircall simulator; records and
 * Tasks are read back with SOQL through Salesforce's REST API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, type ScenarioUser } from '../lib/aircall/scenarios.ts';
import { CLAIRE } from '../sandbox/demo.ts';
import { STORES } from './support/world.ts';
import { type SalesforceWorld, salesforceWorld } from './support/salesforce.ts';

const DAY = 86_400_000;
/** An Aircall agent whose Salesforce user is brand new (SF-OWN-1's one-day rule). */
const ZOE: ScenarioUser = { id: 13, name: 'Zoe Keller', email: 'zoe@example.com' };
/** An Aircall agent with no Salesforce user at all. */
const YANN: ScenarioUser = { id: 14, name: 'Yann Morel', email: 'yann@example.com' };

describe.each(STORES)('Salesforce records end to end (%s store)', { timeout: 60_000 }, (store) => {
  let s: SalesforceWorld;
  /** Salesforce user ids: Gaston, who has left (inactive since), and the records still his. */
  let gone: string;
  let orphanContact: string;
  let orphanLead: string;

  beforeAll(async () => {
    s = await salesforceWorld({ store, n: 31 });
    const seeded = await s.w.seedSalesforce({
      users: [{ FirstName: 'Gaston', LastName: 'Gone', Email: 'gaston@example.com', admin: false }],
    });
    gone = (seeded.json.orgs as { userIds: string[] }[])[0]?.userIds[0] ?? '';
    const ids = await s.seed({
      records: {
        Contact: [{ LastName: 'Orphan', Phone: '+33640000152', OwnerId: gone }],
        Lead: [{ LastName: 'Queued', Company: 'Q', Phone: '+33640000161', OwnerId: gone }],
      },
    });
    orphanContact = ids.Contact?.[0] ?? '';
    orphanLead = ids.Lead?.[0] ?? '';
    // Salesforce refuses an inactive owner on a write, but the records he owned keep him when he leaves.
    await s.seed({ users: [{ Id: gone, IsActive: false }] });
  }, 120_000);
  afterAll(async () => s?.w.close());

  const answered = (callId: number, external: string, user: ScenarioUser = ALICE) => ({
    callId,
    direction: 'inbound',
    external,
    answerAfter: 5,
    talk: 60,
    user,
  });
  const missed = (callId: number, external: string) => ({
    callId,
    direction: 'inbound',
    external,
    talk: 20,
    user: ALICE,
    missedCallReason: 'agents_did_not_answer',
  });

  // ---- SF-MATCH-1 / SF-WHO-1 ----

  it('SF-MATCH-1 / SF-WHO-1: Contact before Lead before Account; the Task is on the Contact (WhoId)', async () => {
    await s.settings({ relateTo: 'none' });
    const ids = await s.seed({
      records: {
        Account: [{ Name: 'Matchco', Phone: '+33640000101' }],
        Lead: [{ LastName: 'Leadson', Company: 'Matchco', Phone: '06 40 00 01 01' }],
        Contact: [{ FirstName: 'Connie', LastName: 'Tact', MobilePhone: '+33 6 40 00 01 01' }],
      },
    });
    await s.playCall(answered(3101, '+33 6 40 00 01 01'));
    const task = await s.task(3101);
    expect(task).toMatchObject({
      WhoId: ids.Contact?.[0],
      WhatId: null,
      Subject: 'Inbound call from Connie Tact on Support FR',
    });
    const l = await s.logging(3101);
    expect(l.recordId).toBe(ids.Contact?.[0]);
    expect(s.step(l.trace, 'SF-MATCH-1')[0]?.detail).toMatch(/^3 records hold the number; Contact .* wins/);
  });

  it("SF-MATCH-1 / SF-WHO-1: a Lead before an Account; a Lead's Task has no WhatId", async () => {
    await s.settings();
    const ids = await s.seed({
      records: {
        Account: [{ Name: 'Leadco', Phone: '+33640000102' }],
        Lead: [
          {
            FirstName: 'Lea',
            LastName: 'Dubois',
            Company: 'Leadco',
            Phone: '+33640000102',
            OwnerId: s.sf.bob,
          },
        ],
      },
    });
    await s.playCall(missed(3102, '+33 6 40 00 01 02'));
    expect(await s.task(3102)).toMatchObject({
      WhoId: ids.Lead?.[0],
      WhatId: null,
      Subject: 'Missed call from Lea Dubois on Support FR',
    });
    const l = await s.logging(3102);
    expect(s.step(l.trace, 'SF-CASE-2')[0]?.detail).toContain(
      "Only a Contact's calls go on its Case or Opportunity",
    );
  });

  it('SF-MATCH-1 / SF-WHO-1: an Account alone: WhatId is the Account and WhoId stays empty; a converted Lead is not matched', async () => {
    await s.settings();
    const ids = await s.seed({
      records: {
        Account: [{ Name: 'Soloco', Phone: '+33640000103' }],
        Lead: [{ LastName: 'Converted', Company: 'Soloco', Phone: '+33640000103', IsConverted: true }],
      },
    });
    await s.playCall(answered(3103, '+33 6 40 00 01 03'));
    expect(await s.task(3103)).toMatchObject({
      WhoId: null,
      WhatId: ids.Account?.[0],
      Subject: 'Inbound call from Soloco on Support FR',
    });
    expect(s.step((await s.logging(3103)).trace, 'SF-MATCH-1')[0]?.detail).toContain('converted');
  });

  it('SF-MATCH-1: of two Contacts with the number, the most recently updated wins', async () => {
    await s.settings({ relateTo: 'none' });
    const now = Date.now();
    const ids = await s.seed({
      records: {
        Contact: [
          { LastName: 'Older', Phone: '+33640000104', LastModifiedDate: now - 3 * DAY },
          { LastName: 'Newer', Phone: '+33640000104', LastModifiedDate: now - DAY },
        ],
      },
    });
    await s.playCall(answered(3104, '+33 6 40 00 01 04'));
    expect((await s.task(3104)).WhoId).toBe(ids.Contact?.[1]);
  });

  // ---- GEN-PHONE-1 ----

  it('GEN-PHONE-1: Claire, stored as "06 12 34 56 78", matches +33 6 12 34 56 78; no record is created', async () => {
    await s.settings({ newRecord: 'contact' });
    await s.playCall(answered(3110, '+33 6 12 34 56 78'));
    const task = await s.task(3110);
    expect(task).toMatchObject({
      WhoId: s.sf.claire,
      Subject: 'Inbound call from Claire Dupont on Support FR',
    });
    expect(await s.soql(`SELECT Id FROM Contact WHERE Phone = '${CLAIRE.e164}'`)).toEqual([]);
    expect((await s.logging(3110)).written.record).toBeUndefined();
  });

  // ---- SF-CASE-2 / SF-CASE-1 ----

  it("SF-CASE-2: a Contact's call goes on its open Case (the most recently updated); closed Cases are ignored", async () => {
    await s.settings({ relateTo: 'case' });
    const contact = await s.record('Contact', {
      FirstName: 'Cathy',
      LastName: 'Case',
      Phone: '+33640000111',
    });
    const now = Date.now();
    const cases = await s.seed({
      records: {
        Case: [
          { Subject: 'Closed', Status: 'Closed', ContactId: contact, LastModifiedDate: now },
          { Subject: 'Older open', ContactId: contact, LastModifiedDate: now - 2 * DAY },
          { Subject: 'Newer open', ContactId: contact, LastModifiedDate: now - DAY },
        ],
      },
    });
    await s.playCall(answered(3111, '+33 6 40 00 01 11'));
    expect(await s.task(3111)).toMatchObject({ WhoId: contact, WhatId: cases.Case?.[2] });
  });

  it("SF-CASE-2: with relateTo opportunity, the Contact's open Opportunity (contact role); Opportunities are never created (SF-CASE-1)", async () => {
    await s.settings({ relateTo: 'opportunity', createCase: true });
    const contact = await s.record('Contact', { FirstName: 'Otto', LastName: 'Oppo', Phone: '+33640000112' });
    const opps = await s.seed({
      records: {
        Opportunity: [
          { Name: 'Won deal', StageName: 'Closed Won', CloseDate: '2026-01-31' },
          { Name: 'Open deal', StageName: 'Prospecting', CloseDate: '2027-01-31' },
        ],
      },
    });
    await s.seed({
      records: {
        OpportunityContactRole: [
          { OpportunityId: opps.Opportunity?.[0], ContactId: contact },
          { OpportunityId: opps.Opportunity?.[1], ContactId: contact },
        ],
      },
    });
    await s.playCall(answered(3112, '+33 6 40 00 01 12'));
    expect(await s.task(3112)).toMatchObject({ WhoId: contact, WhatId: opps.Opportunity?.[1] });

    // A Contact without one: nothing is created, the Task is on the Contact alone.
    const lonely = await s.record('Contact', { LastName: 'Lonely', Phone: '+33640000113' });
    const before = (await s.soql('SELECT Id FROM Opportunity')).length;
    await s.playCall(answered(3113, '+33 6 40 00 01 13'));
    expect(await s.task(3113)).toMatchObject({ WhoId: lonely, WhatId: null });
    expect(await s.soql('SELECT Id FROM Opportunity')).toHaveLength(before);
    expect(s.step((await s.logging(3113)).trace, 'SF-CASE-1')[0]?.detail).toBe(
      'Opportunities are never created.',
    );
  });

  it('SF-CASE-1: with Case creation on, a Contact without an open Case gets one (Origin Phone) and the Task goes on it', async () => {
    await s.settings({ relateTo: 'case', createCase: true });
    const account = await s.record('Account', { Name: 'Casemakers' });
    const contact = await s.record('Contact', {
      FirstName: 'Nora',
      LastName: 'New',
      Phone: '+33640000114',
      AccountId: account,
      OwnerId: s.sf.bob,
    });
    await s.playCall(answered(3114, '+33 6 40 00 01 14'));
    const l = await s.logging(3114);
    const caseId = l.written.case?.id;
    expect(caseId).toMatch(/^500/);
    expect(await s.read('Case', caseId ?? '')).toMatchObject({
      Subject: 'Inbound call from Nora New on Support FR',
      Origin: 'Phone',
      Status: 'New',
      ContactId: contact,
      AccountId: account,
      OwnerId: s.sf.installer,
    });
    expect(await s.task(3114)).toMatchObject({ WhoId: contact, WhatId: caseId });
    // The next call finds that Case open: no second one.
    await s.playCall(answered(3115, '+33 6 40 00 01 14'));
    expect((await s.task(3115)).WhatId).toBe(caseId);
    expect(await s.soql(`SELECT Id FROM Case WHERE ContactId = '${contact}'`)).toHaveLength(1);
  });

  it('SF-CASE-1 / SF-NEW-1: an unknown number gets a Contact and a Case on it, both created for the call', async () => {
    await s.settings({ newRecord: 'contact', relateTo: 'case', createCase: true });
    await s.playCall(answered(3116, '+33 6 40 00 01 16'));
    const l = await s.logging(3116);
    const contact = l.written.record?.id ?? '';
    const caseId = l.written.case?.id ?? '';
    expect(contact).toMatch(/^003/);
    expect(await s.read('Case', caseId)).toMatchObject({
      ContactId: contact,
      Origin: 'Phone',
      OwnerId: s.sf.installer,
    });
    expect(await s.task(3116)).toMatchObject({ WhoId: contact, WhatId: caseId });
    expect(await s.soql(`SELECT Id FROM Contact WHERE Phone = '+33640000116'`)).toHaveLength(1);
  });

  // ---- GEN-PHONE-2 ----

  it('GEN-PHONE-2: a Contact whose number is only in AssistantPhone (or HomePhone, OtherPhone) is matched', async () => {
    await s.settings({ relateTo: 'none' });
    const ids = await s.seed({
      records: {
        Contact: [
          { LastName: 'Assistant', AssistantPhone: '06 40 00 01 17' },
          { LastName: 'Home', HomePhone: '+33 6 40 00 01 18' },
          { LastName: 'Other', OtherPhone: '0640000119' },
        ],
      },
    });
    await s.w.play({ call: answered(3117, '+33 6 40 00 01 17') });
    await s.w.play({ call: answered(3118, '+33 6 40 00 01 18') });
    await s.w.play({ call: answered(3119, '+33 6 40 00 01 19') });
    await s.settled();
    expect((await s.task(3117)).WhoId).toBe(ids.Contact?.[0]);
    expect((await s.task(3118)).WhoId).toBe(ids.Contact?.[1]);
    expect((await s.task(3119)).WhoId).toBe(ids.Contact?.[2]);
  });

  // ---- SF-NEW-1 / SF-LEAD-1 / SF-OWN-3 ----

  it('SF-NEW-1 / SF-OWN-3: an unknown number gets a Contact owned by the installer; the Task is on it', async () => {
    await s.settings({ newRecord: 'contact' });
    await s.playCall(answered(3120, '+33 6 40 00 01 20'));
    const l = await s.logging(3120);
    const created = l.written.record?.id ?? '';
    expect(created).toMatch(/^003/);
    expect(l.recordId).toBe(created);
    expect(await s.read('Contact', created)).toMatchObject({
      LastName: '+33640000120',
      Phone: '+33640000120',
      OwnerId: s.sf.installer,
    });
    // SF-OWN-1: the Task is the answering agent's.
    expect(await s.task(3120)).toMatchObject({ WhoId: created, OwnerId: s.sf.alice });
  });

  it('SF-NEW-1 / SF-LEAD-1: Leads the integration creates get Company "Unknown Company"', async () => {
    await s.settings({ newRecord: 'lead' });
    await s.playCall(missed(3121, '+33 6 40 00 01 21'));
    const created = (await s.logging(3121)).written.record?.id ?? '';
    expect(created).toMatch(/^00Q/);
    expect(await s.read('Lead', created)).toMatchObject({
      LastName: '+33640000121',
      Company: 'Unknown Company',
      Phone: '+33640000121',
      OwnerId: s.sf.installer,
    });
    // SF-OWN-2: unanswered, so the Task goes to the Lead's owner, the installer.
    expect(await s.task(3121)).toMatchObject({ WhoId: created, WhatId: null, OwnerId: s.sf.installer });
    expect(s.step((await s.logging(3121)).trace, 'SF-LEAD-1')[0]?.detail).toContain('"Unknown Company"');
  });

  it('SF-NEW-1: an Account for an unknown number; the Task is on it (WhatId)', async () => {
    await s.settings({ newRecord: 'account' });
    await s.playCall(answered(3122, '+33 6 40 00 01 22'));
    const created = (await s.logging(3122)).written.record?.id ?? '';
    expect(created).toMatch(/^001/);
    expect(await s.read('Account', created)).toMatchObject({ Name: '+33640000122', OwnerId: s.sf.installer });
    expect(await s.task(3122)).toMatchObject({ WhoId: null, WhatId: created });
  });

  it('SF-NEW-1 / SF-OWN-3: with creation off, the Task has no WhoId, WhatId or OwnerId set: Salesforce makes the installer its owner', async () => {
    await s.settings({ newRecord: 'none' });
    const before = (await s.soql('SELECT Id FROM Contact')).length;
    await s.playCall(answered(3123, '+33 6 40 00 01 23'));
    const l = await s.logging(3123);
    expect(l).toMatchObject({ unmatched: true, recordId: null });
    expect(l.written.record).toBeUndefined();
    expect(await s.task(3123)).toMatchObject({
      WhoId: null,
      WhatId: null,
      OwnerId: s.sf.installer,
      Subject: 'Inbound call from +33640000123 on Support FR',
    });
    expect(await s.soql('SELECT Id FROM Contact')).toHaveLength(before);
    expect(s.step(l.trace, 'SF-OWN-3')[0]?.detail).toContain('no WhoId, WhatId or OwnerId');
  });

  // ---- GEN-REQ-1 ----

  it('GEN-REQ-1: a required custom field on Lead: the call is logged without the Lead, and the trace names the field', async () => {
    await s.seed({
      fields: { Lead: { custom: [{ name: 'Region__c', label: 'Region', type: 'string', required: true }] } },
    });
    await s.settings({ newRecord: 'lead' });
    const before = (await s.soql('SELECT Id FROM Lead')).length;
    await s.playCall(answered(3130, '+33 6 40 00 01 30'));
    const l = await s.logging(3130);
    expect(l).toMatchObject({ outcome: 'write', unmatched: true, recordId: null });
    expect(l.written.record).toBeUndefined();
    expect(s.step(l.trace, 'GEN-REQ-1')[0]).toMatchObject({
      outcome: 'applied',
      detail: expect.stringContaining('required field Region__c'),
    });
    expect(await s.soql('SELECT Id FROM Lead')).toHaveLength(before);
    expect(await s.task(3130)).toMatchObject({
      WhoId: null,
      Subject: 'Inbound call from +33640000130 on Support FR',
    });
  });

  // ---- EXT-LINK-1 / EXT-FIX-1 ----

  it('EXT-LINK-1: an unmatched call linked by the agent to a Contact moves its Task there', async () => {
    await s.settings({ newRecord: 'none' });
    await s.playCall(answered(3140, '+33 6 40 00 01 40'));
    const before = await s.task(3140);
    expect(before.WhoId).toBeNull();
    const wendy = await s.record('Contact', {
      FirstName: 'Wendy',
      LastName: 'Carre',
      Email: 'wendy@example.fr',
    });
    const linked = await s.w.agent('POST', '/v1/calls/3140/link', {
      crm: 'salesforce',
      objectType: 'Contact',
      recordId: wendy,
    });
    expect(linked.status, JSON.stringify(linked.json)).toBe(200);
    await s.settled();
    const after = await s.task(3140);
    expect(after).toMatchObject({
      Id: before.Id,
      WhoId: wendy,
      Subject: 'Inbound call from Wendy Carre on Support FR',
    });
    expect((await s.logging(3140)).unmatched).toBe(false);
    expect(await s.tasksOf('3140')).toHaveLength(1);
    const missing = await s.w.agent('POST', '/v1/calls/3140/link', {
      crm: 'salesforce',
      objectType: 'Contact',
      recordId: '003000000000000AAA',
    });
    expect(missing.status).toBe(404);
  });

  it('EXT-FIX-1: a Contact phone stored in national format is rewritten to E.164 through the agent API', async () => {
    const id = await s.record('Contact', {
      LastName: 'Fixme',
      Phone: '06 40 00 01 41',
      MobilePhone: '+33640000142',
    });
    const r = await s.w.agent('POST', `/v1/records/salesforce/Contact/${id}/phone-fix`, { apply: true });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({
      applied: true,
      fixes: [{ field: 'Phone', from: '06 40 00 01 41', to: '+33640000141' }],
    });
    expect(await s.read('Contact', id)).toMatchObject({ Phone: '+33640000141', MobilePhone: '+33640000142' });
  });

  // ---- SF-OWN-1 / SF-OWN-2 / SF-OWN-4 ----

  it("SF-OWN-1: an answered call is the answering agent's; an agent without a Salesforce user leaves it to the record's owner", async () => {
    await s.settings();
    await s.playCall(answered(3150, '+33 6 12 34 56 78', ALICE));
    expect((await s.task(3150)).OwnerId).toBe(s.sf.alice);
    await s.playCall(answered(3151, '+33 6 12 34 56 78', YANN));
    expect((await s.task(3151)).OwnerId).toBe(s.sf.bob);
    expect(s.step((await s.logging(3151)).trace, 'GEN-EMAIL-1')[0]?.detail).toContain(
      'matches no active Salesforce user',
    );
  });

  it("SF-OWN-1: with neither, the installer owns it (the record's owner left)", async () => {
    await s.settings();
    await s.playCall(answered(3152, '+33 6 40 00 01 52', YANN));
    expect(await s.task(3152)).toMatchObject({ WhoId: orphanContact, OwnerId: s.sf.installer });
  });

  it("SF-OWN-2: an unanswered call is the record owner's, not the agent's it rang", async () => {
    await s.settings();
    await s.playCall(missed(3160, '+33 6 12 34 56 78'));
    expect((await s.task(3160)).OwnerId).toBe(s.sf.bob);
  });

  it('SF-OWN-2: a record without a usable owner: the user chosen in the setting, else the installer', async () => {
    await s.settings({ unmatchedOwnerId: s.sf.alice });
    await s.playCall(missed(3161, '+33 6 40 00 01 61'));
    expect(await s.task(3161)).toMatchObject({ WhoId: orphanLead, OwnerId: s.sf.alice });
    await s.settings({ unmatchedOwnerId: null });
    await s.playCall(missed(3162, '+33 6 40 00 01 61'));
    expect((await s.task(3162)).OwnerId).toBe(s.sf.installer);
  });

  it('SF-OWN-4: a Contact the integration created passes to the first other user on a call with it', async () => {
    await s.settings({ newRecord: 'contact' });
    await s.playCall(answered(3170, '+33 6 40 00 01 70', ALICE));
    const contact = (await s.logging(3170)).written.record?.id ?? '';
    // Created for this call: it stays the installer's until the next call.
    expect((await s.read('Contact', contact)).OwnerId).toBe(s.sf.installer);
    expect(s.step((await s.logging(3170)).trace, 'SF-OWN-4')[0]?.detail).toContain(
      'was created for this call',
    );

    await s.playCall(answered(3171, '+33 6 40 00 01 70', BOB));
    expect((await s.read('Contact', contact)).OwnerId).toBe(s.sf.bob);
    expect(await s.task(3171)).toMatchObject({ WhoId: contact, OwnerId: s.sf.bob });
    expect((await s.logging(3171)).written.record_owner?.id).toBe(contact);

    // Bob owns it now: Alice's next call leaves it with him.
    await s.playCall(answered(3172, '+33 6 40 00 01 70', ALICE));
    expect((await s.read('Contact', contact)).OwnerId).toBe(s.sf.bob);
    expect((await s.task(3172)).OwnerId).toBe(s.sf.alice);
  });

  // Last: it moves every clock forward a day.
  it('SF-OWN-1: a Salesforce user created less than a day ago cannot own the Task yet; a day later they can', async () => {
    await s.settings();
    await s.seed({
      users: [
        {
          FirstName: 'Zoe',
          LastName: 'Keller',
          Email: ZOE.email,
          CreatedDate: Date.now() - 60 * 60_000,
          admin: false,
        },
      ],
    });
    // The adapter reads the org's users at most every 5 minutes.
    await s.w.advance(5 * 60_000 + 1_000);
    await s.playCall(answered(3180, '+33 6 12 34 56 78', ZOE));
    expect((await s.task(3180)).OwnerId).toBe(s.sf.bob);
    expect(s.step((await s.logging(3180)).trace, 'SF-OWN-1')[0]?.detail).toContain('less than a day ago');

    await s.w.advance(DAY);
    await s.playCall(answered(3181, '+33 6 12 34 56 78', ZOE));
    const zoe = (await s.soql(`SELECT Id FROM User WHERE Email = '${ZOE.email}'`))[0]?.Id;
    expect((await s.task(3181)).OwnerId).toBe(zoe);
  });
});
