/**
 * The Salesforce planner through the real path of the engine: `planCall` /
 * `planMessage` (generic gates, phone matching) then the Salesforce rules.
 */
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  CALLER_E164,
  callState,
  crmRecord,
  crmUser,
  messageState,
  missedCall,
  NOW,
  outboundCall,
  plannerContext,
  T0,
} from '../../../test/support/build.ts';
import type { CallState } from '../../aircall/callState.ts';
import { planCall, planMessage } from '../../logging/plan.ts';
import type { ExistingWrites, Plan, PlannedWrite, PlannerContext } from '../../logging/plan-types.ts';
import { type SalesforceSettingsInput, salesforceSettingsSchema } from './settings.ts';

const INSTALLER = '005INSTALLER001';
const ALICE_SF = '005ALICE0000001';
const BOB_SF = '005BOB00000001A';
const OWNER = '005OWNER000001A';
const FALLBACK = '005FALLBACK001A';
const CONTACT = '003CONTACT00001';

const USERS = [
  crmUser({ id: ALICE_SF }),
  crmUser({ id: BOB_SF, email: BOB.email, name: 'Bob Durand' }),
  crmUser({ id: OWNER, email: 'owner@example.com', name: 'Olivia Owner' }),
  crmUser({ id: INSTALLER, email: 'admin@example.com', name: 'Ada Admin' }),
];

function settings(overrides: Partial<SalesforceSettingsInput> = {}) {
  return salesforceSettingsSchema.parse({ crm: 'salesforce', connectedNumbers: [1], ...overrides });
}

function contact(overrides: Parameters<typeof crmRecord>[0] = {}) {
  return crmRecord({ id: CONTACT, kind: 'Contact', name: 'Claire Dupont', ownerId: OWNER, ...overrides });
}

function ctx(overrides: Partial<PlannerContext> = {}): PlannerContext {
  return plannerContext({ users: USERS, installerUserId: INSTALLER, records: [contact()], ...overrides });
}

function write(plan: Plan, ref: string): PlannedWrite {
  const found = plan.writes.find((w) => w.ref === ref);
  if (!found) throw new Error(`no "${ref}" write in ${JSON.stringify(plan.writes)}`);
  return found;
}

const task = (plan: Plan): PlannedWrite => write(plan, 'activity');

function step(plan: Plan, rule: string) {
  return plan.trace.filter((s) => s.rule === rule);
}

/** What the backend records after executing a plan: the id of each write under its ref. */
function existingFrom(plan: Plan, before: ExistingWrites = {}): ExistingWrites {
  const existing: ExistingWrites = { ...before };
  for (const w of plan.writes) {
    existing[w.ref] = { id: w.id ?? `${w.target}-${w.ref}-id`, target: w.target, fields: w.fields };
  }
  return existing;
}

describe('SF-WHEN-1: when the Task is written', () => {
  it('SF-WHEN-1: a ringing call waits', () => {
    const ringing = callState({
      status: 'initial',
      answeredAt: null,
      endedAt: null,
      duration: null,
      user: null,
      firstAnsweredBy: null,
      recording: null,
      asset: null,
      events: ['call.created'],
    });
    const plan = planCall(settings(), ringing, ctx());
    expect(plan.outcome).toBe('wait');
    expect(plan.writes).toEqual([]);
    expect(step(plan, 'SF-WHEN-1')[0]?.outcome).toBe('stopped');
  });

  it('SF-WHEN-1: an answered call gets its Task at once, before it ends', () => {
    const live = callState({
      status: 'answered',
      endedAt: null,
      duration: null,
      recording: null,
      asset: null,
      events: ['call.answered', 'call.created'],
    });
    const plan = planCall(settings(), live, ctx());
    expect(plan.outcome).toBe('write');
    expect(task(plan).op).toBe('create');
    expect(task(plan).fields.CallDurationInSeconds).toBeNull();
  });

  it('SF-WHEN-1: an unanswered call that hung up waits for call.ended, whose data is complete', () => {
    const hungUp = missedCall({ events: ['call.created', 'call.hungup'] });
    const plan = planCall(settings({ taskStatus: { missed_no_voicemail: 'nothing' } }), hungUp, ctx());
    expect(plan.outcome).toBe('wait');
  });

  it('SF-WHEN-1: an unanswered call gets its Task when it ends; later events update the same Task', () => {
    const first = planCall(settings(), missedCall(), ctx());
    expect(task(first).op).toBe('create');
    const later = planCall(
      settings(),
      missedCall({ events: ['call.created', 'call.ended', 'call.hungup', 'call.voicemail_left'] }, true),
      ctx({ existing: existingFrom(first) }),
    );
    expect(task(later)).toMatchObject({ op: 'update', id: 'salesforce.Task-activity-id' });
    expect(task(later).fields.Subject).toBe('Voicemail from Claire Dupont on Support FR');
  });
});

