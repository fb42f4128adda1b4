import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCallEvents, foldMessageEvents } from './fold.ts';
import {
  ALICE,
  BOB,
  type CallScript,
  inboundAnsweredScript,
  messageWebhooks,
  parsedCallEvents,
  SUPPORT_LINE,
} from './scenarios.ts';
import {
  type AiEvent,
  type CallEvent,
  type MessageEvent,
  parseWebhook,
  type WebhookEnvelope,
} from './webhook.ts';

const NUMBER = SUPPORT_LINE;
const BASE: CallScript = inboundAnsweredScript();

const parsed = (envelopes: WebhookEnvelope[]): (CallEvent | AiEvent)[] => envelopes.map(parseCallEvent);

function parseCallEvent(e: WebhookEnvelope): CallEvent | AiEvent {
  const r = parseWebhook(e);
  if (!r.ok || (r.event.family !== 'call' && r.event.family !== 'ai'))
    throw new Error(`bad scenario event ${e.event}`);
  return r.event;
}

/** Scripts of every shape the product meets: answered, missed, voicemail, transfers, tags, notes, AI. */
const scriptArb: fc.Arbitrary<CallScript> = fc
  .record({
    direction: fc.constantFrom<'inbound' | 'outbound'>('inbound', 'outbound'),
    answered: fc.boolean(),
    voicemail: fc.boolean(),
    transfer: fc.option(fc.boolean(), { nil: undefined }),
    tags: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
    comments: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 3 }),
    summary: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
    talk: fc.integer({ min: 1, max: 600 }),
  })
  .map((r) => ({
    ...BASE,
    direction: r.direction,
    answerAfter: r.answered ? 10 : undefined,
    talk: r.talk,
    voicemail: !r.answered && r.direction === 'inbound' && r.voicemail,
    transferTo:
      r.answered && r.transfer !== undefined ? { user: BOB, after: 5, answers: r.transfer } : undefined,
    tags: r.tags.map((id) => ({ id, name: `tag_${id}` })),
    comments: r.comments.map((content, i) => ({ id: 100 + i, content, by: ALICE })),
    summary: r.summary,
  }));

