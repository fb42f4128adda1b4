import { describe, expect, it } from 'vitest';
import { ALICE, BOB, callState, missedCall, outboundCall, T0 } from '../../../test/support/build.ts';
import type { AircallCommentState } from '../../aircall/callState.ts';
import { type CallType, classifyCall } from '../../logging/classify.ts';
import {
  CALL_DISPOSITION_MAX,
  callDurationOf,
  countryNameOf,
  DESCRIPTION_MAX,
  timeOfDay,
  toCallDisposition,
  toSalesforceCase,
  toSalesforceDescription,
  toSalesforceLead,
  toSalesforceTask,
  toSalesforceTaskSubject,
  UNKNOWN_COMPANY,
} from './mapper.ts';

describe('toSalesforceTaskSubject', () => {
  const rows: [CallType, boolean, string][] = [
    ['outbound_answered', false, 'Outbound answered call to Claire Dupont with Support FR'],
    ['outbound_unanswered', false, 'Outbound unanswered call to Claire Dupont with Support FR'],
    ['inbound_answered', false, 'Inbound call from Claire Dupont on Support FR'],
    ['missed_no_voicemail', false, 'Missed call from Claire Dupont on Support FR'],
    ['missed_voicemail', false, 'Voicemail from Claire Dupont on Support FR'],
    ['outbound_answered', true, 'Outbound conference call to Claire Dupont with Support FR'],
    ['inbound_answered', true, 'Inbound call from Claire Dupont on Support FR'],
  ];
  it.each(rows)('SF-SUBJ-1: %s (conference: %s)', (type, conference, subject) => {
    expect(
      toSalesforceTaskSubject({
        kind: 'call',
        type,
        conference,
        recordName: 'Claire Dupont',
        numberName: 'Support FR',
      }),
    ).toBe(subject);
  });

  it('SF-SMS-1: SMS sent and received', () => {
    const base = {
      kind: 'message',
      recordName: 'Claire Dupont',
      numberName: 'Support FR',
      channel: null,
    } as const;
    expect(toSalesforceTaskSubject({ ...base, direction: 'outbound', userName: 'Alice Martin' })).toBe(
      'SMS sent from Alice Martin via Support FR to Claire Dupont',
    );
    expect(toSalesforceTaskSubject({ ...base, direction: 'inbound', userName: 'Alice Martin' })).toBe(
      'SMS received from Claire Dupont to Support FR',
    );
  });

  it('SF-SUBJ-1: a subject never exceeds 255 characters', () => {
    const subject = toSalesforceTaskSubject({
      kind: 'call',
      type: 'inbound_answered',
      conference: false,
      recordName: 'x'.repeat(400),
      numberName: 'Support FR',
    });
    expect(subject).toHaveLength(255);
  });
});

describe('toCallDisposition', () => {
  it("SF-DISP-1: the article's example, character for character", () => {
    expect(
      toCallDisposition({
        tags: ['General_Inquiries'],
        direction: 'inbound',
        answered: true,
        numberDigits: '18882406923',
        missedCallReason: 'no_available_agent',
      }),
    ).toBe(
      "[['General_Inquiries', 'aircall', 'inbound', 'answered_call', '18882406923', 'no_available_agent']]",
    );
  });

  it('SF-DISP-1: a missed call ends with its missed-call reason', () => {
    expect(
      toCallDisposition({
        tags: [],
        direction: 'inbound',
        answered: false,
        numberDigits: '33176360695',
        missedCallReason: 'out_of_opening_hours',
      }),
    ).toBe("[['aircall', 'inbound', 'unanswered_call', '33176360695', 'out_of_opening_hours']]");
  });

  it('SF-DISP-1: an answered call carries no missed-call reason; several tags come first', () => {
    expect(
      toCallDisposition({
        tags: ['General_Inquiries', 'VIP'],
        direction: 'outbound',
        answered: true,
        numberDigits: '33176360695',
        missedCallReason: null,
      }),
    ).toBe("[['General_Inquiries', 'VIP', 'aircall', 'outbound', 'answered_call', '33176360695']]");
  });

  it('SF-DISP-1: cut to 255 by dropping whole tags from the end', () => {
    const tags = Array.from({ length: 30 }, (_, i) => `tag_number_${i}`);
    const value = toCallDisposition({
      tags,
      direction: 'inbound',
      answered: true,
      numberDigits: '33176360695',
      missedCallReason: null,
    });
    expect(value.length).toBeLessThanOrEqual(CALL_DISPOSITION_MAX);
    expect(value.startsWith("[['tag_number_0', ")).toBe(true);
    expect(value.endsWith("'aircall', 'inbound', 'answered_call', '33176360695']]")).toBe(true);
  });
});