describe('SF-STAT-1, SF-HOURS-1', () => {
  it('SF-STAT-1: completed by default, "open" is In Progress', () => {
    expect(task(planCall(settings(), callState(), ctx())).fields.Status).toBe('Completed');
    const open = planCall(settings({ taskStatus: { inbound_answered: 'open' } }), callState(), ctx());
    expect(task(open).fields.Status).toBe('In Progress');
  });

  it('SF-STAT-1: a call type set to "do nothing" creates no Task', () => {
    const plan = planCall(settings({ taskStatus: { missed_no_voicemail: 'nothing' } }), missedCall(), ctx());
    expect(plan.outcome).toBe('nothing');
    expect(plan.writes).toEqual([]);
    expect(step(plan, 'SF-STAT-1')[0]?.outcome).toBe('stopped');
    expect(
      planCall(settings({ taskStatus: { missed_no_voicemail: 'nothing' } }), callState(), ctx()).outcome,
    ).toBe('write');
  });

  it('SF-HOURS-1: with "only during business hours", a call outside them is not logged', () => {
    const plan = planCall(
      settings({ onlyBusinessHours: true }),
      callState(),
      ctx({ withinBusinessHours: false }),
    );
    expect(plan.outcome).toBe('nothing');
    expect(step(plan, 'SF-HOURS-1')[0]?.outcome).toBe('stopped');
    const within = planCall(
      settings({ onlyBusinessHours: true }),
      callState(),
      ctx({ withinBusinessHours: true }),
    );
    expect(within.outcome).toBe('write');
    const off = planCall(settings(), callState(), ctx({ withinBusinessHours: false }));
    expect(off.outcome).toBe('write');
  });

  it('SF-HOURS-1: business hours never apply to messages', () => {
    const plan = planMessage(
      settings({ onlyBusinessHours: true }),
      messageState(),
      ctx({ withinBusinessHours: false }),
    );
    expect(plan.outcome).toBe('write');
    expect(step(plan, 'SF-HOURS-1')[0]?.outcome).toBe('skipped');
  });
});

