/**
 * End to end: Aircall SMS logged as JobAdder notes in the three modes of
 * JA-SMS-1 (one conversation note, one note per SMS, none), with the 72-hour
 * window on the injected clocks (`w.advance` moves the backend's and every
 * simulator's), the maximum note length (the integration's setting, and
 * JobAdder refusing a longer note), and a burst of SMS delivered out of order
 * and repeated (GEN-IDEM-1). Notes are read back through JobAdder's API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { type JaNote, jobadderHelpers, step, type TraceStep } from './support/jobadder.ts';
import { STORES, startWorld, type World } from './support/world.ts';

const HOUR = 3600_000;

/** The Aircall message ids of a note's SMS lines, in the note's order (mapper.ts: `... #<id> SMS ...`). */
function smsIds(note: JaNote | undefined): string[] {
  return [...(note?.text ?? '').matchAll(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d #(\S+) /gm)].map(
    (m) => m[1] ?? '',
  );
}

/**
 * The trace kept is the SMS's last run: its first event states why it went
 * where it did, a later event of the same SMS (message.status_updated) that
 * it is already in that note. Either names the note.
 */
function lastSmsStep(trace: TraceStep[], why: string, noteId: string | undefined): void {
  const detail = step(trace, 'JA-SMS-1').at(-1)?.detail ?? '';
  expect(detail.includes(why) || detail.startsWith(`This SMS is already in note ${noteId} `), detail).toBe(
    true,
  );
}

describe.each(STORES)('JobAdder SMS end to end (%s store)', { timeout: 60_000 }, (store) => {
  let w: World;
  let h: ReturnType<typeof jobadderHelpers>;

  beforeAll(async () => {
    w = await startWorld({ store, n: 36, crm: 'jobadder' });
    h = jobadderHelpers(w);
  }, 90_000);
  afterAll(async () => w?.close());

  /** The Aircall simulator's clock: SMS times are on it. */
  async function aircallNow(): Promise<number> {
    const res = await fetch(`${w.sandbox.aircall.url}/_sandbox/clock`);
    return ((await res.json()) as { now: number }).now;
  }

  async function sms(
    messageId: string,
    external: string,
    body: string,
    extra: Record<string, unknown> = {},
    play: Record<string, unknown> = {},
  ) {
    return w.play({ message: { messageId, direction: 'inbound', external, body, ...extra }, ...play });
  }

  // ---- conversation ----

  it('JA-SMS-1: conversation: SMS in and out with a contact go into one note, in time order', async () => {
    await h.settings({ smsMode: 'conversation' });
    const { contactIds } = await h.seed({
      contacts: [{ firstName: 'Chloe', lastName: 'Conv', phone: '06 60 00 00 01' }],
    });
    const t0 = await aircallNow();
    await sms('ja-101', '+33 6 60 00 00 01', 'Bonjour, le poste est-il encore ouvert ?', { at: t0 - 60_000 });
    await h.settled();
    const [first, ...none] = await h.notesOf('contacts', contactIds[0] ?? 0);
    expect(none).toEqual([]);
    expect(first).toMatchObject({ type: 'SMS', reference: 'aircall:sms:ja-101' });
    expect(first?.text.split('\n')[0]).toBe('Aircall SMS conversation with Chloe Conv');
    expect(first?.text).toContain(
      '#ja-101 SMS received from Chloe Conv on Support FR: Bonjour, le poste est-il encore ouvert ?',
    );

    await sms('ja-102', '+33 6 60 00 00 01', 'Oui, je vous appelle demain.', {
      direction: 'outbound',
      user: ALICE,
      at: t0 - 30_000,
    });
    await h.settled();
    const [note, ...more] = await h.notesOf('contacts', contactIds[0] ?? 0);
    expect(more).toEqual([]);
    expect(note?.noteId).toBe(first?.noteId);
    expect(smsIds(note)).toEqual(['ja-101', 'ja-102']);
    expect(note?.text).toContain(
      '#ja-102 SMS sent by Alice Martin from Support FR to Chloe Conv: Oui, je vous appelle demain.',
    );
    const { trace } = await h.messageTrace('ja-102');
    lastSmsStep(
      trace,
      `within 72 hours of the last change of the conversation note ${note?.noteId}`,
      note?.noteId,
    );
  });

  it('JA-SMS-1: conversation on a candidate: within 72 hours of the last change it joins the note; after 72 hours a new one starts', async () => {
    await h.settings({ smsMode: 'conversation' });
    const { candidateIds } = await h.seed({
      candidates: [{ firstName: 'Win', lastName: 'Dow', mobile: '+33 6 60 00 00 02' }],
    });
    const id = candidateIds[0] ?? 0;
    await sms('ja-201', '+33 6 60 00 00 02', 'First message');
    await h.settled();
    const [started] = await h.notesOf('candidates', id);

    // 71 hours later (every clock): still within the window of the note's last change.
    await w.advance(71 * HOUR);
    await sms('ja-202', '+33 6 60 00 00 02', 'Second message, 71 hours later');
    await h.settled();
    const joined = await h.notesOf('candidates', id);
    expect(joined.map((n) => n.noteId)).toEqual([started?.noteId]);
    expect(smsIds(joined[0])).toEqual(['ja-201', 'ja-202']);

    // The window runs from the note's last change (the 71-hour SMS), not from its creation.
    await w.advance(71 * HOUR);
    await sms('ja-203', '+33 6 60 00 00 02', 'Third message, 71 hours after the second');
    await h.settled();
    const stillOne = await h.notesOf('candidates', id);
    expect(stillOne).toHaveLength(1);
    expect(smsIds(stillOne[0])).toEqual(['ja-201', 'ja-202', 'ja-203']);

    await w.advance(73 * HOUR);
    await sms('ja-204', '+33 6 60 00 00 02', 'Fourth message, 73 hours later');
    await h.settled();
    const notes = await h.notesOf('candidates', id);
    expect(notes).toHaveLength(2);
    expect(smsIds(notes[0])).toEqual(['ja-201', 'ja-202', 'ja-203']);
    expect(smsIds(notes[1])).toEqual(['ja-204']);
    expect(notes[1]).toMatchObject({ reference: 'aircall:sms:ja-204', type: 'SMS' });
    const { trace } = await h.messageTrace('ja-204');
    lastSmsStep(trace, 'more than 72 hours: a new conversation note starts', notes[1]?.noteId);
  });

  it('JA-SMS-1: conversation: an SMS that would pass the maximum note length starts a new note', async () => {
    await h.settings({ smsMode: 'conversation', maxNoteLength: 400 });
    const { contactIds } = await h.seed({
      contacts: [{ firstName: 'Max', lastName: 'Len', phone: '+33 6 60 00 00 03' }],
    });
    const body = (n: number) => `Message ${n}: ${'x'.repeat(90)}`;
    const t0 = await aircallNow();
    for (const [i, id] of ['ja-301', 'ja-302', 'ja-303'].entries()) {
      await sms(id, '+33 6 60 00 00 03', body(i + 1), { at: t0 - 60_000 + i * 10_000 });
      await h.settled();
    }
    const notes = await h.notesOf('contacts', contactIds[0] ?? 0);
    expect(notes.map(smsIds)).toEqual([['ja-301', 'ja-302'], ['ja-303']]);
    for (const n of notes) expect(n.text.length).toBeLessThanOrEqual(400);
    const { trace } = await h.messageTrace('ja-303');
    lastSmsStep(trace, 'would pass the maximum note length of 400 characters', notes[1]?.noteId);
  });

  it('JA-SMS-1: a burst of SMS delivered out of order and repeated ends in one conversation note in time order', async () => {
    await h.settings({ smsMode: 'conversation' });
    const { contactIds } = await h.seed({
      contacts: [{ firstName: 'Burst', lastName: 'Order', phone: '+33 6 60 00 00 04' }],
    });
    const t0 = await aircallNow();
    const at = (i: number) => t0 - 120_000 + i * 15_000;
    // Sent at 1, 2, 3, 4, 5; delivered 4, 2, 5, 1, 3, each webhook twice and shuffled.
    const order = [4, 2, 5, 1, 3];
    for (const i of order) {
      await sms(
        `ja-40${i}`,
        '+33 6 60 00 00 04',
        `Burst message ${i}`,
        {
          at: at(i),
          ...(i % 2 === 0 ? { direction: 'outbound', user: ALICE } : {}),
        },
        { duplicates: 2, shuffle: 400 + i },
      );
    }
    await h.settled();
    const notes = await h.notesOf('contacts', contactIds[0] ?? 0);
    expect(notes).toHaveLength(1);
    expect(smsIds(notes[0])).toEqual(['ja-401', 'ja-402', 'ja-403', 'ja-404', 'ja-405']);
    for (const i of [1, 2, 3, 4, 5]) {
      expect(notes[0]?.text.split(`Burst message ${i}`)).toHaveLength(2);
    }
    // The note started by whichever SMS came first keeps that SMS's reference.
    expect(notes[0]?.reference).toBe('aircall:sms:ja-404');
  });

  it('JA-SMS-1: one SMS joining a conversation costs a fresh read of the note and one PUT', async () => {
    await h.settings({ smsMode: 'conversation' });
    const { contactIds } = await h.seed({
      contacts: [{ firstName: 'Bud', lastName: 'Get', phone: '+33 6 60 00 00 08' }],
    });
    const t0 = await aircallNow();
    await sms('ja-801', '+33 6 60 00 00 08', 'Warm-up', { at: t0 - 30_000 });
    await h.settled();
    const before = (await h.requests()).length;
    await sms('ja-802', '+33 6 60 00 00 08', 'Counted', { at: t0 - 20_000 });
    await h.settled();
    const spent = (await h.requests())
      .slice(before)
      .map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '{noteId}')} ${r.status}`);
    console.log(`[${store}] JobAdder requests for one SMS in a conversation: ${spent.length}`, spent);
    // The phone search is cached 60 s; the conversation note is read fresh (JA-SMS-1) and rewritten once.
    expect(spent.filter((r) => /^GET \/v2\/contacts\/\d+\/notes 200$/.test(r)).length).toBeGreaterThanOrEqual(
      1,
    );
    expect(spent.filter((r) => r === 'PUT /v2/notes/{noteId} 204')).toHaveLength(1);
    expect(spent.filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(spent.length).toBeLessThanOrEqual(4);
    expect(smsIds((await h.notesOf('contacts', contactIds[0] ?? 0))[0])).toEqual(['ja-801', 'ja-802']);
  });

  // ---- note per SMS, do not log ----

  it('JA-SMS-1: "one note per SMS": each SMS is its own note', async () => {
    await h.settings({ smsMode: 'note_per_sms' });
    const { contactIds } = await h.seed({
      contacts: [{ firstName: 'Nora', lastName: 'Each', phone: '+33 6 60 00 00 05' }],
    });
    const t0 = await aircallNow();
    await sms('ja-501', '+33 6 60 00 00 05', 'One', { at: t0 - 20_000 });
    await sms('ja-502', '+33 6 60 00 00 05', 'Two', { at: t0 - 10_000, direction: 'outbound', user: ALICE });
    await h.settled();
    const notes = await h.notesOf('contacts', contactIds[0] ?? 0);
    expect(notes.map((n) => [n.reference, smsIds(n)])).toEqual(
      expect.arrayContaining([
        ['aircall:sms:ja-501', ['ja-501']],
        ['aircall:sms:ja-502', ['ja-502']],
      ]),
    );
    expect(notes).toHaveLength(2);
    for (const n of notes) expect(n.text.split('\n')[0]).toBe('Aircall SMS with Nora Each');
    const { trace } = await h.messageTrace('ja-502');
    lastSmsStep(trace, '"one note per SMS"', notes.find((n) => n.reference === 'aircall:sms:ja-502')?.noteId);
  });

  it('JA-SMS-1: "do not log": no note, and the trace says why', async () => {
    await h.settings({ smsMode: 'none' });
    const { contactIds } = await h.seed({
      contacts: [{ firstName: 'Dora', lastName: 'Nolog', phone: '+33 6 60 00 00 06' }],
    });
    await sms('ja-601', '+33 6 60 00 00 06', 'Not logged');
    await h.settled();
    expect(await h.notesOf('contacts', contactIds[0] ?? 0)).toEqual([]);
    const { outcome, trace } = await h.messageTrace('ja-601');
    expect(outcome).toBe('nothing');
    expect(step(trace, 'JA-SMS-1').at(-1)).toEqual({
      rule: 'JA-SMS-1',
      outcome: 'stopped',
      detail: 'SMS logging is set to "do not log SMS": this SMS is not logged.',
    });
  });

  // ---- JobAdder's own limit ----

  it('JA-SMS-1: when JobAdder refuses a note as too long, the work fails saying to lower maxNoteLength; lowered, a retry logs it', async () => {
    await h.settings({ smsMode: 'conversation', maxNoteLength: 10_000 });
    const { contactIds } = await h.seed({
      contacts: [{ firstName: 'Tiny', lastName: 'Limit', phone: '+33 6 60 00 00 07' }],
    });
    const limit = (maxNoteLength: number) =>
      fetch(`${w.sandbox.jobadder.url}/_sandbox/limits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accountId: h.accountId, maxNoteLength }),
      });
    expect((await limit(150)).status).toBe(200);
    try {
      await sms('ja-701', '+33 6 60 00 00 07', `A long message: ${'y'.repeat(200)}`);
      await h.settled();
      expect(await h.notesOf('contacts', contactIds[0] ?? 0)).toEqual([]);
      const work = await w.admin('GET', `/admin/companies/${h.companyId}/work?state=failed`);
      const item = (work.json.work as { id: string; lastError: string }[]).find((x) => x.id === 'ja-701');
      expect(item?.lastError).toMatch(
        /JobAdder refused POST \/contacts\/\d+\/notes \(422 Invalid, field "text"\)/,
      );
      expect(item?.lastError).toContain('maxNoteLength');

      await h.settings({ smsMode: 'conversation', maxNoteLength: 140 });
      const retried = await w.admin('POST', `/admin/companies/${h.companyId}/work/retry`, {});
      expect(retried.status, JSON.stringify(retried.json)).toBe(200);
      await h.settled();
      const [note, ...more] = await h.notesOf('contacts', contactIds[0] ?? 0);
      expect(more).toEqual([]);
      expect(note?.text.length).toBe(140);
      expect(note?.text.endsWith('…')).toBe(true);
      expect(smsIds(note)).toEqual(['ja-701']);
    } finally {
      await limit(10_000);
    }
  });
});
