/**
 * The JobAdder rules through the real planner path: lib/logging/plan.ts's
 * gates and phone matching, then jobadderPlanner.
 */
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  CALLER_E164,
  callState,
  crmRecord,
  crmUser,
  messageState,
  missedCall,
  NOW,
  plannerContext,
  T0,
} from '../../../test/support/build.ts';
import type { MessageState } from '../../aircall/callState.ts';
import { planCall, planMessage } from '../../logging/plan.ts';
import type { ExistingWrites, Plan, PlannerContext } from '../../logging/plan-types.ts';
import { parseSmsConversation } from './mapper.ts';
import { jobadderSettingsSchema } from './settings.ts';

const settings = (over: Record<string, unknown> = {}) =>
  jobadderSettingsSchema.parse({ crm: 'jobadder', connectedNumbers: [1], defaultCountry: 'FR', ...over });

const contact = (over = {}) =>
  crmRecord({
    id: 'c-1',
    kind: 'contact',
    name: 'Claire Dupont',
    extra: { firstName: 'Claire', lastName: 'Dupont', email: 'claire@example.fr', company: { name: 'Acme' } },
    ...over,
  });
const candidate = (over = {}) => crmRecord({ id: 'k-1', kind: 'candidate', name: 'Claire Dupont', ...over });

const ctxWith = (over: Partial<PlannerContext> = {}) => plannerContext({ records: [contact()], ...over });

/** What the backend records after executing a plan: the ids JobAdder and Aircall returned, by ref. */
function existingFrom(plan: Plan, ids: Record<string, string> = {}): ExistingWrites {
  const out: ExistingWrites = {};
  for (const w of plan.writes) {
    out[w.ref] = { id: w.id ?? ids[w.ref] ?? `new-${w.ref}`, target: w.target, fields: w.fields };
  }
  return out;
}

const rulesOf = (plan: Plan, outcome?: string) =>
  plan.trace.filter((s) => !outcome || s.outcome === outcome).map((s) => s.rule);
const stepOf = (plan: Plan, rule: string) => plan.trace.find((s) => s.rule === rule);