describe('Task fields', () => {
  it('SF-TYPE-1: Type and TaskSubtype are Call; an update does not resend TaskSubtype', () => {
    const first = planCall(settings(), callState(), ctx());
    expect(task(first).fields).toMatchObject({ Type: 'Call', TaskSubtype: 'Call' });
    const again = planCall(settings(), callState(), ctx({ existing: existingFrom(first) }));
    expect(task(again).fields.Type).toBe('Call');
    expect(task(again).fields).not.toHaveProperty('TaskSubtype');
  });

  it('SF-TYPE-1: when the org hides Type from the installer, the Task is written without it and the trace says so', () => {
    const fields = [
      'Subject',
      'TaskSubtype',
      'CallType',
      'Status',
      'ActivityDate',
      'CallObject',
      'WhoId',
      'OwnerId',
    ];
    const plan = planCall(settings(), callState(), ctx({ crmFacts: { taskFields: fields } }));
    expect(task(plan).fields).not.toHaveProperty('Type');
    expect(task(plan).fields).not.toHaveProperty('aircall__Waiting_Time__c');
    expect(task(plan).fields.Subject).toBe('Inbound call from Claire Dupont on Support FR');
    expect(
      step(plan, 'SF-TYPE-1').some((s) => s.detail.includes('lacks or hides') && s.detail.includes('Type')),
    ).toBe(true);
  });

  it('SF-SUBJ-1: subjects name the record and the Aircall number', () => {
    expect(task(planCall(settings(), callState(), ctx())).fields.Subject).toBe(
      'Inbound call from Claire Dupont on Support FR',
    );
    expect(task(planCall(settings(), outboundCall({}, false), ctx())).fields.Subject).toBe(
      'Outbound unanswered call to Claire Dupont with Support FR',
    );
    const conference = outboundCall({
      participants: [
        { type: 'external', id: null, name: null, phoneNumber: CALLER_E164 },
        { type: 'external', id: null, name: null, phoneNumber: '+33699999999' },
        { type: 'user', id: ALICE.id, name: ALICE.name, phoneNumber: null },
      ],
    });
    expect(task(planCall(settings(), conference, ctx())).fields.Subject).toBe(
      'Outbound conference call to Claire Dupont with Support FR',
    );
    expect(task(planCall(settings(), missedCall({}, true), ctx())).fields.Subject).toBe(
      'Voicemail from Claire Dupont on Support FR',
    );
  });

  it('SF-DISP-1: CallDisposition in the article format, with the missed-call reason', () => {
    const call = missedCall({ tags: [{ id: 1, name: 'General_Inquiries', addedByUserId: null }] });
    expect(task(planCall(settings(), call, ctx())).fields.CallDisposition).toBe(
      "[['General_Inquiries', 'aircall', 'inbound', 'unanswered_call', '33176360695', 'no_available_agent']]",
    );
    expect(task(planCall(settings(), outboundCall(), ctx())).fields.CallDisposition).toBe(
      "[['aircall', 'outbound', 'answered_call', '33176360695']]",
    );
  });

  it('SF-CT-1: CallType is Inbound or Outbound', () => {
    expect(task(planCall(settings(), callState(), ctx())).fields.CallType).toBe('Inbound');
    expect(task(planCall(settings(), outboundCall(), ctx())).fields.CallType).toBe('Outbound');
  });

  it('SF-DATE-1: ActivityDate is the UTC date the call started, even when it is already tomorrow locally', () => {
    const late = Date.UTC(2026, 8, 21, 22, 30) / 1000;
    const call = callState({ startedAt: late, answeredAt: late + 5, endedAt: late + 60 });
    const fields = task(planCall(settings(), call, ctx())).fields;
    expect(fields.ActivityDate).toBe('2026-09-21');
    expect(fields.aircall__Time_of_Day__c).toBe('00:30');
  });

  it('SF-FLD-1: the custom fields of an inbound answered call', () => {
    expect(task(planCall(settings(), callState(), ctx())).fields).toMatchObject({
      CallDurationInSeconds: 95,
      CallObject: '1001',
      aircall__Waiting_Time__c: 12,
      aircall__Answered_by__c: 'Alice Martin',
      aircall__Phone_number__c: '33176360695',
      aircall__Country__c: 'France',
      aircall__Call_Recording__c: 'https://assets.aircall.io/calls/1001/recording',
      aircall__Transferred_to__c: null,
      aircall__Time_Zone__c: 'Europe/Paris',
      aircall__Time_of_Day__c: '16:13',
      aircall__Connection_Status__c: 'connected',
      aircall__Was_Connected__c: true,
    });
  });

  it('SF-FLD-1: outbound calls wait 0 s and have no connection status; missed inbound calls are not connected', () => {
    expect(task(planCall(settings(), outboundCall(), ctx())).fields).toMatchObject({
      aircall__Waiting_Time__c: 0,
      CallDurationInSeconds: 107,
      aircall__Connection_Status__c: null,
      aircall__Was_Connected__c: false,
    });
    expect(task(planCall(settings(), missedCall(), ctx())).fields).toMatchObject({
      CallDurationInSeconds: 0,
      aircall__Answered_by__c: null,
      aircall__Connection_Status__c: 'not connected',
      aircall__Was_Connected__c: false,
    });
  });

  it('SF-DESC-1: voicemail link, then every note, including those added later by another agent', () => {
    const call = missedCall(
      {
        comments: [
          { id: 1, content: 'Wants a quote', postedAt: T0 + 200, postedBy: ALICE },
          { id: 2, content: 'Sent it', postedAt: T0 + 900, postedBy: BOB },
        ],
      },
      true,
    );
    expect(task(planCall(settings(), call, ctx())).fields.Description).toBe(
      'Find voicemail here : https://assets.aircall.io/calls/1001/voicemail\n\n' +
        'Alice Martin added a new comment:\nWants a quote\n\n' +
        'Bob Durand added a new comment:\nSent it',
    );
    expect(task(planCall(settings(), callState(), ctx())).fields.Description).toBe(
      'Find recording here : https://assets.aircall.io/calls/1001/recording',
    );
  });

  it('SF-DESC-1: the Description stays within 32,000 characters', () => {
    const comments = Array.from({ length: 8 }, (_, i) => ({
      id: i + 1,
      content: 'n'.repeat(6_000),
      postedAt: T0 + i,
      postedBy: ALICE,
    }));
    const description = String(task(planCall(settings(), callState({ comments }), ctx())).fields.Description);
    expect(description.length).toBeLessThanOrEqual(32_000);
    expect(description).toContain('more comments not shown');
  });

  it('SF-MISC-1: Priority is left to Salesforce', () => {
    const plan = planCall(settings(), callState(), ctx());
    expect(task(plan).fields).not.toHaveProperty('Priority');
    expect(step(plan, 'SF-MISC-1')).toHaveLength(1);
  });
});

