/**
 * End to end: what a Salesforce Task holds for each kind of call (SPEC
 * section 5: SF-SUBJ-1, SF-DISP-1, SF-CT-1, SF-DATE-1, SF-FLD-1, SF-DESC-1,
 * SF-STAT-1, SF-WHEN-1, SF-UPD-1, SF-XFER-1, SF-MISC-1, SF-TYPE-1; section 3,
 * GEN-IDEM-1). Calls are played through the Aircall simulator into the
 * running backend; each Task is read back through Salesforce's REST API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, type CallScript, callWebhooks, SUPPORT_LINE } from '../lib/aircall/scenarios.ts';
import { STORES } from './support/world.ts';
import { type SalesforceWorld, type Sobject, salesforceWorld } from './support/salesforce.ts';

const SUPPORT_DIGITS = '33176360695';
const TAG = {
  general: { id: 31, name: 'General_Inquiries' },
  refund: { id: 32, name: 'Refund' },
  vip: { id: 33, name: 'VIP' },
};
const asset = (callId: number, kind: 'recording' | 'voicemail') =>
  `https://assets.aircall.io/calls/${callId}/${kind}`;

describe.each(STORES)('Salesforce Tasks end to end (%s store)', { timeout: 60_000 }, (store) => {
  let s: SalesforceWorld;
  /** Hugo Lambert, +33 6 40 00 00 01, owned by Bob: the record most calls here are on. */
  let hugo: string;
  const HUGO = '+33 6 40 00 00 01';

  beforeAll(async () => {
    s = await salesforceWorld({ store, n: 30 });
    hugo = await s.record('Contact', {
      FirstName: 'Hugo',
      LastName: 'Lambert',
      Phone: '+33640000001',
      OwnerId: s.sf.bob,
    });
  }, 120_000);
  afterAll(async () => s?.w.close());

  const inbound = (callId: number, extra: Record<string, unknown> = {}) => ({
    callId,
    direction: 'inbound',
    external: HUGO,
    answerAfter: 12,
    talk: 95,
    user: ALICE,
    ...extra,
  });

  // ---- SF-SUBJ-1 ----

  it('SF-SUBJ-1: the Subject follows the call type, with the record and Aircall number names', async () => {
    await s.settings();
    const calls: [Record<string, unknown>, string][] = [
      [inbound(3001), 'Inbound call from Hugo Lambert on Support FR'],
      [
        {
          callId: 3002,
          direction: 'inbound',
          external: HUGO,
          talk: 20,
          missedCallReason: 'no_available_agent',
        },
        'Missed call from Hugo Lambert on Support FR',
      ],
      [
        { callId: 3003, direction: 'inbound', external: HUGO, talk: 25, user: ALICE, voicemail: true },
        'Voicemail from Hugo Lambert on Support FR',
      ],
      [
        { callId: 3004, direction: 'outbound', external: HUGO, answerAfter: 8, talk: 140, user: ALICE },
        'Outbound answered call to Hugo Lambert with Support FR',
      ],
      [
        { callId: 3005, direction: 'outbound', external: HUGO, talk: 30, user: ALICE },
        'Outbound unanswered call to Hugo Lambert with Support FR',
      ],
      [
        {
          callId: 3006,
          direction: 'outbound',
          external: HUGO,
          answerAfter: 6,
          talk: 300,
          user: ALICE,
          conferenceWith: ['+33 6 55 44 33 22'],
        },
        'Outbound conference call to Hugo Lambert with Support FR',
      ],
      [
        inbound(3007, { conferenceWith: ['+33 6 55 44 33 22'] }),
        'Inbound call from Hugo Lambert on Support FR',
      ],
    ];
    for (const [call] of calls) await s.w.play({ call });
    await s.settled();
    for (const [call, subject] of calls) {
      const task = await s.task(call.callId as number);
      expect(task.Subject, `call ${String(call.callId)}`).toBe(subject);
      expect(task.WhoId).toBe(hugo);
    }
    const conference = await s.logging(3006);
    expect(s.step(conference.trace, 'SF-SUBJ-1')[0]?.detail).toContain('conference');
  });

  // ---- SF-DISP-1 ----

  it("SF-DISP-1: CallDisposition lists the tags, aircall, direction, status, the number without + and the missed call's reason", async () => {
    await s.settings();
    await s.w.play({ call: inbound(3010, { tags: [TAG.general, TAG.vip] }) });
    await s.w.play({
      call: {
        callId: 3011,
        direction: 'inbound',
        external: HUGO,
        talk: 20,
        missedCallReason: 'out_of_opening_hours',
      },
    });
    await s.w.play({ call: { callId: 3012, direction: 'outbound', external: HUGO, talk: 30, user: ALICE } });
    const many = Array.from({ length: 20 }, (_, i) => ({ id: 100 + i, name: `Long_tag_number_${i}_xxxxxx` }));
    await s.w.play({ call: inbound(3013, { tags: many }) });
    await s.settled();
    expect((await s.task(3010)).CallDisposition).toBe(
      `[['General_Inquiries', 'VIP', 'aircall', 'inbound', 'answered_call', '${SUPPORT_DIGITS}']]`,
    );
    expect((await s.task(3011)).CallDisposition).toBe(
      `[['aircall', 'inbound', 'unanswered_call', '${SUPPORT_DIGITS}', 'out_of_opening_hours']]`,
    );
    expect((await s.task(3012)).CallDisposition).toBe(
      `[['aircall', 'outbound', 'unanswered_call', '${SUPPORT_DIGITS}']]`,
    );
    // Cut to the field's 255 characters by dropping whole tags: the tail stays readable.
    const cut = String((await s.task(3013)).CallDisposition);
    expect(cut.length).toBeLessThanOrEqual(255);
    expect(cut).toMatch(/^\[\['Long_tag_number_0_xxxxxx', /);
    expect(cut.endsWith(`'aircall', 'inbound', 'answered_call', '${SUPPORT_DIGITS}']]`)).toBe(true);
  });

  // ---- SF-CT-1 / SF-DATE-1 / SF-FLD-1 ----

  it('SF-CT-1 / SF-DATE-1: CallType is Inbound or Outbound; ActivityDate is the UTC date the call was created', async () => {
    await s.settings();
    // 23:30 UTC on 14 October 2026 is already the 15th (01:30) in Paris.
    const lateUtc = Date.UTC(2026, 9, 14, 23, 30) / 1000;
    await s.w.play({ call: inbound(3020, { startedAt: lateUtc }) });
    await s.w.play({
      call: { callId: 3021, direction: 'outbound', external: HUGO, answerAfter: 5, talk: 40, user: ALICE },
    });
    await s.settled();
    const late = await s.task(3020);
    expect(late).toMatchObject({
      CallType: 'Inbound',
      ActivityDate: '2026-10-14',
      aircall__Time_of_Day__c: '01:30',
    });
    const out = await s.task(3021);
    expect(out.CallType).toBe('Outbound');
    expect(out.ActivityDate).toBe(new Date(Date.now()).toISOString().slice(0, 10));
  });

  it('SF-FLD-1: waiting time, conversation, who answered, number, country, recording, time zone and time of day, connection status', async () => {
    await s.settings();
    const startedAt = Date.UTC(2026, 5, 3, 8, 15) / 1000; // 10:15 in Paris (summer time)
    await s.w.play({ call: inbound(3030, { startedAt }) });
    await s.w.play({
      call: {
        callId: 3031,
        direction: 'outbound',
        external: '+1 650 253 0000',
        answerAfter: 8,
        talk: 140,
        user: ALICE,
        startedAt,
      },
    });
    await s.w.play({ call: { callId: 3032, direction: 'inbound', external: HUGO, talk: 20, startedAt } });
    await s.settled();
    expect(await s.task(3030)).toMatchObject({
      aircall__Waiting_Time__c: 12,
      CallDurationInSeconds: 95,
      aircall__Answered_by__c: 'Alice Martin',
      aircall__Phone_number__c: SUPPORT_DIGITS,
      aircall__Country__c: 'France',
      aircall__Call_Recording__c: asset(3030, 'recording'),
      aircall__Transferred_to__c: null,
      aircall__Time_Zone__c: 'Europe/Paris',
      aircall__Time_of_Day__c: '10:15',
      aircall__Connection_Status__c: 'connected',
      aircall__Was_Connected__c: true,
    });
    // Outbound: no waiting; the conversation is the whole call; no connection status (inbound only).
    expect(await s.task(3031)).toMatchObject({
      aircall__Waiting_Time__c: 0,
      CallDurationInSeconds: 148,
      aircall__Country__c: 'United States',
      aircall__Connection_Status__c: null,
      aircall__Was_Connected__c: false,
    });
    expect(await s.task(3032)).toMatchObject({
      CallDurationInSeconds: 0,
      aircall__Answered_by__c: null,
      aircall__Call_Recording__c: null,
      aircall__Connection_Status__c: 'not connected',
      aircall__Was_Connected__c: false,
    });
    // The org's Task describe carries the fields with SPEC's labels.
    const describe = await s.w.salesforce('GET', '/sobjects/Task/describe');
    const labels = Object.fromEntries(
      (describe.json.fields as { name: string; label: string }[]).map((f) => [f.name, f.label]),
    );
    expect(labels).toMatchObject({
      aircall__Time_Zone__c: 'Time Zone',
      aircall__Time_of_Day__c: 'Time of Day',
      aircall__Connection_Status__c: 'Connection Status',
      aircall__Was_Connected__c: 'Was Connected',
    });
  });

  // ---- SF-DESC-1 ----

  it("SF-DESC-1: a voicemail's link, then each note as '<agent> added a new comment:'", async () => {
    await s.settings();
    await s.playCall({
      callId: 3040,
      direction: 'inbound',
      external: HUGO,
      talk: 25,
      user: ALICE,
      voicemail: true,
      comments: [
        { id: 1, content: 'Call back tomorrow', by: ALICE },
        { id: 2, content: 'Done, he wants a quote', by: BOB },
      ],
    });
    expect((await s.task(3040)).Description).toBe(
      [
        `Find voicemail here : ${asset(3040, 'voicemail')}`,
        'Alice Martin added a new comment:\nCall back tomorrow',
        'Bob Durand added a new comment:\nDone, he wants a quote',
      ].join('\n\n'),
    );
    await s.playCall(inbound(3041));
    expect((await s.task(3041)).Description).toBe(`Find recording here : ${asset(3041, 'recording')}`);
  });

  it('SF-DESC-1: the Description stays within 32,000 characters and says a note was cut', async () => {
    await s.settings();
    const long = 'x'.repeat(40_000);
    await s.playCall(inbound(3042, { comments: [{ id: 3, content: long, by: ALICE }] }));
    const description = String((await s.task(3042)).Description);
    expect(description.length).toBeLessThanOrEqual(32_000);
    expect(description.length).toBeGreaterThan(31_000);
    expect(
      description.startsWith(
        `Find recording here : ${asset(3042, 'recording')}\n\nAlice Martin added a new comment:\nxxx`,
      ),
    ).toBe(true);
    expect(description).toContain('[comment cut: too long for Salesforce]');
  });

  // ---- SF-STAT-1 ----

  it('SF-STAT-1: per call type, a Completed Task, an open one (In Progress), or no Task at all', async () => {
    await s.settings({ taskStatus: { inbound_answered: 'open', missed_no_voicemail: 'nothing' } });
    await s.w.play({ call: inbound(3050) });
    await s.w.play({ call: { callId: 3051, direction: 'inbound', external: HUGO, talk: 20 } });
    await s.w.play({
      call: { callId: 3052, direction: 'outbound', external: HUGO, answerAfter: 3, talk: 30, user: ALICE },
    });
    await s.settled();
    expect(await s.task(3050)).toMatchObject({ Status: 'In Progress', IsClosed: false });
    expect(await s.task(3052)).toMatchObject({ Status: 'Completed', IsClosed: true });
    const nothing = await s.logging(3051);
    expect(nothing.outcome).toBe('nothing');
    expect(nothing.written).toEqual({});
    expect(s.step(nothing.trace, 'SF-STAT-1')).toEqual([
      expect.objectContaining({ outcome: 'stopped', detail: expect.stringContaining('"do nothing"') }),
    ]);
    expect(await s.tasksOf('3051')).toEqual([]);
  });

  // ---- SF-WHEN-1 ----

  it('SF-WHEN-1: a Task once the call is answered, or once it ends unanswered; later events update it', async () => {
    await s.settings();
    const script = (callId: number, answered: boolean): CallScript => ({
      callId,
      token: 'sandbox',
      direction: 'inbound',
      external: HUGO,
      number: SUPPORT_LINE,
      startedAt: Math.floor(Date.now() / 1000) - 300,
      talk: 60,
      user: ALICE,
      ...(answered ? { answerAfter: 10 } : {}),
    });
    const emit = async (s2: CallScript, events: string[]) => {
      for (const e of callWebhooks(s2).filter((x) => events.includes(x.event))) {
        await s.w.sandbox.aircall.sim.emit(s.w.company.ids.aircallCompanyId, {
          resource: e.resource,
          event: e.event,
          timestamp: e.timestamp,
          data: e.data,
        });
      }
      await s.settled();
    };

    const answered = script(3060, true);
    await emit(answered, ['call.created', 'call.ringing_on_agent']);
    expect((await s.logging(3060)).outcome).toBe('wait');
    expect(await s.tasksOf('3060')).toEqual([]);
    await emit(answered, ['call.answered']);
    const [created] = await s.tasksOf('3060');
    expect(created).toMatchObject({
      Subject: 'Inbound call from Hugo Lambert on Support FR',
      CallDurationInSeconds: null,
    });
    await emit(answered, ['call.hungup', 'call.ended']);
    const after = await s.tasksOf('3060');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ Id: created?.Id, CallDurationInSeconds: 60 });

    const missed = script(3061, false);
    await emit(missed, ['call.created', 'call.ringing_on_agent', 'call.hungup']);
    const waiting = await s.logging(3061);
    expect(waiting.outcome).toBe('wait');
    expect(s.step(waiting.trace, 'SF-WHEN-1').at(-1)?.detail).toContain('created at call.ended');
    expect(await s.tasksOf('3061')).toEqual([]);
    await emit(missed, ['call.ended']);
    expect(await s.tasksOf('3061')).toEqual([
      expect.objectContaining({ Subject: 'Missed call from Hugo Lambert on Support FR' }),
    ]);
  });

  // ---- SF-UPD-1 ----

  it('SF-UPD-1: a tag and a note added in Aircall after the call update the same Task', async () => {
    await s.settings();
    await s.playCall(inbound(3070, { tags: [TAG.general] }));
    const before = await s.task(3070);
    const tagged = await s.w.agent('POST', '/v1/calls/3070/tags', { tagId: TAG.refund.id });
    expect(tagged.status, JSON.stringify(tagged.json)).toBe(200);
    const noted = await s.w.agent('POST', '/v1/calls/3070/notes', { content: 'Refund approved' });
    expect(noted.status, JSON.stringify(noted.json)).toBe(200);
    await s.settled();
    const after = await s.task(3070);
    expect(after.Id).toBe(before.Id);
    expect(after.CallDisposition).toBe(
      `[['General_Inquiries', 'Refund', 'aircall', 'inbound', 'answered_call', '${SUPPORT_DIGITS}']]`,
    );
    expect(after.Description).toBe(
      `Find recording here : ${asset(3070, 'recording')}\n\nAircall API added a new comment:\nRefund approved`,
    );
    expect(await s.tasksOf('3070')).toHaveLength(1);
    const trace = (await s.logging(3070)).trace;
    expect(s.step(trace, 'SF-UPD-1')[0]?.detail).toMatch(
      /updated with the call's current tags \(2\) and notes \(1\)/,
    );
  });

  // ---- SF-XFER-1 ----

  it('SF-XFER-1: transferred from Alice to Bob who answers: Answered by Bob, Transferred to Bob, only his tags', async () => {
    await s.settings();
    await s.playCall(
      inbound(3080, {
        answerAfter: 10,
        talk: 210,
        transferTo: { user: BOB, after: 30, answers: true },
        tags: [
          { ...TAG.general, by: ALICE },
          { ...TAG.vip, by: BOB },
        ],
        comments: [{ id: 4, content: 'Bob took it over', by: BOB }],
      }),
    );
    const task = await s.task(3080);
    expect(task).toMatchObject({
      aircall__Answered_by__c: 'Bob Durand',
      aircall__Transferred_to__c: 'Bob Durand',
      CallDisposition: `[['VIP', 'aircall', 'inbound', 'answered_call', '${SUPPORT_DIGITS}']]`,
      OwnerId: s.sf.bob,
    });
    // SF-DESC-1: notes by another agent after the transfer are in the Description too.
    expect(task.Description).toContain('Bob Durand added a new comment:\nBob took it over');
  });

  it('SF-XFER-1: transferred to Bob who does not answer: Answered by stays Alice and all tags are kept', async () => {
    await s.settings();
    await s.playCall(
      inbound(3081, {
        transferTo: { user: BOB, after: 30, answers: false },
        tags: [
          { ...TAG.general, by: ALICE },
          { ...TAG.vip, by: ALICE },
        ],
      }),
    );
    expect(await s.task(3081)).toMatchObject({
      aircall__Answered_by__c: 'Alice Martin',
      aircall__Transferred_to__c: 'Bob Durand',
      CallDisposition: `[['General_Inquiries', 'VIP', 'aircall', 'inbound', 'answered_call', '${SUPPORT_DIGITS}']]`,
      OwnerId: s.sf.alice,
    });
  });

  it('SF-XFER-1: a transfer to an external number changes none of these', async () => {
    await s.settings();
    await s.playCall(inbound(3082, { externalTransferTo: '+33 6 00 00 00 09', tags: [TAG.general] }));
    expect(await s.task(3082)).toMatchObject({
      aircall__Answered_by__c: 'Alice Martin',
      aircall__Transferred_to__c: null,
      CallDisposition: `[['General_Inquiries', 'aircall', 'inbound', 'answered_call', '${SUPPORT_DIGITS}']]`,
    });
    const trace = (await s.logging(3082)).trace;
    expect(s.step(trace, 'SF-XFER-1')[0]?.detail).toContain('logged as a separate call');
  });

  // ---- SF-MISC-1 ----

  it("SF-MISC-1: Priority is Salesforce's default (Normal); CreatedBy and LastModifiedBy are the API user (the installer)", async () => {
    await s.settings();
    await s.playCall(inbound(3090));
    const task = await s.task(3090);
    expect(task).toMatchObject({
      Priority: 'Normal',
      CreatedById: s.sf.installer,
      LastModifiedById: s.sf.installer,
    });
    // Written by the bridge without a Priority: Salesforce chose it.
    const log = await s.logging(3090);
    expect(s.step(log.trace, 'SF-MISC-1')[0]?.detail).toContain("Priority is left to Salesforce's default");
  });

  // ---- GEN-IDEM-1 ----

  it('GEN-IDEM-1: duplicated, shuffled events give one Task equal to an orderly delivery', async () => {
    await s.settings();
    const call = (callId: number) =>
      inbound(callId, {
        tags: [TAG.general],
        comments: [{ id: 10 + callId, content: 'Asked about invoice 42', by: ALICE }],
      });
    await s.playCall(call(3100));
    const played = await s.w.play({ call: call(3101), duplicates: 6, shuffle: 20_261_122 });
    expect((played.sent as string[]).length).toBe((played.events as number) + 6);
    await s.settled();
    const comparable = (t: Sobject, callId: number) => {
      const out: Record<string, unknown> = {};
      for (const k of [
        'Subject',
        'Type',
        'TaskSubtype',
        'CallType',
        'CallDurationInSeconds',
        'CallDisposition',
        'Status',
        'Description',
        'WhoId',
        'WhatId',
        'OwnerId',
        'aircall__Answered_by__c',
        'aircall__Waiting_Time__c',
        'aircall__Call_Recording__c',
      ])
        out[k] = typeof t[k] === 'string' ? (t[k] as string).replaceAll(String(callId), '<id>') : t[k];
      return out;
    };
    const orderly = await s.tasksOf('3100');
    const shuffled = await s.tasksOf('3101');
    expect(orderly).toHaveLength(1);
    expect(shuffled).toHaveLength(1);
    expect(comparable(shuffled[0] ?? {}, 3101)).toEqual(comparable(orderly[0] ?? {}, 3100));
    expect(shuffled[0]?.Description).toContain('Asked about invoice 42');
  });

  // ---- SF-TYPE-1 (last: it hides Type for the rest of this org) ----

  it('SF-TYPE-1: Type and TaskSubtype are Call; with Type hidden from the installer the Task is logged without it, and the trace says so', async () => {
    await s.settings();
    await s.playCall(inbound(3110));
    expect(await s.task(3110)).toMatchObject({ Type: 'Call', TaskSubtype: 'Call' });

    await s.seed({ fields: { Task: { hidden: ['Type'] } } });
    // The adapter reads the org's Task describe at most every 5 minutes.
    await s.w.advance(5 * 60_000 + 1_000);
    await s.playCall(inbound(3111));
    const log = await s.logging(3111);
    expect(log.outcome).toBe('write');
    const [task] = await s.soql(`SELECT Id, Subject, TaskSubtype FROM Task WHERE CallObject = '3111'`);
    expect(task).toMatchObject({
      Subject: 'Inbound call from Hugo Lambert on Support FR',
      TaskSubtype: 'Call',
    });
    const type = s.step(log.trace, 'SF-TYPE-1').map((x) => x.detail);
    expect(type.join(' ')).toMatch(/lacks or hides Type, so the Task is written without it/);
  });
});