describe('JobAdder calls', () => {
  it('JA-CALL-1: an ended call becomes one note on the matched contact', () => {
    const plan = planCall(settings(), callState(), ctxWith());
    expect(plan.outcome).toBe('write');
    expect(plan.recordId).toBe('c-1');
    expect(plan.writes).toHaveLength(1);
    const [note] = plan.writes;
    expect(note).toMatchObject({
      ref: 'activity',
      op: 'create',
      target: 'jobadder.contactNote',
      fields: { contactId: 'c-1', type: 'Call', reference: 'aircall:call:1001' },
      rules: ['JA-CALL-1'],
    });
    expect(note?.fields.text).toContain('Inbound call from Claire Dupont on Support FR');
    expect(note?.fields.text).toContain('Recording: https://assets.aircall.io/calls/1001/recording');
    expect(String(note?.fields.reference).length).toBeLessThanOrEqual(200);
  });

  it('JA-CALL-1: a candidate gets a candidate note', () => {
    const plan = planCall(
      settings({ noteType: 'Phone call' }),
      callState(),
      ctxWith({ records: [candidate()] }),
    );
    expect(plan.writes[0]).toMatchObject({
      target: 'jobadder.candidateNote',
      fields: { candidateId: 'k-1', type: 'Phone call' },
    });
    expect(plan.writes[0]?.fields).not.toHaveProperty('contactId');
  });

  it('JA-CALL-1: before call.ended nothing is written yet', () => {
    const live = callState({
      status: 'answered',
      endedAt: null,
      duration: null,
      events: ['call.answered', 'call.created'],
    });
    const plan = planCall(settings(), live, ctxWith());
    expect(plan.outcome).toBe('wait');
    expect(plan.writes).toEqual([]);
    expect(stepOf(plan, 'JA-CALL-1')?.detail).toContain('call.ended');
  });

  it('JA-CALL-1: later events (a tag, a comment, AI insights) update the same note', () => {
    const first = planCall(settings(), callState(), ctxWith());
    const later = callState({
      tags: [{ id: 3, name: 'Placement', addedByUserId: 11 }],
      ai: { summary: 'Claire accepts the offer.', topics: ['offer'], sentiment: null, actionItems: [] },
      events: ['call.answered', 'call.created', 'call.ended', 'call.hungup', 'call.tagged'],
    });
    const plan = planCall(
      settings(),
      later,
      ctxWith({ existing: existingFrom(first, { activity: 'note-9' }) }),
    );
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]).toMatchObject({ op: 'update', id: 'note-9', target: 'jobadder.contactNote' });
    expect(plan.writes[0]?.fields.text).toContain('Tags: Placement');
    expect(plan.writes[0]?.fields.text).toContain('AI summary:\nClaire accepts the offer.');
    expect(plan.writes[0]?.fields.text).toContain('Key topics: offer');
  });

  it('JA-CALL-1: "log recording link" and "log AI insights" off leave them out', () => {
    const ai = { summary: 'Summary.', topics: ['t'], sentiment: null, actionItems: [] };
    const plan = planCall(
      settings({ logRecordingLink: false, logAiInsights: false }),
      callState({ ai }),
      ctxWith(),
    );
    const text = String(plan.writes[0]?.fields.text);
    expect(text).not.toContain('Recording:');
    expect(text).not.toContain('AI summary');
    expect(text).not.toContain('Key topics');
    expect(stepOf(plan, 'JA-CALL-1')?.detail).toContain('recording link left out (setting off)');
  });

  it('JA-CALL-1: a missed call with voicemail carries the voicemail link', () => {
    const plan = planCall(settings({ logRecordingLink: false }), missedCall({}, true), ctxWith());
    expect(plan.writes[0]?.fields.text).toContain(
      'Voicemail: https://assets.aircall.io/calls/1001/voicemail',
    );
  });

  it('JA-CALL-1: a number no contact or candidate holds logs nothing and goes to the unmatched inbox', () => {
    const company = crmRecord({ id: 'co-1', kind: 'company', name: 'Acme' });
    const plan = planCall(settings(), callState(), ctxWith({ records: [company] }));
    expect(plan.outcome).toBe('nothing');
    expect(plan.unmatched).toBe(true);
    expect(rulesOf(plan, 'stopped')).toEqual(['JA-CALL-1']);
    expect(stepOf(plan, 'JA-CALL-1')?.detail).toContain('company co-1');
  });

  it('JA-CALL-1: a call an agent linked to a record is logged there (EXT-LINK-1)', () => {
    const plan = planCall(
      settings(),
      callState({ rawDigits: '+44 20 7946 0000' }),
      ctxWith({ records: [], linkedRecord: candidate({ phones: [] }) }),
    );
    expect(plan.writes[0]).toMatchObject({
      target: 'jobadder.candidateNote',
      fields: { candidateId: 'k-1' },
    });
  });
});