describe('SF-WHO-1, SF-MATCH-1: which record', () => {
  it('SF-WHO-1: a Contact or Lead is WhoId; an Account is WhatId with no WhoId', () => {
    const onContact = planCall(settings(), callState(), ctx());
    expect(task(onContact).fields).toMatchObject({ WhoId: CONTACT });
    expect(step(onContact, 'SF-WHO-1')[0]?.detail).toBe(`WhoId is Contact ${CONTACT}; WhatId stays empty.`);
    const lead = crmRecord({ id: '00QLEAD00000001', kind: 'Lead', name: 'Leo Lead', ownerId: OWNER });
    const onLead = task(planCall(settings(), callState(), ctx({ records: [lead] }))).fields;
    expect(onLead.WhoId).toBe('00QLEAD00000001');
    expect(onLead).not.toHaveProperty('WhatId');
    const account = crmRecord({ id: '001ACCOUNT00001', kind: 'Account', name: 'Acme', ownerId: OWNER });
    const onAccount = task(planCall(settings(), callState(), ctx({ records: [account] }))).fields;
    expect(onAccount.WhatId).toBe('001ACCOUNT00001');
    expect(onAccount).not.toHaveProperty('WhoId');
    expect(onAccount.Subject).toBe('Inbound call from Acme on Support FR');
  });

  it('SF-MATCH-1: Contact, then Lead, then Account, then Person Account; the first returned within a kind', () => {
    const person = crmRecord({
      id: '001PERSON000001',
      kind: 'Account',
      name: 'Pat',
      extra: { IsPersonAccount: true },
    });
    const account = crmRecord({ id: '001ACCOUNT00001', kind: 'Account', name: 'Acme' });
    const lead = crmRecord({ id: '00QLEAD00000001', kind: 'Lead', name: 'Leo' });
    const c1 = contact({ id: '003FIRST0000001', name: 'First' });
    const c2 = contact({ id: '003SECOND000001', name: 'Second' });
    const records = [person, account, lead, c1, c2];
    const plan = planCall(settings(), callState(), ctx({ records }));
    expect(task(plan).fields.WhoId).toBe('003FIRST0000001');
    expect(plan.recordId).toBe('003FIRST0000001');
    expect(
      task(planCall(settings(), callState(), ctx({ records: [person, account, lead] }))).fields.WhoId,
    ).toBe('00QLEAD00000001');
    expect(task(planCall(settings(), callState(), ctx({ records: [person, account] }))).fields.WhatId).toBe(
      '001ACCOUNT00001',
    );
    const onPerson = task(planCall(settings(), callState(), ctx({ records: [person] }))).fields;
    expect(onPerson.WhatId).toBe('001PERSON000001');
    expect(onPerson).not.toHaveProperty('WhoId');
  });

  it('SF-MATCH-1: a converted Lead is not matched', () => {
    const converted = crmRecord({ id: '00QCONVERTED001', kind: 'Lead', extra: { IsConverted: true } });
    const account = crmRecord({ id: '001ACCOUNT00001', kind: 'Account', name: 'Acme' });
    const plan = planCall(settings(), callState(), ctx({ records: [converted, account] }));
    expect(task(plan).fields.WhatId).toBe('001ACCOUNT00001');
    expect(step(plan, 'SF-MATCH-1')[0]?.detail).toContain('converted');
  });
});