describe('foldCallEvents', () => {
  it('GEN-IDEM-1: any reordering or duplication of a call’s events gives the same state', () => {
    fc.assert(
      fc.property(
        scriptArb,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 40, maxLength: 40 }),
        (script, dupIdx, sortKeys) => {
          const events = parsedCallEvents(script);
          const reference = foldCallEvents(events);
          const duplicated = [
            ...events,
            ...dupIdx.map((i) => structuredClone(events[i % events.length] as CallEvent)),
          ];
          // A random permutation: sort by random keys (one per position).
          const shuffled = duplicated
            .map((event, i) => ({ event, key: sortKeys[i % sortKeys.length] ?? 0, i }))
            .sort((a, b) => a.key - b.key || b.i - a.i)
            .map((x) => x.event);
          expect(foldCallEvents(shuffled)).toEqual(reference);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GEN-IDEM-1: a duplicate delivered with its keys in another order is the same event', () => {
    const events = parsedCallEvents(BASE);
    const ended = events.find((e) => e.event === 'call.ended') as CallEvent;
    const reversed = {
      ...ended,
      data: Object.fromEntries(Object.entries(ended.data).reverse()),
    } as CallEvent;
    expect(foldCallEvents([...events, reversed])).toEqual(foldCallEvents(events));
  });

  it('folds an answered inbound call into its final values', () => {
    const state = foldCallEvents(
      parsedCallEvents({
        ...BASE,
        tags: [{ id: 3, name: 'General_Inquiries' }],
        comments: [{ id: 4, content: 'Call back Monday', by: ALICE }],
        summary: 'Refund asked',
        topics: ['refund'],
      }),
    );
    expect(state).toMatchObject({
      id: 1001,
      direction: 'inbound',
      status: 'done',
      startedAt: BASE.startedAt,
      answeredAt: BASE.startedAt + 12,
      endedAt: BASE.startedAt + 12 + 95,
      duration: 107,
      rawDigits: '+33 6 12 34 56 78',
      user: { id: 11 },
      firstAnsweredBy: { id: 11 },
      recording: 'https://recordings.aircall.io/1001.mp3',
      asset: 'https://assets.aircall.io/calls/1001/recording',
      tags: [{ id: 3, name: 'General_Inquiries', addedByUserId: 11 }],
      comments: [{ id: 4, content: 'Call back Monday', postedBy: { id: 11 } }],
      ai: { summary: 'Refund asked', topics: ['refund'] },
      number: { id: 1, name: 'Support FR', timeZone: 'Europe/Paris', isIvr: false },
    });
    expect(state?.events).toContain('call.ended');
  });

  it('keeps the first answering user and the transfer when a call goes from Alice to Bob', () => {
    const state = foldCallEvents(
      parsedCallEvents({
        ...BASE,
        transferTo: { user: BOB, after: 5, answers: true },
        tags: [{ id: 8, name: 'vip', by: BOB }],
      }),
    );
    expect(state?.firstAnsweredBy?.id).toBe(11);
    expect(state?.user?.id).toBe(12);
    expect(state?.transfers).toEqual([
      {
        kind: 'user',
        at: BASE.startedAt + 17,
        by: expect.objectContaining({ id: 11 }),
        to: expect.objectContaining({ id: 12 }),
        toNumber: null,
      },
    ]);
    expect(state?.tags).toEqual([{ id: 8, name: 'vip', addedByUserId: 12 }]);
  });

  it('records a missed call with voicemail and its reason', () => {
    const state = foldCallEvents(
      parsedCallEvents({
        ...BASE,
        answerAfter: undefined,
        user: undefined,
        talk: 20,
        voicemail: true,
        missedCallReason: 'out_of_opening_hours',
      }),
    );
    expect(state).toMatchObject({
      answeredAt: null,
      missedCallReason: 'out_of_opening_hours',
      voicemail: 'https://voicemails.aircall.io/1001.mp3',
    });
  });

  it('waits for a call event when AI insights arrive first', () => {
    const ai = parsed([
      {
        resource: 'summary',
        event: 'summary.created',
        timestamp: 5,
        token: 't',
        data: { call_id: 1001, content: 'x' },
      },
    ]);
    expect(foldCallEvents(ai)).toBeNull();
  });

  it('a later untag removes the tag even when delivered before the tag event', () => {
    const events = parsedCallEvents({ ...BASE, tags: [{ id: 3, name: 'a' }] });
    const tagged = events.find((e) => e.event === 'call.tagged') as CallEvent;
    const untagged: CallEvent = {
      ...tagged,
      event: 'call.untagged',
      timestamp: tagged.timestamp + 5,
      data: { ...tagged.data, tags: [] },
    };
    expect(foldCallEvents([untagged, ...events])?.tags).toEqual([]);
  });
});

describe('foldMessageEvents', () => {
  const script = {
    messageId: 'm1',
    token: 't',
    direction: 'inbound' as const,
    external: '+44 7474 626067',
    number: NUMBER,
    body: 'Hi',
    at: 1_790_000_000_000,
  };
  const parse = (list: WebhookEnvelope[]) =>
    list.map((e) => {
      const r = parseWebhook(e);
      if (!r.ok || r.event.family !== 'message') throw new Error('bad message');
      return r.event as MessageEvent;
    });

  it('GEN-IDEM-1: the same message state from ms or ISO times, in any order, repeated', () => {
    const ms = parse(messageWebhooks(script));
    const iso = parse(messageWebhooks({ ...script, isoTimes: true }));
    const a = foldMessageEvents(ms);
    expect(foldMessageEvents([...iso].reverse())).toEqual(a);
    expect(foldMessageEvents([ms[1], ms[0], ms[1], ms[0]].filter((e): e is MessageEvent => !!e))).toEqual(a);
    expect(a).toMatchObject({
      id: 'm1',
      direction: 'inbound',
      body: 'Hi',
      createdAt: script.at,
      externalNumber: '+44 7474 626067',
      status: 'received',
    });
  });
});