describe('JobAdder duplicates', () => {
  const older = contact({ id: 'c-old', updatedAt: '2026-08-01T10:00:00.000Z' });
  const newer = contact({ id: 'c-new', updatedAt: '2026-09-10T10:00:00.000Z' });

  it('JA-DUP-1: two contacts share the number: "most recent" logs into the most recently updated', () => {
    for (const records of [
      [older, newer],
      [newer, older],
    ]) {
      const plan = planCall(settings(), callState(), ctxWith({ records }));
      expect(plan.recordId).toBe('c-new');
      expect(plan.writes[0]?.fields.contactId).toBe('c-new');
      expect(stepOf(plan, 'JA-DUP-1')?.detail).toContain('2 contacts share the number');
    }
  });

  it('JA-DUP-1: two candidates share the number: "nothing" logs nothing and the trace says why', () => {
    const records = [candidate({ id: 'k-1' }), candidate({ id: 'k-2', updatedAt: '2026-09-15T00:00:00Z' })];
    const plan = planCall(
      settings({ duplicates: 'nothing', contactSync: true }),
      callState(),
      ctxWith({ records }),
    );
    expect(plan.outcome).toBe('nothing');
    expect(plan.writes).toEqual([]);
    expect(plan.unmatched).toBe(false);
    const step = stepOf(plan, 'JA-DUP-1');
    expect(step?.outcome).toBe('stopped');
    expect(step?.detail).toContain('2 candidates share the number');
    expect(step?.detail).toContain('"do nothing"');
  });

  it('JA-DUP-1: one contact and one candidate are not duplicates: logged once, on the more recent, even with "nothing"', () => {
    const records = [
      contact({ updatedAt: '2026-09-01T00:00:00Z' }),
      candidate({ updatedAt: '2026-09-20T00:00:00Z' }),
    ];
    const plan = planCall(settings({ duplicates: 'nothing' }), callState(), ctxWith({ records }));
    expect(plan.outcome).toBe('write');
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]).toMatchObject({
      target: 'jobadder.candidateNote',
      fields: { candidateId: 'k-1' },
    });
    expect(stepOf(plan, 'JA-DUP-1')?.detail).toContain('not duplicates');
  });

  it('JA-DUP-1: SMS follow the same choice', () => {
    const plan = planMessage(settings(), messageState(), ctxWith({ records: [older, newer] }));
    expect(plan.writes[0]?.fields.contactId).toBe('c-new');
    const none = planMessage(
      settings({ duplicates: 'nothing' }),
      messageState(),
      ctxWith({ records: [older, newer] }),
    );
    expect(none.outcome).toBe('nothing');
  });

  it('JA-DUP-1: once logged, later events stay on the same record even if another was updated since', () => {
    const first = planCall(settings(), callState(), ctxWith({ records: [older] }));
    const touched = contact({ id: 'c-other', updatedAt: '2026-09-21T15:00:00.000Z' });
    const plan = planCall(
      settings(),
      callState(),
      ctxWith({ records: [older, touched], existing: existingFrom(first, { activity: 'note-1' }) }),
    );
    expect(plan.writes[0]).toMatchObject({ op: 'update', id: 'note-1', fields: { contactId: 'c-old' } });
  });
});

describe('JobAdder contact sync', () => {
  it('JA-SYNC-1: a JobAdder contact found for a call is created in Aircall when Aircall has none', () => {
    const plan = planCall(settings({ contactSync: true }), callState(), ctxWith({ aircallContact: null }));
    const sync = plan.writes.find((w) => w.target === 'aircall.contact');
    expect(sync).toMatchObject({
      ref: 'aircall_contact',
      op: 'create',
      rules: ['JA-SYNC-1'],
      fields: {
        first_name: 'Claire',
        last_name: 'Dupont',
        company_name: 'Acme',
        phone_numbers: [{ label: 'Work', value: CALLER_E164 }],
        emails: [{ label: 'Work', value: 'claire@example.fr' }],
      },
    });
  });

  it('JA-SYNC-1: an Aircall contact already holding the number is overwritten, not duplicated', () => {
    const plan = planCall(
      settings({ contactSync: true }),
      callState(),
      ctxWith({ aircallContact: { id: 77 } }),
    );
    const syncs = plan.writes.filter((w) => w.target === 'aircall.contact');
    expect(syncs).toHaveLength(1);
    expect(syncs[0]).toMatchObject({ op: 'update', id: '77', fields: { first_name: 'Claire' } });
    expect(stepOf(plan, 'JA-SYNC-1')?.detail).toContain('overwritten');
  });

  it('JA-SYNC-1: a later event updates the Aircall contact the call synced, without claiming it created it', () => {
    const first = planCall(
      settings({ contactSync: true }),
      callState(),
      ctxWith({ aircallContact: { id: 77 } }),
    );
    const later = planCall(
      settings({ contactSync: true }),
      callState(),
      ctxWith({ aircallContact: null, existing: existingFrom(first, { activity: 'note-1' }) }),
    );
    const sync = later.writes.find((w) => w.target === 'aircall.contact');
    expect(sync).toMatchObject({ op: 'update', id: '77' });
    expect(stepOf(later, 'JA-SYNC-1')?.detail).toBe(
      'Aircall contact 77, already synced for this call, is updated from contact c-1 (Claire Dupont).',
    );
  });

  it('JA-SYNC-1: the sync happens from the first event, while the note waits for call.ended', () => {
    const live = callState({
      status: 'initial',
      answeredAt: null,
      endedAt: null,
      duration: null,
      events: ['call.created'],
    });
    const plan = planCall(settings({ contactSync: true }), live, ctxWith());
    expect(plan.outcome).toBe('write');
    expect(plan.writes.map((w) => w.target)).toEqual(['aircall.contact']);
  });

  it('JA-SYNC-1: off, or nothing found in JobAdder: no Aircall contact is written', () => {
    expect(planCall(settings(), callState(), ctxWith()).writes.map((w) => w.target)).toEqual([
      'jobadder.contactNote',
    ]);
    const unmatched = planCall(settings({ contactSync: true }), callState(), ctxWith({ records: [] }));
    expect(unmatched.writes).toEqual([]);
  });

  it('JA-SYNC-1: SMS do not sync contacts (the article speaks of calls)', () => {
    const plan = planMessage(settings({ contactSync: true }), messageState(), ctxWith());
    expect(plan.writes.map((w) => w.target)).toEqual(['jobadder.contactNote']);
    expect(stepOf(plan, 'JA-SYNC-1')?.outcome).toBe('skipped');
  });

  it('JA-SYNC-1: an inactive integration syncs no contact (GEN-ACT-1)', () => {
    const plan = planCall(settings({ contactSync: true, active: false }), callState(), ctxWith());
    expect(plan.writes).toEqual([]);
  });
});