describe('SF-CASE-1, SF-CASE-2: Cases and Opportunities', () => {
  const withCases = contact({
    extra: {
      AccountId: '001ACCOUNT00001',
      openCases: [
        { Id: '500CASE00000001', Name: '00001001' },
        { Id: '500CASE00000002', Name: '00001002' },
      ],
      openOpportunities: [{ Id: '006OPP000000001', Name: 'Big deal' }],
    },
  });

  it("SF-CASE-2: a Contact's call goes on its first open Case", () => {
    const fields = task(planCall(settings(), callState(), ctx({ records: [withCases] }))).fields;
    expect(fields).toMatchObject({ WhoId: CONTACT, WhatId: '500CASE00000001' });
  });

  it('SF-CASE-2: or on its first open Opportunity when that is the preference', () => {
    const fields = task(
      planCall(settings({ relateTo: 'opportunity' }), callState(), ctx({ records: [withCases] })),
    ).fields;
    expect(fields.WhatId).toBe('006OPP000000001');
  });

  it('SF-CASE-2: not for Leads', () => {
    const lead = crmRecord({
      id: '00QLEAD00000001',
      kind: 'Lead',
      extra: { openCases: [{ Id: '500CASE00000001' }] },
    });
    const plan = planCall(settings({ createCase: true }), callState(), ctx({ records: [lead] }));
    expect(task(plan).fields).not.toHaveProperty('WhatId');
    expect(plan.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(step(plan, 'SF-CASE-2')[0]?.outcome).toBe('skipped');
  });

  it('SF-CASE-1: with the setting on, a Case is created for a Contact without an open one', () => {
    const plain = contact({ extra: { AccountId: '001ACCOUNT00001' } });
    const plan = planCall(settings({ createCase: true }), callState(), ctx({ records: [plain] }));
    expect(plan.writes.map((w) => `${w.op} ${w.target}`)).toEqual([
      'create salesforce.Case',
      'create salesforce.Task',
    ]);
    expect(write(plan, 'case').fields).toMatchObject({
      Origin: 'Phone',
      ContactId: CONTACT,
      AccountId: '001ACCOUNT00001',
      Subject: 'Inbound call from Claire Dupont on Support FR',
    });
    expect(task(plan).links).toContainEqual({ ref: 'case', as: 'WhatId' });
    expect(planCall(settings(), callState(), ctx({ records: [plain] })).writes).toHaveLength(1);
  });

  it('SF-CASE-1: Opportunities are never created', () => {
    const plan = planCall(settings({ relateTo: 'opportunity', createCase: true }), callState(), ctx());
    expect(plan.writes.map((w) => w.target)).toEqual(['salesforce.Task']);
    expect(step(plan, 'SF-CASE-1')[0]?.detail).toContain('never created');
  });
});

describe('SF-NEW-1, SF-LEAD-1, SF-OWN-3: unknown numbers', () => {
  it('SF-NEW-1: a Contact is created by default and the Task is linked to it', () => {
    const plan = planCall(settings(), callState(), ctx({ records: [] }));
    expect(write(plan, 'record')).toMatchObject({
      op: 'create',
      target: 'salesforce.Contact',
      fields: { LastName: CALLER_E164, Phone: CALLER_E164, OwnerId: INSTALLER },
    });
    expect(task(plan).links).toEqual([{ ref: 'record', as: 'WhoId' }]);
    expect(task(plan).fields.Subject).toBe(`Inbound call from ${CALLER_E164} on Support FR`);
    expect(plan.unmatched).toBe(false);
  });

  it('SF-NEW-1: or a Lead, an Account, or nothing', () => {
    const account = planCall(settings({ newRecord: 'account' }), callState(), ctx({ records: [] }));
    expect(write(account, 'record').target).toBe('salesforce.Account');
    expect(task(account).links).toEqual([{ ref: 'record', as: 'WhatId' }]);
    const none = planCall(settings({ newRecord: 'none' }), callState(), ctx({ records: [] }));
    expect(none.writes.map((w) => w.ref)).toEqual(['activity']);
    expect(none.unmatched).toBe(true);
  });

  it('SF-LEAD-1: a created Lead has Company "Unknown Company"', () => {
    const plan = planCall(
      settings({ newRecord: 'lead' }),
      callState(),
      ctx({ records: [], crmFacts: { personAccountsEnabled: false } }),
    );
    expect(write(plan, 'record')).toMatchObject({
      target: 'salesforce.Lead',
      fields: { LastName: CALLER_E164, Company: 'Unknown Company', OwnerId: INSTALLER },
    });
    expect(step(plan, 'SF-LEAD-1')[0]?.detail).toContain('Person Accounts are off');
  });

  it('SF-OWN-3: created records are owned by the installer; with creation off the Task has no WhoId, WhatId or OwnerId', () => {
    const created = planCall(settings(), missedCall(), ctx({ records: [] }));
    expect(write(created, 'record').fields.OwnerId).toBe(INSTALLER);
    // Unanswered: the Task goes to the record's owner, the installer.
    expect(task(created).fields.OwnerId).toBe(INSTALLER);
    const off = planCall(settings({ newRecord: 'none' }), callState(), ctx({ records: [] }));
    expect(task(off).fields).not.toHaveProperty('WhoId');
    expect(task(off).fields).not.toHaveProperty('WhatId');
    expect(task(off).fields).not.toHaveProperty('OwnerId');
    expect(task(off).links).toEqual([]);
    expect(step(off, 'SF-OWN-3')[0]?.outcome).toBe('applied');
  });

  it('SF-CASE-1: a Case for a Contact created in the same plan links to it', () => {
    const plan = planCall(settings({ createCase: true }), callState(), ctx({ records: [] }));
    expect(plan.writes.map((w) => w.ref)).toEqual(['record', 'case', 'activity']);
    expect(write(plan, 'case').links).toEqual([{ ref: 'record', as: 'ContactId' }]);
    expect(task(plan).links).toEqual([
      { ref: 'record', as: 'WhoId' },
      { ref: 'case', as: 'WhatId' },
    ]);
  });
});

describe('GEN-REQ-1: required fields', () => {
  it('GEN-REQ-1: a Contact refused for a required field: the call is still logged, unmatched, and the trace names the field', () => {
    const plan = planCall(
      settings(),
      callState(),
      ctx({ records: [], blockedCreates: [{ target: 'salesforce.Contact', field: 'Region__c' }] }),
    );
    expect(plan.outcome).toBe('write');
    expect(plan.writes.map((w) => w.target)).toEqual(['salesforce.Task']);
    expect(plan.unmatched).toBe(true);
    expect(task(plan).fields).not.toHaveProperty('OwnerId');
    expect(step(plan, 'GEN-REQ-1')[0]?.detail).toContain('Region__c');
  });

  it('GEN-REQ-1: a Case refused: the Task stays on the Contact', () => {
    const plan = planCall(
      settings({ createCase: true }),
      callState(),
      ctx({ blockedCreates: [{ target: 'salesforce.Case', field: 'Product__c' }] }),
    );
    expect(plan.writes.map((w) => w.target)).toEqual(['salesforce.Task']);
    expect(task(plan).fields.WhoId).toBe(CONTACT);
    expect(step(plan, 'GEN-REQ-1')[0]?.detail).toContain('Product__c');
  });

  it('GEN-REQ-1: Tasks refused: nothing can be logged, and the trace says which field', () => {
    const plan = planCall(
      settings(),
      callState(),
      ctx({ blockedCreates: [{ target: 'salesforce.Task', field: 'Team__c' }] }),
    );
    expect(plan.outcome).toBe('nothing');
    expect(step(plan, 'GEN-REQ-1')[0]).toMatchObject({ outcome: 'stopped' });
    expect(step(plan, 'GEN-REQ-1')[0]?.detail).toContain('Team__c');
  });
});

describe('SF-OWN-1, SF-OWN-2, SF-OWN-4: owners', () => {
  it('SF-OWN-1: the answering user owns the Task when a Salesforce user has their email and has existed a day', () => {
    const plan = planCall(settings(), callState(), ctx());
    expect(task(plan).fields.OwnerId).toBe(ALICE_SF);
    expect(task(plan).rules).toContain('SF-OWN-1');
  });

  it('GEN-EMAIL-1: emails are compared case-insensitively', () => {
    const users = [crmUser({ id: ALICE_SF, email: ' Alice@Example.COM ' })];
    expect(task(planCall(settings(), callState(), ctx({ users }))).fields.OwnerId).toBe(ALICE_SF);
  });

  it('SF-OWN-1: a user created less than a day ago does not own it: the record owner does, else the installer', () => {
    const fresh = [crmUser({ id: ALICE_SF, createdAt: new Date(NOW - 3_600_000).toISOString() })];
    const plan = planCall(settings(), callState(), ctx({ users: fresh }));
    expect(task(plan).fields.OwnerId).toBe(OWNER);
    expect(step(plan, 'SF-OWN-1').some((s) => s.detail.includes('less than a day ago'))).toBe(true);
    const noOwner = planCall(
      settings(),
      callState(),
      ctx({ users: fresh, records: [contact({ ownerId: null })] }),
    );
    expect(task(noOwner).fields.OwnerId).toBe(INSTALLER);
  });

  it('SF-OWN-1: no Salesforce user with the email: the record owner', () => {
    const plan = planCall(settings(), callState(), ctx({ users: [] }));
    expect(task(plan).fields.OwnerId).toBe(OWNER);
  });

  it('SF-OWN-2: an unanswered call is owned by the record owner', () => {
    const plan = planCall(settings({ unmatchedOwnerId: FALLBACK }), missedCall(), ctx());
    expect(task(plan).fields.OwnerId).toBe(OWNER);
    expect(task(plan).rules).toContain('SF-OWN-2');
  });

  it('SF-OWN-2: without a usable record owner, the user chosen in the setting, else the installer', () => {
    const queueOwned = contact({ ownerId: '00GQUEUE0000001' });
    expect(
      task(planCall(settings({ unmatchedOwnerId: FALLBACK }), missedCall(), ctx({ records: [queueOwned] })))
        .fields.OwnerId,
    ).toBe(FALLBACK);
    expect(
      task(planCall(settings(), missedCall(), ctx({ records: [contact({ ownerId: null })] }))).fields.OwnerId,
    ).toBe(INSTALLER);
  });

  it('SF-OWN-4: a record owned by the installer passes to the first other user on a call with it', () => {
    const installerOwned = contact({ ownerId: INSTALLER });
    const plan = planCall(
      settings(),
      outboundCall({ user: BOB, firstAnsweredBy: BOB }),
      ctx({ records: [installerOwned] }),
    );
    expect(write(plan, 'record_owner')).toMatchObject({
      op: 'update',
      target: 'salesforce.Contact',
      id: CONTACT,
      fields: { OwnerId: BOB_SF },
    });
    expect(task(plan).fields.OwnerId).toBe(BOB_SF);
    // Unanswered outbound: the caller made the call, and the Task follows the record's new owner.
    const unanswered = planCall(
      settings(),
      outboundCall({ user: BOB }, false),
      ctx({ records: [installerOwned] }),
    );
    expect(write(unanswered, 'record_owner').fields.OwnerId).toBe(BOB_SF);
    expect(task(unanswered).fields.OwnerId).toBe(BOB_SF);
    // A missed call was made or received by nobody: the owner stays.
    expect(
      planCall(settings(), missedCall(), ctx({ records: [installerOwned] })).writes.map((w) => w.ref),
    ).toEqual(['activity']);
  });

  it('SF-OWN-4: not on the call that created the record', () => {
    const first = planCall(settings(), callState(), ctx({ records: [] }));
    const created = contact({ id: 'salesforce.Contact-record-id', name: CALLER_E164, ownerId: INSTALLER });
    const again = planCall(
      settings(),
      callState(),
      ctx({ records: [created], existing: existingFrom(first) }),
    );
    expect(again.writes.some((w) => w.ref === 'record_owner')).toBe(false);
    expect(step(again, 'SF-OWN-4')[0]?.outcome).toBe('skipped');
  });
});

describe('SF-XFER-1: transfers', () => {
  const tags = [
    { id: 1, name: 'Sales', addedByUserId: ALICE.id },
    { id: 2, name: 'Support', addedByUserId: BOB.id },
  ];
  const transfer = { kind: 'user' as const, at: T0 + 40, by: ALICE, to: BOB, toNumber: null };

  it("SF-XFER-1: B answers: Answered by B, only B's tags, Transferred to B, B owns the Task", () => {
    const call = callState({ user: BOB, firstAnsweredBy: ALICE, transfers: [transfer], tags });
    const fields = task(planCall(settings(), call, ctx())).fields;
    expect(fields).toMatchObject({
      aircall__Answered_by__c: 'Bob Durand',
      aircall__Transferred_to__c: 'Bob Durand',
      OwnerId: BOB_SF,
    });
    expect(fields.CallDisposition).toBe(
      "[['Support', 'aircall', 'inbound', 'answered_call', '33176360695']]",
    );
  });

  it('SF-XFER-1: B does not answer: Answered by stays A and all tags are kept', () => {
    const failed = { kind: 'unsuccessful' as const, at: T0 + 70, by: ALICE, to: BOB, toNumber: null };
    const call = callState({ user: ALICE, firstAnsweredBy: ALICE, transfers: [transfer, failed], tags });
    const fields = task(planCall(settings(), call, ctx())).fields;
    expect(fields.aircall__Answered_by__c).toBe('Alice Martin');
    expect(fields.aircall__Transferred_to__c).toBe('Bob Durand');
    expect(fields.CallDisposition).toBe(
      "[['Sales', 'Support', 'aircall', 'inbound', 'answered_call', '33176360695']]",
    );
  });

  it('SF-XFER-1: a transfer to an external number changes none of these', () => {
    const external = {
      kind: 'external' as const,
      at: T0 + 40,
      by: ALICE,
      to: null,
      toNumber: '+33700000000',
    };
    const call = callState({ transfers: [external], tags });
    const plan = planCall(settings(), call, ctx());
    expect(task(plan).fields).toMatchObject({
      aircall__Answered_by__c: 'Alice Martin',
      aircall__Transferred_to__c: null,
      OwnerId: ALICE_SF,
    });
    expect(step(plan, 'SF-XFER-1')[0]?.detail).toContain('separate call');
  });
});

describe('SF-UPD-1, GEN-IDEM-1: later events', () => {
  it('SF-UPD-1: new tags and notes update the Task', () => {
    const first = planCall(settings(), callState(), ctx());
    const tagged = callState({
      tags: [{ id: 7, name: 'VIP', addedByUserId: ALICE.id }],
      comments: [{ id: 1, content: 'Call back Monday', postedAt: T0 + 300, postedBy: ALICE }],
      events: ['call.answered', 'call.commented', 'call.created', 'call.ended', 'call.hungup', 'call.tagged'],
    });
    const plan = planCall(settings(), tagged, ctx({ existing: existingFrom(first) }));
    expect(plan.writes).toHaveLength(1);
    expect(task(plan)).toMatchObject({ op: 'update', id: 'salesforce.Task-activity-id' });
    expect(task(plan).fields.CallDisposition).toBe(
      "[['VIP', 'aircall', 'inbound', 'answered_call', '33176360695']]",
    );
    expect(String(task(plan).fields.Description)).toContain(
      'Alice Martin added a new comment:\nCall back Monday',
    );
    expect(task(plan).rules).toContain('SF-UPD-1');
  });

  const scenarios: [string, CallState, Partial<PlannerContext>, Partial<SalesforceSettingsInput>][] = [
    ['a matched Contact', callState(), {}, {}],
    ['a created Contact and Case', callState(), { records: [] }, { createCase: true }],
    [
      'an installer-owned record changing owner',
      callState(),
      { records: [contact({ ownerId: INSTALLER })] },
      {},
    ],
    ['an unmatched call', missedCall(), { records: [] }, { newRecord: 'none' }],
  ];
  it.each(scenarios)(
    'GEN-IDEM-1: planning %s again with what was written gives only updates',
    (_, call, over, s) => {
      const first = planCall(settings(s), call, ctx(over));
      expect(first.outcome).toBe('write');
      const existing = existingFrom(first);
      const second = planCall(settings(s), call, ctx({ ...over, existing }));
      const third = planCall(settings(s), call, ctx({ ...over, existing: existingFrom(second, existing) }));
      for (const plan of [second, third]) {
        expect(plan.writes.length).toBeGreaterThan(0);
        expect(plan.writes.every((w) => w.op === 'update' && w.id !== undefined)).toBe(true);
        expect(task(plan).id).toBe('salesforce.Task-activity-id');
      }
      expect(third).toEqual(second);
    },
  );

  it('GEN-IDEM-1: the same inputs give the same plan', () => {
    const a = planCall(settings({ createCase: true }), callState(), ctx({ records: [] }));
    const b = planCall(settings({ createCase: true }), callState(), ctx({ records: [] }));
    expect(a).toEqual(b);
  });
});

describe('SF-SMS-1: messages', () => {
  it('SF-SMS-1: an outbound SMS is a Task owned by its sender', () => {
    const plan = planMessage(
      settings(),
      messageState({ direction: 'outbound', events: ['message.sent'] }),
      ctx(),
    );
    expect(task(plan).fields).toMatchObject({
      Subject: 'SMS sent from Alice Martin via Support FR to Claire Dupont',
      TaskSubtype: 'Task',
      Status: 'Completed',
      Description: 'Hello, can you call me back?',
      CallObject: 'message:msg-1',
      ActivityDate: '2026-09-21',
      WhoId: CONTACT,
      OwnerId: ALICE_SF,
    });
    expect(task(plan).fields).not.toHaveProperty('CallType');
  });

  it('SF-SMS-1: an inbound SMS is owned by the record owner', () => {
    const plan = planMessage(settings(), messageState(), ctx());
    expect(task(plan).fields).toMatchObject({
      Subject: 'SMS received from Claire Dupont to Support FR',
      OwnerId: OWNER,
    });
  });

  it('SF-SMS-1: SMS logging off, or the SMS status set to "do nothing": no Task', () => {
    expect(planMessage(settings({ logSms: false }), messageState(), ctx()).outcome).toBe('nothing');
    const plan = planMessage(settings({ taskStatus: { sms_inbound: 'nothing' } }), messageState(), ctx());
    expect(plan.outcome).toBe('nothing');
    expect(step(plan, 'SF-STAT-1')[0]?.outcome).toBe('stopped');
    expect(
      task(planMessage(settings({ taskStatus: { sms_inbound: 'open' } }), messageState(), ctx())).fields
        .Status,
    ).toBe('In Progress');
  });

  it('SF-SMS-1: a status update of the SMS updates its Task', () => {
    const first = planMessage(settings(), messageState(), ctx());
    const again = planMessage(
      settings(),
      messageState({ status: 'read', events: ['message.received', 'message.status_updated'] }),
      ctx({ existing: existingFrom(first) }),
    );
    expect(again.writes.map((w) => w.op)).toEqual(['update']);
  });
});

describe('the trace', () => {
  it('GEN-TRACE-1: every Salesforce decision of a call is a readable step', () => {
    const plan = planCall(settings(), callState(), ctx());
    const rules = new Set(plan.trace.map((s) => s.rule));
    for (const rule of [
      'SF-HOURS-1',
      'SF-WHEN-1',
      'SF-STAT-1',
      'SF-MATCH-1',
      'SF-OWN-1',
      'SF-SUBJ-1',
      'SF-DISP-1',
    ]) {
      expect(rules.has(rule)).toBe(true);
    }
    expect(plan.trace.every((s) => s.detail.length > 10)).toBe(true);
  });
});
