import { describe, expect, it } from 'vitest';
import {
  ALICE,
  callState,
  crmRecord,
  messageState,
  missedCall,
  outboundCall,
  SUPPORT_NUMBER,
  T0,
} from '../../../test/support/build.ts';
import { classifyCall } from '../../logging/classify.ts';
import {
  capNoteText,
  formatDuration,
  localTime,
  mergeSmsIntoConversation,
  newSmsNote,
  parseSmsConversation,
  smsNoteHeader,
  toAircallContactFromJobadder,
  toJobadderCallNote,
  toJobadderSmsLine,
} from './mapper.ts';

const settings = { logAiInsights: true, logRecordingLink: true, maxNoteLength: 10_000 };
const note = (call = callState(), s = settings) =>
  toJobadderCallNote(call, classifyCall(call), { recordName: 'Claire Dupont', settings: s });

describe('toJobadderCallNote', () => {
  it('JA-CALL-1: a readable note with direction, type, number, agent, local start time, duration, tags and comments', () => {
    const text = note(
      callState({
        tags: [{ id: 1, name: 'VIP', addedByUserId: 11 }],
        comments: [{ id: 5, content: 'Wants a callback\nafter 6pm', postedAt: T0 + 200, postedBy: ALICE }],
      }),
    );
    expect(text.split('\n')[0]).toBe('Inbound call from Claire Dupont on Support FR');
    expect(text).toContain('Direction: Inbound');
    expect(text).toContain('Call type: Inbound answered');
    expect(text).toContain('Aircall number: Support FR');
    expect(text).toContain('Agent: Alice Martin');
    // T0 is 14:13:20 UTC; the number is in Europe/Paris (summer time).
    expect(text).toContain('Started: 2026-09-21 16:13:20 (Europe/Paris, UTC+02:00)');
    expect(text).toContain('Duration: 1 min 47 s, of which 1 min 35 s in conversation');
    expect(text).toContain('Tags: VIP');
    expect(text).toContain('- Alice Martin: Wants a callback\n  after 6pm');
    expect(text).toContain('Recording: https://assets.aircall.io/calls/1001/recording');
    expect(text).toContain('Aircall call 1001');
  });

  it('JA-CALL-1: the recording link only with "log recording link"', () => {
    expect(note(callState(), { ...settings, logRecordingLink: false })).not.toContain('Recording:');
  });

  it('JA-CALL-1: the voicemail link is always there, as the Aircall page when known', () => {
    const text = note(missedCall({}, true), { ...settings, logRecordingLink: false });
    expect(text.split('\n')[0]).toBe('Voicemail from Claire Dupont on Support FR');
    expect(text).toContain('Call type: Missed, with voicemail (no available agent)');
    expect(text).toContain('Voicemail: https://assets.aircall.io/calls/1001/voicemail');
  });

  it('JA-CALL-1: AI summary and key topics only with "log AI insights" and when present', () => {
    const ai = {
      summary: 'Claire asks about the contract.',
      topics: ['contract', 'start date'],
      sentiment: null,
      actionItems: [],
    };
    const withAi = note(callState({ ai }));
    expect(withAi).toContain('AI summary:\nClaire asks about the contract.');
    expect(withAi).toContain('Key topics: contract, start date');
    expect(note(callState({ ai }), { ...settings, logAiInsights: false })).not.toContain('AI summary');
    expect(note(callState())).not.toContain('AI summary');
  });

  it('JA-CALL-1: outbound failures are named', () => {
    const busy = outboundCall({ hangupCause: 'USER_BUSY' }, false);
    expect(note(busy)).toContain('Call type: Outbound unanswered (busy)');
    expect(note(busy).split('\n')[0]).toBe('Outbound unanswered call to Claire Dupont with Support FR');
  });

  it('JA-SMS-1: the note is cut to the maximum note length', () => {
    const long = callState({
      ai: { summary: 'x'.repeat(20_000), topics: [], sentiment: null, actionItems: [] },
    });
    const text = note(long, { ...settings, maxNoteLength: 500 });
    expect(text).toHaveLength(500);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('SMS lines and conversations', () => {
  const at = (minutes: number) => T0 * 1000 + minutes * 60_000;
  const sms = (id: string, minutes: number, body = `message ${id}`) =>
    messageState({ id, body, createdAt: at(minutes), sentAt: at(minutes) });
  const line = (id: string, minutes: number, body?: string) =>
    toJobadderSmsLine(sms(id, minutes, body), { recordName: 'Claire Dupont' });
  const header = smsNoteHeader('Claire Dupont', 'conversation');

  it('JA-SMS-1: one line per SMS, with local time, id, who and body', () => {
    expect(line('m1', 0)).toBe(
      '2026-09-21 16:13:20 UTC+02:00 #m1 SMS received from Claire Dupont on Support FR: message m1',
    );
    const out = toJobadderSmsLine(messageState({ id: 'm2', direction: 'outbound', body: 'Sure\nat 5?' }), {
      recordName: 'Claire Dupont',
    });
    expect(out).toBe(
      '2026-09-21 16:13:20 UTC+02:00 #m2 SMS sent by Alice Martin from Support FR to Claire Dupont: Sure\n  at 5?',
    );
  });

  it('JA-SMS-1: lines are read back with their instant, whatever the zone', () => {
    const ny = toJobadderSmsLine(
      messageState({ id: 'm9', number: { ...SUPPORT_NUMBER, timeZone: 'America/New_York' } }),
      { recordName: 'X' },
    );
    expect(ny.startsWith('2026-09-21 10:13:20 UTC-04:00 #m9 ')).toBe(true);
    const [block] = parseSmsConversation(ny).blocks;
    expect(block?.at).toBe(T0);
  });

  it('JA-SMS-1: a message arriving out of order goes in its place in time order', () => {
    let text = newSmsNote(header, line('m1', 0), 10_000);
    text = mergeSmsIntoConversation(text, line('m3', 20), { maxNoteLength: 10_000 }).text;
    const late = mergeSmsIntoConversation(text, line('m2', 10), { maxNoteLength: 10_000 });
    expect(late.status).toBe('merged');
    expect(parseSmsConversation(late.text).blocks.map((b) => b.id)).toEqual(['m1', 'm2', 'm3']);
    expect(late.text.startsWith('Aircall SMS conversation with Claire Dupont\n\n')).toBe(true);
  });

  it('JA-SMS-1: a message already in the note is not added twice', () => {
    const text = newSmsNote(header, line('m1', 0, 'two\nlines'), 10_000);
    expect(mergeSmsIntoConversation(text, line('m1', 0, 'two\nlines'), { maxNoteLength: 10_000 })).toEqual({
      status: 'already_in',
      text,
    });
    expect(
      mergeSmsIntoConversation('Aircall SMS conversation\n', line('m7', 0), {
        maxNoteLength: 10_000,
        messageIds: ['m7'],
      }).status,
    ).toBe('already_in');
  });

  it('JA-SMS-1: a merge that would pass the maximum note length says so', () => {
    const text = newSmsNote(header, line('m1', 0), 10_000);
    const merged = mergeSmsIntoConversation(text, line('m2', 1), { maxNoteLength: text.length + 10 });
    expect(merged.status).toBe('too_long');
    expect(merged.text).toHaveLength(text.length + 10);
  });

  it('JA-SMS-1: text a person added after a line stays with it', () => {
    const text = `${newSmsNote(header, line('m1', 0), 10_000)}\n(called back, see call note)`;
    const merged = mergeSmsIntoConversation(text, line('m2', 5), { maxNoteLength: 10_000 }).text;
    expect(merged.split('\n').slice(2)).toEqual([
      line('m1', 0),
      '(called back, see call note)',
      line('m2', 5),
    ]);
  });
});

describe('helpers', () => {
  it('JA-CALL-1: unknown time zones fall back to UTC', () => {
    expect(localTime(T0 * 1000, 'Mars/Olympus')).toEqual({
      dateTime: '2026-09-21 14:13:20',
      offset: 'UTC+00:00',
      zone: 'UTC',
    });
    expect(formatDuration(3725)).toBe('1 h 02 min 05 s');
    expect(formatDuration(9)).toBe('9 s');
  });

  it('JA-SMS-1: cutting never splits a surrogate pair', () => {
    expect(capNoteText('ab😀cd', 4)).toBe('ab…');
    expect(capNoteText('short', 10)).toBe('short');
  });

  it('JA-SYNC-1: the Aircall contact holds the JobAdder details and the number in E.164', () => {
    const record = crmRecord({
      id: '42',
      kind: 'candidate',
      name: 'Claire Dupont',
      phones: [
        { field: 'phone', value: '01 76 36 06 95' },
        { field: 'mobile', value: '06 12 34 56 78' },
      ],
    });
    const fields = toAircallContactFromJobadder(
      record,
      {
        firstName: 'Claire',
        lastName: 'Dupont',
        email: 'claire@example.fr',
        company: 'Acme',
        position: 'CTO',
      },
      { defaultCountry: 'FR', externalE164: '+33612345678' },
    );
    expect(fields).toEqual({
      first_name: 'Claire',
      last_name: 'Dupont',
      company_name: 'Acme',
      information: 'JobAdder candidate 42, CTO',
      phone_numbers: [
        { label: 'Work', value: '+33176360695' },
        { label: 'Mobile', value: '+33612345678' },
      ],
      emails: [{ label: 'Work', value: 'claire@example.fr' }],
    });
    expect(
      toAircallContactFromJobadder(record, {}, { defaultCountry: 'FR', externalE164: null }),
    ).toMatchObject({
      first_name: 'Claire',
      last_name: 'Dupont',
      company_name: null,
      emails: [],
    });
  });
});