describe('JobAdder phone matching', () => {
  it('JA-PHONE-1: a record stored in national format matches the international number with the default country', () => {
    const national = contact({ phones: [{ field: 'mobile', value: '06 12 34 56 78' }] });
    const plan = planCall(settings({ defaultCountry: 'FR' }), callState(), ctxWith({ records: [national] }));
    expect(plan.recordId).toBe('c-1');
    expect(stepOf(plan, 'GEN-PHONE-2')?.detail).toContain(`contact c-1 (mobile)`);
    // The same stored value read as a US number is another number: no match.
    const us = planCall(settings({ defaultCountry: 'US' }), callState(), ctxWith({ records: [national] }));
    expect(us.unmatched).toBe(true);
  });

  it('JA-PHONE-1: both JobAdder phone fields are searched', () => {
    const onPhone = candidate({
      phones: [
        { field: 'phone', value: '+33 1 76 36 06 95' },
        { field: 'mobile', value: '+33612345678' },
      ],
    });
    expect(planMessage(settings(), messageState(), ctxWith({ records: [onPhone] })).recordId).toBe('k-1');
  });
});

describe('JobAdder SMS', () => {
  const at = (minutes: number) => T0 * 1000 + minutes * 60_000;
  const sms = (id: string, minutes: number, over: Partial<MessageState> = {}) =>
    messageState({ id, body: `message ${id}`, createdAt: at(minutes), sentAt: at(minutes), ...over });
  const conversationText = (ids: [string, number][]) => {
    // Build the note as the planner itself writes it.
    let text: string | null = null;
    let updatedAt = 0;
    for (const [id, minutes] of ids) {
      const conv = text === null ? null : { noteId: 'note-c', updatedAt, text };
      const plan = planMessage(
        settings(),
        sms(id, minutes),
        ctxWith({ records: [contact({ extra: { smsConversation: conv } })] }),
      );
      text = String(plan.writes[0]?.fields.text);
      updatedAt = at(minutes);
    }
    return text ?? '';
  };
  const withConversation = (conv: Record<string, unknown>) =>
    ctxWith({ records: [contact({ extra: { smsConversation: conv } })] });

  it('JA-SMS-1: "do not log SMS" logs nothing', () => {
    const plan = planMessage(settings({ smsMode: 'none' }), messageState(), ctxWith());
    expect(plan.outcome).toBe('nothing');
    expect(stepOf(plan, 'JA-SMS-1')?.outcome).toBe('stopped');
  });

  it('JA-SMS-1: "one note per SMS" starts a new note even with a recent conversation note', () => {
    const conv = { noteId: 'note-c', updatedAt: at(-5), text: conversationText([['m0', -5]]) };
    const plan = planMessage(settings({ smsMode: 'note_per_sms' }), sms('m1', 0), withConversation(conv));
    expect(plan.writes[0]).toMatchObject({
      ref: 'activity',
      op: 'create',
      target: 'jobadder.contactNote',
      fields: { contactId: 'c-1', type: 'SMS', reference: 'aircall:sms:m1' },
    });
    expect(plan.writes[0]?.fields.text).toBe(
      'Aircall SMS with Claire Dupont\n\n2026-09-21 16:13:20 UTC+02:00 #m1 SMS received from Claire Dupont on Support FR: message m1',
    );
  });

  it('JA-SMS-1: conversation: the first SMS with a record starts the conversation note', () => {
    const plan = planMessage(settings({ smsNoteType: 'Text message' }), sms('m1', 0), ctxWith());
    expect(plan.writes[0]).toMatchObject({
      op: 'create',
      fields: { type: 'Text message', reference: 'aircall:sms:m1' },
    });
    expect(
      String(plan.writes[0]?.fields.text).startsWith('Aircall SMS conversation with Claire Dupont\n\n'),
    ).toBe(true);
  });

  it('JA-SMS-1: an SMS sent exactly 72 hours after the note was last changed joins it', () => {
    const conv = { noteId: 'note-c', updatedAt: at(0), text: conversationText([['m0', 0]]) };
    const plan = planMessage(settings(), sms('m1', 72 * 60), withConversation(conv));
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]).toMatchObject({ ref: 'activity', op: 'update', id: 'note-c' });
    expect(parseSmsConversation(String(plan.writes[0]?.fields.text)).blocks.map((b) => b.id)).toEqual([
      'm0',
      'm1',
    ]);
    expect(stepOf(plan, 'JA-SMS-1')?.detail).toContain('within 72 hours');
  });

  it('JA-SMS-1: an SMS sent more than 72 hours after the note was last changed starts a new note', () => {
    const conv = { noteId: 'note-c', updatedAt: at(0), text: conversationText([['m0', 0]]) };
    const late = sms('m1', 0, { createdAt: at(72 * 60) + 1, sentAt: at(72 * 60) + 1 });
    const plan = planMessage(settings(), late, withConversation(conv));
    expect(plan.writes[0]).toMatchObject({ op: 'create', fields: { reference: 'aircall:sms:m1' } });
    expect(plan.writes[0]?.id).toBeUndefined();
    expect(parseSmsConversation(String(plan.writes[0]?.fields.text)).blocks.map((b) => b.id)).toEqual(['m1']);
    expect(stepOf(plan, 'JA-SMS-1')?.detail).toContain('more than 72 hours');
  });

  it('JA-SMS-1: the window uses the SMS’s own time, not the clock of a late delivery', () => {
    const conv = { noteId: 'note-c', updatedAt: at(0), text: conversationText([['m0', 0]]) };
    const ctx = { ...withConversation(conv), now: NOW + 10 * 24 * 3600 * 1000 };
    const plan = planMessage(settings(), sms('m1', 60), ctx);
    expect(plan.writes[0]).toMatchObject({ op: 'update', id: 'note-c' });
  });

  it('JA-SMS-1: conversation facts are read leniently: an ISO change time works, malformed facts are ignored', () => {
    const conv = {
      noteId: 42,
      updatedAt: new Date(at(0)).toISOString(),
      text: conversationText([['m0', 0]]),
    };
    expect(planMessage(settings(), sms('m1', 5), withConversation(conv)).writes[0]).toMatchObject({
      op: 'update',
      id: '42',
    });
    const broken = planMessage(
      settings(),
      sms('m1', 5),
      withConversation({ noteId: 'n', updatedAt: 'yesterday' }),
    );
    expect(broken.writes[0]).toMatchObject({ op: 'create' });
  });

  it('JA-SMS-1: an SMS that would pass the maximum note length starts a new note', () => {
    const text = conversationText([['m0', 0]]);
    const conv = { noteId: 'note-c', updatedAt: at(0), text };
    const tight = settings({ maxNoteLength: text.length + 20 });
    const over = planMessage(tight, sms('m1', 1), withConversation(conv));
    expect(over.writes[0]).toMatchObject({ op: 'create' });
    expect(stepOf(over, 'JA-SMS-1')?.detail).toContain('maximum note length');
    const roomy = planMessage(
      settings({ maxNoteLength: text.length + 200 }),
      sms('m1', 1),
      withConversation(conv),
    );
    expect(roomy.writes[0]).toMatchObject({ op: 'update', id: 'note-c' });
    expect(String(roomy.writes[0]?.fields.text).length).toBeLessThanOrEqual(text.length + 200);
  });

  it('JA-SMS-1: a single SMS longer than the maximum is cut to it', () => {
    const plan = planMessage(
      settings({ maxNoteLength: 300 }),
      sms('m1', 0, { body: 'y'.repeat(1000) }),
      ctxWith(),
    );
    expect(String(plan.writes[0]?.fields.text)).toHaveLength(300);
  });

  it('JA-SMS-1: a repeated SMS already in the conversation note is not added twice', () => {
    const text = conversationText([
      ['m0', 0],
      ['m1', 1],
    ]);
    const plan = planMessage(
      settings(),
      sms('m1', 1),
      withConversation({ noteId: 'note-c', updatedAt: at(1), text }),
    );
    expect(plan.writes[0]).toMatchObject({ op: 'update', id: 'note-c', fields: { text } });
  });

  it('JA-SMS-1: a burst of SMS arriving out of order gives the same conversation as in order', () => {
    const burst = [sms('m1', 0), sms('m2', 1, { direction: 'outbound' }), sms('m3', 2), sms('m4', 2)];
    /** A tiny backend: applies each plan to a fake JobAdder and feeds the current note back. */
    const run = (order: MessageState[]) => {
      const notes = new Map<string, { text: string; updatedAt: number }>();
      let current: string | null = null;
      let clock = NOW;
      for (const m of order) {
        clock += 1000;
        const held = current ? notes.get(current) : undefined;
        const conv = current && held ? { noteId: current, ...held } : null;
        const plan = planMessage(
          settings(),
          m,
          ctxWith({ now: clock, records: [contact({ extra: { smsConversation: conv } })] }),
        );
        const [w] = plan.writes;
        if (!w) throw new Error('expected a write');
        const id = w.op === 'create' ? `note-${notes.size + 1}` : String(w.id);
        notes.set(id, { text: String(w.fields.text), updatedAt: clock });
        current = id;
      }
      return [...notes.values()].map((n) => n.text);
    };
    const inOrder = run(burst);
    expect(inOrder).toHaveLength(1);
    expect(parseSmsConversation(inOrder[0] ?? '').blocks.map((b) => b.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    const permutations = (xs: MessageState[]): MessageState[][] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    for (const order of permutations(burst)) expect(run(order)).toEqual(inOrder);
  });
});