describe('toSalesforceDescription', () => {
  const comment = (id: number, content: string, by = ALICE): AircallCommentState => ({
    id,
    content,
    postedAt: T0 + id,
    postedBy: by,
  });

  it('SF-DESC-1: voicemail line, then each note in the article format, oldest first', () => {
    const d = toSalesforceDescription({
      media: { kind: 'voicemail', url: 'https://assets.aircall.io/v' },
      comments: [comment(2, 'Called back, no answer', BOB), comment(1, 'Wants a quote')],
    });
    expect(d.Description).toBe(
      'Find voicemail here : https://assets.aircall.io/v\n\n' +
        'Alice Martin added a new comment:\nWants a quote\n\n' +
        'Bob Durand added a new comment:\nCalled back, no answer',
    );
    expect(d.omittedNotes).toBe(0);
  });

  it('SF-DESC-1: the recording line; empty when there is nothing to say', () => {
    expect(
      toSalesforceDescription({ media: { kind: 'recording', url: 'https://r' }, comments: [] }).Description,
    ).toBe('Find recording here : https://r');
    expect(toSalesforceDescription({ media: null, comments: [] }).Description).toBeNull();
  });

  it('SF-DESC-1: at most 32,000 characters, whole notes kept and the rest announced', () => {
    const comments = Array.from({ length: 10 }, (_, i) => comment(i + 1, `${i}`.repeat(5_000)));
    const d = toSalesforceDescription({ media: { kind: 'recording', url: 'https://r' }, comments });
    const text = d.Description ?? '';
    expect(text.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(d.omittedNotes).toBe(4);
    expect(text).toContain('0'.repeat(5_000));
    expect(text).toContain('5'.repeat(5_000));
    expect(text).not.toContain('6'.repeat(100));
    expect(
      text.endsWith(
        '[4 more comments not shown: Salesforce keeps at most 32000 characters here; read them on the call in Aircall.]',
      ),
    ).toBe(true);
  });

  it('SF-DESC-1: a single note longer than the field is cut and says so', () => {
    const d = toSalesforceDescription({ media: null, comments: [comment(1, 'x'.repeat(40_000))] });
    expect((d.Description ?? '').length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(d.cutNote).toBe(true);
    expect(d.Description).toContain('[comment cut: too long for Salesforce]');
  });
});

describe('toSalesforceTask', () => {
  it('SF-FLD-1: the fields of an inbound answered call', () => {
    const call = callState();
    const f = toSalesforceTask({
      call,
      classification: classifyCall(call),
      status: 'Completed',
      recordName: 'Claire Dupont',
      externalE164: '+33612345678',
      defaultCountry: 'FR',
      answeredBy: ALICE,
      transferredTo: null,
      tags: [],
      relations: { WhoId: '003A' },
      op: 'create',
    });
    expect(f).toMatchObject({
      Type: 'Call',
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: 95,
      CallObject: '1001',
      ActivityDate: '2026-09-21',
      WhoId: '003A',
      aircall__Waiting_Time__c: 12,
      aircall__Answered_by__c: 'Alice Martin',
      aircall__Phone_number__c: '33176360695',
      aircall__Country__c: 'France',
      aircall__Call_Recording__c: 'https://assets.aircall.io/calls/1001/recording',
      aircall__Time_Zone__c: 'Europe/Paris',
      aircall__Time_of_Day__c: '16:13',
      aircall__Connection_Status__c: 'connected',
      aircall__Was_Connected__c: true,
    });
    expect(f).not.toHaveProperty('Priority');
  });

  it('SF-TYPE-1: TaskSubtype is only sent on create', () => {
    const call = callState();
    const f = toSalesforceTask({
      call,
      classification: classifyCall(call),
      status: 'Completed',
      recordName: 'x',
      externalE164: null,
      defaultCountry: 'FR',
      answeredBy: null,
      transferredTo: null,
      tags: [],
      relations: {},
      op: 'update',
    });
    expect(f).not.toHaveProperty('TaskSubtype');
    expect(f.Type).toBe('Call');
  });

  it('SF-FLD-1: durations exclude inbound waiting; outbound counts the whole call', () => {
    expect(callDurationOf(callState())).toBe(95);
    expect(callDurationOf(missedCall())).toBe(0);
    expect(callDurationOf(outboundCall())).toBe(107);
    expect(callDurationOf(callState({ endedAt: null, status: 'answered' }))).toBeNull();
  });

  it('SF-FLD-1: country names in English, local time of day in the zone', () => {
    expect(countryNameOf('+4930123456')).toBe('Germany');
    expect(countryNameOf('+14155552671')).toBe('United States');
    expect(countryNameOf(null)).toBeNull();
    expect(timeOfDay(Date.UTC(2026, 8, 21, 22, 30), 'Europe/Paris')).toBe('00:30');
    expect(timeOfDay(Date.UTC(2026, 8, 21, 22, 30), 'Not/AZone')).toBeNull();
  });
});

describe('records', () => {
  it('SF-LEAD-1: Leads the integration creates have Company "Unknown Company"', () => {
    expect(toSalesforceLead({ e164: '+33612345678', ownerId: '005X' })).toEqual({
      LastName: '+33612345678',
      Company: UNKNOWN_COMPANY,
      Phone: '+33612345678',
      OwnerId: '005X',
    });
    expect(UNKNOWN_COMPANY).toBe('Unknown Company');
  });

  it('SF-CASE-1: a Case from the phone, on the Contact and its Account', () => {
    expect(toSalesforceCase({ subject: 'S', contactId: '003A', accountId: '001A', ownerId: null })).toEqual({
      Subject: 'S',
      Origin: 'Phone',
      ContactId: '003A',
      AccountId: '001A',
    });
  });
});
