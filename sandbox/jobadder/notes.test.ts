import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, USER_ID, caller, startTestJobadder } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestJobadder>>;
beforeAll(async () => {
  t = await startTestJobadder();
});
afterAll(() => t.close());

const CONTACT = 301;
const CANDIDATE = 401;
const NOON = '2026-09-01T12:00:00.000Z';

beforeEach(async () => {
  await t.admin.post('/_sandbox/clock', { now: NOON, frozen: true });
  await t.reset({
    users: [
      { userId: USER_ID, firstName: 'Ann', lastName: 'Admin', email: 'ann@agency.test' },
      { userId: 12, firstName: 'Rob', lastName: 'Recruiter', email: 'rob@agency.test', admin: false },
    ],
    contacts: [{ contactId: CONTACT, firstName: 'Alice', lastName: 'Martin', company: { name: 'Acme' } }],
    candidates: [{ candidateId: CANDIDATE, firstName: 'Dana', lastName: 'Jobseeker' }],
  });
});

const advance = (ms: number) => t.admin.post('/_sandbox/clock', { advanceMs: ms });
const addContactNote = (body: unknown, id = CONTACT) => t.api.post(`/contacts/${id}/notes`, body);

describe('JobAdder simulator: notes (API-CONTRACTS 4.2)', () => {
  it('JA-CALL-1: a contact note is created (201 NoteModel), read back, found by Reference and updated with PUT', async () => {
    const created = await addContactNote({
      text: 'Outbound call, answered, 3 min',
      type: 'Phone Call',
      reference: 'aircall:call:123',
      createdByIntegration: true,
    });
    expect(created.status).toBe(201);
    const noteId = String(created.body.noteId);
    expect(noteId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.headers.location).toBe(`${t.url}/v2/notes/${noteId}`);
    expect(created.body).toMatchObject({
      type: 'Phone Call',
      source: null,
      subject: null,
      text: 'Outbound call, answered, 3 min',
      reference: 'aircall:call:123',
      readonly: false,
      createdBy: { userId: USER_ID, email: 'ann@agency.test' },
      createdAt: NOON,
      updatedAt: NOON,
      contacts: [{ contactId: CONTACT, firstName: 'Alice', lastName: 'Martin' }],
      candidates: [],
    });
    expect((await t.api.get(`/notes/${noteId}`)).body).toEqual(created.body);
    await advance(60_000);
    await addContactNote({ text: 'Another call', type: 'Phone Call', reference: 'aircall:call:456' });

    const byRef = await t.api.get(`/contacts/${CONTACT}/notes?Reference=aircall%3Acall%3A123`);
    expect(byRef.body.totalCount).toBe(1);
    const item = (byRef.body.items as Record<string, unknown>[])[0];
    expect(item).toMatchObject({ noteId, type: 'Phone Call', textPartial: 'Outbound call, answered, 3 min' });
    expect(item).not.toHaveProperty('text');
    const withText = await t.api.get(`/contacts/${CONTACT}/notes?Reference=aircall%3Acall%3A123&Fields=text`);
    expect((withText.body.items as Record<string, unknown>[])[0]).toMatchObject({
      text: 'Outbound call, answered, 3 min',
    });

    await advance(3600_000);
    const updated = await t.api.put(`/notes/${noteId}`, {
      text: 'Outbound call, answered, 3 min\nRecording: https://x',
    });
    expect(updated.status).toBe(204);
    expect(updated.text).toBe('');
    const after = await t.api.get(`/notes/${noteId}`);
    expect(after.body).toMatchObject({
      text: 'Outbound call, answered, 3 min\nRecording: https://x',
      type: 'Phone Call',
      createdAt: NOON,
      updatedAt: '2026-09-01T13:01:00.000Z',
      updatedBy: { userId: USER_ID },
    });
    // Default order: newest first; Sort=-updatedAt puts the updated note first.
    const order = async (query: string) =>
      ((await t.api.get(`/contacts/${CONTACT}/notes${query}`)).body.items as { reference: string }[]).map(
        (n) => n.reference,
      );
    expect(await order('')).toEqual(['aircall:call:456', 'aircall:call:123']);
    expect(await order('?Sort=-updatedAt')).toEqual(['aircall:call:123', 'aircall:call:456']);
    expect(await order('?Sort=createdAt')).toEqual(['aircall:call:123', 'aircall:call:456']);
    expect(await order('?UpdatedAt=%3E2026-09-01T12:30:00Z')).toEqual(['aircall:call:123']);
    expect(await order('?Type=phone%20call&Limit=1&Offset=1')).toEqual(['aircall:call:123']);
    expect((await t.api.get(`/contacts/${CONTACT}/notes?Sort=text`)).status).toBe(400);
  });

  it('JA-CALL-1: candidate notes, and POST /notes linking a contact and a candidate', async () => {
    const cand = await t.api.post(`/candidates/${CANDIDATE}/notes`, {
      text: 'Missed call',
      type: 'Phone Call',
    });
    expect(cand.status).toBe(201);
    expect(cand.body).toMatchObject({
      contacts: [],
      candidates: [{ candidateId: CANDIDATE, firstName: 'Dana' }],
    });
    const both = await t.api.post('/notes', {
      type: 'General',
      text: 'Met both',
      contactId: [CONTACT],
      candidateId: [CANDIDATE],
      reference: 'r-1',
    });
    expect(both.status).toBe(201);
    expect(both.body).toMatchObject({
      contacts: [{ contactId: CONTACT }],
      candidates: [{ candidateId: CANDIDATE }],
    });
    expect((await t.api.get(`/candidates/${CANDIDATE}/notes`)).body.totalCount).toBe(2);
    expect((await t.api.get(`/contacts/${CONTACT}/notes`)).body.totalCount).toBe(1);
    expect(t.sim.notes(ACCOUNT, { candidateId: CANDIDATE }).map((n) => n.text)).toEqual([
      'Missed call',
      'Met both',
    ]);
    // AddNoteCommand requires a type and an existing link.
    expect((await t.api.post('/notes', { text: 'x', contactId: [CONTACT] })).body).toMatchObject({
      errors: [{ code: 'Missing', fields: ['type'] }],
    });
    expect((await t.api.post('/notes', { type: 'General', text: 'x', contactId: [9] })).status).toBe(422);
    expect((await t.api.post('/notes', { type: 'General', text: 'x', jobId: [1] })).status).toBe(422);
    expect((await t.api.post('/notes', { type: 'General', text: 'x' })).status).toBe(422);
  });

  it('note types: listed per record kind; the type must be one of them (422), defaults to the default note type', async () => {
    await t.admin.post('/_sandbox/seed', {
      accounts: [
        {
          accountId: ACCOUNT,
          noteTypes: [
            { name: 'General', default: { note: true } },
            { name: 'Aircall Call' },
            { name: 'Text', default: { sms: true } },
          ],
          candidateNoteTypes: [{ name: 'Candidate Call', default: { note: true } }],
        },
      ],
    });
    expect((await t.api.get('/contacts/lists/notetype')).body).toEqual({
      items: [
        { name: 'General', default: { note: true, email: false, sms: false } },
        { name: 'Aircall Call', default: { note: false, email: false, sms: false } },
        { name: 'Text', default: { note: false, email: false, sms: true } },
      ],
    });
    expect((await t.api.get('/candidates/lists/notetype?Name=call')).body).toEqual({
      items: [{ name: 'Candidate Call', default: { note: true, email: false, sms: false } }],
    });
    const wrong = await addContactNote({ text: 'x', type: 'Phone Call' });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({
      message: expect.stringContaining('General, Aircall Call, Text'),
      errors: [{ code: 'Invalid', fields: ['type'] }],
    });
    expect(
      (await t.api.post(`/candidates/${CANDIDATE}/notes`, { text: 'x', type: 'Aircall Call' })).status,
    ).toBe(422);
    expect((await addContactNote({ text: 'x' })).body).toMatchObject({ type: 'General' });
    expect((await addContactNote({ text: 'x', type: 'aircall call' })).body).toMatchObject({
      type: 'Aircall Call',
    });
  });

  it('validates the command: text required, type at most 50, reference at most 200 characters (400 ErrorModel)', async () => {
    const cases: [unknown, string, string][] = [
      [{ type: 'General' }, 'Missing', 'text'],
      [{ text: '   ', type: 'General' }, 'Missing', 'text'],
      [{ text: 'x', type: 'T'.repeat(51) }, 'Invalid', 'type'],
      [{ text: 'x', reference: 'r'.repeat(201) }, 'Invalid', 'reference'],
      [{ text: 42 }, 'Invalid', 'text'],
    ];
    for (const [body, code, field] of cases) {
      const res = await addContactNote(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ errors: [{ code, fields: [field] }] });
    }
    expect((await addContactNote({ text: 'x', reference: 'r'.repeat(200) })).status).toBe(201);
    expect((await addContactNote('not json', CONTACT)).status).toBe(400);
  });

  it('JA-SMS-1: the maximum note length is an account setting (default 10,000): longer text is 422 on create and update', async () => {
    expect((await addContactNote({ text: 'a'.repeat(10_000), type: 'SMS' })).status).toBe(201);
    const tooLong = await addContactNote({ text: 'a'.repeat(10_001), type: 'SMS' });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body).toEqual({
      message: expect.stringContaining('at most 10000'),
      errors: [{ code: 'Invalid', message: expect.any(String), fields: ['text'] }],
    });

    const limits = await t.admin.post('/_sandbox/limits', { accountId: ACCOUNT, maxNoteLength: 500 });
    expect(limits.body).toMatchObject({ accounts: [{ accountId: ACCOUNT, maxNoteLength: 500 }] });
    const note = await addContactNote({ text: 'b'.repeat(500), type: 'SMS' });
    expect(note.status).toBe(201);
    const noteId = String(note.body.noteId);
    const grow = await t.api.put(`/notes/${noteId}`, { text: 'b'.repeat(501) });
    expect(grow.status).toBe(422);
    expect(grow.body).toMatchObject({ errors: [{ fields: ['text'] }] });
    expect((await t.api.get(`/notes/${noteId}`)).body.text).toBe('b'.repeat(500));

    // Per account in the seed.
    await t.admin.post('/_sandbox/seed', {
      accounts: [
        {
          accountId: 'tiny',
          maxNoteLength: 20,
          readTokens: ['tiny-token'],
          contacts: [{ contactId: 5, firstName: 'T' }],
        },
      ],
    });
    const tiny = caller(`${t.url}/v2`, 'tiny-token');
    expect((await tiny.post('/contacts/5/notes', { text: 'x'.repeat(21) })).status).toBe(422);
    expect((await addContactNote({ text: 'x'.repeat(21), type: 'SMS' })).status).toBe(201);
  });

  it('answers 404 for notes of an unknown contact or candidate, an unknown note, or another account’s note', async () => {
    expect((await addContactNote({ text: 'x' }, 999)).status).toBe(404);
    expect((await t.api.post('/candidates/999/notes', { text: 'x' })).status).toBe(404);
    expect((await t.api.get('/contacts/999/notes')).status).toBe(404);
    const missing = await t.api.get('/notes/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(typeof missing.body.message).toBe('string');
    expect((await t.api.put('/notes/00000000-0000-4000-8000-000000000000', { text: 'x' })).status).toBe(404);
    const seeded = await t.admin.post('/_sandbox/seed', {
      accounts: [
        {
          accountId: 'other',
          contacts: [{ contactId: 7, firstName: 'O' }],
          notes: [{ type: 'General', text: 'theirs', contactId: [7] }],
        },
      ],
    });
    const theirs = (seeded.body.accounts as { noteIds: string[] }[])[0]?.noteIds[0];
    expect((await t.api.get(`/notes/${theirs}`)).status).toBe(404);
  });

  it('createdBy names another user by userId or email (422 when unknown); a read-only note cannot be updated', async () => {
    expect((await addContactNote({ text: 'x', createdBy: { email: 'ROB@agency.test' } })).body).toMatchObject(
      {
        createdBy: { userId: 12 },
      },
    );
    expect((await addContactNote({ text: 'x', createdBy: { userId: 12 } })).body).toMatchObject({
      createdBy: { userId: 12 },
    });
    expect((await addContactNote({ text: 'x', createdBy: { userId: 99 } })).status).toBe(422);
    const seeded = await t.admin.post('/_sandbox/seed', {
      accounts: [
        {
          accountId: ACCOUNT,
          notes: [{ type: 'Email', text: 'synced email', readonly: true, contactId: [CONTACT] }],
        },
      ],
    });
    const noteId = (seeded.body.accounts as { noteIds: string[] }[])[0]?.noteIds[0];
    const res = await t.api.put(`/notes/${noteId}`, { text: 'edit' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('read-only');
    expect((await t.api.put(`/notes/${noteId}`, {})).status).toBe(400);
  });
});