describe('JobAdder idempotence, users, required fields', () => {
  it('GEN-IDEM-1: planning a call again with what the first plan wrote gives only updates', () => {
    const s = settings({ contactSync: true });
    const ctx = ctxWith();
    const first = planCall(s, callState(), ctx);
    expect(first.writes.map((w) => w.op)).toEqual(['create', 'create']);
    const again = planCall(s, callState(), {
      ...ctx,
      existing: existingFrom(first, { activity: 'n-1', aircall_contact: '501' }),
    });
    expect(again.writes.map((w) => [w.op, w.id])).toEqual([
      ['update', 'n-1'],
      ['update', '501'],
    ]);
    expect(again.writes.map((w) => w.fields)).toEqual(first.writes.map((w) => w.fields));
  });

  it('GEN-IDEM-1: planning an SMS again with what the first plan wrote gives only updates, whatever the mode', () => {
    for (const smsMode of ['conversation', 'note_per_sms'] as const) {
      const s = settings({ smsMode });
      const first = planMessage(s, messageState(), ctxWith());
      const again = planMessage(
        s,
        messageState(),
        ctxWith({ existing: existingFrom(first, { activity: 'n-2' }) }),
      );
      expect(again.writes).toHaveLength(1);
      expect(again.writes[0]).toMatchObject({
        op: 'update',
        id: 'n-2',
        fields: { text: first.writes[0]?.fields.text },
      });
    }
  });

  it('GEN-IDEM-1: re-planning an SMS already merged reads the note’s current text, keeping SMS merged since', () => {
    const s = settings();
    const first = planMessage(s, messageState({ id: 'a' }), ctxWith());
    const firstText = String(first.writes[0]?.fields.text);
    const second = planMessage(
      s,
      messageState({ id: 'b', createdAt: T0 * 1000 + 60_000, sentAt: T0 * 1000 + 60_000 }),
      ctxWith({
        records: [
          contact({ extra: { smsConversation: { noteId: 'n-1', updatedAt: NOW, text: firstText } } }),
        ],
      }),
    );
    const bothText = String(second.writes[0]?.fields.text);
    // A newer conversation note exists by now, but the backend passes n-1's current state.
    const again = planMessage(
      s,
      messageState({ id: 'a' }),
      ctxWith({
        records: [contact({ extra: { smsConversation: { noteId: 'n-7', updatedAt: NOW, text: 'other' } } })],
        existing: existingFrom(first, { activity: 'n-1' }),
        crmFacts: { notes: [{ noteId: 'n-1', updatedAt: NOW, text: bothText }] },
      }),
    );
    expect(again.writes[0]).toMatchObject({ op: 'update', id: 'n-1', fields: { text: bothText } });
  });

  it('GEN-EMAIL-1: the note is credited to the JobAdder user with the agent’s email, whatever its case', () => {
    const users = [crmUser({ id: 'ja-7', email: 'Alice@Example.COM' })];
    const plan = planCall(settings(), callState(), ctxWith({ users }));
    expect(plan.writes[0]?.fields.createdBy).toEqual({ userId: 'ja-7', email: 'Alice@Example.COM' });
    expect(stepOf(plan, 'GEN-EMAIL-1')?.outcome).toBe('applied');
    const sms = planMessage(settings(), messageState({ user: ALICE }), ctxWith({ users }));
    expect(sms.writes[0]?.fields.createdBy).toEqual({ userId: 'ja-7', email: 'Alice@Example.COM' });
  });

  it('GEN-EMAIL-1: without a JobAdder user of that email the note is left to JobAdder’s API user (the installer)', () => {
    const plan = planCall(
      settings(),
      callState(),
      ctxWith({ users: [crmUser({ email: 'someone@example.com' })] }),
    );
    expect(plan.writes[0]?.fields).not.toHaveProperty('createdBy');
    expect(stepOf(plan, 'GEN-EMAIL-1')?.detail).toContain('alice@example.com');
  });

  it('GEN-REQ-1: required custom fields do not stop JobAdder logging: records are never created or updated', () => {
    const plan = planCall(settings(), callState(), ctxWith());
    expect(stepOf(plan, 'GEN-REQ-1')?.outcome).toBe('skipped');
    expect(plan.outcome).toBe('write');
  });

  it('GEN-REQ-1: a note JobAdder refuses for a required field is not written and the trace names the field', () => {
    const ctx = ctxWith({ blockedCreates: [{ target: 'jobadder.contactNote', field: 'Region' }] });
    const plan = planCall(settings({ contactSync: true }), callState(), ctx);
    expect(plan.writes.map((w) => w.target)).toEqual(['aircall.contact']);
    const step = stepOf(plan, 'GEN-REQ-1');
    expect(step?.outcome).toBe('stopped');
    expect(step?.detail).toContain('Region');
  });
});
